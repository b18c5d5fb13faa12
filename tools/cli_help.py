"""Write ``bondkit/data/cli_help.toml``, the French of every command's and option's help,
from the English written in the commands (see :mod:`bondkit.cli_register.help_words`).

    python tools/cli_help.py          # add new entries, empty the French of changed ones
    python tools/cli_help.py --check  # change nothing; exit 1 if the file would change

An entry keeps its French while its English is the one written in the command; a new
command or option gets an entry with an empty French, and an entry whose English changed
gets the new English and an empty French: ``tests/test_cli_help.py`` fails until each is
translated. Entries of commands or options that no longer exist are dropped.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT_DIR))

from bondkit.cli import main as bondkit_cli  # noqa: E402
from bondkit.cli_register.help_words import help_entries  # noqa: E402

TABLE = ROOT_DIR / "bondkit" / "data" / "cli_help.toml"

HEADER = """\
# The French of bondkit's command-line help: one entry per command ("run", "register pay",
# "bondkit" for the group) and per option ("run --out"), with the English it translates as
# written in the command. Written by `python tools/cli_help.py`; translate each empty fr.
# Keep click's "\\b" (a paragraph not rewrapped) where the English has it.
"""


def _toml_string(text: str) -> str:
    """``text`` as a TOML multi-line basic string."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"""', '""\\"')
        .replace("\b", "\\b")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    if "\n" not in text:
        return '"' + escaped.replace('"', '\\"') + '"'
    return '"""\n' + escaped + '"""'


def _key(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(entries: dict[str, str], old: dict[str, dict[str, str]]) -> str:
    parts = [HEADER]
    for key, english in entries.items():
        before = old.get(key, {})
        french = before.get("fr", "") if before.get("en") == english else ""
        parts.append(
            f"\n[{_key(key)}]\nen = {_toml_string(english)}\nfr = {_toml_string(french)}\n"
        )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    old = tomllib.loads(TABLE.read_text("utf-8")) if TABLE.exists() else {}
    entries = help_entries(bondkit_cli)
    text = render(entries, old)
    assert {k: v["en"] for k, v in tomllib.loads(text).items()} == entries  # reads back
    if TABLE.exists() and TABLE.read_text("utf-8") == text:
        return 0
    if args.check:
        print(f"{TABLE.relative_to(ROOT_DIR)} is not up to date: python tools/cli_help.py")
        return 1
    TABLE.write_text(text, "utf-8")
    print(f"wrote {TABLE.relative_to(ROOT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
