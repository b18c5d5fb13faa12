"""``[[series]]``: the terms of each series of bonds (``step_rates`` included), the rules
between its keys, the limit on the whole issue, and the helpers other tables' rules use to
read a series (its maturity, its bond years, its name in a message)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import PlainValidator

from bondkit.core.conventions import BUSINESS_DAYS, DAY_COUNTS, FREQUENCIES, add_years, to_cents
from bondkit.core.terms import INTEREST_KINDS, REPAYMENTS, SeriesTerms, StepRate
from bondkit.errors import Message
from bondkit.scenario.fields import (
    Amount,
    Date,
    OptionalDate,
    OptionalTermYears,
    Rate,
    one_of,
    optional,
    series_id,
    whole,
)
from bondkit.scenario.limits import (
    AMORTISING,
    LAST_DATE,
    MAX_AMOUNT,
    MAX_DEBT_TEXT,
    compound_log_growth,
    debt_too_large,
)
from bondkit.scenario.table import Issue, Table, valid
from bondkit.scenario.toml_text import cents, plain

__all__ = [
    "StepRateTable",
    "SeriesTable",
    "issue_within_limits",
    "series_name",
    "years_later",
    "series_maturity",
    "bond_years_in_term",
]


class StepRateTable(Table):
    """One entry of ``step_rates``: the rate in force from the start of bond year ``from_year``."""

    inline: ClassVar[bool] = True
    toml_example: ClassVar[str] = "{ from_year = 6, annual_rate = 0.075 }"

    from_year: Annotated[int, PlainValidator(whole(minimum=1))]
    annual_rate: Rate

    def terms(self) -> StepRate:
        return StepRate(from_year=self.from_year, annual_rate=self.annual_rate)


class SeriesTable(Table):
    """One ``[[series]]`` table: the terms of one series of bonds."""

    id: Annotated[str, PlainValidator(series_id)]
    amount: Amount
    face_value: Amount
    annual_rate: Rate
    issue_date: Date
    term_years: OptionalTermYears = None
    maturity_date: OptionalDate = None
    repayment: Annotated[str, PlainValidator(one_of(REPAYMENTS))]
    interest: Annotated[str | None, PlainValidator(optional(one_of(INTEREST_KINDS)))] = None
    frequency: Annotated[str, PlainValidator(one_of(tuple(FREQUENCIES)))] = "annual"
    day_count: Annotated[str, PlainValidator(one_of(DAY_COUNTS))] = "30/360"
    interest_only_years: Annotated[int, PlainValidator(whole(minimum=0))] = 0
    business_day: Annotated[str, PlainValidator(one_of(BUSINESS_DAYS))] = "unadjusted"
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
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        v = values
        if valid(v, "amount", "face_value"):
            amount, face = to_cents(v["amount"]), to_cents(v["face_value"])
            if amount % face:
                lower, upper = (amount // face) * face, (amount // face + 1) * face
                examples = [cents(c) for c in (lower, upper) if c > 0]
                yield Issue(
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
            yield Issue((), Message("msg.not_both", a="term_years", b="maturity_date"))
        elif not term_given and not maturity_given:
            yield Issue(
                ("term_years",), Message("msg.missing_either", a="term_years", b="maturity_date")
            )
        elif valid(v, "issue_date", "maturity_date"):
            maturity = v["maturity_date"]
            if maturity <= v["issue_date"]:
                yield Issue(
                    ("maturity_date",),
                    Message("msg.after", key="issue_date", value=v["issue_date"]),
                    maturity,
                )
                maturity = None
        elif valid(v, "issue_date", "term_years"):
            maturity = add_years(v["issue_date"], v["term_years"])  # by 2299: both bounded
            if maturity > LAST_DATE:
                yield Issue(
                    ("term_years",),
                    Message("msg.term_too_long", last=LAST_DATE),
                    v["term_years"],
                )
                maturity = None

        # -- keys that apply to some repayment styles only
        if valid(v, "repayment"):
            repayment = v["repayment"]
            interest = v.get("interest")
            if repayment == "accumulating" and interest is None:
                yield Issue(
                    ("interest",),
                    Message("msg.interest_missing"),
                )
            elif repayment != "accumulating" and valid(v, "interest"):
                yield Issue(
                    ("interest",),
                    Message("msg.only_when", key="repayment", value="accumulating"),
                    interest,
                )
            years = v.get("interest_only_years") if valid(v, "interest_only_years") else 0
            if years and repayment not in AMORTISING:
                yield Issue(
                    ("interest_only_years",),
                    Message("msg.only_amortising"),
                    years,
                )
            elif years and maturity is not None:
                if years_later(v["issue_date"], years) >= maturity:
                    yield Issue(
                        ("interest_only_years",),
                        Message("msg.shorter_than_term", maturity=maturity),
                        years,
                    )

        # -- step rates: within the term, one per year
        steps = v.get("step_rates")
        if isinstance(steps, list):
            bond_years = bond_years_in_term(v["issue_date"], maturity) if maturity else None
            first_index: dict[int, int] = {}
            for i, step in enumerate(steps):
                if not valid(step, "from_year"):
                    continue
                year, loc = step["from_year"], ("step_rates", i, "from_year")
                if bond_years is not None and year > bond_years:
                    yield Issue(loc, Message("msg.within_term", years=bond_years), year)
                elif year in first_index:
                    yield Issue(
                        loc,
                        Message("msg.step_twice", n=first_index[year] + 1),
                        year,
                    )
                first_index.setdefault(year, i)


def issue_within_limits(series: list[Any]) -> Iterator[Issue]:
    """The series amounts together at most MAX_AMOUNT, and no compound interest that could
    grow them past MAX_DEBT.

    The growth is bounded on the total of the series amounts, not on each series' own
    amount: a campaign may raise the whole issue in the series that grows fastest.

    >>> half = {"amount": Decimal(6_000_000_000)}
    >>> for issue in issue_within_limits([half, half]):
    ...     print(issue.problem())
    series: the series amounts add up to 12000000000, above the most bondkit accepts, 10000000000 (ten billion)
    """
    if not series or not all(valid(s, "amount") for s in series):
        return
    total = sum((s["amount"] for s in series), Decimal(0))
    if total > MAX_AMOUNT:
        yield Issue(
            ("series",),
            Message("msg.series_total", total=plain(total), most=plain(MAX_AMOUNT)),
        )
        return
    worst: tuple[float, int, Decimal, int, bool] | None = None
    for i, s in enumerate(series):
        if not valid(s, "repayment", "interest", "annual_rate", "frequency"):
            continue
        if (s["repayment"], s["interest"]) != ("accumulating", "compound"):
            continue
        maturity = series_maturity(s)
        if maturity is None:
            continue
        rates = [s["annual_rate"]]
        steps = s.get("step_rates")
        if isinstance(steps, list):  # else INVALID: reported already
            rates += [st["annual_rate"] for st in steps if valid(st, "annual_rate")]
        rate, years = max(rates), bond_years_in_term(s["issue_date"], maturity)
        growth = compound_log_growth(rate, 12 // FREQUENCIES[s["frequency"]], years)
        if worst is None or growth > worst[0]:
            worst = (growth, i, rate, years, len(rates) > 1)
    if worst is not None and debt_too_large(total, worst[0]):
        _, i, rate, years, stepped = worst
        what = (
            plain(total) if len(series) == 1 else Message("msg.total_of_series", total=plain(total))
        )
        yield Issue(
            ("series", i),
            Message(
                "msg.issue_too_large",
                rate=Message("msg.up_to", rate=plain(rate)) if stepped else plain(rate),
                years=years,
                what=what,
                most=MAX_DEBT_TEXT,
            ),
        )


def _either(*choices: str) -> Message | str:
    """One value, or two joined by "or" in the message's language."""
    if len(choices) == 1:
        return choices[0]
    return Message("msg.or", a=choices[0], b=choices[1])


def series_name(s: Any, i: int) -> Message:
    """A series as a message names it: ``series A`` by its id, else ``series[2]``.

    >>> series_name({"id": "A"}, 0).render("fr"), series_name({}, 1).render("fr")
    ('la série A', 'series[2]')
    """
    if valid(s, "id"):
        return Message("msg.series_id_name", id=s["id"])
    return Message("msg.series_n_name", n=i + 1)


def years_later(d: dt.date, years: int) -> dt.date:
    """``d`` moved ``years`` years later; ``date.max`` past the last date Python has.

    >>> years_later(dt.date(2024, 2, 29), 1), years_later(dt.date(9999, 1, 1), 1)
    (datetime.date(2025, 2, 28), datetime.date(9999, 12, 31))
    """
    try:
        return add_years(d, years)
    except (ValueError, OverflowError):
        return dt.date.max


def series_maturity(v: Any) -> dt.date | None:
    """The contractual maturity of a series (partial values); None unless its keys give a
    valid one.

    >>> series_maturity({"issue_date": dt.date(2024, 6, 1), "term_years": 5})
    datetime.date(2029, 6, 1)
    >>> before = {"issue_date": dt.date(2024, 6, 1), "maturity_date": dt.date(2020, 1, 1)}
    >>> series_maturity(before) is None  # a maturity before the issue: a problem of its own
    True
    """
    if not valid(v, "issue_date"):
        return None
    issue = v["issue_date"]
    if v.get("term_years") is not None and v.get("maturity_date") is not None:
        return None
    if valid(v, "maturity_date"):
        return v["maturity_date"] if v["maturity_date"] > issue else None
    if valid(v, "term_years"):
        maturity = add_years(issue, v["term_years"])
        return maturity if maturity <= LAST_DATE else None
    return None


def bond_years_in_term(issue: dt.date, maturity: dt.date) -> int:
    """Bond years in the term: year n runs from issue + (n-1) years; the last one holds the
    day before maturity.

    >>> start = dt.date(2024, 6, 1)
    >>> bond_years_in_term(start, dt.date(2029, 6, 1)), bond_years_in_term(start, dt.date(2029, 6, 2))
    (5, 6)
    """
    last_day = maturity - dt.timedelta(days=1)
    years = max(1, last_day.year - issue.year - 1)
    while years_later(issue, years) <= last_day:
        years += 1
    return years
