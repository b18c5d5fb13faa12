"""``bondkit kit``: the investor kit of a scenario (booklet 3, phase 2B), a face of its own
that :mod:`bondkit.cli` adds to its group with one line.

Only click and the standard library at module level, like :mod:`bondkit.cli`: the library
loads inside the command. Like the other commands that compute, it never shows a
traceback: a scenario with problems exits 2 with every problem, located, and nothing
written; anything else that goes wrong exits 1 with one line on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["kit_command"]

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
#: the languages ``--lang`` offers: one, or both (two documents)
KIT_LANGS = ("fr", "en", "both")


def _say(key: str, lang: str, **fields: Any) -> str:
    from bondkit.errors import Message

    return Message(key, **fields).render(lang)


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


@click.command("kit")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Folder for the kit's files (created if missing).",
)
@click.option(
    "--lang",
    "kit_lang",
    type=click.Choice(KIT_LANGS),
    default=None,
    help="Language of the kit: fr, en, or both (one document each); default: the scenario's.",
)
@click.option(
    "--pdf/--no-pdf",
    default=True,
    show_default=True,
    help="Also make a PDF of each document, with LibreOffice when it is installed.",
)
def kit_command(file: Path, out_dir: Path, kit_lang: str | None, pdf: bool) -> None:
    """Write the investor kit: the subscriber's summary of the offer, as an editable Word
    document (.docx) and a PDF.

    It states the issuer and its purpose, the use of the money, each series' terms and
    what 1,000 $ pays and when, the limits per investor, the campaign's dates, minimum,
    target and cap, the rank, redemption, transfer and renewal terms, taxes, the warnings
    an offer carries, the legal frame and a contact; every figure is the workbook's. The
    passages highlighted in yellow are for the enterprise to complete; a lawyer or an
    advisor checks the document before it is handed out. Files: <name>-kit-fr.docx (and
    .pdf) in DIR. Without LibreOffice, the .docx only.

    Example: bondkit kit scenarios/cinema-du-parc-2016.toml --out out/ --lang both
    """
    from bondkit.errors import BondkitError, ScenarioError
    from bondkit.scenario import load_scenario

    lang = kit_lang if kit_lang in ("fr", "en") else None
    try:
        scenario = load_scenario(file)
    except ScenarioError as exc:
        _fail(exc.render(lang or exc.language or "en"), EXIT_BAD_INPUT)
    lang = lang or scenario.language
    if kit_lang == "both":  # the scenario's language first
        langs = sorted(("fr", "en"), key=lambda x: x != scenario.language)
    else:
        langs = [kit_lang or scenario.language]
    try:
        from bondkit.report.kit_files import write_investor_kit
        from bondkit.report.writer import output_stem
        from bondkit.runner import run

        files = write_investor_kit(run(scenario), out_dir, output_stem(file), langs, pdf=pdf)
    except BondkitError as exc:
        code = getattr(exc, "exit_code", EXIT_FAILED)
        _fail(_say("cli.error", lang, message=exc.render(lang)), code)
    except (ValueError, OverflowError) as exc:
        _fail(_say("cli.err.compute", lang, reason=exc), EXIT_FAILED)
    except OSError as exc:
        _fail(_say("cli.err.output", lang, reason=exc.strerror or exc), EXIT_FAILED)
    except Exception as exc:  # never a traceback
        _fail(_say("cli.err.internal", lang, kind=type(exc).__name__, reason=exc), EXIT_FAILED)
    for path in files.paths:
        click.echo(_say("kit.cli.wrote", lang, path=path))
    if pdf and not files.office:
        click.echo(_say("kit.cli.no_office", lang), err=True)
    elif files.pdf_problem is not None:
        click.echo(_say("kit.cli.pdf_failed", lang, reason=files.pdf_problem), err=True)
