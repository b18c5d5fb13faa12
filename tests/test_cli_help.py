"""The help pages in French (issue #15): every command's and option's help has its French in
bondkit/data/cli_help.toml, translating the English written in the command as it is now,
and ``--help`` prints it when the command line asks for French."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.cli_register.help_words import HELP_KEY, help_entries, help_words, wants_help

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "bondkit" / "data" / "cli_help.toml"
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"  # [scenario] language = "fr"
SOLAR = ROOT / "scenarios" / "solar-coop-multi-series.toml"  # English

sys.path.insert(0, str(ROOT / "tools"))
import cli_help  # noqa: E402

TEXTS = tomllib.loads(TABLE.read_text("utf-8"))


def _commands(cmd: click.Command = main, path: tuple[str, ...] = ()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from _commands(sub, (*path, name))


COMMANDS = [path for path, _ in _commands()]


@pytest.fixture
def runner():
    return CliRunner()


def test_the_table_is_what_the_tool_writes_from_the_commands():
    """A command or option added, or an English help changed, without running
    tools/cli_help.py fails here (and the tool then empties the changed French)."""
    assert TABLE.read_text("utf-8") == cli_help.render(help_entries(main), TEXTS)


def test_the_tool_empties_the_french_of_a_changed_english():
    entries = dict(help_entries(main))
    entries["run --out"] = "Another folder."
    again = tomllib.loads(cli_help.render(entries, TEXTS))
    assert again["run --out"] == {"en": "Another folder.", "fr": ""}
    assert again["run --lang"] == TEXTS["run --lang"]


def test_every_help_text_has_its_french():
    empty = [key for key, entry in TEXTS.items() if not entry["fr"].strip()]
    assert not empty
    assert len(TEXTS) >= 140  # 26 commands, their options, the help option


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_the_french_keeps_what_is_not_words(key):
    """Option names, click's \\b paragraphs and example command lines are kept as written."""
    en, fr = TEXTS[key]["en"], TEXTS[key]["fr"]
    assert fr != en or key in {"bondkit --version"}
    assert en.count("\b") == fr.count("\b")
    options = lambda text: sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text)))  # noqa: E731
    assert options(en) == options(fr)

    def examples(text: str) -> list[str]:
        return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("bondkit ")]

    assert examples(en) == examples(fr)


def test_wants_help():
    assert wants_help(main, ["run", "x.toml", "-h"])
    assert wants_help(main, ["register"])
    assert wants_help(main, [])
    assert not wants_help(main, ["run", "x.toml", "--", "--help"])
    assert not wants_help(main, ["register", "show", "x.db"])


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "bondkit")
def test_each_help_page_in_french(runner, path):
    """Each command's page, asked in French, shows its French help and each option's, and
    none of their English (the next page asked in English is English again)."""
    key = " ".join(path) or "bondkit"
    fr = runner.invoke(
        main, [*path, "--help", "--lang", "fr"], prog_name="bondkit", terminal_width=10_000
    )
    assert fr.exit_code == 0, fr.output
    assert fr.output.startswith("Utilisation : bondkit")
    flat = " ".join(fr.output.split())
    first = lambda text: " ".join(text.strip().splitlines()[0].split())  # noqa: E731
    assert first(TEXTS[key]["fr"]) in flat
    assert first(TEXTS[key]["en"]) not in flat
    for entry, texts in TEXTS.items():
        if entry.startswith(key + " --") and " " not in entry.removeprefix(key + " "):
            assert " ".join(texts["fr"].split()) in flat, entry
    assert TEXTS[HELP_KEY]["fr"] in flat and TEXTS[HELP_KEY]["en"] not in flat
    en = runner.invoke(main, [*path, "--help"], prog_name="bondkit", terminal_width=10_000)
    assert first(TEXTS[key]["en"]) in " ".join(en.output.split())
    assert en.output.startswith("Usage: bondkit")


def test_the_scenario_s_language_chooses_the_page(runner):
    fr = runner.invoke(main, ["run", str(CINEMA), "-h"])
    assert fr.exit_code == 0
    assert TEXTS["run"]["fr"].split()[0] in fr.output and "Usage:" not in fr.output
    en = runner.invoke(main, ["run", str(SOLAR), "-h"], prog_name="bondkit")
    assert "Usage: bondkit run" in en.output
    assert " ".join(TEXTS["run --out"]["en"].split()) in " ".join(en.output.split())


def test_the_english_is_put_back_even_when_the_page_fails():
    """An error inside the block leaves every command's English as it was."""
    before = help_entries(main)
    with pytest.raises(RuntimeError), help_words(main, "fr"):
        assert help_entries(main)["run --out"] == TEXTS["run --out"]["fr"]
        raise RuntimeError
    assert help_entries(main) == before


def test_a_stale_translation_stays_english():
    """An entry whose English no longer matches the command's is not used: the page shows
    the command's English rather than the French of an old text."""

    @click.command()
    @click.option("--out", help="New words.")
    def run(out):
        """Run it."""

    group = click.Group("bondkit", commands={"run": run})
    with help_words(group, "fr"):
        assert run.params[0].help == "New words."
