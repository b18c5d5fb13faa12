"""The walk-throughs of docs/register.md run as written (issue #13, "Done when").

Each ```console block after a ``<!-- walkthrough: LANG -->`` marker is a session: every
``$ bondkit ...`` line is run (in a fresh folder holding the files the text names), and
what it prints must be the lines that follow it, ``...`` standing for anything (the time
of recording), a no-break space of a French amount read as a space. A walk-through that drifts from the code fails here.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "register.md"
FILES = [
    ROOT / "scenarios" / "solar-coop-multi-series.toml",
    ROOT / "docs" / "examples" / "subscriptions.csv",
    ROOT / "docs" / "examples" / "souscriptions.csv",
]
SESSION = re.compile(r"<!-- walkthrough: (\w+) -->\n```console\n(.*?)```", re.S)


def _sessions() -> dict[str, list[tuple[str, str]]]:
    found = {}
    for lang, body in SESSION.findall(DOC.read_text(encoding="utf-8")):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        found[lang] = [(command, "\n".join(out) + "\n") for command, out in steps]
    return found


SESSIONS = _sessions()


def test_the_doc_has_a_walkthrough_in_each_language():
    assert sorted(SESSIONS) == ["en", "fr"]
    for steps in SESSIONS.values():
        commands = " ".join(c.split()[2] for c, _ in steps)
        for step in ("init", "import", "pay", "transfer", "request", "redeem", "renew", "check"):
            assert step in commands


@pytest.mark.parametrize("lang", sorted(SESSIONS))
def test_the_walkthrough_runs_as_written(lang, tmp_path, monkeypatch):
    for f in FILES:
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BONDKIT_USER", "Lucie")
    checker = doctest.OutputChecker()
    runner = CliRunner()
    for command, expected in SESSIONS[lang]:
        words = shlex.split(command)
        assert words[0] == "bondkit", command
        result = runner.invoke(main, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
        got = result.stdout.replace("\xa0", " ")  # French amounts: no-break spaces
        assert checker.check_output(expected, got, doctest.ELLIPSIS), (
            f"$ {command}\nexpected:\n{expected}\ngot:\n{got}"
        )
    # the register the session leaves is whole, and the names it holds were never printed
    db = next(tmp_path.glob("*.db"))
    with Register(db) as reg:
        assert reg.check().ok
        names = reg.holders()["name"].tolist()
    printed = "".join(out for _, out in SESSIONS[lang])
    assert names and not [n for n in names if n in printed]
