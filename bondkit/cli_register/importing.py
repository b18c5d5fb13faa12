"""``bondkit register import``: subscription lists (CSV, XLSX) or the simulated register of
the register's own scenario into the register, in one transaction.

What is printed is counts, column headers and row numbers, never a holder's name,
address, e-mail or SIN. Rejected rows (``--keep-good --rejects FILE``) are written to a
CSV readable by its owner only, their cells kept as text for a spreadsheet.
"""

from __future__ import annotations

import contextlib
import csv
import os
from pathlib import Path
from typing import Any

import click

from bondkit.cli_register.common import (
    EXIT_BAD_INPUT,
    fail,
    guarded,
    lang_option,
    message_lang,
    open_register,
    say,
)

__all__ = ["import_command", "write_rejects"]


def write_rejects(path: Path, report: Any, lang: str) -> None:
    """The rejected rows of an import as a CSV at ``path`` (never over an existing file,
    mode 0600): the file's own columns and a last one with the row's problems. Every cell
    is text a spreadsheet will not run as a formula (``bondkit.report.tables``), in
    UTF-8 with a byte-order mark (for Excel), with the source's delimiter.

    >>> import tempfile, types
    >>> from bondkit.errors import Message, Problem
    >>> from bondkit.register.importing import Rejected
    >>> bad = Rejected(3, ("=1+1", "-2"), (Problem("row 3", Message("reg.import.number"), "-2"),))
    >>> report = types.SimpleNamespace(headers=("Nom", "Montant"), delimiter=";", rejected=[bad])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "rejects.csv"
    ...     write_rejects(path, report, "en")
    ...     print(path.read_text(encoding="utf-8-sig"), oct(path.stat().st_mode & 0o777))
    Nom;Montant;problem
    '=1+1;'-2;row 3: must be a number such as 1 000, 1 000,00 $ or 1,000.00 (you wrote -2)
     0o600
    """
    from bondkit.report.tables import spreadsheet_text

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)  # whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=report.delimiter)
            header = [*report.headers, say("reg.import.problem")]
            writer.writerow([spreadsheet_text(h) for h in header])
            for rejected in report.rejected:
                problems = "; ".join(p.render(lang) for p in rejected.problems)
                writer.writerow([spreadsheet_text(c) for c in (*rejected.cells, problems)])
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def mapping_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    """The `--map HEADER=FIELD` pairs as a dict (exit 2 for one without its `=`)."""
    mapping = {}
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            fail(say("cli.error", message=say("reg.import.map_syntax", value=pair)), 2)
        mapping[header.strip()] = target.strip()
    return mapping


def _simulated(reg: Any) -> tuple[Any, str]:
    """The median simulated campaign of the register's own scenario, and its name."""
    from bondkit.register import RegisterError
    from bondkit.runner import run
    from bondkit.scenario import parse_scenario

    text = reg.issue["scenario_text"]
    if not text:
        raise RegisterError(_message("no_scenario"))
    scenario = parse_scenario(text, source=str(reg.path))
    if scenario.campaign_terms() is None:
        raise RegisterError(_message("no_campaign"))
    result = run(scenario)
    name = say("reg.import.simulated", name=scenario.name, seed=scenario.seed)
    return result.campaign_register, name


def _message(what: str) -> Any:
    from bondkit.errors import Message

    return Message(f"reg.import.{what}")


@click.command("import")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--simulated",
    is_flag=True,
    help="Import the simulated register of the register's own scenario (no personal data).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=FIELD",
    help='A column whose header is not recognised: --map "Courriel du membre=email" '
    "(repeatable; FIELD ignore leaves a column out).",
)
@click.option("--sheet", default=None, metavar="NAME", help="The XLSX sheet (default: the first).")
@click.option(
    "--dates",
    type=click.Choice(["dmy", "mdy"]),
    default=None,
    help="Order of text dates such as 04/05/2016, when a column cannot tell it.",
)
@click.option(
    "--keep-good",
    "keep_good",
    is_flag=True,
    help="Import the good rows even if some are bad (those go to --rejects FILE).",
)
@click.option(
    "--rejects",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --keep-good: the CSV the bad rows are written to, with their problems.",
)
@click.option("--reason", default=None, help='Why (default: "import of <file name>").')
@click.option(
    "--by",
    "by",
    default=None,
    metavar="NAME",
    help="Who records (default: BONDKIT_USER, else your user name).",
)
@lang_option
@guarded
def import_command(
    db: Path,
    file: Path | None,
    simulated: bool,
    maps: tuple[str, ...],
    sheet: str | None,
    dates: str | None,
    keep_good: bool,
    rejects: Path | None,
    reason: str | None,
    by: str | None,
    lang: str | None,
) -> None:
    """Import subscriptions from a CSV or XLSX list: headers in French or English, every
    row checked, one report of every problem (row, column, value; never a personal value)
    and nothing imported unless all rows are good (or --keep-good --rejects FILE). The
    same file imported twice adds nothing. Exit 2 with the problems.

    \b
    Examples:
      bondkit register import my-issue.db souscriptions.csv --by "Lucie"
      bondkit register import my-issue.db list.xlsx --map "Courriel du membre=email"
      bondkit register import my-issue.db list.csv --keep-good --rejects rejected.csv
      bondkit register import demo.db --simulated
    """
    if simulated == (file is not None):
        fail(say("cli.error", message=say("reg.import.what")), EXIT_BAD_INPUT)
    if keep_good != (rejects is not None):
        fail(say("cli.error", message=say("reg.import.keep_good")), EXIT_BAD_INPUT)
    mapping = mapping_pairs(maps)
    with open_register(db) as reg:
        if rejects is not None and (rejects.exists() or rejects.is_symlink()):
            fail(
                say("cli.error", message=say("reg.import.rejects_exists", file=rejects)),
                EXIT_BAD_INPUT,
            )
        written: list[int] = []

        def keep(report: Any) -> None:
            write_rejects(rejects, report, message_lang())  # type: ignore[arg-type]
            written.append(len(report.rejected))

        try:
            if simulated:
                frame, name = _simulated(reg)
                report = reg.import_simulated(
                    frame, reason=reason or say("reg.import.reason", file=name), by=by, source=name
                )
            else:
                assert file is not None
                report = reg.import_file(
                    file,
                    reason=reason or say("reg.import.reason", file=file.name),
                    by=by,
                    mapping=mapping,
                    sheet=sheet,
                    dates=dates,
                    keep_good=keep_good,
                    rejects=keep,
                )
        except BaseException:
            if written and rejects is not None:  # written, then the commit failed
                with contextlib.suppress(OSError):
                    rejects.unlink()
            raise
    if report.ignored:
        click.echo(say("reg.import.ignored", headers=", ".join(report.ignored)), err=True)
    click.echo(
        say(
            "reg.import.done",
            file=report.source,
            rows=report.rows,
            added=len(report.added),
            already=report.already,
            rejected=len(report.rejected),
            new=report.holders_new,
            existing=report.holders_existing,
            payments=report.payments,
        )
    )
    if written:
        click.echo(say("reg.import.rejects_written", n=written[0], file=rejects), err=True)
