"""The ledger's rules, in plain Python: event kinds, what each may move, derived balances.

An **event** is something that happened to the issue (a subscription, a payment, a
transfer...) with the date it happened (``occurred_on``), when it was recorded, by whom
and why. What it moved is in its **postings**, one per holding it touched, four integer
amounts each:

- ``bonds``: bonds held (+ bought, - redeemed or transferred away);
- ``principal_cents``: principal the issuer owes the holding;
- ``interest_cents``: interest accrued and not yet paid;
- ``cash_cents``: money between issuer and holder (+ received by the issuer, - paid out).

Nothing is ever stored as a balance: a holding's balances are the sums of its postings.
A mistake is put right by a **correction**: an event that posts the exact opposite of the
event it reverses (which stays in the ledger), followed by the right event.

>>> from bondkit.register.ledger import Posting, shape_problems
>>> shape_problems("subscription", [Posting(1, bonds=2, principal_cents=100000)])
[]
>>> [str(m) for m in shape_problems("subscription", [Posting(1, bonds=2, cash_cents=5)])]
['a subscription adds bonds and their principal to one holding, and nothing else']
"""

from __future__ import annotations

import datetime as dt
import getpass
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bondkit.errors import Message
from bondkit.register.schema import EVENT_KINDS

__all__ = [
    "EVENT_KINDS",
    "AMOUNTS",
    "Posting",
    "shape_problems",
    "reversal",
    "balances",
    "operator",
    "timestamp",
    "sin_digits",
    "interest_start",
]

#: the four amounts of a posting
AMOUNTS: tuple[str, ...] = ("bonds", "principal_cents", "interest_cents", "cash_cents")

#: the longest name accepted for who recorded an event
MAX_OPERATOR = 100


@dataclass(frozen=True)
class Posting:
    """What one event moved for one holding (integers: bonds, and cents).

    >>> Posting(7, bonds=2, principal_cents=100000).negated()
    Posting(holding_id=7, bonds=-2, principal_cents=-100000, interest_cents=0, cash_cents=0)
    >>> Posting(7, cash_cents=12.5)
    Traceback (most recent call last):
    ...
    TypeError: cash_cents must be an integer, not float
    """

    holding_id: int
    bonds: int = 0
    principal_cents: int = 0
    interest_cents: int = 0
    cash_cents: int = 0

    def __post_init__(self) -> None:
        for name in ("holding_id", *AMOUNTS):
            value = getattr(self, name)
            if type(value) is not int:  # numpy's int64 is welcome; a bool or a float is not
                if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                    raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
                object.__setattr__(self, name, int(value))

    def negated(self) -> Posting:
        """The same holding, every amount of the opposite sign (what a correction posts).

        >>> Posting(3, cash_cents=2500).negated().cash_cents
        -2500
        """
        return Posting(self.holding_id, *(-getattr(self, name) for name in AMOUNTS))

    def amounts(self) -> tuple[int, int, int, int]:
        """The four amounts, in the order of :data:`AMOUNTS`.

        >>> Posting(3, bonds=1, principal_cents=50000).amounts()
        (1, 50000, 0, 0)
        """
        return (self.bonds, self.principal_cents, self.interest_cents, self.cash_cents)

    @classmethod
    def from_row(cls, row: Mapping[str, int]) -> Posting:
        """A posting from a row of the ledger (a mapping with the same names).

        >>> Posting.from_row({"holding_id": 4, "bonds": 1, "principal_cents": 100000,
        ...                   "interest_cents": 0, "cash_cents": 0, "event_id": 9}).bonds
        1
        """
        return cls(int(row["holding_id"]), *(int(row[name]) for name in AMOUNTS))


# ---------------------------------------------------------------- what each kind may move

#: signs: "+" above 0, "-" below 0, "0" zero, "+0" not negative, "-0" not positive, "*" any
SIGNS = {
    "+": lambda x: x > 0,
    "-": lambda x: x < 0,
    "0": lambda x: x == 0,
    "+0": lambda x: x >= 0,
    "-0": lambda x: x <= 0,
    "*": lambda x: True,
}


@dataclass(frozen=True)
class Shape:
    """What an event of one kind may post: the sign of each amount in each posting, how
    many postings, which amounts must add up to zero over them (money that moves between
    holdings), and which must equal which in each posting (cash paid = what it pays)."""

    signs: tuple[str, str, str, str]
    most: int | None = 1
    least: int = 1
    balanced: tuple[str, ...] = ()
    equal: tuple[tuple[str, tuple[str, ...]], ...] = ()


SHAPES: dict[str, Shape] = {
    # bonds bought: their principal is owed from the subscription (its cash comes apart)
    "subscription": Shape(("+", "+", "0", "0")),
    "payment_received": Shape(("0", "0", "0", "+")),
    "interest_accrued": Shape(("0", "0", "+", "0")),
    "interest_paid": Shape(("0", "0", "-", "-"), equal=(("cash_cents", ("interest_cents",)),)),
    # at maturity (bonds go) or by instalments (bonds stay, principal per bond falls)
    "principal_repaid": Shape(("-0", "-", "0", "-"), equal=(("cash_cents", ("principal_cents",)),)),
    # bonds bought back before maturity with the interest accrued to that day
    "early_redemption": Shape(
        ("-", "-", "-0", "-"), equal=(("cash_cents", ("principal_cents", "interest_cents")),)
    ),
    # bonds move from holding to holding, with their principal and accrued interest
    "transfer": Shape(
        ("*", "*", "*", "0"),
        most=None,
        least=2,
        balanced=("bonds", "principal_cents", "interest_cents"),
    ),
    "estate_transfer": Shape(
        ("*", "*", "*", "0"),
        most=None,
        least=2,
        balanced=("bonds", "principal_cents", "interest_cents"),
    ),
    # what is owed at maturity moves into a holding of a new series (other bonds, other
    # face value): the money owed is kept, principal and interest together
    "renewal": Shape(("*", "*", "*", "0"), most=None, least=2, balanced=("owed",)),
}


def shape_problems(kind: str, postings: Sequence[Posting]) -> list[Message]:
    """What is wrong with an event of ``kind`` posting ``postings`` (empty: nothing).

    A correction's postings are checked against the event it reverses, not here
    (:func:`reversal`); only their number is.

    >>> shape_problems("interest_paid", [Posting(2, interest_cents=-800, cash_cents=-800)])
    []
    >>> [m.key for m in shape_problems("transfer", [Posting(1, bonds=-1), Posting(2, bonds=2)])]
    ['reg.rule.transfer']
    >>> [m.key for m in shape_problems("refund", [Posting(1, cash_cents=-5)])]
    ['reg.err.kind']
    """
    if kind not in EVENT_KINDS:
        return [Message("reg.err.kind", kinds=", ".join(EVENT_KINDS))]
    if kind == "correction":
        return [] if postings else [Message("reg.rule.correction")]
    shape = SHAPES[kind]
    ok = shape.least <= len(postings) and (shape.most is None or len(postings) <= shape.most)
    for p in postings:
        values = dict(zip(AMOUNTS, p.amounts(), strict=True))
        ok = ok and all(SIGNS[s](values[a]) for s, a in zip(shape.signs, AMOUNTS, strict=True))
        for name, parts in shape.equal:
            ok = ok and values[name] == sum(values[x] for x in parts)
        ok = ok and any(p.amounts())
    for name in shape.balanced:
        if name == "owed":
            ok = ok and sum(p.principal_cents + p.interest_cents for p in postings) == 0
        else:
            ok = ok and sum(getattr(p, name) for p in postings) == 0
    if len({p.holding_id for p in postings}) != len(postings):
        ok = False
    return [] if ok else [Message(f"reg.rule.{kind}")]


def reversal(postings: Iterable[Posting]) -> list[Posting]:
    """The postings of the correction that reverses an event with ``postings``.

    >>> reversal([Posting(1, bonds=2, principal_cents=100000)])
    [Posting(holding_id=1, bonds=-2, principal_cents=-100000, interest_cents=0, cash_cents=0)]
    """
    return [p.negated() for p in postings]


def balances(postings: Iterable[Mapping[str, int]]) -> dict[int, tuple[int, int, int, int]]:
    """Each holding's balances, recomputed from its postings: the sum of each amount.

    >>> rows = [{"holding_id": 1, "bonds": 2, "principal_cents": 100000, "interest_cents": 0,
    ...          "cash_cents": 0},
    ...         {"holding_id": 1, "bonds": 0, "principal_cents": 0, "interest_cents": 0,
    ...          "cash_cents": 100000}]
    >>> balances(rows)
    {1: (2, 100000, 0, 100000)}
    """
    sums: dict[int, list[int]] = {}
    for row in postings:
        acc = sums.setdefault(int(row["holding_id"]), [0, 0, 0, 0])
        for i, name in enumerate(AMOUNTS):
            acc[i] += int(row[name])
    return {holding: (a[0], a[1], a[2], a[3]) for holding, a in sums.items()}


# ---------------------------------------------------------------- who, when


def operator(by: str | None = None) -> str:
    """Who records: ``by`` (``--by NAME``), else ``BONDKIT_USER``, else the system's user
    name, else ``"unknown"``; trimmed, at most 100 characters, no control characters.

    >>> operator("  Lucie  ")
    'Lucie'
    >>> operator("a\\nb")
    Traceback (most recent call last):
    ...
    ValueError: who records must be a name on one line, without control characters
    """
    name = by if by is not None else os.environ.get("BONDKIT_USER")
    if name is None:
        try:
            name = getpass.getuser()
        except (OSError, KeyError, ImportError):
            name = "unknown"
    name = name.strip()
    if not name or len(name) > MAX_OPERATOR or any(not c.isprintable() for c in name):
        raise ValueError("who records must be a name on one line, without control characters")
    return name


def timestamp(now: dt.datetime | None = None) -> str:
    """When something is recorded, in UTC to the second (ISO 8601, ``Z``).

    >>> timestamp(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
    '2026-03-02T14:30:00Z'
    """
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise ValueError("a time to record needs its time zone")
    return now.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# ---------------------------------------------------------------- holders and holdings


def sin_digits(text: str) -> str | None:
    """A Canadian social insurance number as its 9 digits (spaces and hyphens dropped), or
    None when it is not well formed or its check digit (Luhn) is wrong.

    >>> sin_digits("046 454 286"), sin_digits("046-454-287"), sin_digits("12345")
    ('046454286', None, None)
    """
    digits = text.replace(" ", "").replace("-", "")
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return None
    total = 0
    for i, c in enumerate(digits):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return digits if total % 10 == 0 else None


def interest_start(rule: str, issue_date: dt.date, subscribed_on: dt.date) -> dt.date:
    """When a holding starts earning interest under the issue's rule (``interest_start``
    of the scenario's ``[campaign]``): the series' issue date, or the subscription date.

    >>> interest_start("issue-date", dt.date(2026, 3, 2), dt.date(2026, 1, 20))
    datetime.date(2026, 3, 2)
    >>> interest_start("subscription-date", dt.date(2026, 3, 2), dt.date(2026, 1, 20))
    datetime.date(2026, 1, 20)
    """
    if rule == "subscription-date":
        return subscribed_on
    if rule == "issue-date":
        return issue_date
    raise ValueError(f"unknown interest start rule: {rule!r}")
