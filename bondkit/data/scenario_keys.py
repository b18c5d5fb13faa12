"""The scenario reference as data: every key of the file, table by table, in English and
in French, read from ``scenario_keys.toml`` beside this module.

That file is the one source of three texts that must never drift apart: the key tables of
``docs/scenario-reference.md`` (English), those of ``docs/scenario-reference.fr.md``
(French), and the one-line comment of each key in ``bondkit init``'s templates.
``tools/scenario_reference.py`` writes them from it; ``tests/test_reference_docs.py`` checks
that they agree with it, and that it names every key of the schema and no other.

A *section* is a table of the file named by its path, as messages locate it
(``campaign.segments``); :data:`ROOT` describes the top-level tables themselves. The four
lists of ``[planning]`` share one section (``planning.lists``), as they share one table of
the reference.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from types import MappingProxyType
from typing import Any

__all__ = [
    "ROOT",
    "LANGS",
    "KeyEntry",
    "key_entries",
    "section_tables",
    "section_of",
    "key_note",
]

#: the section that describes the top-level tables (``[scenario]``, ``[campaign]``...)
ROOT = "tables"
#: the languages of every entry
LANGS = ("en", "fr")
#: the cells of a key's row, and of a top-level table's row
KEY_FIELDS = ("type", "unit", "default", "allowed", "meaning", "note")
TABLE_FIELDS = ("written", "required", "meaning", "note")


@dataclass(frozen=True)
class KeyEntry:
    """One key of one section: its example (a TOML value, or None for a table) and its
    cells, each in English and French (Markdown, but ``note``: plain text)."""

    section: str
    key: str
    example: str | None
    cells: MappingProxyType[str, MappingProxyType[str, str]]

    def cell(self, name: str, lang: str) -> str:
        """The text of cell ``name`` in ``lang``.

        >>> rate = key_entries()["series"]["annual_rate"]
        >>> rate.cell("unit", "en"), rate.cell("unit", "fr")
        ('fraction per year', 'fraction par an')
        """
        return self.cells[name][lang]


def _entry(section: str, key: str, raw: dict[str, Any]) -> KeyEntry:
    fields = TABLE_FIELDS if section == ROOT else KEY_FIELDS
    allowed = {*fields, "example"}
    unknown = sorted(set(raw) - allowed)
    missing = [f for f in fields if f not in raw]
    if unknown or missing:
        raise ValueError(
            f"scenario_keys.toml [{section}.{key}]: unknown {unknown}, missing {missing}"
        )
    cells = {}
    for name in fields:
        texts = raw[name]
        if not isinstance(texts, dict) or sorted(texts) != sorted(LANGS):
            raise ValueError(f"scenario_keys.toml [{section}.{key}] {name}: write .en and .fr")
        cells[name] = MappingProxyType(dict(texts))
    return KeyEntry(section, key, raw.get("example"), MappingProxyType(cells))


@functools.cache
def _read() -> tuple[dict[str, dict[str, KeyEntry]], dict[str, tuple[str, ...]]]:
    text = files("bondkit.data").joinpath("scenario_keys.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    covers = {section: tuple(tables) for section, tables in data.pop("covers", {}).items()}
    entries = {
        section: {key: _entry(section, key, raw) for key, raw in keys.items()}
        for section, keys in data.items()
    }
    return entries, covers


def key_entries() -> dict[str, dict[str, KeyEntry]]:
    """Every entry, by section then key, in the order of the file (the order of the rows).

    >>> entries = key_entries()
    >>> list(entries)[:4]
    ['tables', 'scenario', 'issuer', 'series']
    >>> entries["scenario"]["language"].cell("default", "en")
    '`"en"`'
    """
    entries, _ = _read()
    return {section: dict(keys) for section, keys in entries.items()}


def section_tables(section: str) -> tuple[str, ...]:
    """The tables of the file whose keys ``section`` describes (the table paths; ``()`` for
    :data:`ROOT`, whose keys are the top-level tables).

    >>> section_tables("campaign.match")
    ('campaign.match',)
    >>> section_tables("planning.lists")
    ('planning.uses', 'planning.sources', 'planning.milestones', 'planning.budget')
    """
    if section == ROOT:
        return ()
    _, covers = _read()
    return covers.get(section, (section,))


def section_of(table: str) -> str:
    """The section that describes the keys of ``table`` (a path such as
    ``campaign.segments``; ``""`` for the top level of the file).

    >>> section_of("planning.budget"), section_of("risk"), section_of("")
    ('planning.lists', 'risk', 'tables')
    """
    if table == "":
        return ROOT
    entries, covers = _read()
    for section, tables in covers.items():
        if table in tables:
            return section
    if table not in entries:
        raise KeyError(f"no section of the reference describes [{table}]")
    return table


def key_note(table: str, key: str, lang: str) -> str:
    """The short comment that explains ``key`` of ``table`` in the templates of
    ``bondkit init`` (``table`` ``""`` for a top-level table), in ``lang``.

    >>> key_note("series", "frequency", "en")
    'annual | semi-annual | quarterly | monthly (default annual)'
    >>> key_note("", "readiness", "fr")
    'facultative : niveaux 1 pas commencé, 2 en cours, 3 en place, 4 solide'
    """
    return key_entries()[section_of(table)][key].cell("note", lang)
