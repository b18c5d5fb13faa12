"""The scenario as a web form, generated from the file format itself (issue #17).

Every key of every table comes from :mod:`bondkit.data.scenario_keys`, the one table that
also writes the docs' key tables and ``bondkit init``'s comments: its label (the key's
meaning), unit, default, allowed values and short note, in English and French. So the
form cannot drift from the file format: a key added to the schema must be added there
(a test says so), and it appears here.

A field's name is its path in the scenario's data, dots between the parts and 0-based
indexes for the tables that repeat: ``series.0.annual_rate``,
``campaign.segments.1.people``. :func:`form_groups` turns scenario data into the groups
and fields a template shows; :func:`read_form` turns the submitted fields back into
scenario data, :func:`check_form` validates them with the same checks and messages as a
file (:func:`bondkit.scenario.validate_data`) and places each problem at its field.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bondkit.data.scenario_keys import ROOT, KeyEntry, key_entries, section_of
from bondkit.errors import Message, Problem, ScenarioError
from bondkit.scenario import Scenario, validate_data
from bondkit.scenario.toml_text import toml_value

__all__ = [
    "Field",
    "Group",
    "FormCheck",
    "form_groups",
    "read_form",
    "check_form",
    "field_name",
    "field_names",
    "by_field",
    "TOP_TABLES",
]

#: the top-level tables, in the file's order, and the ones a scenario must have
TOP_TABLES: tuple[str, ...] = tuple(key_entries()[ROOT])
REQUIRED_TABLES = ("scenario", "issuer", "series")
#: how many empty repeated tables the form offers to fill (a new series, a new segment)
SPARE = 1
#: the highest row number a field's name may carry (0-based): a name beyond it is not a
#: field of the form (so a forged ``series.99999999.id`` costs nothing)
MAX_ROW = 999
_CHOICE = re.compile(r"`([A-Za-z0-9/._-]+)`")
_INDEX = re.compile(r"\[(\d+)\]")


@dataclass
class Field:
    """One key of one table: ``name`` (its path, the form field's name), the key's
    reference entry, its input ``kind`` (``text``, ``number``, ``integer``, ``date``,
    ``bool``, ``choice`` or ``toml``: a TOML value, for lists and inline tables), the
    ``choices`` of a closed list, and the ``value`` shown (text)."""

    name: str
    key: str
    entry: KeyEntry
    kind: str
    choices: tuple[str, ...] = ()
    value: str = ""
    problems: list[str] = field(default_factory=list)

    def cell(self, name: str, lang: str) -> str:
        """A cell of the key's reference (``meaning``, ``unit``, ``default``, ``note``...),
        its Markdown code marks removed."""
        return self.entry.cell(name, lang).replace("`", "")


@dataclass
class Group:
    """One table of the form: its path ``name`` (``campaign.segments.1``; ``""`` for none),
    the reference ``section``, its ``fields`` and sub-tables ``groups``; ``index`` for a
    table that repeats (0-based), ``present`` when the scenario has it, ``optional`` when
    it may be left out."""

    name: str
    section: str
    fields: list[Field]
    groups: list[Group]
    index: int | None = None
    present: bool = True
    optional: bool = False
    repeated: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def table(self) -> str:
        """The table's path without indexes: ``campaign.segments``."""
        return ".".join(p for p in self.name.split(".") if not p.isdigit())


def _kind(entry: KeyEntry) -> tuple[str, tuple[str, ...]]:
    kind = entry.cell("type", "en")
    allowed = entry.cell("allowed", "en")
    choices = tuple(_CHOICE.findall(allowed)) if allowed.startswith("`") else ()
    if kind == "text" and len(choices) > 1:
        return "choice", choices
    if kind.startswith("text"):
        return "text", ()
    return {
        "whole number": ("integer", ()),
        "number": ("number", ()),
        "date": ("date", ()),
        "true or false": ("bool", ()),
    }.get(kind, ("toml", ()))


def _subtables(section: str) -> dict[str, bool]:
    """The keys of ``section`` that are tables: True for a table that repeats."""
    out = {}
    for key, entry in key_entries()[section].items():
        kind = entry.cell("type", "en")
        if kind in ("table", "tables", "list of inline tables"):
            out[key] = kind != "table"
    return out


def _text(value: Any, kind: str) -> str:
    """A value of the data as the form shows it."""
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "toml":
        return _toml(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _toml(value: Any) -> str:
    """A list or an inline table as written in a file, whole."""
    return toml_value(value, limit=1_000_000)


def field_name(*parts: str | int) -> str:
    """The name of a field or group from its path.

    >>> field_name("campaign", "segments", 1, "people")
    'campaign.segments.1.people'
    """
    return ".".join(str(p) for p in parts)


def _group(section: str, name: str, data: Mapping[str, Any] | None, index: int | None,
           optional: bool, repeated: bool) -> Group:  # fmt: skip
    data = data if isinstance(data, Mapping) else {}  # a file of another shape: shown empty
    subs = _subtables(section)
    fields, groups = [], []
    for key, entry in key_entries()[section].items():
        path = field_name(name, key) if name else key
        if key in subs:
            child = section_of(f"{section}.{key}")
            if subs[key]:
                rows = _rows(data.get(key))
                for i, row in enumerate([*rows, *([None] * SPARE)]):
                    groups.append(_group(child, field_name(path, i), row, i, True, True))
                    groups[-1].present = isinstance(row, Mapping)
            else:
                sub = data.get(key)
                groups.append(_group(child, path, sub, None, True, False))
                groups[-1].present = isinstance(sub, Mapping)
            continue
        kind, choices = _kind(entry)
        fields.append(Field(path, key, entry, kind, choices, _text(data.get(key), kind)))
    return Group(name, section, fields, groups, index, True, optional, repeated)


def _rows(value: Any) -> list[Any]:
    """The rows of a table that repeats, as a file gives them (a list; else none), at
    most :data:`MAX_ROW` + 1."""
    return list(value)[: MAX_ROW + 1] if isinstance(value, list | tuple) else []


def form_groups(data: Mapping[str, Any]) -> list[Group]:
    """The form of scenario ``data`` (as :meth:`Scenario.to_data` gives it): one group per
    top-level table, in the file's order, each with its keys and sub-tables; a table that
    repeats has one group per row and :data:`SPARE` empty ones to add a row.

    >>> from bondkit.scenario import load_example
    >>> groups = form_groups(load_example("cinema-du-parc-2016").to_data())
    >>> [g.name for g in groups][:5]
    ['scenario', 'issuer', 'series.0', 'series.1', 'costs']
    >>> rate = next(f for f in groups[2].fields if f.key == "annual_rate")
    >>> rate.name, rate.kind, rate.value, rate.cell("unit", "fr")
    ('series.0.annual_rate', 'number', '0.02', 'fraction par an')
    >>> [f.choices for f in groups[2].fields if f.key == "repayment"][0][:3]
    ('bullet', 'accumulating', 'level-payment')
    """
    out = []
    for table in TOP_TABLES:
        optional = table not in REQUIRED_TABLES
        if table == "series":
            rows = _rows(data.get("series"))
            for i, row in enumerate([*rows, *([None] * SPARE)]):
                g = _group("series", field_name("series", i), row, i, i > 0, True)
                g.present = isinstance(row, Mapping)
                out.append(g)
            continue
        value = data.get(table)
        g = _group(section_of(table), table, value, None, optional, False)
        g.present = isinstance(value, Mapping) or not optional
        out.append(g)
    return out


# ---------------------------------------------------------------- reading a submitted form


def _parts(name: str) -> list[str | int]:
    return [int(p) if p.isascii() and p.isdigit() else p for p in name.split(".")]


def _shape_ok(parts: list[str | int]) -> bool:
    """Whether a field's path has the file format's shape: a row number right after each
    table that repeats, and only there; names elsewhere.

    >>> _shape_ok(["series", 0, "id"]), _shape_ok(["series", "id"]), _shape_ok(["scenario", 0, "name"])
    (True, False, False)
    >>> _shape_ok(["campaign", "segments", 1, "people"]), _shape_ok(["campaign", "arrivals", 0, "x"])
    (True, False)
    """
    if not parts or not isinstance(parts[0], str) or parts[0] not in TOP_TABLES:
        return False
    repeats = parts[0] == "series"
    section = section_of(parts[0])
    i = 1
    while i < len(parts) - 1:
        if repeats:
            if not isinstance(parts[i], int) or parts[i] > MAX_ROW:
                return False
            i += 1
            repeats = False
            continue
        key = parts[i]
        if not isinstance(key, str):
            return False
        subs = _subtables(section)
        if key not in subs:
            return False
        repeats = subs[key]
        section = section_of(f"{section}.{key}" if section != "planning.lists" else key)
        i += 1
    return not repeats and isinstance(parts[-1], str)


def _entry_of(parts: list[str | int]) -> KeyEntry | None:
    table = ".".join(p for p in parts[:-1] if isinstance(p, str))
    try:
        return key_entries()[section_of(table)].get(str(parts[-1]))
    except KeyError:
        return None


def _value(text: str, entry: KeyEntry, where: str) -> tuple[Any, Problem | None]:
    """A field's text as the data's value; a value the checks can explain (a decimal
    comma, a date written 15/01/2027) is kept as text, for the checks' own hint."""
    kind, _ = _kind(entry)
    if kind in ("text", "choice"):
        return text, None
    if kind == "bool":
        return text.lower() in ("true", "on", "1", "yes", "oui", "vrai"), None
    if kind == "date":
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return text, None
    if kind in ("number", "integer"):
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text, None
        if not number.is_finite() or abs(number.adjusted()) > 15:
            return text, None  # not a number a scenario takes: the checks say why
        if kind == "integer" and number == number.to_integral():
            return int(number), None
        return number, None
    try:
        return tomllib.loads(f"v = {text}")["v"], None
    except (tomllib.TOMLDecodeError, ValueError):
        return None, Problem(where, Message("app.err.toml", example=entry.example or "[]"), text)


def _set(data: dict[str, Any], parts: list[str | int], value: Any) -> None:
    node: Any = data
    for part, after in zip(parts[:-1], parts[1:], strict=True):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append(None)
            if node[part] is None:
                node[part] = empty
            node = node[part]
        else:
            node = node.setdefault(part, empty)
    last = parts[-1]
    node[last] = value


def _location(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _dense(node: Any) -> Any:
    """The data without the rows left empty (a spare series, a removed segment)."""
    if isinstance(node, list):
        return [_dense(x) for x in node if x]
    if isinstance(node, dict):
        return {k: _dense(v) for k, v in node.items()}
    return node


def read_form(form: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """Scenario data from submitted fields (name -> text), and the problems of the values
    that cannot be read at all (a list that is not TOML).

    Blank fields are left out (the key's default applies); a table is in the data when
    its ``include.<table>`` box is ticked (the optional top-level ones) or when one of its
    fields is filled; ``remove.<group>`` drops a row. Unknown names are ignored.

    >>> data, problems = read_form({"scenario.name": "Coop", "series.0.annual_rate": "0,04",
    ...     "series.0.term_years": "5", "series.1.id": "", "include.campaign": "",
    ...     "campaign.minimum": "50000"})
    >>> data["series"], data["scenario"], "campaign" in data, problems
    ([{'annual_rate': '0,04', 'term_years': 5}], {'name': 'Coop'}, False, [])
    """
    data: dict[str, Any] = {}
    problems = []
    removed = {k.removeprefix("remove.") for k, v in form.items() if k.startswith("remove.") and v}
    for name, raw in form.items():
        text = str(raw).strip()
        if not text or name.startswith(("include.", "remove.", "csrf", "_")):
            continue
        parts = _parts(name)
        if not _shape_ok(parts):
            continue  # not a field of the form (a forged series.99999999.id costs nothing)
        entry = _entry_of(parts)
        if entry is None or parts[0] not in TOP_TABLES:
            continue
        if any(name.startswith(f"{r}.") for r in removed):
            continue
        top = str(parts[0])
        if top not in REQUIRED_TABLES and f"include.{top}" in form and not form[f"include.{top}"]:
            continue  # an optional table left out: its fields are not read
        value, problem = _value(text, entry, _location(parts))
        if problem is not None:
            problems.append(problem)
            continue
        _set(data, parts, value)
    for table in TOP_TABLES:  # an optional table ticked with nothing filled: its defaults
        if form.get(f"include.{table}") and table not in data:
            data[table] = {}
    return _dense(data), problems


@dataclass
class FormCheck:
    """A submitted form checked: the scenario (None when it has problems), the data read,
    the problems by field name (and ``""`` for those of no field), in the page's
    language."""

    scenario: Scenario | None
    data: dict[str, Any]
    problems: dict[str, list[str]]


def _field_of(location: str, names: set[str]) -> str:
    """The field (or group) a problem's location names: ``series[1].annual_rate`` ->
    ``series.0.annual_rate``; a key inside a field's value -> that field."""
    name = _INDEX.sub(lambda m: f".{int(m.group(1)) - 1}", location)
    while name and name not in names:
        name = name.rpartition(".")[0]
    return name


def check_form(form: Mapping[str, str], lang: str) -> FormCheck:
    """Read and validate a submitted form: every problem at once, placed at its field.

    >>> check = check_form({"scenario.name": "Coop", "issuer.name": "Coop",
    ...     "series.0.id": "A", "series.0.amount": "50000", "series.0.face_value": "500",
    ...     "series.0.annual_rate": "0,04", "series.0.issue_date": "2027-01-15",
    ...     "series.0.term_years": "5", "series.0.repayment": "bullet"}, "en")
    >>> check.scenario is None, check.problems["series.0.annual_rate"]
    (True, ['a number takes a decimal point, not a comma: write 0.04 (you wrote "0,04")'])
    """
    data, problems = read_form(form)
    scenario = None
    unread = {p.location for p in problems}
    try:
        checked = validate_data(data, source="form")
    except ScenarioError as err:
        problems += [p for p in err.problems if p.location not in unread]
    else:
        scenario = None if problems else checked
    names = set(form) | {n.rpartition(".")[0] for n in form}
    return FormCheck(scenario, data, by_field(problems, names, lang))


def field_names(groups: list[Group]) -> set[str]:
    """The names of every field and group of a form.

    >>> sorted(field_names(form_groups({"scenario": {"name": "Coop"}})))[:3]
    ['campaign', 'campaign.allocation', 'campaign.arrivals']
    """
    out = set()
    for g in groups:
        out.add(g.name)
        out |= {f.name for f in g.fields}
        out |= field_names(g.groups)
    return out


def by_field(problems: list[Problem], names: set[str], lang: str) -> dict[str, list[str]]:
    """Problems in ``lang`` by the field (or group) of ``names`` their location names;
    ``""`` for those of no field.

    >>> p = Problem("series[1].amount", "must be positive", "-1")
    >>> by_field([p], {"series.0", "series.0.amount"}, "en")
    {'series.0.amount': ['must be positive (you wrote -1)']}
    """
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(_field_of(p.location, names), []).append(p.text(lang))
    return out
