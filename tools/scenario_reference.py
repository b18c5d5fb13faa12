"""Write the scenario reference's key tables and the templates' key comments from one
source, ``bondkit/data/scenario_keys.toml``, so that English, French and the templates of
``bondkit init`` never drift apart.

    python tools/scenario_reference.py          # rewrite what differs, name each file
    python tools/scenario_reference.py --check  # change nothing; exit 1 if a file differs

What it rewrites, and only that (the prose around is written by hand, in each language):

- in ``docs/scenario-reference.md`` (English) and ``docs/scenario-reference.fr.md``
  (French), the table that follows each marker line ``<!-- keys: SECTION -->``, one row
  per key of that section of the reference (Key | Type | Unit | Default | Allowed values |
  Example | Meaning; for the section ``tables``: Table | Written as | Required | Meaning);
- in ``bondkit/examples/init-en.toml`` and ``init-fr.toml``, the comment at the end of each
  table header and key line, commented out or not (``[campaign.match]``,
  ``# max_amount = 20_000``, ``## security = "..."``): the key's ``note`` in the template's
  language, from column 36. A key or table written a second time in the same table (the
  second ``[[campaign.segments]]``) gets no comment. Other comment lines stay as written.

``tests/test_reference_docs.py`` fails when a file on disk differs from what this writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT_DIR))

from bondkit.data.scenario_keys import ROOT, key_entries, key_note  # noqa: E402

#: each file this writes, and its language
DOCS = {
    ROOT_DIR / "docs" / "scenario-reference.md": "en",
    ROOT_DIR / "docs" / "scenario-reference.fr.md": "fr",
}
TEMPLATES = {
    ROOT_DIR / "bondkit" / "examples" / "init-en.toml": "en",
    ROOT_DIR / "bondkit" / "examples" / "init-fr.toml": "fr",
}

#: the column headers of a key table, and of the table of the top-level tables
KEY_COLUMNS = {
    "en": ("Key", "Type", "Unit", "Default", "Allowed values", "Example", "Meaning"),
    "fr": ("Clé", "Type", "Unité", "Défaut", "Valeurs permises", "Exemple", "Signification"),
}
TABLE_COLUMNS = {
    "en": ("Table", "Written as", "Required", "Meaning"),
    "fr": ("Table", "S'écrit", "Requise", "Signification"),
}
#: the column (counting from 0) where a template's key comment starts
COMMENT_COLUMN = 35

MARKER = re.compile(r"^<!-- keys: (?P<section>[a-z_.]+) -->$")
HEADER = re.compile(r"^\[\[?(?P<path>[a-z_]+(?:\.[a-z_]+)*)\]\]?$")
KEY_LINE = re.compile(r"^(?P<key>[a-z_]+) = \S")


# ---------------------------------------------------------------- the docs


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def key_table(section: str, lang: str) -> list[str]:
    """The Markdown table of ``section`` in ``lang``, one row per key (header included).

    >>> print("\\n".join(key_table("capacity.sinking_fund", "fr")))
    | Clé | Type | Unité | Défaut | Valeurs permises | Exemple | Signification |
    |---|---|---|---|---|---|---|
    | `rate` | nombre | fraction par an | `0` | 0 à 1, au plus 8 décimales | `0.015` | Intérêt que rapporte le fonds (un compte d'épargne, un dépôt à terme), ajouté à chaque fin d'exercice. |
    """
    entries = key_entries()[section]
    columns = TABLE_COLUMNS[lang] if section == ROOT else KEY_COLUMNS[lang]
    lines = [_row(list(columns)), "|" + "---|" * len(columns)]
    for key, entry in entries.items():
        if section == ROOT:
            names = ("written", "required", "meaning")
            cells = [f"`{key}`", *(entry.cell(n, lang) for n in names)]
        else:
            example = f"`{entry.example}`" if entry.example is not None else "—"
            names = ("type", "unit", "default", "allowed")
            cells = [f"`{key}`", *(entry.cell(n, lang) for n in names), example]
            cells.append(entry.cell("meaning", lang))
        lines.append(_row(cells))
    return lines


def render_doc(text: str, lang: str) -> str:
    """``text`` with the table after each ``<!-- keys: SECTION -->`` line replaced by the
    table of that section in ``lang`` (the lines of the old table are those that start with
    ``|`` right after the marker).

    >>> doc = "Intro\\n<!-- keys: capacity.reserve -->\\n| old |\\n\\nAfter\\n"
    >>> print(render_doc(doc, "en"))  # doctest: +ELLIPSIS
    Intro
    <!-- keys: capacity.reserve -->
    | Key | Type | Unit | Default | Allowed values | Example | Meaning |
    |---|---|---|---|---|---|---|
    | `target` | text | — | `"max-annual-debt-service"` | ...
    | `months` | whole number | months | `6` | ...
    <BLANKLINE>
    After
    <BLANKLINE>
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        marker = MARKER.match(line)
        if marker:
            if marker["section"] not in key_entries():
                raise KeyError(f"{line}: no such section in scenario_keys.toml")
            while i < len(lines) and lines[i].startswith("|"):
                i += 1
            out.extend(key_table(marker["section"], lang))
    return "\n".join(out)


# ---------------------------------------------------------------- the templates


def split_comment(text: str) -> tuple[str, str | None]:
    """A TOML line as its code and its trailing comment (None if none), a ``#`` inside a
    string being part of the string.

    >>> split_comment('name = "Café #1"   # shown on every output')
    ('name = "Café #1"', '# shown on every output')
    >>> split_comment("amount = 100_000")
    ('amount = 100_000', None)
    """
    quote = None
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return text[:i].rstrip(), text[i:]
        i += 1
    return text.rstrip(), None


def _prefix(line: str) -> tuple[str, str]:
    for prefix in ("## ", "# "):
        if line.startswith(prefix):
            return prefix, line[len(prefix) :]
    return "", line


def _commented(head: str, note: str | None) -> str:
    if note is None:
        return head
    if len(head) <= COMMENT_COLUMN - 2:
        return f"{head:<{COMMENT_COLUMN}}# {note}"
    return f"{head}  # {note}"


def render_template(text: str, lang: str) -> str:
    """``text`` (a template of ``bondkit init``) with the comment of each table header and
    key line set to that key's note in ``lang``; other lines unchanged.

    >>> print(render_template('[costs]\\n# upfront = 5_000   # old\\n## Free text = kept\\n', "en"))
    [costs]                            # optional: what issuing costs; every key defaults to 0
    # upfront = 5_000                  # paid at issue: legal, printing, launch (default 0)
    ## Free text = kept
    <BLANKLINE>
    """
    out = []
    table = ""
    seen: set[tuple[str, str]] = set()
    for line in text.split("\n"):
        prefix, rest = _prefix(line)
        code, _ = split_comment(rest)
        header = HEADER.match(code)
        key_line = KEY_LINE.match(code)
        if header:
            table = header["path"]
            parent, _, key = table.rpartition(".")
            where = (parent, key)
        elif key_line:
            where = (table, key_line["key"])
        else:
            out.append(line)
            continue
        note = None if where in seen else key_note(*where, lang)
        seen.add(where)
        out.append(_commented(prefix + code, note))
    return "\n".join(out)


# ---------------------------------------------------------------- the files


def expected_files() -> dict[Path, str]:
    """Every file this tool writes, with the text it should hold.

    >>> sorted(p.name for p in expected_files())
    ['init-en.toml', 'init-fr.toml', 'scenario-reference.fr.md', 'scenario-reference.md']
    """
    files = {}
    for path, lang in DOCS.items():
        files[path] = render_doc(path.read_text(encoding="utf-8"), lang)
    for path, lang in TEMPLATES.items():
        files[path] = render_template(path.read_text(encoding="utf-8"), lang)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file differs"
    )
    args = parser.parse_args(argv)
    differ = []
    for path, text in expected_files().items():
        if path.read_text(encoding="utf-8") != text:
            differ.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8", newline="\n")
    for path in differ:
        verb = "differs from scenario_keys.toml" if args.check else "rewritten"
        print(f"{path.relative_to(ROOT_DIR)}: {verb}")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
