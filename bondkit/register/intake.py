"""What may be written: subscriptions and events checked before the register records them.

Every problem of a write is collected, located (``subscriptions[3].bonds``, 1 for the
first row) and reported at once; nothing is written unless there is none. A value is
quoted after "you wrote" only when it is not personal data: a name, an address, an e-mail
or a SIN is never repeated in a message.

>>> import datetime as dt
>>> series = {"A": {"bonds": 200, "face_value_cents": 50000, "maturity": "2031-03-02",
...                 "issue_date": "2026-03-02"}}
>>> rows, problems = subscriptions([{"name": "Lucie Tremblay", "series": "B", "bonds": 0,
...                                   "subscribed_on": "2026-02-30"}], series, {"A": 0},
...                                  "issue-date", lambda holder: False)
>>> for p in problems:
...     print(p)
subscriptions[1].series: no series has this id (series ids: A) (you wrote B)
subscriptions[1].bonds: must be greater than 0 (you wrote 0)
subscriptions[1].subscribed_on: must be a date such as 2025-01-15 (you wrote 2026-02-30)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bondkit.errors import Message, Problem
from bondkit.register.ledger import interest_start, sin_digits

__all__ = [
    "Subscription",
    "SUBSCRIPTION_KEYS",
    "HOLDER_DETAILS",
    "HOLDER_KINDS",
    "subscriptions",
    "holder_details",
    "as_date",
]

#: what else a new holder's row may say (schema version 3): the language of their letters,
#: person, corporation or estate, the name of a joint holder, the country of residence
#: (ISO 3166 alpha-2), how they are paid
HOLDER_DETAILS: tuple[str, ...] = ("language", "kind", "co_holder", "country", "payment_method")
#: the keys a subscription row may have
SUBSCRIPTION_KEYS: tuple[str, ...] = (
    "holder_id",
    "name",
    "address",
    "email",
    "sin",
    "series",
    "bonds",
    "subscribed_on",
    *HOLDER_DETAILS,
)
#: the longest text accepted for each personal field
_MOST = {"name": 200, "address": 500, "email": 254, "co_holder": 200, "payment_method": 100}
#: the kinds of holder
HOLDER_KINDS: tuple[str, ...] = ("person", "corporation", "estate")


@dataclass(frozen=True)
class Subscription:
    """One subscription, checked: a new holder (name, address, email, sin, and the
    :data:`HOLDER_DETAILS`) or an existing one (holder_id), a series, whole bonds, the date,
    and the holding's interest start."""

    holder_id: int | None
    name: str | None
    address: str | None
    email: str | None
    sin: str | None
    series: str
    bonds: int
    subscribed_on: dt.date
    interest_start: dt.date
    language: str | None = None
    kind: str = "person"
    co_holder: str | None = None
    country: str | None = None
    payment_method: str | None = None


def as_date(value: Any) -> dt.date | None:
    """A date, or an ISO date text (``2026-03-02``), as a date; None for anything else.

    >>> as_date("2026-03-02"), as_date(dt.date(2026, 3, 2)), as_date("03/02/2026")
    (datetime.date(2026, 3, 2), datetime.date(2026, 3, 2), None)
    """
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def personal_text(
    row: Mapping[str, Any], key: str, where: str, required: bool
) -> tuple[str | None, list[Problem]]:
    """A personal text field: never quoted in a problem."""
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, [Problem(f"{where}.{key}", Message("msg.missing"))] if required else []
    if not isinstance(value, str):
        return None, [Problem(f"{where}.{key}", Message("reg.err.text"))]
    value = value.strip()
    allowed = "\n" if key == "address" else ""
    if any(not c.isprintable() and c not in allowed for c in value):
        return None, [Problem(f"{where}.{key}", Message("reg.err.control"))]
    if len(value) > _MOST[key]:
        return None, [
            Problem(f"{where}.{key}", Message("msg.too_long", most=_MOST[key], chars=len(value)))
        ]
    return value, []


def holder_details(row: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[Problem]]:
    """The :data:`HOLDER_DETAILS` of a new holder's row, checked: ``language`` en or fr,
    ``kind`` one of :data:`HOLDER_KINDS` (default person), ``country`` two capital letters,
    ``co_holder`` (a name: personal, never quoted) and ``payment_method`` text.

    >>> holder_details({"language": "fr", "country": "CA"}, "s[1]")
    ({'language': 'fr', 'kind': 'person', 'co_holder': None, 'payment_method': None, 'country': 'CA'}, [])
    >>> [str(p) for p in holder_details({"language": "de", "kind": "club"}, "s[1]")[1]]
    ['s[1].language: must be en or fr (you wrote de)', 's[1].kind: must be person, corporation or estate (you wrote club)']
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    language, kind, country = row.get("language"), row.get("kind"), row.get("country")
    if language is not None and language not in ("en", "fr"):
        problems.append(Problem(f"{where}.language", Message("reg.move.language"), str(language)))
    if kind is None:
        kind = "person"
    elif kind not in HOLDER_KINDS:
        problems.append(Problem(f"{where}.kind", Message("reg.move.kind"), str(kind)))
    if country is not None and not (
        isinstance(country, str) and len(country) == 2 and country.isascii() and country.isupper()
    ):
        problems.append(Problem(f"{where}.country", Message("reg.move.country"), str(country)))
    out.update(language=language, kind=kind)
    for key in ("co_holder", "payment_method"):
        out[key], found = personal_text(row, key, where, required=False)
        problems += found
    out["country"] = country
    return out, problems


def subscriptions(
    rows: Iterable[Mapping[str, Any]],
    series: Mapping[str, Mapping[str, Any]],
    held: Mapping[str, int],
    rule: str,
    holder_exists: Callable[[int], bool],
) -> tuple[list[Subscription], list[Problem]]:
    """The subscriptions of ``rows`` checked against the register: ``series`` (its rows by
    id), the bonds already ``held`` by series, the interest-start ``rule``, and whether a
    holder number exists. Returns the checked subscriptions and every problem.

    >>> series = {"A": {"bonds": 2, "face_value_cents": 50000, "maturity": "2031-03-02",
    ...                 "issue_date": "2026-03-02"}}
    >>> ok, problems = subscriptions([{"name": "Lucie Tremblay", "series": "A", "bonds": 2,
    ...                                "subscribed_on": "2026-01-20"}], series, {"A": 1},
    ...                               "subscription-date", lambda holder: False)
    >>> [str(p) for p in problems]
    ['series[A]: 2 bonds asked, but only 1 of the 2 bonds of the series are left']
    """
    out: list[Subscription] = []
    problems: list[Problem] = []
    asked: dict[str, int] = {}
    ids = ", ".join(series)
    for i, row in enumerate(rows, start=1):
        where = f"subscriptions[{i}]"
        found: list[Problem] = []
        if not isinstance(row, Mapping):
            problems.append(Problem(where, Message("reg.err.row")))
            continue
        for key in row:
            if key not in SUBSCRIPTION_KEYS:
                found.append(Problem(f"{where}.{key}", Message("msg.unknown_key")))
        holder_id = row.get("holder_id")
        name, address, email, sin, details = None, None, None, None, {}
        if holder_id is not None:
            if (
                not isinstance(holder_id, int)
                or isinstance(holder_id, bool)
                or not holder_exists(holder_id)
            ):
                found.append(
                    Problem(f"{where}.holder_id", Message("reg.err.no_holder"), str(holder_id))
                )
            for key in ("name", "address", "email", "sin", *HOLDER_DETAILS):
                if row.get(key) is not None:
                    found.append(Problem(f"{where}.{key}", Message("reg.err.holder_given")))
        else:
            name, p1 = personal_text(row, "name", where, required=True)
            address, p2 = personal_text(row, "address", where, required=False)
            email, p3 = personal_text(row, "email", where, required=False)
            details, p4 = holder_details(row, where)
            found += p1 + p2 + p3 + p4
            raw_sin = row.get("sin")
            if raw_sin is not None:
                sin = sin_digits(raw_sin) if isinstance(raw_sin, str) else None
                if sin is None:
                    found.append(Problem(f"{where}.sin", Message("reg.err.sin")))
        sid = row.get("series")
        terms = series.get(sid) if isinstance(sid, str) else None
        if terms is None:
            found.append(
                Problem(f"{where}.series", Message("msg.no_such_series", ids=ids), str(sid))
            )
        bonds = row.get("bonds")
        if not isinstance(bonds, int) or isinstance(bonds, bool):
            found.append(Problem(f"{where}.bonds", Message("msg.whole"), str(bonds)))
        elif bonds <= 0:
            found.append(Problem(f"{where}.bonds", Message("msg.positive"), str(bonds)))
        on = as_date(row.get("subscribed_on"))
        if on is None:
            found.append(
                Problem(
                    f"{where}.subscribed_on", Message("msg.date"), str(row.get("subscribed_on"))
                )
            )
        elif terms is not None and on >= dt.date.fromisoformat(terms["maturity"]):
            found.append(
                Problem(
                    f"{where}.subscribed_on",
                    Message("reg.err.after_maturity", maturity=terms["maturity"]),
                    on.isoformat(),
                )
            )
        problems += found
        if found:
            continue
        assert terms is not None and on is not None and isinstance(bonds, int)
        asked[sid] = asked.get(sid, 0) + bonds
        start = interest_start(rule, dt.date.fromisoformat(terms["issue_date"]), on)
        out.append(
            Subscription(holder_id, name, address, email, sin, sid, bonds, on, start, **details)
        )
    for sid, n in asked.items():
        left = series[sid]["bonds"] - held.get(sid, 0)
        if n > left:
            problems.append(
                Problem(
                    f"series[{sid}]",
                    Message("reg.err.series_full", asked=n, left=left, total=series[sid]["bonds"]),
                )
            )
    return out, problems
