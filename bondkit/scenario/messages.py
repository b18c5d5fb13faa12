"""Validation and its messages: :func:`validate` (pydantic's check of each key, then the
cross checks on the keys that passed theirs), pydantic errors in our words (never pydantic's
own), TOML syntax errors in the user's language, and the walk of the schema that places each
problem (``series[2].annual_rate``) and orders problems as the file is laid out."""

from __future__ import annotations

import difflib
import heapq
import re
import tomllib
import types
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo

from bondkit.errors import Message, Problem, ScenarioError
from bondkit.scenario.guards import data_nesting
from bondkit.scenario.limits import LANGUAGES, MAX_NESTING, MAX_PROBLEMS
from bondkit.scenario.table import INVALID, NOTHING, Issue, Table
from bondkit.scenario.toml_text import Verbatim, format_location, toml_key

__all__ = [
    "TOML_REASONS",
    "toml_syntax_message",
    "issue_from_pydantic",
    "sort_key",
    "partial",
    "cross_checks",
    "validate",
    "data_language",
]

T = TypeVar("T", bound=Table)


# ---- TOML syntax errors. tomllib words them in English and ends them with
# "(at line L, column C)" or "(at end of document)"; the reasons it gives are translated
# here (one label each), any other reason is shown as tomllib wrote it.
_TOML_AT = re.compile(
    r"(?P<reason>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)"
)
TOML_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"Invalid statement", "toml.invalid_statement"),
        (r"Expected newline or end of document after a statement", "toml.expected_newline"),
        (r"Expected '=' after a key in a key/value pair", "toml.expected_equals"),
        (r"Expected '\]' at the end of a table declaration", "toml.expected_bracket"),
        (r"Expected '\]\]' at the end of an array declaration", "toml.expected_brackets"),
        (r"Expected (?P<what>'.*')", "toml.expected"),
        (r"Found invalid character (?P<char>'.*')", "toml.invalid_character"),
        (r"Illegal character (?P<char>'.*')", "toml.illegal_character"),
        (r"Cannot declare (?P<key>.*) twice", "toml.declared_twice"),
        (r"Cannot overwrite a value", "toml.overwrite"),
        (r"Cannot mutate immutable namespace (?P<key>.*)", "toml.immutable"),
        (r"Cannot redefine namespace (?P<key>.*)", "toml.redefine"),
        (r"Invalid initial character for a key part", "toml.key_start"),
        (r"Unclosed array", "toml.unclosed_array"),
        (r"Duplicate inline table key (?P<key>.*)", "toml.duplicate_key"),
        (r"Unclosed inline table", "toml.unclosed_table"),
        (r"Unescaped '\\' in a string", "toml.unescaped"),
        (r"Invalid hex value", "toml.hex"),
        (r"Escaped character is not a Unicode scalar value", "toml.scalar"),
        (r"Unterminated string", "toml.unterminated"),
        (r"Invalid date or datetime", "toml.date"),
        (r"Invalid value", "toml.value"),
    )
)


def toml_syntax_message(exc: tomllib.TOMLDecodeError) -> Message:
    """A TOML syntax error with its line and column, in no language yet.

    >>> try:
    ...     tomllib.loads("name = Cinéma")
    ... except tomllib.TOMLDecodeError as exc:
    ...     print(toml_syntax_message(exc).render("fr"))
    erreur de syntaxe TOML : valeur invalide (à la ligne 1, colonne 8)
    """
    text = str(exc)
    at = _TOML_AT.fullmatch(text)
    if at is None:  # a wording this module does not know: as tomllib gave it
        return Message("msg.toml_syntax_plain", reason=text)
    reason: Message | str = at["reason"]
    for pattern, key in TOML_REASONS:
        known = pattern.fullmatch(at["reason"])
        if known:
            reason = Message(key, **known.groupdict())
            break
    if at["line"] is None:
        where = Message("toml.at_end")
    else:
        where = Message("toml.at_line", line=int(at["line"]), column=int(at["column"]))
    return Message("msg.toml_syntax", reason=reason, where=where)


# ================================================================ problems


def issue_from_pydantic(root: type[Table], err: Any) -> Issue:
    """Our wording for one pydantic error (never its own message); ``root`` is the table the
    error's location starts from (the whole file: :class:`~bondkit.scenario.model.Scenario`).

    >>> from bondkit.scenario import Scenario
    >>> err = {"loc": ("series", 0, "rate"), "type": "extra_forbidden", "input": 0.04}
    >>> print(issue_from_pydantic(Scenario, err).problem())
    series[1].rate: unknown key (did you mean annual_rate?)
    >>> print(issue_from_pydantic(Scenario, {"loc": ("issuer", "name"), "type": "missing"}).problem())
    issuer.name: required (missing)
    """
    loc, kind, value = tuple(err["loc"]), err["type"], err.get("input", NOTHING)
    if kind == "bondkit":  # the check may quote something else than the value (showing)
        return Issue(loc, err["ctx"]["message"], err["ctx"].get("wrote", value))
    if kind == "missing":
        return Issue(loc, Message("msg.missing"))
    if kind == "extra_forbidden":
        return Issue(loc, _unknown_key_message(root, loc, value))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not loc:
            return Issue(loc, Message("msg.table_of_tables"), value)
        table = _table_at(root, loc)
        if table is not None and not table.inline:  # written under a header of its own
            header = _header_of(root, loc)
            if isinstance(loc[-1], int):
                return Issue(loc, Message("msg.header_table", header=header), value)
            return Issue(loc, Message("msg.write_header", header=header), value)
        if table and table.toml_example:
            return Issue(
                loc, Message("msg.inline_table_such_as", example=table.toml_example), value
            )
        return Issue(loc, Message("msg.inline_table"), value)
    if kind in ("tuple_type", "list_type", "iterable_type"):
        entry = _table_at(root, loc)
        if entry is not None and not entry.inline:
            header = _header_of(root, loc)  # [[series]]
            shown = Verbatim(header[1:-1]) if isinstance(value, dict) else value
            return Issue(loc, Message("msg.double_brackets", header=header), shown)
        if entry and entry.toml_example:
            return Issue(
                loc, Message("msg.inline_tables_such_as", example=entry.toml_example), value
            )
        return Issue(loc, Message("msg.inline_tables"), value)
    return Issue(loc, Message("msg.not_valid"), value)


def _unknown_key_message(root: type[Table], loc: tuple[str | int, ...], value: Any) -> Message:
    """Say "unknown key" or "unknown table", with the key or table likely meant."""
    key, typed = str(loc[-1]), str(loc[-1]).lower()
    is_table = isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )
    message = Message("msg.unknown_table" if is_table else "msg.unknown_key")
    table = _table_at(root, loc[:-1])
    known = [  # a [table] is never what a plain value meant, nor a plain key what a table meant
        name
        for name, field in (table.model_fields.items() if table else ())
        if isinstance(value, dict) or not _is_single_table(field)
        if not isinstance(value, dict) or _nested_table(field)
    ]
    # "rate" for annual_rate, "term" for term_years, when only one key of this table fits:
    # that key shortened, even when another table has a key of that name (sinking_fund.rate)
    parts = [k for k in known if k.endswith(f"_{typed}") or k.startswith(f"{typed}_")]
    home = _home_of(root, key, is_table, loc[:-1]) if len(parts) != 1 else None
    if home == ():
        return Message("msg.belongs_at_top", message=message)
    if home is not None and _header_of(root, home) != _header_of(root, loc[:-1]):
        return Message("msg.belongs_under", message=message, header=_header_of(root, home))
    close = difflib.get_close_matches(typed, known, n=1)
    if not close:
        close = parts if len(parts) == 1 else []
    if close:
        return Message("msg.did_you_mean", message=message, key=close[0])
    return message


def _is_single_table(field: FieldInfo) -> bool:
    nested = _nested_table(field)
    return bool(nested) and not nested[1]


def _home_of(
    root: type[Table], key: str, is_table: bool, here: tuple[str | int, ...]
) -> tuple[str | int, ...] | None:
    """Where ``key`` is defined (a table when ``is_table``, else a plain key): the loc of a
    table written under a header (``()`` for the top of the file, ``("series", 0)``...).

    When several tables define it, the one nearest ``here`` (the table it was written in),
    then the first in the order of the schema.
    """
    homes: list[tuple[str | int, ...]] = []

    def walk(table: type[Table], loc: tuple[str | int, ...]) -> None:
        field = table.model_fields.get(key)
        if field is not None and (_nested_table(field) is not None) == is_table:
            homes.append(loc)
        for name, sub in table.model_fields.items():
            nested = _nested_table(sub)
            if nested and not nested[0].inline:
                walk(nested[0], (*loc, name, 0) if nested[1] else (*loc, name))

    walk(root, ())
    names = [p for p in here if isinstance(p, str)]

    def shared(loc: tuple[str | int, ...]) -> int:
        """How many table names ``loc`` has in common with ``here``, from the top."""
        count = 0
        for a, b in zip((p for p in loc if isinstance(p, str)), names, strict=False):
            if a != b:
                break
            count += 1
        return count

    return max(homes, key=shared, default=None)  # max keeps the first of equals


def _header_of(root: type[Table], loc: tuple[str | int, ...]) -> str:
    """The header of the table ``loc`` points into, as written in the file: ``[issuer]``,
    ``[[series]]``, ``[campaign.arrivals]``, ``[[campaign.segments]]``; an inline table
    belongs to the table that holds it."""
    names: list[str] = []
    many = False
    table: type[Table] = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = table.model_fields.get(part)
        nested = _nested_table(field) if field is not None else None
        if nested is None or nested[0].inline:
            break
        names.append(part)
        table, many = nested
    if not names:
        return "the top of the file"
    path = ".".join(toml_key(n) for n in names)
    return f"[[{path}]]" if many else f"[{path}]"


# ================================================================ walking the schema


def _nested_table(field: FieldInfo) -> tuple[type[Table], bool] | None:
    """(table class, is a list of them) when a field holds a table, else None."""
    annotation = field.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    many = get_origin(annotation) in (tuple, list)
    if many:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, Table):
        return annotation, many
    return None


@cache
def _keys(table: type[Table]) -> dict[str, tuple[int, FieldInfo, tuple[type[Table], bool] | None]]:
    """Each key of a table: its place in the table, its field, the table it holds (as
    :func:`_nested_table`); read once per table, for the walks that run once per problem
    or per entry of a long list."""
    return {
        name: (i, field, _nested_table(field))
        for i, (name, field) in enumerate(table.model_fields.items())
    }


def _entry_table(table: type[Table] | None, name: str) -> type[Table] | None:
    key = _keys(table).get(name) if table is not None else None
    return key[2][0] if key is not None and key[2] is not None else None


def _table_at(root: type[Table], loc: tuple[str | int, ...]) -> type[Table] | None:
    """The table class a loc points into (``("series", 0)`` -> SeriesTable)."""
    table: type[Table] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        table = _entry_table(table, part)
    return table


def sort_key(root: type[Table], loc: tuple[str | int, ...]) -> list[int]:
    """Order problems as the tables and keys are documented; unknown keys after known ones.

    >>> from bondkit.scenario import Scenario
    >>> sort_key(Scenario, ("scenario", "seed")), sort_key(Scenario, ("series", 1, "annual_rate"))
    ([0, 3], [2, 1, 3])
    """
    key: list[int] = []
    table: type[Table] | None = root
    for part in loc:
        if isinstance(part, int):
            key.append(part)
            continue
        keys = _keys(table) if table else {}
        key.append(keys[part][0] if part in keys else len(keys))
        table = _entry_table(table, part)
    return key


@cache
def _field_adapter(table: type[Table], name: str) -> TypeAdapter[Any]:
    field = table.model_fields[name]
    if not field.metadata:
        return TypeAdapter(field.annotation)
    return TypeAdapter(Annotated[(field.annotation, *field.metadata)])


def partial(
    table: type[Table],
    raw: Any,
    bad: set[tuple[str | int, ...]],
    loc: tuple,
    _within: set[tuple[str | int, ...]] | None = None,
) -> Any:
    """The validated value of each key of ``raw`` that has no problem in ``bad``.

    Keys with a problem are INVALID, optional keys not written get their default (a table
    not written: its defaults as a dict), nested tables are partial dicts themselves (lists
    of them for ``[[...]]``).

    >>> from bondkit.scenario import Scenario
    >>> data = {"scenario": {"name": "Coop", "seed": -1}, "series": []}
    >>> values = partial(Scenario, data, {("scenario", "seed")}, ())
    >>> values["scenario"]
    {'name': 'Coop', 'language': 'en', 'currency': 'CAD', 'seed': INVALID}
    >>> "issuer" in values, values["series"], values["costs"]
    (False, [], {'upfront': Decimal('0'), 'upfront_rate': Decimal('0'), 'annual_admin': Decimal('0')})

    Linear in the size of ``raw`` and of ``bad``: whether a key holds a problem is one look
    in the set of the locs that do (``_within``, made once).
    """
    if _within is None:
        _within = {b[:n] for b in bad for n in range(1, len(b) + 1)}
    if not isinstance(raw, dict) or loc in bad:
        return INVALID
    out: dict[str, Any] = {}
    for name, (_, field, nested) in _keys(table).items():
        here = (*loc, name)
        if name not in raw or raw[name] is None:
            if not field.is_required():
                default = field.get_default(call_default_factory=True)
                # a table not written is its defaults, a dict like the tables written
                out[name] = default.model_dump() if isinstance(default, Table) else default
            continue
        value = raw[name]
        if nested and nested[1]:
            if here in bad or not isinstance(value, list | tuple):
                out[name] = INVALID
            else:
                out[name] = [
                    partial(nested[0], v, bad, (*here, i), _within) for i, v in enumerate(value)
                ]
        elif nested:
            out[name] = partial(nested[0], value, bad, here, _within)
        elif here in _within:
            out[name] = INVALID
        else:
            try:
                out[name] = _field_adapter(table, name).validate_python(value)
            except PydanticValidationError:  # cannot happen: it had no problem
                out[name] = INVALID
    return out


def cross_checks(table: type[Table], values: Any, loc: tuple) -> Iterator[Issue]:
    """Each table's cross_check, on the partial values, nested tables included.

    >>> from bondkit.scenario import Scenario
    >>> values = partial(Scenario, {"series": []}, set(), ())
    >>> for issue in cross_checks(Scenario, values, ()):
    ...     print(issue.problem())
    series: needs at least one [[series]] table
    """
    if not isinstance(values, dict):
        return
    for issue in table.cross_check(values):
        yield issue._replace(loc=(*loc, *issue.loc))
    for name, (_, _, nested) in _keys(table).items():
        value = values.get(name)
        if nested and nested[1] and isinstance(value, list):
            for i, entry in enumerate(value):
                yield from cross_checks(nested[0], entry, (*loc, name, i))
        elif nested and isinstance(value, dict):
            yield from cross_checks(nested[0], value, (*loc, name))


def validate(root: type[T], data: Any, source: str | None = None) -> T:
    """``data`` validated as a ``root`` table (the whole file: ``Scenario``): pydantic's
    checks of each key, then every table's ``cross_check`` on the keys that passed theirs.

    Raises :class:`ScenarioError` with one problem per issue, all at once and in the order
    of the file's layout, the first MAX_PROBLEMS of them and a last line saying how many
    more there are; its ``language`` is :func:`data_language`. Data nested deeper than
    MAX_NESTING levels is one problem, found before any check recurses into it.

    >>> from bondkit.scenario import Scenario
    >>> validate(Scenario, {"scenario": {"name": "Coop", "language": "fr"}, "series": []})
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: issuer: required (missing)
    series: needs at least one [[series]] table
    """
    deep = data_nesting(data)
    if deep is not None:  # the place where it starts: the rest may be very long
        where = format_location(deep[:3]) + ("…" if len(deep) > 3 else "")
        problem = Problem(where, Message("msg.too_deep_here", most=MAX_NESTING))
        raise ScenarioError([problem], source, language=data_language(data))
    errors: list[Any] = []  # pydantic's errors, then the issues of the cross checks
    validated: T | None = None
    try:
        validated = root.model_validate(data)
    except PydanticValidationError as exc:
        errors = exc.errors(include_url=False)
    bad = {tuple(err["loc"]) for err in errors}
    found: list[Any] = [*errors, *cross_checks(root, partial(root, data, bad, ()), ())]
    if found or validated is None:
        # in the file's layout order (nsmallest is stable), the words of the first only
        shown = heapq.nsmallest(
            MAX_PROBLEMS,
            found,
            key=lambda f: sort_key(root, tuple(f["loc"] if isinstance(f, dict) else f.loc)),
        )
        issues = [f if isinstance(f, Issue) else issue_from_pydantic(root, f) for f in shown]
        problems = [issue.problem() for issue in issues]
        if len(found) > len(shown):
            problems.append(Problem("", Message("msg.more_problems", n=len(found) - len(shown))))
        raise ScenarioError(problems, source, language=data_language(data))
    return validated


def data_language(data: Any) -> str | None:
    """The ``[scenario] language`` of a scenario's raw data when it is ``"fr"`` or ``"en"``
    (whatever else the data holds), else None: the language of its messages.

    >>> data_language({"scenario": {"language": "fr"}}), data_language({"scenario": {"language": "de"}})
    ('fr', None)
    """
    table = data.get("scenario") if isinstance(data, dict) else None
    language = table.get("language") if isinstance(table, dict) else None
    return language if isinstance(language, str) and language in LANGUAGES else None
