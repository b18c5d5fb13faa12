"""``[capacity]`` and its tables (sinking fund, reserve): the enterprise's cash flow
available for debt service, the rules between its keys, its rules against the series
(the fiscal years the cash flow must cover), and the extension of a cash-flow table that a
sweep variant outruns (:func:`extend_cash_flow`)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import PlainValidator, TypeAdapter, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

from bondkit.core.conventions import adjust, exact, fiscal_year, round_half_up
from bondkit.core.terms import RESERVE_TARGETS, CapacityTerms, Reserve, SinkingFund
from bondkit.errors import Message
from bondkit.scenario.fields import (
    Money,
    OptionalAmount,
    OptionalTermYears,
    Rate,
    SignedAmount,
    by_fiscal_year,
    growth,
    money,
    month_day,
    one_of,
    optional,
    quantity,
    rate,
    whole,
)
from bondkit.scenario.limits import (
    FIRST_DATE,
    LAST_DATE,
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_COVERAGE_THRESHOLD,
    MAX_RESERVE_MONTHS,
    MIN_COVERAGE_THRESHOLD,
)
from bondkit.scenario.series import SeriesTable, series_maturity
from bondkit.scenario.table import INVALID, Issue, Table, valid
from bondkit.scenario.toml_text import plain

__all__ = [
    "SinkingFundTable",
    "ReserveTable",
    "CapacityTable",
    "capacity_against_series",
    "extend_cash_flow",
]


class SinkingFundTable(Table):
    """``[capacity.sinking_fund]``: year-end deposits that accumulate the principal due at
    each maturity of the bullet and accumulating series."""

    rate: Rate = Decimal(0)

    def terms(self) -> SinkingFund:
        return SinkingFund(rate=self.rate)


class ReserveTable(Table):
    """``[capacity.reserve]``: a reserve kept in cash, and its target."""

    target: Annotated[str, PlainValidator(one_of(RESERVE_TARGETS))] = RESERVE_TARGETS[0]
    months: Annotated[
        int | None, PlainValidator(optional(whole(minimum=0, maximum=MAX_RESERVE_MONTHS)))
    ] = None

    def terms(self) -> Reserve:
        return Reserve(target=self.target, months=6 if self.months is None else self.months)

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        if valid(values, "target", "months") and values["target"] != "months-of-next-year":
            yield Issue(
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
        WrapValidator(by_fiscal_year("[45_000, 47_000, 48_500]")),
    ] = None
    cash_flow_base: OptionalAmount = None
    cash_flow_growth: Annotated[Decimal | None, PlainValidator(optional(growth))] = None
    first_fiscal_year: Annotated[
        int | None,
        PlainValidator(optional(whole(minimum=FIRST_DATE.year, maximum=LAST_DATE.year))),
    ] = None
    other_debt_service: Annotated[
        tuple[Money, ...] | None,
        WrapValidator(by_fiscal_year("[12_000, 12_000, 9_000]", money(positive=False))),
    ] = None
    opening_cash: Money = Decimal(0)
    minimum_cash: Money = Decimal(0)
    coverage_threshold: Annotated[
        Decimal,
        PlainValidator(
            quantity(
                "1.25",
                positive=True,
                minimum=MIN_COVERAGE_THRESHOLD,
                maximum=MAX_COVERAGE_THRESHOLD,
            )
        ),
    ] = Decimal("1.25")
    sizing_rate: Annotated[Decimal | None, PlainValidator(optional(rate))] = None
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
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        # -- exactly one of cash_flow and cash_flow_base (INVALID counts as written)
        table_given = values.get("cash_flow") is not None
        base_given = values.get("cash_flow_base") is not None
        if table_given and base_given:
            yield Issue((), Message("msg.not_both", a="cash_flow", b="cash_flow_base"))
        elif not table_given and not base_given:
            yield Issue(
                ("cash_flow",), Message("msg.missing_either", a="cash_flow", b="cash_flow_base")
            )


def _grows_too_large(amount: Decimal, growth: Decimal, years: int) -> bool:
    """Whether ``amount`` grown by ``growth`` a year for ``years`` years would pass
    MAX_AMOUNT (either way: a negative amount grows more negative)."""
    return bool(amount) and math.log(abs(amount)) + years * math.log1p(growth) > math.log(
        MAX_AMOUNT
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
        maturity = series_maturity(s)
        if maturity is None or not valid(s, "business_day"):
            return None
        paid = adjust(maturity, s["business_day"])  # within 2 days: dates end by 2199
        issued = fiscal_year(s["issue_date"], fiscal_year_end)
        ends = fiscal_year(paid, fiscal_year_end)
        first = issued if first is None else min(first, issued)
        last = ends if last is None else max(last, ends)
    assert first is not None and last is not None
    return first, last


def capacity_against_series(
    c: dict[str, Any], series: list[Any], fiscal_year_end: Any
) -> Iterator[Issue]:
    """The rules between ``[capacity]`` and the ``[[series]]``: the fiscal years covered.

    >>> import datetime as dt
    >>> series = [{"issue_date": dt.date(2017, 2, 1), "term_years": 5, "business_day": "unadjusted"}]
    >>> for issue in capacity_against_series({"cash_flow": [45_000] * 3}, series, "12-31"):
    ...     print(issue.problem())
    cash_flow: covers fiscal years 2017 to 2019 but the issue runs to 2022: add 3 more years (you wrote [45000, 45000, 45000])
    """
    years = _fiscal_years_of_issue(series, fiscal_year_end)
    if years is None:
        return
    issued, last = years
    first = c.get("first_fiscal_year")
    if first is INVALID:
        return
    if first is not None and first > issued:
        yield Issue(
            ("first_fiscal_year",),
            Message("msg.first_fiscal_year", issued=issued),
            first,
        )
        return
    first = issued if first is None else first
    if valid(c, "cash_flow_base", "cash_flow_growth") and c["cash_flow_growth"] > 0:
        base, growth = c["cash_flow_base"], c["cash_flow_growth"]
        if _grows_too_large(base, growth, last - first):
            yield Issue(
                ("cash_flow_growth",),
                Message("msg.growth_too_large", base=plain(base), most=MAX_AMOUNT_TEXT, last=last),
                growth,
            )
    elif valid(c, "cash_flow", "cash_flow_growth") and c["cash_flow_growth"] > 0:
        # with a table, the growth only extends it (a sweep variant that outruns it)
        amounts, growth = c["cash_flow"], c["cash_flow_growth"]
        more = last - (first + len(amounts) - 1)
        if more > 0 and _grows_too_large(amounts[-1], growth, more):
            yield Issue(
                ("cash_flow_growth",),
                Message(
                    "msg.growth_too_large_table",
                    amount=plain(amounts[-1]),
                    most=MAX_AMOUNT_TEXT,
                    last=last,
                ),
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
            yield Issue(
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


# ---------------------------------------------------------------- extension (sweep)


@cache
def _adapter(table: type[Table], name: str) -> TypeAdapter[Any]:
    field = table.model_fields[name]  # checked as validation checks it
    if not field.metadata:
        return TypeAdapter(field.annotation)
    return TypeAdapter(Annotated[(field.annotation, *field.metadata)])


def _checked(table: type[Table], raw: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    """The keys ``names`` of a table's raw values, each checked on its own (INVALID when
    it fails, its default when not written); None when ``raw`` is not a table."""
    if not isinstance(raw, dict):
        return None
    out: dict[str, Any] = {}
    for name in names:
        field = table.model_fields[name]
        if raw.get(name) is None:
            out[name] = INVALID if field.is_required() else field.get_default()
            continue
        try:
            out[name] = _adapter(table, name).validate_python(raw[name])
        except ValidationError:
            out[name] = INVALID
    return out


_SERIES_KEYS = ("issue_date", "term_years", "maturity_date", "business_day")
_CAPACITY_KEYS = (
    "cash_flow",
    "cash_flow_base",
    "cash_flow_growth",
    "first_fiscal_year",
    "other_debt_service",
)


def extend_cash_flow(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """``data`` (a scenario's plain data, as :meth:`Scenario.to_data` gives it, changes
    merged or not) with its ``[capacity] cash_flow`` table extended to the fiscal year of
    the issue's last payment, and the number of years added.

    The rule (what ``bondkit sweep`` does with a variant that outruns the table): k years
    after the table's last year, the cash flow is that last amount x (1 +
    ``cash_flow_growth``)^k, rounded half up to the cent; without ``cash_flow_growth``
    (0), the last year held. An ``other_debt_service`` array that also falls short is
    extended by holding its last amount (the conservative choice: the other debts go on
    costing what they cost last).

    Nothing is added (``data`` itself is returned, with 0) when the table covers the
    issue, when the cash flow is ``cash_flow_base`` and ``cash_flow_growth``, when the
    extension would pass the largest amount bondkit accepts, or when a key it needs has a
    problem (the years are then unknown): validation reports those.

    >>> import datetime as dt
    >>> data = {
    ...     "issuer": {"fiscal_year_end": "12-31"},
    ...     "series": [{"issue_date": dt.date(2017, 2, 1), "term_years": 5}],
    ...     "capacity": {"cash_flow": [45_000, 47_000, 48_500], "cash_flow_growth": 0.02},
    ... }
    >>> longer, added = extend_cash_flow(data)
    >>> added, [str(x) for x in longer["capacity"]["cash_flow"]]  # 2017 to 2022
    (3, ['45000', '47000', '48500', '49470', '50459.4', '51468.59'])
    >>> data["capacity"]["cash_flow"]  # the data given is not changed
    [45000, 47000, 48500]
    >>> extend_cash_flow(longer)[1]  # it covers the issue now
    0
    """
    if not isinstance(data, dict):
        return data, 0
    issuer = data.get("issuer")
    fiscal_year_end = issuer.get("fiscal_year_end") if isinstance(issuer, dict) else None
    try:
        fiscal_year_end = month_day("12-31" if fiscal_year_end is None else fiscal_year_end)
    except PydanticCustomError:
        return data, 0
    raw_series = data.get("series")
    series = [_checked(SeriesTable, s, _SERIES_KEYS) for s in raw_series or ()]
    c = _checked(CapacityTable, data.get("capacity"), _CAPACITY_KEYS)
    if (
        c is None
        or not isinstance(raw_series, list | tuple)
        or None in series
        or not valid(c, "cash_flow")
        or c["cash_flow_base"] is not None
        or INVALID in (c["cash_flow_growth"], c["first_fiscal_year"])
    ):
        return data, 0
    years = _fiscal_years_of_issue(series, fiscal_year_end)
    if years is None:
        return data, 0
    (issued, last), first = years, c["first_fiscal_year"]
    first = issued if first is None else first
    more = last - (first + len(c["cash_flow"]) - 1)
    if first > issued or more <= 0:  # a first year after the issue: validation says so
        return data, 0
    cents, factor = exact(c["cash_flow"][-1]) * 100, 1 + exact(c["cash_flow_growth"] or 0)
    added = [Decimal(round_half_up(cents * factor**k)) / 100 for k in range(1, more + 1)]
    if any(abs(x) > MAX_AMOUNT for x in added):  # validation says so (msg.growth_too_large_table)
        return data, 0
    capacity = dict(data["capacity"])
    capacity["cash_flow"] = [*capacity["cash_flow"], *added]
    other = c["other_debt_service"]
    if isinstance(other, tuple) and len(other) > 1 and first + len(other) - 1 < last:
        held_other = [other[-1]] * (last - (first + len(other) - 1))
        capacity["other_debt_service"] = [*capacity["other_debt_service"], *held_other]
    return {**data, "capacity": capacity}, more
