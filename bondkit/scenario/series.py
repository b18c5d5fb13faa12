"""``[[series]]``: the terms of each series of bonds (``step_rates`` included), the rules
between its keys, the limit on the whole issue, the cash flow a sculpted series follows
(from ``[capacity]``) and its rules, and the helpers other tables' rules use to read a
series (its maturity, its bond years, its name in a message)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import PlainValidator

from bondkit.core.conventions import (
    BUSINESS_DAYS,
    DAY_COUNTS,
    FREQUENCIES,
    add_years,
    adjust,
    fiscal_year,
    to_cents,
)
from bondkit.core.terms import (
    INTEREST_KINDS,
    SCULPTED,
    SERIES_REPAYMENTS,
    CapacityTerms,
    SeriesTerms,
    StepRate,
)
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
from bondkit.scenario.table import INVALID, Issue, Table, valid
from bondkit.scenario.toml_text import cents, plain

__all__ = [
    "StepRateTable",
    "SeriesTable",
    "issue_within_limits",
    "available_cash_flow",
    "sculpt_cash_flow",
    "sculpted_against_capacity",
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
    repayment: Annotated[str, PlainValidator(one_of(SERIES_REPAYMENTS))]
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

    def terms(
        self,
        cash_flow: tuple[tuple[int, Decimal], ...] = (),
        fiscal_year_end: str = "12-31",
    ) -> SeriesTerms:
        """These terms as the :class:`~bondkit.core.terms.SeriesTerms` the schedule works on.

        A sculpted series takes the cash flow it follows, by fiscal year (see
        :func:`sculpt_cash_flow`), and the issuer's ``fiscal_year_end``; the other styles
        ignore them.
        """
        sculpted = self.repayment == SCULPTED
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
            sculpt_cash_flow=cash_flow if sculpted else (),
            fiscal_year_end=fiscal_year_end,
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


def available_cash_flow(capacity: CapacityTerms, first: int, last: int) -> dict[int, int]:
    """The cash flow available to a sculpted series in fiscal years ``first`` to ``last``:
    ``[capacity]``'s cash flow less its other debt service [cents], by fiscal year.

    ``first`` is the fiscal year of the earliest issue_date (where the capacity table starts
    unless it gives ``first_fiscal_year``). Raises ValueError when a table stops before
    ``last``.

    >>> cap = CapacityTerms(cash_flow=(30_000, 31_000, 32_000), other_debt_service=(5_000,))
    >>> available_cash_flow(cap, 2025, 2027)
    {2025: 2500000, 2026: 2600000, 2027: 2700000}
    """
    # numpy comes with the models: imported when a sculpted series needs it, so that reading
    # a scenario file alone never loads it
    from bondkit.models.capacity import cash_flow_by_year, other_debt_service_by_year

    years = list(range(first, last + 1))
    cash = cash_flow_by_year(capacity, years) - other_debt_service_by_year(capacity, years)
    return {year: int(c) for year, c in zip(years, cash, strict=True)}


def sculpt_cash_flow(
    series: tuple[SeriesTable, ...], capacity: CapacityTerms | None, fiscal_year_end: str
) -> tuple[tuple[int, Decimal], ...]:
    """The cash flow the sculpted series of a valid scenario follow, by fiscal year, from
    the fiscal year of the earliest issue_date to the last one a sculpted series pays in
    [currency]; empty when no series is sculpted.

    Every sculpted series follows the same cash flow: ``[capacity]``'s cash flow less its
    other debt service (the cash flow the sizing of the largest issue uses). The issue's
    other series are not taken off it: when all series are sculpted, the issue's debt
    service is proportional to it, year by year.

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(repayment="sculpted",
    ...                                                        interest=None)
    >>> sculpt_cash_flow(sc.series, sc.capacity_terms(), "03-31")[:2]  # CAD
    ((2017, Decimal('4500')), (2018, Decimal('5000')))
    """
    sculpted = [s for s in series if s.repayment == SCULPTED]
    if not sculpted or capacity is None:
        return ()
    from bondkit.core.schedule import periods  # numpy: only when a series is sculpted

    first = min(fiscal_year(s.issue_date, fiscal_year_end) for s in series)
    dates_only = ((first, Decimal(1)),)  # the payment dates do not depend on the cash flow
    last = max(fiscal_year(periods(s.terms(dates_only)).end[-1], fiscal_year_end) for s in sculpted)
    cash = available_cash_flow(capacity, first, last)
    return tuple((year, Decimal(c) / 100) for year, c in cash.items())


def _partial_series_terms(v: Any) -> SeriesTerms | None:
    """The dates of a series from its partial values, as bullet terms (None when a key
    they need has a problem): enough to know when it pays."""
    steps = v.get("step_rates")
    keys = ("id", "amount", "face_value", "annual_rate", "issue_date", "frequency")
    if not valid(v, *keys, "day_count", "business_day") or not isinstance(steps, list | tuple):
        return None
    if not all(valid(st, "from_year", "annual_rate") for st in steps):
        return None
    try:
        return SeriesTerms(
            **{k: v[k] for k in keys},
            term_years=v.get("term_years"),
            maturity_date=v.get("maturity_date"),
            day_count=v["day_count"],
            business_day=v["business_day"],
            step_rates=tuple(StepRate(st["from_year"], st["annual_rate"]) for st in steps),
        )
    except (ValueError, TypeError, ArithmeticError):  # reported by the series' own rules
        return None


def _partial_capacity(c: Any) -> CapacityTerms | None:
    """``[capacity]``'s cash flow from its partial values (None when it has a problem)."""
    if not isinstance(c, dict):
        return None
    names = ("cash_flow", "cash_flow_base", "cash_flow_growth", "first_fiscal_year")
    if any(c.get(n) is INVALID for n in (*names, "other_debt_service")):
        return None
    try:
        return CapacityTerms(
            cash_flow=tuple(c.get("cash_flow") or ()),
            cash_flow_base=c.get("cash_flow_base"),
            cash_flow_growth=c.get("cash_flow_growth") or Decimal(0),
            first_fiscal_year=c.get("first_fiscal_year"),
            other_debt_service=tuple(c.get("other_debt_service") or ()),
        )
    except (ValueError, TypeError, ArithmeticError):  # reported by [capacity]'s own rules
        return None


def sculpted_against_capacity(
    series: list[Any], capacity: Any, fiscal_year_end: Any
) -> Iterator[Issue]:
    """The rules of a sculpted series: a ``[capacity]`` table, and a cash flow available
    (cash flow less other debt service) above 0 in every fiscal year it pays in.

    Located at the series' ``repayment``, relative to the whole file.

    >>> s = {"id": "A", "amount": Decimal(60_000), "face_value": Decimal(500),
    ...      "annual_rate": Decimal("0.04"), "issue_date": dt.date(2025, 12, 31),
    ...      "term_years": 3, "repayment": "sculpted", "frequency": "annual",
    ...      "day_count": "30/360", "business_day": "unadjusted", "step_rates": []}
    >>> for issue in sculpted_against_capacity([s], None, "12-31"):
    ...     print(issue.problem())
    series[1].repayment: needs a [capacity] table: a sculpted series pays, each fiscal year, that year's cash flow divided by one constant coverage (you wrote "sculpted")
    >>> cap = {"cash_flow": (Decimal(9_000), Decimal(26_000), Decimal(0), Decimal(28_000))}
    >>> for issue in sculpted_against_capacity([s], cap, "12-31"):
    ...     print(issue.problem())
    series[1].repayment: needs a cash flow available above 0 (capacity.cash_flow less capacity.other_debt_service) in every fiscal year it pays in; at or below 0: 2027 (0) (you wrote "sculpted")
    """
    if not isinstance(series, list) or not isinstance(fiscal_year_end, str):
        return
    if not any(valid(s, "repayment") and s["repayment"] == SCULPTED for s in series):
        return
    from bondkit.core.schedule import periods  # numpy: only when a series is sculpted

    cap = _partial_capacity(capacity)
    issued = [s.get("issue_date") if valid(s, "issue_date") else None for s in series]
    for i, s in enumerate(series):
        if not valid(s, "repayment") or s["repayment"] != SCULPTED:
            continue
        loc = ("series", i, "repayment")
        if capacity is None:
            yield Issue(loc, Message("msg.sculpted_capacity"), SCULPTED)
            continue
        terms = _partial_series_terms(s)
        if cap is None or terms is None or None in issued:
            continue
        first = min(fiscal_year(d, fiscal_year_end) for d in issued)
        paid = sorted({fiscal_year(d, fiscal_year_end) for d in periods(terms).end})
        # [capacity]'s own rule checks the years up to the maturity moved by business_day
        checked = max(
            (
                fiscal_year(adjust(m, v["business_day"]), fiscal_year_end)
                for v in series
                if valid(v, "business_day") and (m := series_maturity(v)) is not None
            ),
            default=paid[-1],
        )
        if cap.first_fiscal_year is not None and cap.first_fiscal_year > first:
            continue  # reported by [capacity]'s rule
        try:
            cash = available_cash_flow(cap, first, paid[-1])
        except OverflowError:  # a growth [capacity]'s rule refuses
            continue
        except ValueError:
            if paid[-1] > checked:  # a payment [capacity]'s rule could not foresee
                yield Issue(loc, Message("msg.sculpted_year", year=paid[-1]), SCULPTED)
            continue
        weak = [f"{year} ({plain(Decimal(cash[year]) / 100)})" for year in paid if cash[year] <= 0]
        if weak:  # the first six, then an ellipsis
            years = ", ".join(weak[:6] + ["…"] * (len(weak) > 6))
            yield Issue(loc, Message("msg.sculpted_cash", years=years), SCULPTED)


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
