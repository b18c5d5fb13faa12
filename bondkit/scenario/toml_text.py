"""Showing what the user wrote: values, keys and locations as they look in a TOML file
(``0.04``, ``"abc"``, ``series[2].annual_rate``), and numbers written plainly."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

from bondkit.scenario.limits import BARE_KEY_PATTERN, MAX_LISTED

__all__ = [
    "Verbatim",
    "toml_value",
    "toml_key",
    "listing",
    "quoted",
    "format_location",
    "plain",
    "cents",
]


class Verbatim(str):
    """Text shown as is after "you wrote" (not quoted like a TOML string)."""


def toml_value(value: Any, limit: int = 60) -> str:
    """A value as it is written in a TOML file: ``4``, ``0.04``, ``"abc"``, ``2025-01-15``,
    cut to ``limit`` characters (the last one ``…``).

    >>> toml_value(4), toml_value(0.04), toml_value("balloon"), toml_value(dt.date(2025, 1, 15))
    ('4', '0.04', '"balloon"', '2025-01-15')
    >>> toml_value([{"from_year": 6, "annual_rate": 0.075}])
    '[{ from_year = 6, annual_rate = 0.075 }]'

    Only what is shown is written out, however long the value (a name of two million
    characters, a list of 100 000 tables, a whole number of 5 000 digits):

    >>> toml_value("x" * 2_000_000, limit=8), toml_value([0.5] * 100_000, limit=12)
    ('"xxxxxx…', '[0.5, 0.5, …')
    >>> len(toml_value(10**5000))
    60
    """
    text = _toml_value(value, limit + 1)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _toml_value(value: Any, budget: int) -> str:
    """The value as written in TOML, or at least its first ``budget`` characters."""
    budget = max(budget, 1)
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int) and value.bit_length() > 200:  # str() refuses 4300+ digits
        return str(Decimal(value))
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return quoted(value[:budget])
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        items = _joined(
            (f"{toml_key(k)} = {_toml_value(v, budget)}" for k, v in value.items()), budget
        )
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + _joined((_toml_value(v, budget) for v in value), budget) + "]"
    return repr(value)[:budget]


def _joined(pieces: Any, budget: int) -> str:
    """``pieces`` joined by ", ", up to the first that makes them longer than ``budget``."""
    out: list[str] = []
    size = 0
    for piece in pieces:
        out.append(piece)
        size += len(piece) + 2
        if size > budget:
            break
    return ", ".join(out)


def toml_key(key: Any, limit: int = 60) -> str:
    """A key as written in TOML: bare when it can be, else quoted (``"my key"``); a key
    longer than ``limit`` characters is cut (``"kkk…"``).

    >>> toml_key("annual_rate"), toml_key("Voisins du parc"), toml_key("k" * 100, limit=4)
    ('annual_rate', '"Voisins du parc"', '"kkkk…"')
    """
    key = str(key)
    if len(key) > limit:
        return quoted(key[:limit])[:-1] + '…"'
    return key if BARE_KEY_PATTERN.fullmatch(key) else quoted(key)


def listing(items: list[str], most: int = MAX_LISTED) -> str:
    """The first ``most`` items, joined by ", ", then "…" when there are more.

    >>> listing(["A", "B", "C"], most=2), listing(["A"])
    ('A, B, …', 'A')
    """
    shown = ", ".join(items[:most])
    return shown + ", …" if len(items) > most else shown


def quoted(text: str) -> str:
    """A TOML basic string on one line: invisible characters and line breaks escaped.

    >>> print(quoted('Cinéma "du Parc"'), quoted(chr(10)))
    "Cinéma \\"du Parc\\"" "\\n"
    """
    return "".join(
        c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
        for c in json.dumps(text, ensure_ascii=False)
    )


def format_location(loc: tuple[str | int, ...]) -> str:
    """``("series", 1, "step_rates", 0, "from_year")`` -> ``series[2].step_rates[1].from_year``.

    >>> format_location(("risk", "segment_probability", "Voisins du parc"))
    'risk.segment_probability."Voisins du parc"'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{toml_key(part)}" if out else toml_key(part)
    return out


def plain(number: Decimal) -> str:
    """A decimal written plainly: 0.9 (not 0.90), 10 (not 1E+1).

    >>> plain(Decimal("0.90")), plain(Decimal("1E+1"))
    ('0.9', '10')
    """
    return format(number.normalize(), "f")


def cents(cents: int) -> str:
    """Cents as the user would write the amount: 100000 or 100000.5.

    >>> cents(10_000_000), cents(10_000_050), cents(10_000_055)
    ('100000', '100000.5', '100000.55')
    """
    whole, frac = divmod(cents, 100)
    return str(whole) if not frac else f"{whole}.{frac:02d}".rstrip("0")
