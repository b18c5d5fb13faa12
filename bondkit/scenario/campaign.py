"""The scenario file: its schema (pydantic models, one per TOML table) and its loading.

A scenario is a TOML file written by hand. Every problem in it is reported at once, one
per line, located the way the user sees the file (``series[2].annual_rate``) and quoting
what was written::

    series[2].annual_rate: must be a fraction such as 0.04 (you wrote 4)

Validation has two layers, both run by :func:`validate_data` (the only way in):

1. pydantic checks each key on its own (types, ranges, unknown keys and tables). Every
   leaf value goes through a small validator of this module that raises our own
   message, so no pydantic wording ever reaches the user.
2. Cross-key rules (``amount`` a multiple of ``face_value``, exactly one of ``term_years``
   and ``maturity_date``, unique series ids...) live in each table's ``cross_check``.
   They run on the keys that passed layer 1, even when other keys or other tables have
   errors, so a file with several problems gets them all in one go.

To add a table (campaign, capacity...): write ``class CampaignTable(Table)`` with its keys
(and a ``cross_check`` if some rule involves several keys), add one field to
:class:`Scenario`, and document every key in ``docs/scenario-reference.md`` (a test
checks that each key of the schema appears there). A table may hold tables of its own
(``[campaign.arrivals]``, ``[[campaign.segments]]``); rules that involve keys of different
top-level tables (the campaign against the series) live in :meth:`Scenario.cross_check`.
Keys that hold one amount per fiscal year are arrays checked entry by entry, each entry
located by its place (``capacity.cash_flow[3]``).

This module imports only the standard library, pydantic and bondkit's standard-library-only
modules (conventions, errors, rules, terms), so the CLI can load it cheaply.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import json
import math
import re
import tomllib
import types
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PlainValidator, PrivateAttr, TypeAdapter, WrapValidator
from pydantic import ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from bondkit.core.conventions import (
    BUSINESS_DAYS,
    DAY_COUNTS,
    FREQUENCIES,
    add_years,
    adjust,
    fiscal_year,
    parse_month_day,
    to_cents,
)
from bondkit.core.terms import (
    ALLOCATIONS,
    INTEREST_KINDS,
    INTEREST_STARTS,
    REPAYMENTS,
    RESERVE_TARGETS,
    SOURCE_KINDS,
    ArrivalShape,
    Backstop,
    CampaignCosts,
    CampaignTerms,
    CapacityTerms,
    CostTerms,
    FundingSource,
    Milestone,
    PlannedAmount,
    PlanningTerms,
    Reserve,
    RiskTerms,
    Segment,
    SeriesTerms,
    SinkingFund,
    StepRate,
)
from bondkit.data.rules import rule_sets
from bondkit.errors import Message, Problem, ScenarioError

__all__ = [
    "LANGUAGES",
    "LEGAL_FORMS",
    "Table",
    "ScenarioTable",
    "IssuerTable",
    "StepRateTable",
    "SeriesTable",
    "CostsTable",
    "ArrivalsTable",
    "SegmentTable",
    "CampaignCostsTable",
    "MatchTable",
    "UnderwriterTable",
    "CampaignTable",
    "SinkingFundTable",
    "ReserveTable",
    "CapacityTable",
    "RiskTable",
    "PlannedAmountTable",
    "SourceTable",
    "MilestoneTable",
    "PlanningTable",
    "Scenario",
    "load_scenario",
    "load_example",
    "starter_text",
    "starter_scenario",
    "list_examples",
    "merge_changes",
    "parse_scenario",
    "validate_data",
    "toml_value",
]

LANGUAGES: tuple[str, ...] = ("fr", "en")
LEGAL_FORMS: tuple[str, ...] = ("npo", "coop", "other")
AMORTISING: tuple[str, ...] = ("level-payment", "level-principal")
#: campaign simulations are held in memory: bounds that keep them within a few hundred MB
MAX_CAMPAIGN_DAYS = 731
MAX_SIMULATED_SUBSCRIBERS = 20_000_000
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
SHARES_TOLERANCE = Decimal("1e-9")  # series_shares must add up to 1 within this
BARE_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
LABEL_KEY = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")  # a key of bondkit.labels.LABELS

# ---- limits. Money is computed in int64 cents (and shown through float64), so every file
# accepted must keep every amount, balance and total far below 2**63 cents (9.2e16 in the
# currency) and below 2**53 cents (float64 then still holds every cent). The bounds below
# keep the largest possible debt of an issue (principal plus compound interest) at most
# MAX_DEBT, 1e15 cents: 9,000 times below int64, 9 times below 2**53.
MAX_AMOUNT = Decimal(10_000_000_000)  # any amount, and the series amounts together
MAX_AMOUNT_TEXT = Message("msg.max_amount")  # 10000000000, ten billion
MAX_DEBT = Decimal(10) ** 13  # the most compound interest may grow an issue or a loan to
MAX_DEBT_TEXT = Message("msg.max_debt")  # 10000000000000 (ten thousand billion)
MAX_TERM_YEARS = 100
# the schedule kernel holds each rate as an exact int64 ratio over 10**8 (schedule._rate_ratio)
RATE_DECIMALS = 8
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
MAX_PEOPLE = 10_000_000  # people of one campaign segment
# a match is computed as community cents x ratio numerator: <= 1e12 x 1e6, well within int64
MAX_MATCH_RATIO, MATCH_RATIO_DECIMALS = 100, 4
MAX_RESERVE_MONTHS = 36
MIN_PATHS, MAX_PATHS = 100, 1_000_000  # simulated paths of the risk model
MAX_COVERAGE_THRESHOLD = 10


# ================================================================ showing what the user wrote


class _Verbatim(str):
    """Text shown as is after "you wrote" (not quoted like a TOML string)."""


def toml_value(value: Any, limit: int = 60) -> str:
    """A value as it is written in a TOML file: ``4``, ``0.04``, ``"abc"``, ``2025-01-15``.

    >>> toml_value(4), toml_value(0.04), toml_value("balloon"), toml_value(dt.date(2025, 1, 15))
    ('4', '0.04', '"balloon"', '2025-01-15')
    >>> toml_value([{"from_year": 6, "annual_rate": 0.075}])
    '[{ from_year = 6, annual_rate = 0.075 }]'
    """
    text = _toml_value(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _toml_value(value: Any) -> str:
    if isinstance(value, _Verbatim):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def _toml_key(key: Any) -> str:
    """A key as written in TOML: bare when it can be, else quoted (``"my key"``)."""
    key = str(key)
    return key if BARE_KEY_PATTERN.fullmatch(key) else _quoted(key)


def _quoted(text: str) -> str:
    """A TOML basic string on one line: invisible characters and line breaks escaped."""
    return "".join(
        c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
        for c in json.dumps(text, ensure_ascii=False)
    )


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOTHING: Any = _Marker("NOTHING")  # an issue that quotes no value
INVALID: Any = _Marker("INVALID")  # in partial values: a key that failed its own check


class _Issue(NamedTuple):
    """A problem before formatting: where (pydantic-style loc), what (a message key and its
    fields, in no language yet), and the value written."""

    loc: tuple[str | int, ...]
    message: Message | str  # plain text: shown as is in every language (to be avoided)
    value: Any = NOTHING

    def problem(self) -> Problem:
        wrote = None if self.value is NOTHING else toml_value(self.value)
        return Problem(format_location(self.loc), self.message, wrote)


# ================================================================ leaf validators
# Each takes the raw value (what tomllib gave) and returns the value kept, or raises a
# PydanticCustomError whose message is ours. The message says what is expected; the
# "(you wrote ...)" part is added when the problem is formatted. Messages are label keys of
# bondkit.labels.LABELS with their fields (a test checks that every key used here exists
# there with the same fields); the language is chosen only when the problems are shown.


def _fail(key: str, **fields: Any) -> PydanticCustomError:
    """The error of a leaf validator: the message (key and fields) rides in the context.

    Plain text instead of a key is shown as is, in every language (to be avoided).
    """
    message = Message(key, **fields) if LABEL_KEY.fullmatch(key) else key
    return PydanticCustomError("bondkit", "bondkit message", {"message": message})


def _number(value: Any, example: str) -> Decimal:
    """An int or float (never a boolean), kept exactly as written (floats through repr)."""
    if isinstance(value, bool):
        raise _fail("msg.number_not_bool", example=example)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _fail("msg.finite")
        return Decimal(repr(value))
    if isinstance(value, Decimal):  # from code, or a dumped scenario validated again
        if not value.is_finite():
            raise _fail("msg.finite")
        return value
    if isinstance(value, str):
        raise _fail("msg.number_unquoted", example=example)
    raise _fail("msg.number", example=example)


def _decimals(number: Decimal, most: int) -> None:
    """Refuse a number written with more than ``most`` decimals (``0.0400`` has 2)."""
    if (Fraction(number) * 10**most).denominator != 1:
        raise _fail("msg.decimals", most=most)


def _rate(value: Any) -> Decimal:
    """A rate as a fraction: 0 <= rate <= 1 (0.04 is 4 %), at most 8 decimals."""
    rate = _number(value, "0.04")
    if rate < 0:
        raise _fail("msg.not_negative")
    if rate > 1:
        raise _fail("msg.fraction", example="0.04")
    _decimals(rate, RATE_DECIMALS)
    return rate


def _money(*, positive: bool) -> Callable[[Any], Decimal]:
    """An amount of money in the currency, in whole cents (at most 2 decimals)."""

    def validate(value: Any) -> Decimal:
        amount = _number(value, "100000" if positive else "500")
        if positive and amount <= 0:
            raise _fail("msg.positive")
        if amount < 0:
            raise _fail("msg.not_negative")
        if (Fraction(amount) * 100).denominator != 1:
            raise _fail("msg.whole_cents")
        if amount > MAX_AMOUNT:
            raise _fail("msg.at_most", most=MAX_AMOUNT_TEXT)
        return amount

    return validate


def _whole(*, minimum: int, maximum: int | None = None) -> Callable[[Any], int]:
    """A whole number (a TOML integer) of at least ``minimum`` (and at most ``maximum``)."""

    def validate(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str):
                raise _fail("msg.whole_unquoted")
            raise _fail("msg.whole")
        if value < minimum:
            if minimum == 0:
                raise _fail("msg.not_negative")
            raise _fail("msg.at_least", least=minimum)
        if maximum is not None and value > maximum:
            raise _fail("msg.at_most", most=maximum)
        return value

    return validate


def _share(value: Any) -> Decimal:
    """A share of a whole (of people, of subscribers, of the money): 0 <= share <= 1."""
    share = _number(value, "0.25")
    if share < 0:
        raise _fail("msg.not_negative")
    if share > 1:
        raise _fail("msg.share", example="0.25")
    return share


def _quantity(
    example: str, *, positive: bool, maximum: int | None = None, decimals: int | None = None
) -> Callable[[Any], Decimal]:
    """A number that is not money (hours, a ratio, a spread), decimals allowed (at most
    ``decimals`` of them when given)."""

    def validate(value: Any) -> Decimal:
        number = _number(value, example)
        if positive and number <= 0:
            raise _fail("msg.positive")
        if number < 0:
            raise _fail("msg.not_negative")
        if maximum is not None and number > maximum:
            raise _fail("msg.at_most_such_as", most=maximum, example=example)
        if decimals is not None:
            _decimals(number, decimals)
        return number

    return validate


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        raise _fail("msg.bool_unquoted")
    raise _fail("msg.bool")


def _date(value: Any) -> dt.date:
    """A TOML date such as 2025-01-15 (not a string, not a date with a time), from
    FIRST_DATE to LAST_DATE."""
    if isinstance(value, dt.datetime):
        raise _fail("msg.date_no_time")
    if isinstance(value, dt.date):
        if not FIRST_DATE <= value <= LAST_DATE:
            raise _fail("msg.date_between", first=FIRST_DATE, last=LAST_DATE)
        return value
    if isinstance(value, str):
        if ISO_DATE_PATTERN.fullmatch(value.strip()):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                raise _fail("msg.date_real_unquoted") from None
            raise _fail("msg.date_unquoted", date=value.strip())
        raise _fail("msg.date_text")
    raise _fail("msg.date")


def _text(example: str) -> Callable[[Any], str]:
    """Non-empty text (a TOML string)."""

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise _fail("msg.text", example=example)
        if not value.strip():
            raise _fail("msg.not_empty")
        return value

    return validate


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    """One of a fixed list of words."""

    def validate(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise _fail("msg.one_of", choices=", ".join(choices))
        return value

    return validate


def _rule_set(value: Any) -> str:
    """The name of a rule set of ``bondkit/data/rule_sets.toml`` (read when first needed)."""
    return _one_of(tuple(rule_sets()))(value)


def _series_id(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("msg.text", example="A")
    if not ID_PATTERN.fullmatch(value):
        raise _fail("msg.series_id")
    return value


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not CURRENCY_PATTERN.fullmatch(value):
        raise _fail("msg.currency")
    return value


def _month_day(value: Any) -> str:
    try:
        parse_month_day(value)
    except ValueError:
        raise _fail("msg.month_day") from None
    return value


def _optional(validate: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``None`` stands for "not given" (TOML has no null; a merged dict may)."""
    return lambda value: None if value is None else validate(value)


def _inline_table(example: str) -> Callable[[Any, Any], Any]:
    """An inline table whose entries pydantic then checks one by one (each located by its
    key, as in ``series_shares.A``); ``None`` stands for "not given"."""

    def validate(value: Any, check_entries: Callable[[Any], Any]) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _fail("msg.inline_table_such_as", example=example)
        return check_entries(value)

    return validate


def _signed_money(value: Any) -> Decimal:
    """An amount that may be 0 or negative (a year that loses money), in whole cents."""
    amount = _number(value, "45000")
    if (Fraction(amount) * 100).denominator != 1:
        raise _fail("msg.whole_cents")
    if amount > MAX_AMOUNT:
        raise _fail("msg.at_most", most=MAX_AMOUNT_TEXT)
    if amount < -MAX_AMOUNT:
        raise _fail("msg.at_least_minus_max", least=f"-{_plain(MAX_AMOUNT)}")
    return amount


def _by_fiscal_year(
    example: str, single: Callable[[Any], Any] | None = None
) -> Callable[[Any, Any], Any]:
    """An array of amounts, one per fiscal year, that pydantic then checks one by one (each
    located by its place, as in ``capacity.cash_flow[3]``); ``None`` stands for "not given".

    With ``single`` (the check of one amount), one amount alone is accepted too: the same
    amount every year, kept as an array of that one amount (as the dataclasses take it).
    """

    def validate(value: Any, check_entries: Callable[[Any], Any]) -> Any:
        if value is None:
            return None
        if isinstance(value, list | tuple):
            if not value:
                raise _fail("msg.one_amount", example=example)
            return check_entries(value)
        if single is not None and not isinstance(value, dict):
            return (single(value),)
        if single is not None:
            raise _fail("msg.amount_or_by_year", example=example)
        raise _fail("msg.by_year", example=example)

    return validate


def _probability(value: Any) -> Decimal:
    """A probability: 0 <= p <= 1 (0.02 is a 2 % chance)."""
    p = _number(value, "0.02")
    if p < 0:
        raise _fail("msg.not_negative")
    if p > 1:
        raise _fail("msg.probability", example="0.02")
    return p


def _growth(value: Any) -> Decimal:
    """A growth rate per year as a fraction, from -1 (nothing left) to 1 (doubling)."""
    growth = _number(value, "0.02")
    if not -1 <= growth <= 1:
        raise _fail("msg.growth")
    return growth


def _open_share(value: Any) -> Decimal:
    """A share strictly between 0 and 1."""
    share = _number(value, "0.05")
    if not 0 < share < 1:
        raise _fail("msg.open_share", example="0.05")
    return share


Rate = Annotated[Decimal, PlainValidator(_rate)]
Amount = Annotated[Decimal, PlainValidator(_money(positive=True))]
Cost = Annotated[Decimal, PlainValidator(_money(positive=False))]
Date = Annotated[dt.date, PlainValidator(_date)]
OptionalDate = Annotated[dt.date | None, PlainValidator(_optional(_date))]
Share = Annotated[Decimal, PlainValidator(_share)]
Money = Annotated[Decimal, PlainValidator(_money(positive=False))]  # an amount, 0 allowed
OptionalAmount = Annotated[Decimal | None, PlainValidator(_optional(_money(positive=True)))]
Whole1 = Annotated[int, PlainValidator(_whole(minimum=1))]
TermYears = Annotated[int, PlainValidator(_whole(minimum=1, maximum=MAX_TERM_YEARS))]
OptionalTermYears = Annotated[
    int | None, PlainValidator(_optional(_whole(minimum=1, maximum=MAX_TERM_YEARS)))
]
Repayment = Annotated[str, PlainValidator(_one_of(REPAYMENTS))]
SignedAmount = Annotated[Decimal, PlainValidator(_signed_money)]
Probability = Annotated[Decimal, PlainValidator(_probability)]


# ================================================================ the tables


class Table(BaseModel):
    """A TOML table: frozen, and any key it does not define is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: written as an inline table (``{ ... }``) inside another table, not under a header
    inline: ClassVar[bool] = False
    #: how one entry of this table is written inline, for messages about its shape
    toml_example: ClassVar[str] = ""

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        """Rules that involve several keys of this table.

        ``values`` holds the validated value of each key that passed its own check, the
        default of each optional key not written, and ``INVALID`` for a key that failed;
        a nested table is a dict of the same kind (a list of them for ``[[...]]``).
        Yields issues located relative to this table.
        """
        return iter(())


class ScenarioTable(Table):
    """``[scenario]``: what the scenario is called and how its outputs are produced."""

    name: Annotated[str, PlainValidator(_text("Cinéma du Parc 2016"))]
    language: Annotated[str, PlainValidator(_one_of(LANGUAGES))] = "en"
    currency: Annotated[str, PlainValidator(_currency)] = "CAD"
    seed: Annotated[int, PlainValidator(_whole(minimum=0))] = 0


class IssuerTable(Table):
    """``[issuer]``: the enterprise that borrows."""

    name: Annotated[str, PlainValidator(_text("Cinéma du Parc"))]
    legal_form: Annotated[str, PlainValidator(_one_of(LEGAL_FORMS))] = "npo"
    jurisdiction: Annotated[str, PlainValidator(_text("QC"))] = "QC"
    fiscal_year_end: Annotated[str, PlainValidator(_month_day)] = "12-31"


class StepRateTable(Table):
    """One entry of ``step_rates``: the rate in force from the start of bond year ``from_year``."""

    inline: ClassVar[bool] = True
    toml_example: ClassVar[str] = "{ from_year = 6, annual_rate = 0.075 }"

    from_year: Annotated[int, PlainValidator(_whole(minimum=1))]
    annual_rate: Rate

    def terms(self) -> StepRate:
        return StepRate(from_year=self.from_year, annual_rate=self.annual_rate)


class SeriesTable(Table):
    """One ``[[series]]`` table: the terms of one series of bonds."""

    id: Annotated[str, PlainValidator(_series_id)]
    amount: Amount
    face_value: Amount
    annual_rate: Rate
    issue_date: Date
    term_years: OptionalTermYears = None
    maturity_date: OptionalDate = None
    repayment: Annotated[str, PlainValidator(_one_of(REPAYMENTS))]
    interest: Annotated[str | None, PlainValidator(_optional(_one_of(INTEREST_KINDS)))] = None
    frequency: Annotated[str, PlainValidator(_one_of(tuple(FREQUENCIES)))] = "annual"
    day_count: Annotated[str, PlainValidator(_one_of(DAY_COUNTS))] = "30/360"
    interest_only_years: Annotated[int, PlainValidator(_whole(minimum=0))] = 0
    business_day: Annotated[str, PlainValidator(_one_of(BUSINESS_DAYS))] = "unadjusted"
    step_rates: tuple[StepRateTable, ...] = ()

    @property
    def maturity(self) -> dt.date:
        """Contractual (unadjusted) maturity date."""
        return self.maturity_date or add_years(self.issue_date, self.term_years or 0)

    def terms(self) -> SeriesTerms:
        """These terms as the :class:`~bondkit.core.terms.SeriesTerms` the schedule works on."""
        return SeriesTerms(
            id=self.id,
            amount=self.amount,
            face_value=self.face_value,
            annual_rate=self.annual_rate,
            issue_date=self.issue_date,
            term_years=self.term_years,
            maturity_date=self.maturity_date,
            repayment=self.repayment,
            interest=self.interest,
            frequency=self.frequency,
            day_count=self.day_count,
            interest_only_years=self.interest_only_years,
            business_day=self.business_day,
            step_rates=tuple(s.terms() for s in self.step_rates),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        v = values
        if _valid(v, "amount", "face_value"):
            amount, face = to_cents(v["amount"]), to_cents(v["face_value"])
            if amount % face:
                lower, upper = (amount // face) * face, (amount // face + 1) * face
                examples = [_cents(c) for c in (lower, upper) if c > 0]
                yield _Issue(
                    ("amount",),
                    Message(
                        "msg.multiple",
                        key="face_value",
                        value=v["face_value"],
                        examples=_either(*examples),
                    ),
                    v["amount"],
                )

        # -- the term: exactly one of term_years and maturity_date
        term_given, maturity_given = (
            v.get("term_years") is not None,
            v.get("maturity_date") is not None,
        )
        maturity: dt.date | None = None
        if term_given and maturity_given:
            yield _Issue((), Message("msg.not_both", a="term_years", b="maturity_date"))
        elif not term_given and not maturity_given:
            yield _Issue(
                ("term_years",), Message("msg.missing_either", a="term_years", b="maturity_date")
            )
        elif _valid(v, "issue_date", "maturity_date"):
            maturity = v["maturity_date"]
            if maturity <= v["issue_date"]:
                yield _Issue(
                    ("maturity_date",),
                    Message("msg.after", key="issue_date", value=v["issue_date"]),
                    maturity,
                )
                maturity = None
        elif _valid(v, "issue_date", "term_years"):
            maturity = add_years(v["issue_date"], v["term_years"])  # by 2299: both bounded
            if maturity > LAST_DATE:
                yield _Issue(
                    ("term_years",),
                    Message("msg.term_too_long", last=LAST_DATE),
                    v["term_years"],
                )
                maturity = None

        # -- keys that apply to some repayment styles only
        if _valid(v, "repayment"):
            repayment = v["repayment"]
            interest = v.get("interest")
            if repayment == "accumulating" and interest is None:
                yield _Issue(
                    ("interest",),
                    Message("msg.interest_missing"),
                )
            elif repayment != "accumulating" and _valid(v, "interest"):
                yield _Issue(
                    ("interest",),
                    Message("msg.only_when", key="repayment", value="accumulating"),
                    interest,
                )
            years = v.get("interest_only_years") if _valid(v, "interest_only_years") else 0
            if years and repayment not in AMORTISING:
                yield _Issue(
                    ("interest_only_years",),
                    Message("msg.only_amortising"),
                    years,
                )
            elif years and maturity is not None:
                if _years_later(v["issue_date"], years) >= maturity:
                    yield _Issue(
                        ("interest_only_years",),
                        Message("msg.shorter_than_term", maturity=maturity),
                        years,
                    )

        # -- step rates: within the term, one per year
        steps = v.get("step_rates")
        if isinstance(steps, list):
            bond_years = _bond_years(v["issue_date"], maturity) if maturity else None
            first_index: dict[int, int] = {}
            for i, step in enumerate(steps):
                if not _valid(step, "from_year"):
                    continue
                year, loc = step["from_year"], ("step_rates", i, "from_year")
                if bond_years is not None and year > bond_years:
                    yield _Issue(loc, Message("msg.within_term", years=bond_years), year)
                elif year in first_index:
                    yield _Issue(
                        loc,
                        Message("msg.step_twice", n=first_index[year] + 1),
                        year,
                    )
                first_index.setdefault(year, i)


class CostsTable(Table):
    """``[costs]``: what issuing costs the issuer (every key defaults to 0)."""

    upfront: Cost = Decimal(0)
    upfront_rate: Rate = Decimal(0)
    annual_admin: Cost = Decimal(0)

    def terms(self) -> CostTerms:
        return CostTerms(
            upfront=self.upfront, upfront_rate=self.upfront_rate, annual_admin=self.annual_admin
        )


class ArrivalsTable(Table):
    """``[campaign.arrivals]``: when the subscribers who did not pledge arrive.

    ``start_share`` of them arrive over the first ``start_days`` days, ``final_share`` over
    the last ``final_days`` days, the rest evenly in between.
    """

    start_days: Whole1 = 7
    start_share: Share = Decimal("0.3")
    final_days: Whole1 = 7
    final_share: Share = Decimal("0.35")

    def terms(self) -> ArrivalShape:
        return ArrivalShape(
            start_days=self.start_days,
            start_share=float(self.start_share),
            final_days=self.final_days,
            final_share=float(self.final_share),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        if _valid(values, "start_share", "final_share"):
            start, final = values["start_share"], values["final_share"]
            if start + final > 1:
                yield _Issue(
                    (),
                    Message("msg.shares_above_one"),
                    _Verbatim(f"{toml_value(start)} + {toml_value(final)}"),
                )


class SegmentTable(Table):
    """One ``[[campaign.segments]]`` table: a group of potential investors."""

    name: Annotated[str, PlainValidator(_text("Membres"))]
    people: Annotated[int, PlainValidator(_whole(minimum=0, maximum=MAX_PEOPLE))]
    reached: Share
    supporting: Share = Decimal(1)
    conversion: Share
    ticket_median: Amount
    ticket_spread: Annotated[
        Decimal, PlainValidator(_quantity("0.8", positive=False, maximum=3))
    ] = Decimal("0.8")
    series_shares: Annotated[
        dict[str, Share] | None, WrapValidator(_inline_table("{ A = 0.6, B = 0.4 }"))
    ] = None
    pledged: Share = Decimal(0)

    def terms(self) -> Segment:
        return Segment(
            name=self.name,
            people=self.people,
            reached=float(self.reached),
            supporting=float(self.supporting),
            conversion=float(self.conversion),
            ticket_median=self.ticket_median,
            ticket_spread=float(self.ticket_spread),
            series_shares=tuple((k, float(v)) for k, v in (self.series_shares or {}).items()),
            pledged=float(self.pledged),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        shares = values.get("series_shares")
        if isinstance(shares, dict):  # given, and every share passed its own check
            total = sum(shares.values(), Decimal(0))
            if abs(total - 1) > SHARES_TOLERANCE:
                yield _Issue(
                    ("series_shares",), Message("msg.add_up_to_one", total=_plain(total)), shares
                )


class CampaignCostsTable(Table):
    """``[campaign.costs]``: what the campaign costs the issuer (every key defaults to 0)."""

    fixed: Cost = Decimal(0)
    staff_hours: Annotated[Decimal, PlainValidator(_quantity("200", positive=False))] = Decimal(0)
    hourly_cost: Cost = Decimal(0)
    per_subscriber: Cost = Decimal(0)
    payment_fee_rate: Rate = Decimal(0)
    commission_rate: Rate = Decimal(0)

    def terms(self) -> CampaignCosts:
        return CampaignCosts(
            fixed=self.fixed,
            staff_hours=self.staff_hours,
            hourly_cost=self.hourly_cost,
            per_subscriber=self.per_subscriber,
            payment_fee_rate=self.payment_fee_rate,
            commission_rate=self.commission_rate,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        if _valid(values, "staff_hours", "hourly_cost"):
            hours, cost = values["staff_hours"], values["hourly_cost"]
            if hours * cost > MAX_AMOUNT:
                yield _Issue(
                    (),
                    Message("msg.staff_cost", most=MAX_AMOUNT_TEXT),
                    _Verbatim(f"{_plain(hours)} x {_plain(cost)}"),
                )


class MatchTable(Table):
    """``[campaign.match]``: a co-lender who lends ``ratio`` dollars per community dollar."""

    ratio: Annotated[
        Decimal,
        PlainValidator(
            _quantity("1", positive=True, maximum=MAX_MATCH_RATIO, decimals=MATCH_RATIO_DECIMALS)
        ),
    ] = Decimal(1)
    max_amount: Amount
    annual_rate: Rate
    term_years: TermYears
    repayment: Repayment = "bullet"
    counts_toward_minimum: Annotated[bool, PlainValidator(_boolean)] = True

    def terms(self) -> Backstop:
        return Backstop(
            kind="match",
            max_amount=self.max_amount,
            annual_rate=self.annual_rate,
            term_years=self.term_years,
            ratio=self.ratio,
            repayment=self.repayment,
            counts_toward_minimum=self.counts_toward_minimum,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        yield from _loan_within_limits(values)


class UnderwriterTable(Table):
    """``[campaign.underwriter]``: a lender who takes up what is missing to reach the minimum."""

    max_amount: Amount
    annual_rate: Rate
    term_years: TermYears
    repayment: Repayment = "bullet"

    def terms(self) -> Backstop:
        return Backstop(
            kind="underwriter",
            max_amount=self.max_amount,
            annual_rate=self.annual_rate,
            term_years=self.term_years,
            ratio=Decimal(1),
            repayment=self.repayment,
            counts_toward_minimum=False,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        yield from _loan_within_limits(values)


def _loan_within_limits(v: dict[str, Any]) -> Iterator[_Issue]:
    """A match or underwriter loan repaid "accumulating" (compounded yearly) must not
    grow past MAX_DEBT."""
    if not _valid(v, "repayment", "max_amount", "annual_rate", "term_years"):
        return
    if v["repayment"] != "accumulating":
        return
    rate, years, amount = v["annual_rate"], v["term_years"], v["max_amount"]
    if _debt_too_large(amount, _compound_log_growth(rate, 1, years)):
        yield _Issue(
            (),
            Message(
                "msg.loan_too_large",
                rate=_plain(rate),
                years=years,
                amount=_plain(amount),
                most=MAX_DEBT_TEXT,
            ),
        )


class CampaignTable(Table):
    """``[campaign]``: the subscription campaign (optional: no table, no campaign).

    Its rules against the series (closing date, cap, series_shares) are in
    :meth:`Scenario.cross_check`.
    """

    opens: Date
    closes: Date
    minimum: Money
    target: Amount
    cap: OptionalAmount = None
    allocation: Annotated[str, PlainValidator(_one_of(ALLOCATIONS))] = "first-come"
    rule_set: Annotated[str, PlainValidator(_rule_set)] = "none"
    min_subscription: OptionalAmount = None
    max_per_investor: OptionalAmount = None
    interest_start: Annotated[str, PlainValidator(_one_of(INTEREST_STARTS))] = "issue-date"
    simulations: Annotated[int, PlainValidator(_whole(minimum=100, maximum=1_000_000))] = 10_000
    arrivals: ArrivalsTable = ArrivalsTable()
    segments: tuple[SegmentTable, ...]
    costs: CampaignCostsTable = CampaignCostsTable()
    match: MatchTable | None = None
    underwriter: UnderwriterTable | None = None

    def terms(self) -> CampaignTerms:
        """These keys as the :class:`~bondkit.core.terms.CampaignTerms` the campaign model takes."""
        return CampaignTerms(
            opens=self.opens,
            closes=self.closes,
            minimum=self.minimum,
            target=self.target,
            segments=tuple(s.terms() for s in self.segments),
            cap=self.cap,
            allocation=self.allocation,
            rule_set=self.rule_set,
            min_subscription=self.min_subscription,
            max_per_investor=self.max_per_investor,
            interest_start=self.interest_start,
            simulations=self.simulations,
            arrivals=self.arrivals.terms(),
            costs=self.costs.terms(),
            match=self.match.terms() if self.match else None,
            underwriter=self.underwriter.terms() if self.underwriter else None,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        v = values
        window_ok = _valid(v, "opens", "closes") and v["closes"] >= v["opens"]
        if _valid(v, "opens", "closes") and not window_ok:
            yield _Issue(
                ("closes",), Message("msg.not_before", key="opens", value=v["opens"]), v["closes"]
            )

        # -- minimum <= target <= cap
        if _valid(v, "minimum", "target") and v["target"] < v["minimum"]:
            yield _Issue(
                ("target",),
                Message("msg.not_below", key="minimum", value=v["minimum"]),
                v["target"],
            )
        if _valid(v, "cap"):
            if _valid(v, "target"):
                if v["cap"] < v["target"]:
                    yield _Issue(
                        ("cap",),
                        Message("msg.not_below", key="target", value=v["target"]),
                        v["cap"],
                    )
            elif _valid(v, "minimum") and v["cap"] < v["minimum"]:
                yield _Issue(
                    ("cap",), Message("msg.not_below", key="minimum", value=v["minimum"]), v["cap"]
                )

        if _valid(v, "min_subscription", "max_per_investor"):
            if v["max_per_investor"] < v["min_subscription"]:
                yield _Issue(
                    ("max_per_investor",),
                    Message("msg.not_below", key="min_subscription", value=v["min_subscription"]),
                    v["max_per_investor"],
                )

        # -- the size of the simulation: a window of at most two years, and at most
        #    MAX_SIMULATED_SUBSCRIBERS expected subscribers over all simulated campaigns
        if window_ok and (v["closes"] - v["opens"]).days + 1 > MAX_CAMPAIGN_DAYS:
            yield _Issue(
                ("closes",),
                Message("msg.window", days=MAX_CAMPAIGN_DAYS, opens=v["opens"]),
                v["closes"],
            )
        segs = v.get("segments")
        if _valid(v, "simulations") and isinstance(segs, list) and segs:
            if all(_valid(g, "people", "reached", "conversion", "supporting") for g in segs):
                expected = sum(
                    g["people"]
                    * float(g["reached"])
                    * float(g["supporting"])
                    * float(g["conversion"])
                    for g in segs
                )
                if expected * v["simulations"] > MAX_SIMULATED_SUBSCRIBERS:
                    most = max(100, int(MAX_SIMULATED_SUBSCRIBERS // max(expected, 1)))
                    yield _Issue(
                        ("simulations",),
                        Message("msg.simulations", expected=f"{expected:.0f}", most=most),
                        v["simulations"],
                    )

        # -- the arrival shape fits in the window
        arrivals = v.get("arrivals")
        if window_ok and _valid(arrivals, "start_days", "final_days"):
            days = (v["closes"] - v["opens"]).days + 1
            start, final = arrivals["start_days"], arrivals["final_days"]
            if start + final > days:
                yield _Issue(  # no "you wrote": the two may be defaults
                    ("arrivals",),
                    Message("msg.arrivals_fit", days=days, start=start, final=final),
                )

        # -- segments: at least one, names unique
        segments = v.get("segments")
        costs = v.get("costs")
        if isinstance(segments, list) and segments and _valid(costs, "per_subscriber"):
            if all(_valid(segment, "people") for segment in segments):
                people = sum(segment["people"] for segment in segments)
                if costs["per_subscriber"] * people > MAX_AMOUNT:
                    yield _Issue(
                        ("costs", "per_subscriber"),
                        Message("msg.per_subscriber", people=people, most=MAX_AMOUNT_TEXT),
                        costs["per_subscriber"],
                    )
        if isinstance(segments, list):
            if not segments:
                yield _Issue(
                    ("segments",), Message("msg.needs_table", header="[[campaign.segments]]")
                )
            first_index: dict[str, int] = {}
            for i, segment in enumerate(segments):
                if _valid(segment, "name"):
                    name = segment["name"]
                    if name in first_index:
                        yield _Issue(
                            ("segments", i, "name"),
                            Message("msg.same_name", n=first_index[name] + 1),
                            name,
                        )
                    first_index.setdefault(name, i)


class SinkingFundTable(Table):
    """``[capacity.sinking_fund]``: year-end deposits that accumulate the principal due at
    each maturity of the bullet and accumulating series."""

    rate: Rate = Decimal(0)

    def terms(self) -> SinkingFund:
        return SinkingFund(rate=self.rate)


class ReserveTable(Table):
    """``[capacity.reserve]``: a reserve kept in cash, and its target."""

    target: Annotated[str, PlainValidator(_one_of(RESERVE_TARGETS))] = RESERVE_TARGETS[0]
    months: Annotated[
        int | None, PlainValidator(_optional(_whole(minimum=0, maximum=MAX_RESERVE_MONTHS)))
    ] = None

    def terms(self) -> Reserve:
        return Reserve(target=self.target, months=6 if self.months is None else self.months)

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        if _valid(values, "target", "months") and values["target"] != "months-of-next-year":
            yield _Issue(
                ("months",),
                Message("msg.only_when", key="target", value="months-of-next-year"),
                values["months"],
            )


class CapacityTable(Table):
    """``[capacity]``: the enterprise's cash flow available for debt service (optional: no
    table, no capacity analysis).

    Its rules against the series (the fiscal years the cash flow must cover) are in
    :meth:`Scenario.cross_check`.
    """

    cash_flow: Annotated[
        tuple[SignedAmount, ...] | None,
        WrapValidator(_by_fiscal_year("[45_000, 47_000, 48_500]")),
    ] = None
    cash_flow_base: OptionalAmount = None
    cash_flow_growth: Annotated[Decimal | None, PlainValidator(_optional(_growth))] = None
    first_fiscal_year: Annotated[
        int | None,
        PlainValidator(_optional(_whole(minimum=FIRST_DATE.year, maximum=LAST_DATE.year))),
    ] = None
    other_debt_service: Annotated[
        tuple[Money, ...] | None,
        WrapValidator(_by_fiscal_year("[12_000, 12_000, 9_000]", _money(positive=False))),
    ] = None
    opening_cash: Money = Decimal(0)
    minimum_cash: Money = Decimal(0)
    coverage_threshold: Annotated[
        Decimal, PlainValidator(_quantity("1.25", positive=True, maximum=MAX_COVERAGE_THRESHOLD))
    ] = Decimal("1.25")
    sizing_rate: Annotated[Decimal | None, PlainValidator(_optional(_rate))] = None
    sizing_term_years: OptionalTermYears = None
    sinking_fund: SinkingFundTable | None = None
    reserve: ReserveTable | None = None

    def terms(self) -> CapacityTerms:
        """These keys as the :class:`~bondkit.core.terms.CapacityTerms` the capacity model takes."""
        return CapacityTerms(
            cash_flow=self.cash_flow or (),
            cash_flow_base=self.cash_flow_base,
            cash_flow_growth=self.cash_flow_growth or Decimal(0),
            first_fiscal_year=self.first_fiscal_year,
            other_debt_service=self.other_debt_service or (),
            opening_cash=self.opening_cash,
            minimum_cash=self.minimum_cash,
            coverage_threshold=self.coverage_threshold,
            sizing_rate=self.sizing_rate,
            sizing_term_years=self.sizing_term_years,
            sinking_fund=self.sinking_fund.terms() if self.sinking_fund else None,
            reserve=self.reserve.terms() if self.reserve else None,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        # -- exactly one of cash_flow and cash_flow_base (INVALID counts as written)
        table_given = values.get("cash_flow") is not None
        base_given = values.get("cash_flow_base") is not None
        if table_given and base_given:
            yield _Issue((), Message("msg.not_both", a="cash_flow", b="cash_flow_base"))
        elif not table_given and not base_given:
            yield _Issue(
                ("cash_flow",), Message("msg.missing_either", a="cash_flow", b="cash_flow_base")
            )
        elif table_given and _valid(values, "cash_flow_growth"):
            yield _Issue(
                ("cash_flow_growth",),
                Message("msg.growth_needs_base"),
                values["cash_flow_growth"],
            )


class RiskTable(Table):
    """``[risk]``: early redemptions and renewals at maturity, simulated holder by holder
    (optional: no table, no simulation).

    Its rules against the series (the lock-in) and the campaign (segment names) are in
    :meth:`Scenario.cross_check`.
    """

    annual_probability: Probability = Decimal("0.02")
    segment_probability: Annotated[
        dict[str, Probability] | None,
        WrapValidator(_inline_table("{ Membres = 0.01, Voisinage = 0.04 }")),
    ] = None
    lock_in_years: Annotated[int, PlainValidator(_whole(minimum=0))] = 0
    notice_months: Annotated[int, PlainValidator(_whole(minimum=0, maximum=24))] = 0
    annual_cap: Annotated[Decimal | None, PlainValidator(_optional(_share))] = None
    stress_probability: Probability = Decimal(0)
    stress_annual_probability: Annotated[
        Decimal | None, PlainValidator(_optional(_probability))
    ] = None
    renewal_rate: Probability = Decimal("0.65")
    shortfall_level: Annotated[Decimal, PlainValidator(_open_share)] = Decimal("0.05")
    holding: Amount = Decimal(1000)
    paths: Annotated[int, PlainValidator(_whole(minimum=MIN_PATHS, maximum=MAX_PATHS))] = 10_000

    def terms(self) -> RiskTerms:
        """These keys as the :class:`~bondkit.core.terms.RiskTerms` the risk model takes."""
        stress = self.stress_annual_probability
        return RiskTerms(
            annual_probability=float(self.annual_probability),
            segment_probability=tuple(
                (name, float(p)) for name, p in (self.segment_probability or {}).items()
            ),
            lock_in_years=self.lock_in_years,
            notice_months=self.notice_months,
            annual_cap=None if self.annual_cap is None else float(self.annual_cap),
            stress_probability=float(self.stress_probability),
            stress_annual_probability=0.0 if stress is None else float(stress),
            renewal_rate=float(self.renewal_rate),
            shortfall_level=float(self.shortfall_level),
            holding=self.holding,
            paths=self.paths,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        # -- in a stress year a holder is at least as likely to ask as in another year
        if not _valid(values, "stress_probability") or values["stress_probability"] == 0:
            return
        usual = []
        if _valid(values, "annual_probability"):
            usual.append(("annual_probability", values["annual_probability"]))
        segments = values.get("segment_probability")
        if isinstance(segments, dict):
            usual += [(f"segment_probability.{_toml_key(k)}", p) for k, p in segments.items()]
        stress = values.get("stress_annual_probability")
        if stress is INVALID or not usual:
            return
        name, highest = max(usual, key=lambda pair: pair[1])  # the first of equals
        if stress is None and highest > 0:  # its default, 0, would be below
            yield _Issue(
                ("stress_annual_probability",),
                Message("msg.stress_missing", key=name, value=_plain(highest)),
            )
        elif stress is not None and stress < highest:
            yield _Issue(
                ("stress_annual_probability",),
                Message("msg.stress_below", key=name, value=_plain(highest)),
                stress,
            )


# ---- [planning]: the plan of the issue (booklet 3, step 1). Lists are short: a plan
# with more lines than this is not a plan a board reads; item text fits a cell.
MAX_PLANNING_ENTRIES = 50
MAX_ITEM_CHARS = 120


def _item(value: Any) -> str:
    """What a line of the plan is: non-empty text of at most MAX_ITEM_CHARS characters."""
    text = _text("Rénovation des sièges")(value)
    if len(text) > MAX_ITEM_CHARS:
        raise _fail("msg.plan_item_long", most=MAX_ITEM_CHARS, chars=len(text))
    return text


Item = Annotated[str, PlainValidator(_item)]


class PlannedAmountTable(Table):
    """One ``[[planning.uses]]`` or ``[[planning.budget]]`` table: an item and its amount."""

    item: Item
    amount: Amount

    def terms(self) -> PlannedAmount:
        return PlannedAmount(item=self.item, amount_cents=to_cents(self.amount))


class SourceTable(Table):
    """One ``[[planning.sources]]`` table: a source of funds beside the bond issue."""

    item: Item
    amount: Amount
    kind: Annotated[str, PlainValidator(_one_of(SOURCE_KINDS))]

    def terms(self) -> FundingSource:
        return FundingSource(item=self.item, amount_cents=to_cents(self.amount), kind=self.kind)


class MilestoneTable(Table):
    """One ``[[planning.milestones]]`` table: a dated step of the issue."""

    item: Item
    date: Date

    def terms(self) -> Milestone:
        return Milestone(item=self.item, date=self.date)


class PlanningTable(Table):
    """``[planning]``: need, sources and uses of funds, timeline, pre-issue budget (optional:
    no table, the B3.1 sheet shows the inputs only). Every list may be left out.

    The bond issue is always a source, computed from the series: it is never written here.
    The budget is for planning only; the cost model uses ``[costs]``.
    """

    uses: tuple[PlannedAmountTable, ...] = ()
    sources: tuple[SourceTable, ...] = ()
    milestones: tuple[MilestoneTable, ...] = ()
    budget: tuple[PlannedAmountTable, ...] = ()

    def terms(self) -> PlanningTerms:
        """These keys as the :class:`~bondkit.core.terms.PlanningTerms` the workbook takes."""
        return PlanningTerms(
            uses=tuple(u.terms() for u in self.uses),
            sources=tuple(s.terms() for s in self.sources),
            milestones=tuple(m.terms() for m in self.milestones),
            budget=tuple(b.terms() for b in self.budget),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        for name in ("uses", "sources", "milestones", "budget"):
            entries = values.get(name)
            if not isinstance(entries, list):
                continue
            if len(entries) > MAX_PLANNING_ENTRIES:
                yield _Issue(
                    (name,),
                    Message(
                        "msg.plan_too_many",
                        most=MAX_PLANNING_ENTRIES,
                        header=f"[[planning.{name}]]",
                    ),
                    len(entries),
                )
            # -- a total is an amount too
            if name != "milestones" and all(_valid(e, "amount") for e in entries):
                total = sum((e["amount"] for e in entries), Decimal(0))
                if total > MAX_AMOUNT:
                    yield _Issue(
                        (name,),
                        Message("msg.plan_total", most=MAX_AMOUNT_TEXT, total=_plain(total)),
                    )


class Scenario(Table):
    """A validated scenario file. Build one with :func:`load_scenario`,
    :func:`parse_scenario` or :func:`validate_data` (which also run the cross-key rules).

    >>> sc = parse_scenario('''
    ... [scenario]
    ... name = "Cinéma du Parc 2016"
    ... [issuer]
    ... name = "Cinéma du Parc"
    ... [[series]]
    ... id = "A"
    ... amount = 100_000
    ... face_value = 500
    ... annual_rate = 0.02
    ... issue_date = 2017-02-01
    ... term_years = 5
    ... repayment = "accumulating"
    ... interest = "compound"
    ... ''')
    >>> sc.name, sc.currency, sc.series_terms()[0].maturity
    ('Cinéma du Parc 2016', 'CAD', datetime.date(2022, 2, 1))
    """

    scenario: ScenarioTable
    issuer: IssuerTable
    series: tuple[SeriesTable, ...]
    costs: CostsTable = CostsTable()
    campaign: CampaignTable | None = None
    capacity: CapacityTable | None = None
    risk: RiskTable | None = None
    planning: PlanningTable | None = None

    _source_path: Path | None = PrivateAttr(default=None)
    _source_text: str | None = PrivateAttr(default=None)
    _input_sha256: str | None = PrivateAttr(default=None)

    # -- shortcuts to [scenario]
    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def language(self) -> str:
        return self.scenario.language

    @property
    def currency(self) -> str:
        return self.scenario.currency

    @property
    def seed(self) -> int:
        return self.scenario.seed

    # -- where it came from
    @property
    def source_path(self) -> Path | None:
        """The file it was loaded from (None when parsed from text or built from a dict)."""
        return self._source_path

    @property
    def source_text(self) -> str | None:
        """The TOML text it was parsed from."""
        return self._source_text

    @property
    def input_sha256(self) -> str | None:
        """SHA-256 (hex) of the file's bytes (of the UTF-8 text when parsed from text)."""
        return self._input_sha256

    # -- what the computations take
    def series_terms(self) -> list[SeriesTerms]:
        """The terms of every series, in file order: amounts in currency units (Decimal),
        ``annual_rate`` a fraction (0.02 is 2 %), dates as ``datetime.date``.

        >>> [a] = load_example("grand-costumier-2016").series_terms()
        >>> a.id, a.amount, a.annual_rate, a.repayment, a.interest
        ('A', Decimal('20000'), Decimal('0.02'), 'accumulating', 'simple')
        >>> a.bonds, a.amount_cents, a.maturity  # 20 bonds of 1 000 $; 2 000 000 cents
        (20, 2000000, datetime.date(2021, 9, 1))
        """
        return [s.terms() for s in self.series]

    def cost_terms(self) -> CostTerms:
        """The issuer's costs of ``[costs]`` (all 0 when the file has none): ``upfront`` and
        ``annual_admin`` in currency units, ``upfront_rate`` a fraction of the principal.

        >>> costs = load_example("grand-costumier-2016").cost_terms()
        >>> costs.upfront, costs.upfront_rate, costs.annual_admin
        (Decimal('1000'), Decimal('0'), Decimal('0'))
        >>> costs.upfront_cents(2_000_000)  # on the 20 000 $ issue: 1 000 $, in cents
        100000
        """
        return self.costs.terms()

    def campaign_terms(self) -> CampaignTerms | None:
        """The subscription campaign, or None when the file has no ``[campaign]``.

        Dates as ``datetime.date``, amounts in currency units (Decimal).

        >>> sc = load_example("grand-costumier-2016")
        >>> camp = sc.campaign_terms()
        >>> camp.opens, camp.closes
        (datetime.date(2016, 7, 1), datetime.date(2016, 8, 31))
        >>> camp.minimum, camp.target, camp.rule_set, camp.simulations
        (Decimal('10000'), Decimal('20000'), 'qc-npo', 10000)
        >>> [s.name for s in camp.segments]
        ['Membres et bénévoles', 'Clientèle', 'Milieu culturel']
        >>> sc.with_changes(campaign=None).campaign_terms() is None
        True
        """
        return self.campaign.terms() if self.campaign else None

    def capacity_terms(self) -> CapacityTerms | None:
        """The enterprise's capacity to pay, or None when the file has no ``[capacity]``.

        Cash flows and cash in currency units (Decimal), one cash flow per fiscal year from
        the fiscal year of the first issue; the coverage threshold is a ratio.

        >>> cap = load_example("grand-costumier-2016").capacity_terms()
        >>> [int(x) for x in cap.cash_flow]  # fiscal years 2017 to 2022, CAD
        [4500, 5000, 5500, 6000, 6000, 6500]
        >>> cap.opening_cash, cap.minimum_cash, cap.coverage_threshold, cap.sinking_fund.rate
        (Decimal('4000'), Decimal('3000'), Decimal('1.25'), Decimal('0.01'))
        """
        return self.capacity.terms() if self.capacity else None

    def risk_terms(self) -> RiskTerms | None:
        """Early redemption and renewal risk, or None when the file has no ``[risk]``.

        Probabilities and rates are fractions (0.65 is 65 %); ``paths`` is the number of
        simulated paths.

        >>> risk = load_example("grand-costumier-2016").risk_terms()
        >>> risk.annual_probability, risk.renewal_rate, risk.shortfall_level, risk.paths
        (0.0, 0.65, 0.05, 10000)
        """
        return self.risk.terms() if self.risk else None

    def planning_terms(self) -> PlanningTerms | None:
        """The plan of the issue, or None when the file has no ``[planning]``.

        Amounts in cents; the bond issue is not among the sources (pass it to
        :meth:`~bondkit.core.terms.PlanningTerms.gap_cents`).

        >>> sc = load_example("grand-costumier-2016")
        >>> plan = sc.planning_terms()
        >>> plan.total_uses_cents, plan.other_sources_cents  # 21 000 $ of uses, 1 000 $ own funds
        (2100000, 100000)
        >>> plan.gap_cents(sum(t.amount_cents for t in sc.series_terms()))  # + the 20 000 $ issue
        0
        """
        return self.planning.terms() if self.planning else None

    def to_data(self) -> dict[str, Any]:
        """The scenario as a plain dict that :func:`validate_data` accepts again
        (e.g. merged with changes): every key, defaults included, with the values as
        validated (amounts and rates as Decimal, in currency units and fractions; dates as
        ``datetime.date``); tables the file does not have are left out.

        >>> sc = load_example("grand-costumier-2016")
        >>> data = sc.to_data()
        >>> a = data["series"][0]
        >>> a["amount"], a["annual_rate"], a["issue_date"], a["frequency"]
        (Decimal('20000'), Decimal('0.02'), datetime.date(2016, 9, 1), 'annual')
        >>> validate_data(data).to_data() == data
        True
        """
        return self.model_dump(exclude_none=True)

    def with_changes(self, changes: dict[str, Any] | None = None, /, **keys: Any) -> Scenario:
        """A new scenario: this one with some values changed, validated again as a whole.

        Keys (``changes`` and keywords together) are those of ``bondkit sweep --vary``: a
        series key applies to every series (``annual_rate=0.045``), ``"series[2].term_years"``
        to the second series (from 1), a dotted key to a table (``"campaign.target"``,
        ``"risk.annual_probability"``); a table or key set to None is removed
        (``campaign=None``). Units as in the file: rates are fractions (0.045 is 4.5 %),
        amounts in currency units. Setting ``term_years`` drops ``maturity_date`` and the
        reverse; a repayment other than ``accumulating`` drops ``interest``.

        A change that makes the scenario invalid raises :class:`ScenarioError` with the
        same located messages as a bad file; this scenario is never modified. The new
        scenario has no file behind it (``source_path`` and ``input_sha256`` are None).

        >>> sc = load_example("grand-costumier-2016")
        >>> dearer = sc.with_changes(annual_rate=0.03)
        >>> str(dearer.series[0].annual_rate), str(sc.series[0].annual_rate)
        ('0.03', '0.02')
        >>> sc.with_changes({"series[1].annual_rate": 4})
        Traceback (most recent call last):
        ...
        bondkit.errors.ScenarioError: series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)

        The whole scenario is checked again: a longer term needs more years of cash flow.

        >>> sc.with_changes(term_years=7)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        bondkit.errors.ScenarioError: capacity.cash_flow: covers fiscal years 2017 to 2022 but the issue runs to 2024: add 2 more years (you wrote [...])
        """
        merged = merge_changes(self.to_data(), {**(changes or {}), **keys})
        source = f"{self.source_path.name if self.source_path else self.name} (changed)"
        return validate_data(merged, source=source)

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[_Issue]:
        series = values.get("series")
        risk = values.get("risk")
        if isinstance(risk, dict):  # its rule against the campaign needs no series
            for issue in _risk_against_the_issue(risk, series, values.get("campaign")):
                yield issue._replace(loc=("risk", *issue.loc))
        if not isinstance(series, list):
            return
        if not series:
            yield _Issue(("series",), Message("msg.needs_table", header="[[series]]"))
        first_index: dict[str, int] = {}
        for i, s in enumerate(series):
            if _valid(s, "id"):
                if s["id"] in first_index:
                    yield _Issue(
                        ("series", i, "id"),
                        Message("msg.same_id", n=first_index[s["id"]] + 1),
                        s["id"],
                    )
                first_index.setdefault(s["id"], i)
        yield from _issue_within_limits(series)
        campaign = values.get("campaign")
        if series and isinstance(campaign, dict):
            for issue in _campaign_against_series(campaign, series):
                yield issue._replace(loc=("campaign", *issue.loc))
        capacity, issuer = values.get("capacity"), values.get("issuer")
        if series and isinstance(capacity, dict) and _valid(issuer, "fiscal_year_end"):
            for issue in _capacity_against_series(capacity, series, issuer["fiscal_year_end"]):
                yield issue._replace(loc=("capacity", *issue.loc))


def _issue_within_limits(series: list[Any]) -> Iterator[_Issue]:
    """The series amounts together at most MAX_AMOUNT, and no compound interest that could
    grow them past MAX_DEBT.

    The growth is bounded on the total of the series amounts, not on each series' own
    amount: a campaign may raise the whole issue in the series that grows fastest.
    """
    if not series or not all(_valid(s, "amount") for s in series):
        return
    total = sum((s["amount"] for s in series), Decimal(0))
    if total > MAX_AMOUNT:
        yield _Issue(
            ("series",),
            Message("msg.series_total", total=_plain(total), most=_plain(MAX_AMOUNT)),
        )
        return
    worst: tuple[float, int, Decimal, int, bool] | None = None
    for i, s in enumerate(series):
        if not _valid(s, "repayment", "interest", "annual_rate", "frequency"):
            continue
        if (s["repayment"], s["interest"]) != ("accumulating", "compound"):
            continue
        maturity = _maturity(s)
        if maturity is None:
            continue
        rates = [s["annual_rate"]]
        steps = s.get("step_rates")
        if isinstance(steps, list):  # else INVALID: reported already
            rates += [st["annual_rate"] for st in steps if _valid(st, "annual_rate")]
        rate, years = max(rates), _bond_years(s["issue_date"], maturity)
        growth = _compound_log_growth(rate, 12 // FREQUENCIES[s["frequency"]], years)
        if worst is None or growth > worst[0]:
            worst = (growth, i, rate, years, len(rates) > 1)
    if worst is not None and _debt_too_large(total, worst[0]):
        _, i, rate, years, stepped = worst
        what = (
            _plain(total)
            if len(series) == 1
            else Message("msg.total_of_series", total=_plain(total))
        )
        yield _Issue(
            ("series", i),
            Message(
                "msg.issue_too_large",
                rate=Message("msg.up_to", rate=_plain(rate)) if stepped else _plain(rate),
                years=years,
                what=what,
                most=MAX_DEBT_TEXT,
            ),
        )


def _campaign_against_series(c: dict[str, Any], series: list[Any]) -> Iterator[_Issue]:
    """The rules between ``[campaign]`` and the ``[[series]]`` (partial values of both).

    Each rule runs when the keys it needs passed their own checks, in every series.
    """
    # -- the campaign closes before the money is due
    if _valid(c, "closes") and all(_valid(s, "issue_date") for s in series):
        first = min(s["issue_date"] for s in series)
        if c["closes"] > first:
            yield _Issue(("closes",), Message("msg.closes_after_issue", first=first), c["closes"])

    # -- target <= cap <= the total of the series amounts (the cap when none is written)
    total: Decimal | None = None
    if all(_valid(s, "amount") for s in series):
        total = sum((s["amount"] for s in series), Decimal(0))
        above_total = Message("msg.above_total", total=_cents(to_cents(total)))
        if _valid(c, "cap"):
            if c["cap"] > total:
                yield _Issue(("cap",), above_total, c["cap"])
        elif c.get("cap") is None and _valid(c, "target") and c["target"] > total:
            yield _Issue(("target",), above_total, c["target"])

    # -- series_shares name series that exist
    if all(_valid(s, "id") for s in series) and isinstance(c.get("segments"), list):
        ids = list(dict.fromkeys(s["id"] for s in series))
        for i, segment in enumerate(c["segments"]):
            shares = segment.get("series_shares") if isinstance(segment, dict) else None
            for key in shares if isinstance(shares, dict) else ():
                if key not in ids:
                    yield _Issue(
                        ("segments", i, "series_shares", key),
                        Message("msg.no_such_series", ids=", ".join(ids)),
                    )

    # -- one investor can buy the smallest subscription of every series
    min_sub = c.get("min_subscription", None)
    if min_sub is INVALID or not all(_valid(s, "face_value") for s in series):
        return
    low = to_cents(min_sub) if min_sub is not None else 0
    smallest = []  # (cents, series): one subscription of min_subscription, in whole bonds
    for i, s in enumerate(series):
        face = to_cents(s["face_value"])
        name = _series_name(s, i)
        smallest.append((max(1, -(-low // face)) * face, name))
    need, sid = max(smallest, key=lambda pair: pair[0])
    below = Message("msg.below_smallest", series=sid, need=_cents(need))
    most = c.get("max_per_investor")
    if _valid(c, "max_per_investor"):
        if to_cents(most) < need and (min_sub is None or most >= min_sub):
            yield _Issue(("max_per_investor",), below, most)
    elif most is None and _valid(c, "rule_set"):
        limit = rule_sets()[c["rule_set"]].max_per_investor
        if limit is not None and to_cents(limit) < need:
            yield _Issue(
                ("rule_set",),
                Message("msg.rule_set_limit", limit=limit, series=sid, need=_cents(need)),
                c["rule_set"],
            )
    if _valid(c, "cap"):
        if to_cents(c["cap"]) < need and not (_valid(c, "target") and c["cap"] < c["target"]):
            yield _Issue(("cap",), below, c["cap"])
    elif c.get("cap") is None and min_sub is not None and total is not None:
        if to_cents(total) < need:
            yield _Issue(
                ("min_subscription",),
                Message(
                    "msg.min_subscription_too_large",
                    series=sid,
                    need=_cents(need),
                    total=_cents(to_cents(total)),
                ),
                min_sub,
            )


def _fiscal_years_of_issue(series: list[Any], fiscal_year_end: Any) -> tuple[int, int] | None:
    """(fiscal year of the earliest issue_date, fiscal year of the last payment) from the
    partial values of the series, or None when a key they need has a problem.

    The last payment is a maturity moved by the series' business_day convention: only a
    maturity on a weekend at the very end of a fiscal year can move into the next one.
    """
    if not isinstance(fiscal_year_end, str) or not series:
        return None
    first: int | None = None
    last: int | None = None
    for s in series:
        maturity = _maturity(s)
        if maturity is None or not _valid(s, "business_day"):
            return None
        paid = adjust(maturity, s["business_day"])  # within 2 days: dates end by 2199
        issued = fiscal_year(s["issue_date"], fiscal_year_end)
        ends = fiscal_year(paid, fiscal_year_end)
        first = issued if first is None else min(first, issued)
        last = ends if last is None else max(last, ends)
    assert first is not None and last is not None
    return first, last


def _capacity_against_series(
    c: dict[str, Any], series: list[Any], fiscal_year_end: Any
) -> Iterator[_Issue]:
    """The rules between ``[capacity]`` and the ``[[series]]``: the fiscal years covered."""
    years = _fiscal_years_of_issue(series, fiscal_year_end)
    if years is None:
        return
    issued, last = years
    first = c.get("first_fiscal_year")
    if first is INVALID:
        return
    if first is not None and first > issued:
        yield _Issue(
            ("first_fiscal_year",),
            Message("msg.first_fiscal_year", issued=issued),
            first,
        )
        return
    first = issued if first is None else first
    if _valid(c, "cash_flow_base", "cash_flow_growth") and c["cash_flow_growth"] > 0:
        base, growth = c["cash_flow_base"], c["cash_flow_growth"]
        if math.log(base) + (last - first) * math.log1p(growth) > math.log(MAX_AMOUNT):
            yield _Issue(
                ("cash_flow_growth",),
                Message("msg.growth_too_large", base=_plain(base), most=MAX_AMOUNT_TEXT, last=last),
                growth,
            )
    for key in ("cash_flow", "other_debt_service"):
        amounts = c.get(key)
        if not isinstance(amounts, tuple | list) or (
            key == "other_debt_service" and len(amounts) == 1  # one amount: every year
        ):
            continue
        end = first + len(amounts) - 1
        if end < last:
            more = last - end
            yield _Issue(
                (key,),
                Message(
                    "msg.years_missing" if more > 1 else "msg.year_missing",
                    first=first,
                    end=end,
                    last=last,
                    more=more,
                ),
                amounts,
            )


def _risk_against_the_issue(r: dict[str, Any], series: Any, campaign: Any) -> Iterator[_Issue]:
    """The rules between ``[risk]`` and the series (the lock-in) and the campaign (the
    segment names)."""
    # -- segment_probability names segments of the campaign
    shares = r.get("segment_probability")
    if isinstance(shares, dict):
        if campaign is None:
            yield _Issue(
                ("segment_probability",),
                Message("msg.needs_campaign"),
                shares,
            )
        elif isinstance(campaign, dict) and isinstance(campaign.get("segments"), list):
            segments = campaign["segments"]
            if all(_valid(s, "name") for s in segments):
                names = list(dict.fromkeys(s["name"] for s in segments))
                for key in shares:
                    if key not in names:
                        yield _Issue(
                            ("segment_probability", key),
                            Message(
                                "msg.no_such_segment", names=", ".join(_quoted(n) for n in names)
                            ),
                        )

    # -- the lock-in ends before every maturity
    lock = r.get("lock_in_years")
    if not _valid(r, "lock_in_years") or not lock or not isinstance(series, list):
        return
    for i, s in enumerate(series):
        maturity = _maturity(s)
        if maturity is not None and _years_later(s["issue_date"], lock) >= maturity:
            years = _bond_years(s["issue_date"], maturity)
            whole = _years_later(s["issue_date"], years) == maturity
            term = Message("msg.n_years" if whole else "msg.less_than_n_years", n=years)
            yield _Issue(
                ("lock_in_years",),
                Message("msg.lock_in", series=_series_name(s, i), term=term),
                lock,
            )
            return


# ================================================================ loading


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise :class:`ScenarioError` listing every problem.

    The file is UTF-8 TOML (a byte-order mark is accepted); amounts in it are in currency
    units, rates fractions. The scenario remembers its ``source_path`` and the SHA-256 of
    the file's bytes (``input_sha256``, named in the summary JSON).

    >>> import pathlib, tempfile
    >>> text = '''
    ... [scenario]
    ... name = "Épicerie solidaire 2024"
    ... [issuer]
    ... name = "Épicerie solidaire"
    ... [[series]]
    ... id = "A"
    ... amount = 50_000           # CAD: 50 bonds of 1 000 $
    ... face_value = 1_000
    ... annual_rate = 0.035       # 3.5 % a year
    ... issue_date = 2024-06-01
    ... term_years = 5
    ... repayment = "bullet"
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "epicerie.toml"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     sc = load_scenario(path)
    >>> sc.name, sc.source_path.name, len(sc.input_sha256)
    ('Épicerie solidaire 2024', 'epicerie.toml', 64)
    >>> sc.series_terms()[0].maturity
    datetime.date(2029, 6, 1)
    >>> load_scenario(path)  # the folder is gone  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: ...epicerie.toml: cannot read the file: ...
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScenarioError(
            [Problem(str(path), Message("msg.cannot_read", reason=reason))], str(path)
        ) from None
    try:
        text = data.decode("utf-8-sig")  # tolerate the byte-order mark some Windows editors add
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(str(path), Message("msg.not_utf8", byte=exc.start + 1))], str(path)
        ) from None
    scenario = parse_scenario(text, source=str(path))
    scenario._source_path = path
    scenario._input_sha256 = hashlib.sha256(data).hexdigest()
    return scenario


#: the terms of a series given two ways: setting one drops the other
_TERM_KEYS = {"term_years": "maturity_date", "maturity_date": "term_years"}


def series_key(key: str) -> tuple[int, str] | None:
    """``series[N].key`` as (N, key); None for any other key (N not a whole number too).

    >>> series_key("series[2].annual_rate"), series_key("annual_rate")
    ((2, 'annual_rate'), None)
    """
    head = "series["
    if not key.startswith(head) or "]." not in key:
        return None
    number, _, field = key[len(head) :].partition("].")
    return (int(number), field) if number.isdigit() and field else None


def _set(node: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


def _set_series(entry: dict[str, Any], key: str, value: Any) -> None:
    _set(entry, key, value)
    other = _TERM_KEYS.get(key)
    if other is not None and value is not None:
        entry.pop(other, None)
    if key == "repayment" and value != "accumulating":  # interest is for accumulating only
        entry.pop("interest", None)


def merge_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` (a scenario as a dict, e.g. :meth:`Scenario.to_data`) with
    ``changes`` applied; keys as :meth:`Scenario.with_changes` takes them. Nothing is
    checked here: :func:`validate_data` says what is wrong with the result, where.

    >>> data = {"series": [{"id": "A", "term_years": 5}, {"id": "B", "maturity_date": "x"}]}
    >>> merge_changes(data, {"series[2].term_years": 3, "campaign.target": 50000})
    {'series': [{'id': 'A', 'term_years': 5}, {'id': 'B', 'term_years': 3}], 'campaign': {'target': 50000}}
    """
    out = copy.deepcopy(data)
    series = out.get("series")
    if isinstance(series, list | tuple):  # to_data() gives a tuple
        out["series"] = series = [dict(s) if isinstance(s, dict) else s for s in series]
    for key, value in changes.items():
        one = series_key(key)
        if one is not None:
            n, field = one
            if not isinstance(series, list) or not 1 <= n <= len(series):
                raise ScenarioError(
                    [Problem(key, Message("msg.no_series_n", n=n, count=len(series or [])))]
                )
            _set_series(series[n - 1], field, value)
        elif "." not in key and key in SeriesTable.model_fields and isinstance(series, list):
            for entry in series:
                _set_series(entry, key, value)
        else:
            *path, last = key.split(".")
            node = out
            for part in path:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
            _set(node, last, value)
    return out


def list_examples() -> list[str]:
    """The names of the example scenarios packaged with bondkit (offline).

    >>> list_examples()
    ['building-purchase-2010', 'cinema-du-parc-2016', 'grand-costumier-2016', 'solar-coop-multi-series']
    """
    from importlib.resources import files

    folder = files("bondkit.examples")
    return sorted(
        p.name.removesuffix(".toml")
        for p in folder.iterdir()
        if p.name.endswith(".toml") and not p.name.startswith("init-")
    )


def starter_text(lang: str = "en") -> str:
    """The commented starter scenario ``bondkit init`` writes, as TOML text, in ``lang``.

    >>> starter_text("fr").splitlines()[0].startswith("#")
    True
    """
    from importlib.resources import files

    return files("bondkit.examples").joinpath(f"init-{lang}.toml").read_text(encoding="utf-8")


def starter_scenario(lang: str = "en") -> Scenario:
    """The starter scenario of ``bondkit init``, validated: a co-op's 100,000 $ 5-year
    bullet at 4 % (annual interest), issued on 15 January 2027, with no campaign, capacity
    or risk table. Examples add them with :meth:`Scenario.with_changes`.

    >>> sc = starter_scenario()
    >>> str(sc.series[0].amount), str(sc.series[0].annual_rate), sc.series[0].term_years
    ('100000', '0.04', 5)
    """
    return parse_scenario(starter_text(lang), source=f"init-{lang}.toml")


def load_example(name: str) -> Scenario:
    """One of the example scenarios packaged with bondkit (:func:`list_examples`), validated.

    The same files as the repository's ``scenarios/`` folder, readable offline and
    without the repository. An unknown name raises :class:`ScenarioError` naming them.

    >>> sc = load_example("cinema-du-parc-2016")
    >>> sc.name, sc.language, len(sc.series), str(sc.series[0].amount)
    ('Cinéma du Parc 2016', 'fr', 1, '100000')
    """
    from importlib.resources import as_file, files

    names = list_examples()
    if name not in names:
        raise ScenarioError([Problem(str(name), Message("msg.no_example", names=", ".join(names)))])
    with as_file(files("bondkit.examples") / f"{name}.toml") as path:
        scenario = load_scenario(path)
    return scenario


def parse_scenario(text: str, source: str = "<string>") -> Scenario:
    """Validate a scenario given as TOML text; ``source`` names it in a syntax error.

    Amounts in currency units, rates as fractions (0.035 is 3.5 %), dates unquoted. The
    scenario has no ``source_path``; its ``input_sha256`` is that of the UTF-8 text.

    >>> text = '''
    ... [scenario]
    ... name = "Épicerie solidaire 2024"
    ... [issuer]
    ... name = "Épicerie solidaire"
    ... [[series]]
    ... id = "A"
    ... amount = 50_000
    ... face_value = 1_000
    ... annual_rate = 0.035
    ... issue_date = 2024-06-01
    ... term_years = 5
    ... repayment = "bullet"
    ... '''
    >>> sc = parse_scenario(text)
    >>> sc.source_path is None, sc.currency, sc.series_terms()[0].bonds
    (True, 'CAD', 50)

    A TOML syntax error (here the quotes of the id forgotten) names the line and column:

    >>> parse_scenario(text.replace('"A"', "A"), source="epicerie.toml")
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: epicerie.toml: TOML syntax error: Invalid value (at line 7, column 6)
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message ends with "(at line L, column C)"
        raise ScenarioError([Problem(source, toml_syntax_message(exc))], source) from None
    scenario = validate_data(data, source=source)
    scenario._source_text = text
    scenario._input_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return scenario


def validate_data(data: dict[str, Any], source: str | None = None) -> Scenario:
    """Validate a scenario given as a dict (as read from TOML, or merged with changes).

    Raises :class:`ScenarioError` with one :class:`Problem` per problem, all at once; its
    ``language`` is the scenario's ``language`` key when that key is valid.

    Values as TOML gives them: amounts in currency units, rates as fractions, dates as
    ``datetime.date`` (a date given as text is refused, as a quoted date in a file).

    >>> import datetime as dt
    >>> data = {
    ...     "scenario": {"name": "Épicerie solidaire 2024", "language": "fr"},
    ...     "issuer": {"name": "Épicerie solidaire"},
    ...     "series": [{"id": "A", "amount": 50_000, "face_value": 1_000,
    ...                 "annual_rate": 0.035, "issue_date": dt.date(2024, 6, 1),
    ...                 "term_years": 5, "repayment": "bullet"}],
    ... }
    >>> validate_data(data).series_terms()[0].maturity
    datetime.date(2029, 6, 1)
    >>> bad = dict(data, series=[dict(data["series"][0], amount=50_500, annual_rate=3.5)])
    >>> validate_data(bad)
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: series[1].amount: must be a whole multiple of face_value 1000, such as 50000 or 51000 (you wrote 50500)
    series[1].annual_rate: must be a fraction such as 0.04 (you wrote 3.5)
    """
    issues: list[_Issue] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except PydanticValidationError as exc:
        issues.extend(_issue_from_pydantic(err) for err in exc.errors())
    bad = {issue.loc for issue in issues}
    issues.extend(_cross_checks(Scenario, _partial(Scenario, data, bad, ()), ()))
    if issues or scenario is None:
        issues.sort(key=lambda issue: _sort_key(issue.loc))  # stable: file layout order
        problems = [issue.problem() for issue in issues]
        raise ScenarioError(problems, source, language=data_language(data))
    return scenario


def data_language(data: Any) -> str | None:
    """The ``[scenario] language`` of a scenario's raw data when it is ``"fr"`` or ``"en"``
    (whatever else the data holds), else None: the language of its messages."""
    table = data.get("scenario") if isinstance(data, dict) else None
    language = table.get("language") if isinstance(table, dict) else None
    return language if isinstance(language, str) and language in LANGUAGES else None


def scenario_language(path: str | Path) -> str | None:
    """The ``language`` a scenario file asks for, read from its TOML even when the scenario
    has problems; None when the file cannot be read or parsed, or names no valid language."""
    try:
        data = tomllib.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return data_language(data)


# ---- TOML syntax errors. tomllib words them in English and ends them with
# "(at line L, column C)" or "(at end of document)"; the reasons it gives are translated
# here (one label each), any other reason is shown as tomllib wrote it.
_TOML_AT = re.compile(
    r"(?P<reason>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)"
)
_TOML_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
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
    """A TOML syntax error with its line and column, in no language yet."""
    text = str(exc)
    at = _TOML_AT.fullmatch(text)
    if at is None:  # a wording this module does not know: as tomllib gave it
        return Message("msg.toml_syntax_plain", reason=text)
    reason: Message | str = at["reason"]
    for pattern, key in _TOML_REASONS:
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


def format_location(loc: tuple[str | int, ...]) -> str:
    """``("series", 1, "step_rates", 0, "from_year")`` -> ``series[2].step_rates[1].from_year``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{_toml_key(part)}" if out else _toml_key(part)
    return out


def _issue_from_pydantic(err: Any) -> _Issue:
    """Our wording for one pydantic error (never its own message)."""
    loc, kind, value = tuple(err["loc"]), err["type"], err.get("input", NOTHING)
    if kind == "bondkit":
        return _Issue(loc, err["ctx"]["message"], value)
    if kind == "missing":
        return _Issue(loc, Message("msg.missing"))
    if kind == "extra_forbidden":
        return _Issue(loc, _unknown_key_message(loc, value))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not loc:
            return _Issue(loc, Message("msg.table_of_tables"), value)
        table = _table_at(loc)
        if table is not None and not table.inline:  # written under a header of its own
            header = _header_of(loc)
            if isinstance(loc[-1], int):
                return _Issue(loc, Message("msg.header_table", header=header), value)
            return _Issue(loc, Message("msg.write_header", header=header), value)
        if table and table.toml_example:
            return _Issue(
                loc, Message("msg.inline_table_such_as", example=table.toml_example), value
            )
        return _Issue(loc, Message("msg.inline_table"), value)
    if kind in ("tuple_type", "list_type", "iterable_type"):
        entry = _table_at(loc)
        if entry is not None and not entry.inline:
            header = _header_of(loc)  # [[series]]
            shown = _Verbatim(header[1:-1]) if isinstance(value, dict) else value
            return _Issue(loc, Message("msg.double_brackets", header=header), shown)
        if entry and entry.toml_example:
            return _Issue(
                loc, Message("msg.inline_tables_such_as", example=entry.toml_example), value
            )
        return _Issue(loc, Message("msg.inline_tables"), value)
    return _Issue(loc, Message("msg.not_valid"), value)


def _unknown_key_message(loc: tuple[str | int, ...], value: Any) -> Message:
    """Say "unknown key" or "unknown table", with the key or table likely meant."""
    key, typed = str(loc[-1]), str(loc[-1]).lower()
    is_table = isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )
    message = Message("msg.unknown_table" if is_table else "msg.unknown_key")
    table = _table_at(loc[:-1])
    known = [  # a [table] is never what a plain value meant, nor a plain key what a table meant
        name
        for name, field in (table.model_fields.items() if table else ())
        if isinstance(value, dict) or not _is_single_table(field)
        if not isinstance(value, dict) or _nested_table(field)
    ]
    # "rate" for annual_rate, "term" for term_years, when only one key of this table fits:
    # that key shortened, even when another table has a key of that name (sinking_fund.rate)
    parts = [k for k in known if k.endswith(f"_{typed}") or k.startswith(f"{typed}_")]
    home = _home_of(key, is_table, loc[:-1]) if len(parts) != 1 else None
    if home == ():
        return Message("msg.belongs_at_top", message=message)
    if home is not None and _header_of(home) != _header_of(loc[:-1]):
        return Message("msg.belongs_under", message=message, header=_header_of(home))
    close = difflib.get_close_matches(typed, known, n=1)
    if not close:
        close = parts if len(parts) == 1 else []
    if close:
        return Message("msg.did_you_mean", message=message, key=close[0])
    return message


def _is_single_table(field: FieldInfo) -> bool:
    nested = _nested_table(field)
    return bool(nested) and not nested[1]


def _home_of(key: str, is_table: bool, here: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
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

    walk(Scenario, ())
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


def _header_of(loc: tuple[str | int, ...]) -> str:
    """The header of the table ``loc`` points into, as written in the file: ``[issuer]``,
    ``[[series]]``, ``[campaign.arrivals]``, ``[[campaign.segments]]``; an inline table
    belongs to the table that holds it."""
    names: list[str] = []
    many = False
    table: type[Table] = Scenario
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
    path = ".".join(_toml_key(n) for n in names)
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


def _entry_table(table: type[Table] | None, name: str) -> type[Table] | None:
    if table is None or name not in table.model_fields:
        return None
    nested = _nested_table(table.model_fields[name])
    return nested[0] if nested else None


def _table_at(loc: tuple[str | int, ...]) -> type[Table] | None:
    """The table class a loc points into (``("series", 0)`` -> SeriesTable)."""
    table: type[Table] | None = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        table = _entry_table(table, part)
    return table


def _sort_key(loc: tuple[str | int, ...]) -> list[int]:
    """Order problems as the tables and keys are documented; unknown keys after known ones."""
    key: list[int] = []
    table: type[Table] | None = Scenario
    for part in loc:
        if isinstance(part, int):
            key.append(part)
            continue
        names = list(table.model_fields) if table else []
        key.append(names.index(part) if part in names else len(names))
        table = _entry_table(table, part)
    return key


@cache
def _field_adapter(table: type[Table], name: str) -> TypeAdapter[Any]:
    field = table.model_fields[name]
    if not field.metadata:
        return TypeAdapter(field.annotation)
    return TypeAdapter(Annotated[(field.annotation, *field.metadata)])


def _partial(table: type[Table], raw: Any, bad: set[tuple[str | int, ...]], loc: tuple) -> Any:
    """The validated value of each key of ``raw`` that has no problem in ``bad``.

    Keys with a problem are INVALID, optional keys not written get their default (a table
    not written: its defaults as a dict), nested tables are partial dicts themselves (lists
    of them for ``[[...]]``).
    """
    if not isinstance(raw, dict) or loc in bad:
        return INVALID
    out: dict[str, Any] = {}
    for name, field in table.model_fields.items():
        here = (*loc, name)
        if name not in raw or raw[name] is None:
            if not field.is_required():
                default = field.get_default(call_default_factory=True)
                # a table not written is its defaults, a dict like the tables written
                out[name] = default.model_dump() if isinstance(default, Table) else default
            continue
        value, nested = raw[name], _nested_table(field)
        if nested and nested[1]:
            if here in bad or not isinstance(value, list | tuple):
                out[name] = INVALID
            else:
                out[name] = [_partial(nested[0], v, bad, (*here, i)) for i, v in enumerate(value)]
        elif nested:
            out[name] = _partial(nested[0], value, bad, here)
        elif any(b[: len(here)] == here for b in bad):
            out[name] = INVALID
        else:
            try:
                out[name] = _field_adapter(table, name).validate_python(value)
            except PydanticValidationError:  # cannot happen: it had no problem
                out[name] = INVALID
    return out


def _cross_checks(table: type[Table], values: Any, loc: tuple) -> Iterator[_Issue]:
    """Each table's cross_check, on the partial values, nested tables included."""
    if not isinstance(values, dict):
        return
    for issue in table.cross_check(values):
        yield issue._replace(loc=(*loc, *issue.loc))
    for name, field in table.model_fields.items():
        nested, value = _nested_table(field), values.get(name)
        if nested and nested[1] and isinstance(value, list):
            for i, entry in enumerate(value):
                yield from _cross_checks(nested[0], entry, (*loc, name, i))
        elif nested and isinstance(value, dict):
            yield from _cross_checks(nested[0], value, (*loc, name))


# ================================================================ small helpers


def _valid(values: Any, *names: str) -> bool:
    """Whether each key was given (or defaulted) and passed its own check."""
    return isinstance(values, dict) and all(
        values.get(n, INVALID) is not INVALID and values.get(n) is not None for n in names
    )


def _plain(number: Decimal) -> str:
    """A decimal written plainly: 0.9 (not 0.90), 10 (not 1E+1)."""
    return format(number.normalize(), "f")


def _cents(cents: int) -> str:
    """Cents as the user would write the amount: 100000 or 100000.5."""
    whole, frac = divmod(cents, 100)
    return str(whole) if not frac else f"{whole}.{frac:02d}".rstrip("0")


def _either(*choices: str) -> Message | str:
    """One value, or two joined by "or" in the message's language."""
    if len(choices) == 1:
        return choices[0]
    return Message("msg.or", a=choices[0], b=choices[1])


def _series_name(s: Any, i: int) -> Message:
    """A series as a message names it: ``series A`` by its id, else ``series[2]``."""
    if _valid(s, "id"):
        return Message("msg.series_id_name", id=s["id"])
    return Message("msg.series_n_name", n=i + 1)


def _years_later(d: dt.date, years: int) -> dt.date:
    try:
        return add_years(d, years)
    except (ValueError, OverflowError):
        return dt.date.max


def _maturity(v: Any) -> dt.date | None:
    """The contractual maturity of a series (partial values); None unless its keys give a
    valid one."""
    if not _valid(v, "issue_date"):
        return None
    issue = v["issue_date"]
    if v.get("term_years") is not None and v.get("maturity_date") is not None:
        return None
    if _valid(v, "maturity_date"):
        return v["maturity_date"] if v["maturity_date"] > issue else None
    if _valid(v, "term_years"):
        maturity = add_years(issue, v["term_years"])
        return maturity if maturity <= LAST_DATE else None
    return None


def _compound_log_growth(rate: Decimal, per_year: int, years: int) -> float:
    """The log of the most that compound interest at ``rate`` a year (or less), added to the
    balance ``per_year`` times a year, can multiply it by over ``years`` bond years.

    Period k multiplies the balance by 1 + rate_k x yf_k. A term of ``years`` bond years has
    at most per_year x (years + 1) periods whose year fractions add up to less than
    years + 1 (a year fraction is at most 366/365 of the actual time, plus a few days of
    business-day adjustment), and for a given sum the product is largest when the fractions
    are many and equal: so it is at most (1 + rate / per_year) ** (per_year x (years + 1)).
    """
    return per_year * (years + 1) * math.log1p(float(rate) / per_year)


def _debt_too_large(amount: Decimal, log_growth: float) -> bool:
    """Whether ``amount`` grown by exp(``log_growth``) could exceed MAX_DEBT."""
    return math.log(amount) + log_growth > math.log(MAX_DEBT)


def _bond_years(issue: dt.date, maturity: dt.date) -> int:
    """Bond years in the term: year n runs from issue + (n-1) years; the last one holds the
    day before maturity."""
    last_day = maturity - dt.timedelta(days=1)
    years = max(1, last_day.year - issue.year - 1)
    while _years_later(issue, years) <= last_day:
        years += 1
    return years
