"""bondkit.core.schedule against independent sources, never against bondkit's own output.

Sources of the expected values:
- QuantLib 1.44 (test-only dependency): live, for schedules (``ql.Schedule``, Backward,
  WeekendsOnly), year fractions and ``FixedRateBond`` coupons; and stored, with provenance,
  in tests/reference/schedules.json by tests/reference/make_reference.py (no bondkit).
- Closed forms and a straightforward loop written here with ``decimal`` (precision 50)
  from the rules of /work/shared/scenario-format.md ("Meaning of the series keys").
- Invariants (hypothesis) that every schedule must satisfy whatever its terms.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ql_helpers import py_date, ql_convention, ql_date, ql_day_counter

from bondkit.core.schedule import (
    amortize,
    annual_debt_service,
    by_fiscal_year,
    issue_schedule,
    level_payment_cents,
    periods,
    series_schedule,
)
from bondkit.core.terms import SeriesTerms, StepRate

REFERENCE = Path(__file__).resolve().parent / "reference"
MONEY = ["opening_balance", "interest", "principal", "payment", "closing_balance"]
REPAYMENTS = ("bullet", "accumulating", "level-payment", "level-principal")
FREQUENCY_MONTHS = {"annual": 12, "semi-annual": 6, "quarterly": 3, "monthly": 1}
PERIODS_PER_YEAR = {"annual": 1, "semi-annual": 2, "quarterly": 4, "monthly": 12}
DAY_COUNTS = ("30/360", "30E/360", "ACT/365F", "ACT/ACT")
CONVENTIONS = ("unadjusted", "following", "modified-following")
YF_DENOMINATOR = 1_603_080  # lcm(360, 365, 366)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- independent helpers


def half_up(x: Decimal) -> int:
    """Round half up (away from zero) with decimal, independent of bondkit.round_half_up."""
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fraction_half_up(x: Fraction) -> int:
    with localcontext() as ctx:
        ctx.prec = 80
        return half_up(Decimal(x.numerator) / Decimal(x.denominator))


def hand_add_months(d: dt.date, months: int) -> dt.date:
    """The contract's calendar rule: move by whole months, clamp the day to the month's end."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def hand_maturity(terms: SeriesTerms) -> dt.date:
    if terms.maturity_date is not None:
        return terms.maturity_date
    return hand_add_months(terms.issue_date, 12 * terms.term_years)


def hand_backward_dates(issue: dt.date, maturity: dt.date, frequency: str) -> list[dt.date]:
    """Unadjusted period ends: maturity - k periods (not iterated), strictly after issue."""
    out, k = [], 0
    while (d := hand_add_months(maturity, -k * FREQUENCY_MONTHS[frequency])) > issue:
        out.append(d)
        k += 1
    return out[::-1]


def hand_adjust(d: dt.date, convention: str) -> dt.date:
    """Weekends only: following rolls to Monday; modified-following rolls back to Friday
    when rolling forward would leave the month."""
    if convention == "unadjusted" or d.weekday() < 5:
        return d
    forward = d + dt.timedelta(days=7 - d.weekday())
    if convention == "modified-following" and forward.month != d.month:
        return d - dt.timedelta(days=d.weekday() - 4)
    return forward


def hand_payment_dates(terms: SeriesTerms) -> list[dt.date]:
    """Backward dates, adjusted; a first date adjusted onto or before issue_date is merged
    into the next period (QuantLib's Schedule does the same for an issue on a weekday)."""
    ends = [
        hand_adjust(d, terms.business_day)
        for d in hand_backward_dates(terms.issue_date, hand_maturity(terms), terms.frequency)
    ]
    while len(ends) > 1 and ends[0] <= terms.issue_date:
        ends = ends[1:]
    return ends


def hand_fiscal_year(d: dt.date, fye: str) -> int:
    """The fiscal year Y is (end of Y-1, end of Y], its end clamped in short Februaries."""
    month, day = int(fye[:2]), int(fye[3:])

    def end(y: int) -> dt.date:
        return dt.date(y, month, min(day, calendar.monthrange(y, month)[1]))

    return next(y for y in (d.year, d.year + 1) if end(y - 1) < d <= end(y))


def annuity(balance: int, i: Decimal, m: int) -> Decimal:
    """B * i / (1 - (1 + i)^-m), written as B * i * g / (g - 1) with g = (1 + i)^m."""
    if i == 0:
        return Decimal(balance) / m
    growth = (1 + i) ** m
    return Decimal(balance) * i * growth / (growth - 1)


def hand_schedule(
    amount_cents: int,
    rates: list[Decimal],
    yfs: list[tuple[int, int]],
    style: str,
    first: int = 0,
    ppy: int = 1,
    step_starts: frozenset[int] = frozenset(),
) -> list[tuple[int, int, int, int, int]]:
    """The contract's rules as a plain loop with decimal at precision 50.

    ``rates[k]`` is the annual rate of period k, ``yfs[k]`` its year fraction as (num, den),
    ``first`` the first amortising period. Interest = round_half_up(B * r * num / den)
    (exact, so halves are found); a level payment is the rounded annuity of the balance
    at r / ppy over the remaining periods, recomputed when a step rate starts (the periods
    ``step_starts``, and wherever the rate changes); a level
    instalment is the rounded balance / amortising periods; the final period repays the
    remaining balance. Rows are (opening, interest, principal, payment, closing).
    """
    rows = []
    with localcontext() as ctx:
        ctx.prec = 50
        balance, n, level = amount_cents, len(rates), 0
        for k in range(n):
            num, den = yfs[k]
            interest = half_up(Decimal(balance) * rates[k] * num / den)
            principal = 0
            if style == "level-payment" and k >= first:
                if k == first or k in step_starts or rates[k] != rates[k - 1]:
                    level = half_up(annuity(balance, rates[k] / ppy, n - k))
                assert level >= interest, "a case outside the rules written here"
                principal = min(level - interest, balance)
            elif style == "level-principal" and k >= first:
                if k == first:
                    level = half_up(Decimal(balance) / (n - k))
                principal = min(level, balance)
            if k == n - 1:
                principal = balance
            rows.append((balance, interest, principal, interest + principal, balance - principal))
            balance -= principal
    return rows


def money_rows(df) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in row) for row in df[MONEY].itertuples(index=False)]


def dates_of(df, column: str = "date") -> list[dt.date]:
    return [t.date() for t in df[column]]


def ql_tenor(ql, frequency: str):
    return {
        "annual": ql.Annual,
        "semi-annual": ql.Semiannual,
        "quarterly": ql.Quarterly,
        "monthly": ql.Monthly,
    }[frequency]


def ql_schedule(
    ql, issue: dt.date, maturity: dt.date, frequency: str, convention: str
) -> list[dt.date]:
    conv = ql_convention(ql, convention)
    schedule = ql.Schedule(
        ql_date(ql, issue),
        ql_date(ql, maturity),
        ql.Period(ql_tenor(ql, frequency)),
        ql.WeekendsOnly(),
        conv,
        conv,
        ql.DateGeneration.Backward,
        False,
    )
    return [py_date(d) for d in schedule]


def exact_from_quantlib(yf: float) -> Fraction:
    """The exact rational a QuantLib year fraction (a double) stands for."""
    k = round(yf * YF_DENOMINATOR)
    assert abs(yf * YF_DENOMINATOR - k) < 1e-6
    return Fraction(k, YF_DENOMINATOR)


# ---------------------------------------------------------------- random valid terms

FACE_VALUES = ("0.50", "1", "20", "50", "100", "250", "500", "1000")
RATES = st.integers(0, 1000).map(lambda k: Decimal(k) / 10000)  # 0 .. 0.1, at most 4 decimals


@st.composite
def series_terms(draw, series_id: str = "A", repayment: str | None = None, zero_rate: bool = False):
    """Any valid SeriesTerms: every style, frequency, day count and business-day rule."""
    repayment = repayment or draw(st.sampled_from(REPAYMENTS))
    face = Decimal(draw(st.sampled_from(FACE_VALUES)))
    amount = face * draw(st.integers(1, 5000))
    rate = Decimal(0) if zero_rate else draw(RATES)
    issue = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2080, 12, 31)))
    term = draw(st.integers(1, 10))
    business_day = draw(st.sampled_from(CONVENTIONS))
    frequency = draw(st.sampled_from(tuple(FREQUENCY_MONTHS)))
    when: dict = {"term_years": term}
    if draw(st.booleans()):  # an odd term: maturity_date gives a short first period
        maturity = hand_add_months(issue, 12 * term) - dt.timedelta(days=draw(st.integers(1, 300)))
        when = {"maturity_date": maturity}
    io = 0
    if repayment in ("level-payment", "level-principal"):
        io = draw(st.integers(0, term - 1))
    steps = ()
    if term >= 2 and draw(st.booleans()):
        years = draw(st.lists(st.integers(2, term), min_size=1, max_size=2, unique=True))
        steps = tuple(StepRate(y, Decimal(0) if zero_rate else draw(RATES)) for y in years)
    return SeriesTerms(
        id=series_id,
        amount=amount,
        face_value=face,
        annual_rate=rate,
        issue_date=issue,
        repayment=repayment,
        interest=draw(st.sampled_from(("simple", "compound")))
        if repayment == "accumulating"
        else None,
        frequency=frequency,
        day_count=draw(st.sampled_from(DAY_COUNTS)),
        interest_only_years=io,
        business_day=business_day,
        step_rates=steps,
        **when,
    )


# ---------------------------------------------------------------- stored reference data


def _reference_cases() -> list[dict]:
    with open(REFERENCE / "schedules.json", encoding="utf-8") as f:
        return json.load(f)["cases"]


REFERENCE_CASES = _reference_cases()


def terms_from_reference(terms: dict) -> SeriesTerms:
    kw = dict(terms)
    for key in ("amount", "face_value", "annual_rate"):
        kw[key] = Decimal(kw[key])
    for key in ("issue_date", "maturity_date"):
        if key in kw:
            kw[key] = dt.date.fromisoformat(kw[key])
    kw["step_rates"] = tuple(
        StepRate(s["from_year"], Decimal(s["annual_rate"])) for s in kw.get("step_rates", ())
    )
    return SeriesTerms(id="R", **kw)


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=[c["name"] for c in REFERENCE_CASES])
def test_series_schedule_matches_stored_reference(case):
    """Every cent, date and year fraction of the named cases (QuantLib dates and day
    counts, money by hand with exact fractions; see each case's provenance)."""
    df = series_schedule(terms_from_reference(case["terms"]))
    rows = case["rows"]
    assert len(df) == len(rows)
    assert df["period"].tolist() == [r["period"] for r in rows]
    assert dates_of(df) == [dt.date.fromisoformat(r["date"]) for r in rows]
    assert dates_of(df, "accrual_start") == [
        dt.date.fromisoformat(r["accrual_start"]) for r in rows
    ]
    assert money_rows(df) == [tuple(r[k] for k in MONEY) for r in rows]
    assert df["year_fraction"].tolist() == [float(Fraction(r["year_fraction"])) for r in rows]
    for got, row in zip(df["interest"], rows, strict=True):
        if "quantlib_interest" in row:  # QuantLib's unrounded coupon, within half a cent
            assert abs(int(got) - 100 * row["quantlib_interest"]) <= 0.5 + 1e-6


@pytest.mark.parametrize(
    "case",
    [c for c in REFERENCE_CASES if c["terms"]["repayment"] != "accumulating"],
    ids=[c["name"] for c in REFERENCE_CASES if c["terms"]["repayment"] != "accumulating"],
)
def test_periods_match_stored_reference(case):
    p = periods(terms_from_reference(case["terms"]))
    rows = case["rows"]
    assert list(p.unadjusted_end) == [dt.date.fromisoformat(r["unadjusted_date"]) for r in rows]
    assert list(p.year_fraction) == [Fraction(r["year_fraction"]) for r in rows]
    assert list(p.rate) == [Fraction(r["annual_rate"]) for r in rows]


def test_stored_reference_covers_the_contract():
    """The reference set keeps covering every style, day count, frequency, rule and a stub."""
    terms = [c["terms"] for c in REFERENCE_CASES]
    assert {t["repayment"] for t in terms} == set(REPAYMENTS)
    assert {t.get("day_count", "30/360") for t in terms} == set(DAY_COUNTS)
    assert {t.get("frequency", "annual") for t in terms} == set(FREQUENCY_MONTHS)
    assert {t.get("business_day", "unadjusted") for t in terms} == set(CONVENTIONS)
    for style in REPAYMENTS:
        assert len({t.get("day_count", "30/360") for t in terms if t["repayment"] == style}) >= 2
    assert any("maturity_date" in t for t in terms)  # a short first period
    assert any(t.get("step_rates") for t in terms) and any(
        t.get("interest_only_years") for t in terms
    )
    assert all(c["provenance"] for c in REFERENCE_CASES)


# ---------------------------------------------------------------- closed forms, by hand


def test_cinema_du_parc_example_of_the_contract():
    """100,000 at 2 % compound annual for 5 years from 2017-02-01: 10,408.08 of interest."""
    terms = SeriesTerms(
        "A",
        100_000,
        500,
        0.02,
        dt.date(2017, 2, 1),
        term_years=5,
        repayment="accumulating",
        interest="compound",
    )
    df = series_schedule(terms)
    assert len(df) == 1
    assert dates_of(df) == [dt.date(2022, 2, 1)]
    assert money_rows(df) == [(10_000_000, 1_040_808, 10_000_000, 11_040_808, 0)]
    assert half_up(Decimal(10_000_000) * Decimal("1.02") ** 5) - 10_000_000 == 1_040_808  # A(1+r)^n
    ads = annual_debt_service(df, "12-31")
    assert ads["debt_service"].max() == 11_040_808
    assert ads.loc[ads["debt_service"].idxmax(), "fiscal_year"] == 2022


@pytest.mark.parametrize(
    ("amount", "rate", "years", "frequency", "issue"),
    [
        ("250000", "0.0375", 7, "semi-annual", dt.date(2021, 3, 15)),
        ("1000", "0.1", 10, "monthly", dt.date(2020, 2, 28)),
        ("55500", "0.0425", 3, "quarterly", dt.date(2024, 1, 1)),
        ("123456.50", "0.0001", 1, "annual", dt.date(2019, 6, 10)),
        ("500", "0", 4, "monthly", dt.date(2019, 6, 10)),
    ],
)
def test_accumulating_compound_closed_form(amount, rate, years, frequency, issue):
    """Regular 30/360 periods: A (1 + r/ppy)^(ppy n), rounded half up once, at maturity."""
    terms = SeriesTerms(
        "C", amount, "0.50", rate, issue, term_years=years, repayment="accumulating",
        interest="compound", frequency=frequency,
    )  # fmt: skip
    a, ppy = int(Decimal(amount) * 100), PERIODS_PER_YEAR[frequency]
    with localcontext() as ctx:
        ctx.prec = 50
        expected = half_up(a * (1 + Decimal(rate) / ppy) ** (ppy * years)) - a
    assert money_rows(series_schedule(terms)) == [(a, expected, a, a + expected, 0)]


@pytest.mark.parametrize(
    ("day_count", "issue", "years", "business_day"),
    [
        ("30/360", dt.date(2021, 8, 31), 6, "unadjusted"),
        ("30E/360", dt.date(2021, 8, 31), 6, "following"),
        ("ACT/365F", dt.date(2019, 11, 4), 5, "following"),  # 2024-11-04 is a Monday
        ("ACT/365F", dt.date(2019, 11, 30), 5, "modified-following"),  # 2024-11-30: Saturday
        ("ACT/ACT", dt.date(2023, 7, 3), 1, "unadjusted"),
    ],
)
def test_accumulating_simple_closed_form(day_count, issue, years, business_day):
    """A * r * yf(issue, maturity), with the year fraction counted here by hand."""
    terms = SeriesTerms(
        "S", "75000", 500, "0.0385", issue, term_years=years, repayment="accumulating",
        interest="simple", day_count=day_count, business_day=business_day,
    )  # fmt: skip
    end = hand_adjust(hand_add_months(issue, 12 * years), business_day)
    if day_count in ("30/360", "30E/360"):  # every date here is on the same (clamped) day
        yf = Fraction(years)
    elif day_count == "ACT/365F":
        yf = Fraction((end - issue).days, 365)
    else:  # 2023-07-03 -> 2024-07-03: 182 days of 2023 / 365 + 184 days of 2024 / 366
        yf = Fraction(182, 365) + Fraction(184, 366)
    expected = fraction_half_up(7_500_000 * Fraction("0.0385") * yf)
    df = series_schedule(terms)
    assert dates_of(df) == [end]
    assert money_rows(df) == [(7_500_000, expected, 7_500_000, 7_500_000 + expected, 0)]


def test_accumulating_simple_with_step_rates_sums_over_bond_years():
    """2 % in years 1-2, 3.5 % in years 3-4, 5 % in year 5 on 30/360 (each year exactly 1)."""
    terms = SeriesTerms(
        "S", 40_000, 1000, "0.02", dt.date(2022, 4, 12), term_years=5, repayment="accumulating",
        interest="simple", step_rates=({"from_year": 3, "annual_rate": "0.035"}, {"from_year": 5, "annual_rate": "0.05"}),
    )  # fmt: skip
    expected = half_up(
        Decimal(4_000_000) * (2 * Decimal("0.02") + 2 * Decimal("0.035") + Decimal("0.05"))
    )
    assert expected == 640_000
    assert money_rows(series_schedule(terms)) == [(4_000_000, 640_000, 4_000_000, 4_640_000, 0)]


def test_accumulating_compound_with_step_rates():
    """Semi-annual 30/360: (1 + 0.04/2)^4 (1 + 0.06/2)^2 on 30,000."""
    terms = SeriesTerms(
        "C", 30_000, 100, "0.04", dt.date(2020, 5, 5), term_years=3, repayment="accumulating",
        interest="compound", frequency="semi-annual", step_rates=({"from_year": 3, "annual_rate": "0.06"},),
    )  # fmt: skip
    with localcontext() as ctx:
        ctx.prec = 50
        expected = half_up(3_000_000 * Decimal("1.02") ** 4 * Decimal("1.03") ** 2) - 3_000_000
    assert money_rows(series_schedule(terms))[0][1] == expected


def _regular_case(style, amount, rate, years, frequency, io=0, steps=()):
    """Terms on regular 30/360 periods (issue day <= 28, unadjusted) and their hand schedule."""
    ppy = PERIODS_PER_YEAR[frequency]
    terms = SeriesTerms(
        "H", amount, "0.01", rate, dt.date(2021, 6, 17), term_years=years, repayment=style,
        frequency=frequency, interest_only_years=io,
        step_rates=tuple({"from_year": y, "annual_rate": r} for y, r in steps),
    )  # fmt: skip
    n = ppy * years
    rates = []
    for k in range(n):  # period k starts in bond year k // ppy + 1
        r = Decimal(rate)
        for from_year, step in sorted(steps):
            if k // ppy + 1 >= from_year:
                r = Decimal(step)
        rates.append(r)
    starts = frozenset((y - 1) * ppy for y, _ in steps)
    expected = hand_schedule(
        int(Decimal(amount) * 100),
        rates,
        [(1, ppy)] * n,
        style,
        first=io * ppy,
        ppy=ppy,
        step_starts=starts,
    )
    return terms, expected


@pytest.mark.parametrize(
    ("amount", "rate", "years", "frequency"),
    [
        ("150000", "0.045", 10, "monthly"),
        ("100000", "0.05", 25, "monthly"),
        ("7777.77", "0.0999", 3, "quarterly"),
        ("500", "0.0001", 2, "monthly"),
        ("1000000", "0.0725", 7, "semi-annual"),
        ("2500", "0", 5, "annual"),
    ],
)
def test_level_payment_by_hand(amount, rate, years, frequency):
    terms, expected = _regular_case("level-payment", amount, rate, years, frequency)
    df = series_schedule(terms)
    assert money_rows(df) == expected
    assert len(set(df["payment"].iloc[:-1])) == 1  # the level payment itself


def test_level_payment_example_values():
    """150,000 at 4.5 % over 120 months: 1,554.58 a month (closed form, by hand)."""
    terms, expected = _regular_case("level-payment", "150000", "0.045", 10, "monthly")
    assert expected[0] == (15_000_000, 56_250, 99_208, 155_458, 14_900_792)
    assert money_rows(series_schedule(terms))[0] == expected[0]


@pytest.mark.parametrize(
    ("amount", "rate", "years", "frequency"),
    [
        ("90000", "0.06", 10, "annual"),
        ("33300", "0.0475", 4, "monthly"),
        ("1000.50", "0.031", 3, "quarterly"),  # 100,050 cents / 12 is not whole: last absorbs
        ("7", "0.05", 5, "monthly"),  # 700 / 60 instalments of 12 cents: 708 > 700
    ],
)
def test_level_principal_by_hand(amount, rate, years, frequency):
    terms, expected = _regular_case("level-principal", amount, rate, years, frequency)
    assert money_rows(series_schedule(terms)) == expected


@pytest.mark.parametrize("style", ["level-payment", "level-principal"])
@pytest.mark.parametrize(
    ("io", "years", "frequency"), [(2, 8, "quarterly"), (1, 2, "monthly"), (4, 5, "annual")]
)
def test_interest_only_years_then_amortisation_by_hand(style, io, years, frequency):
    terms, expected = _regular_case(style, "250000", "0.0525", years, frequency, io=io)
    df = series_schedule(terms)
    assert money_rows(df) == expected
    ppy = PERIODS_PER_YEAR[frequency]
    assert (df["principal"].iloc[: io * ppy] == 0).all()
    assert (df["principal"].iloc[io * ppy :] > 0).all()


@pytest.mark.parametrize("style", ["bullet", "level-payment", "level-principal"])
def test_step_rates_by_hand(style):
    """3 % then 5 % from year 4 and 6.5 % from year 7: a level payment is recomputed each time."""
    terms, expected = _regular_case(
        style,
        "80000",
        "0.03",
        9,
        "monthly",
        io=1 if style != "bullet" else 0,
        steps=[(4, "0.05"), (7, "0.065")],
    )
    df = series_schedule(terms)
    assert money_rows(df) == expected
    if style == "level-payment":
        payments = df["payment"].tolist()
        assert len({payments[12], payments[35]}) == 1 and len({payments[36], payments[71]}) == 1
        assert payments[35] < payments[36] < payments[72]


def test_short_first_period_by_hand():
    """2024-03-15 to 2026-01-01 semi-annual on 30/360: a first period of 106 days, then 180s."""
    common = dict(
        issue_date=dt.date(2024, 3, 15), maturity_date=dt.date(2026, 1, 1), frequency="semi-annual"
    )
    ends = [dt.date(2024, 7, 1), dt.date(2025, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1)]
    yfs = [(106, 360), (180, 360), (180, 360), (180, 360)]  # (7-3)*30 + (1-15) = 106
    rates = [Decimal("0.048")] * 4
    for style in ("bullet", "level-payment", "level-principal"):
        terms = SeriesTerms("S", 60_000, 100, "0.048", repayment=style, **common)
        df = series_schedule(terms)
        assert dates_of(df) == ends
        assert dates_of(df, "accrual_start") == [dt.date(2024, 3, 15), *ends[:-1]]
        assert money_rows(df) == hand_schedule(6_000_000, rates, yfs, style, ppy=2)
    # 60,000 x 4.8 % x 106/360
    assert hand_schedule(6_000_000, rates, yfs, "bullet")[0][1] == 84_800


def test_backward_dates_are_maturity_minus_k_periods_not_iterated():
    """From 2025-03-31 back by months: the 31st comes back after February (QuantLib agrees)."""
    terms = SeriesTerms(
        "B",
        1000,
        100,
        "0.05",
        dt.date(2024, 11, 15),
        maturity_date=dt.date(2025, 3, 31),
        frequency="monthly",
    )
    assert list(periods(terms).unadjusted_end) == [
        dt.date(2024, 11, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]


def test_business_days_adjust_payment_and_accrual_dates_not_issue():
    """Issue on a Sunday is used as given; a Saturday maturity moves (following) to Monday."""
    terms = SeriesTerms(
        "B", 10_000, 100, "0.06", dt.date(2024, 3, 3), term_years=1, repayment="bullet",
        frequency="semi-annual", business_day="following", day_count="ACT/365F",
    )  # fmt: skip
    df = series_schedule(terms)
    # 2024-09-03 is a Tuesday; 2025-03-03 a Monday: nothing moves but the issue stays Sunday
    assert dates_of(df, "accrual_start") == [dt.date(2024, 3, 3), dt.date(2024, 9, 3)]
    terms = SeriesTerms(
        "B", 10_000, 100, "0.06", dt.date(2023, 9, 30), term_years=1, repayment="bullet",
        frequency="semi-annual", business_day="following", day_count="ACT/365F",
    )  # fmt: skip
    df = series_schedule(terms)
    # 2024-03-30 is a Saturday -> Monday 2024-04-01; 2024-09-30 is a Monday
    assert dates_of(df) == [dt.date(2024, 4, 1), dt.date(2024, 9, 30)]
    assert money_rows(df)[0][1] == fraction_half_up(
        1_000_000 * Fraction("0.06") * Fraction(184, 365)
    )
    assert money_rows(df)[1][1] == fraction_half_up(
        1_000_000 * Fraction("0.06") * Fraction(182, 365)
    )


# ---------------------------------------------------------------- live QuantLib


@st.composite
def weekday_issue_terms(draw, repayment: str = "bullet"):
    issue = draw(
        st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2080, 12, 31)).filter(
            lambda d: d.weekday() < 5
        )
    )
    term = draw(st.integers(1, 10))
    stub = draw(st.one_of(st.just(0), st.integers(1, 360)))
    frequency = draw(st.sampled_from(tuple(FREQUENCY_MONTHS)))
    business_day = draw(st.sampled_from(CONVENTIONS))
    when: dict = {"term_years": term}
    if stub:
        when = {"maturity_date": hand_add_months(issue, 12 * term) - dt.timedelta(days=stub)}
    face = Decimal(draw(st.sampled_from(FACE_VALUES)))
    return SeriesTerms(
        id="Q",
        amount=face * draw(st.integers(1, 10_000)),
        face_value=face,
        annual_rate=Decimal(draw(st.integers(0, 1500))) / 10000,
        issue_date=issue,
        repayment=repayment,
        interest="simple" if repayment == "accumulating" else None,
        frequency=frequency,
        day_count=draw(st.sampled_from(DAY_COUNTS)),
        business_day=business_day,
        **when,
    )


def _quantlib_maturity(ql, terms: SeriesTerms) -> dt.date:
    if terms.maturity_date is not None:
        return terms.maturity_date
    return py_date(ql_date(ql, terms.issue_date) + ql.Period(terms.term_years, ql.Years))


@given(terms=weekday_issue_terms())
@example(  # 2024-08-31 is a Saturday, moved back onto the issue date: the stub is merged
    terms=SeriesTerms(
        "Q",
        1000,
        100,
        "0.05",
        dt.date(2024, 8, 30),
        maturity_date=dt.date(2026, 8, 31),
        business_day="modified-following",
        frequency="annual",
        day_count="ACT/ACT",
    )  # fmt: skip
)
@settings(max_examples=150, deadline=None)
def test_periods_match_quantlib_schedule(ql, terms):
    """Backward dates, adjustment, maturity and year fractions vs ql.Schedule (issue on a
    weekday: QuantLib adjusts issue_date too, the contract uses it as given). QuantLib also
    merges a first period whose end is adjusted onto the issue date into the next one."""
    maturity = _quantlib_maturity(ql, terms)
    assert terms.maturity == maturity == hand_maturity(terms)
    adjusted = ql_schedule(ql, terms.issue_date, maturity, terms.frequency, terms.business_day)
    unadjusted = ql_schedule(ql, terms.issue_date, maturity, terms.frequency, "unadjusted")
    p = periods(terms)
    assert adjusted[0] == terms.issue_date
    merged = len(unadjusted) - len(adjusted)  # a stub QuantLib merged: at most one
    assert merged in (0, 1)
    assert list(p.unadjusted_end) == unadjusted[1 + merged :]
    assert list(p.end) == adjusted[1:]
    assert list(p.accrual_start) == adjusted[:-1]
    dc = ql_day_counter(ql, terms.day_count)
    expected = [
        exact_from_quantlib(dc.yearFraction(ql_date(ql, a), ql_date(ql, b)))
        for a, b in zip(adjusted[:-1], adjusted[1:], strict=True)
    ]
    assert list(p.year_fraction) == expected


@given(terms=weekday_issue_terms())
@settings(max_examples=120, deadline=None)
def test_bullet_matches_quantlib_fixed_rate_bond(ql, terms):
    """Coupons of ql.FixedRateBond: same dates; interest = QuantLib's accrual period x rate x
    amount, rounded half up here, and within half a cent of QuantLib's own amount."""
    maturity = _quantlib_maturity(ql, terms)
    conv = ql_convention(ql, terms.business_day)
    schedule = ql.Schedule(
        ql_date(ql, terms.issue_date),
        ql_date(ql, maturity),
        ql.Period(ql_tenor(ql, terms.frequency)),
        ql.WeekendsOnly(),
        conv,
        conv,
        ql.DateGeneration.Backward,
        False,
    )
    amount = terms.amount_cents
    bond = ql.FixedRateBond(
        0,
        amount / 100,
        schedule,
        [float(terms.annual_rate)],
        ql_day_counter(ql, terms.day_count),
        conv,
    )
    coupons = [c for c in map(ql.as_fixed_rate_coupon, bond.cashflows()) if c is not None]
    df = series_schedule(terms)
    assert dates_of(df) == [py_date(c.date()) for c in coupons]
    rate = Fraction(terms.annual_rate)
    for got, c in zip(df["interest"], coupons, strict=True):
        assert int(got) == fraction_half_up(amount * rate * exact_from_quantlib(c.accrualPeriod()))
        assert abs(int(got) - 100 * c.amount()) <= 0.5 + 1e-6
    assert df["principal"].tolist() == [0] * (len(df) - 1) + [amount]
    assert py_date(bond.cashflows()[-1].date()) == dates_of(df)[-1]


@given(terms=weekday_issue_terms(repayment="accumulating"), compound=st.booleans())
@settings(max_examples=100, deadline=None)
def test_accumulating_matches_closed_forms_on_quantlib_periods(ql, terms, compound):
    """Simple: A r yf(issue, maturity); compound: A prod(1 + r yf_k), with QuantLib's dates
    and year fractions, rounded half up here once at maturity."""
    if compound:
        terms = replace(terms, interest="compound")
    maturity = _quantlib_maturity(ql, terms)
    adjusted = ql_schedule(ql, terms.issue_date, maturity, terms.frequency, terms.business_day)
    dc = ql_day_counter(ql, terms.day_count)

    def yf(a: dt.date, b: dt.date) -> Fraction:
        return exact_from_quantlib(dc.yearFraction(ql_date(ql, a), ql_date(ql, b)))

    a, r = terms.amount_cents, Fraction(terms.annual_rate)
    if compound:
        growth = Fraction(1)
        for start, end in zip(adjusted[:-1], adjusted[1:], strict=True):
            growth *= 1 + r * yf(start, end)
        expected = fraction_half_up(a * growth) - a
    else:
        expected = fraction_half_up(a * r * yf(adjusted[0], adjusted[-1]))
    df = series_schedule(terms)
    assert dates_of(df) == [adjusted[-1]]
    assert money_rows(df) == [(a, expected, a, a + expected, 0)]


# ---------------------------------------------------------------- properties


def _check_schedule(terms: SeriesTerms, df) -> None:
    rows = money_rows(df)
    amount = terms.amount_cents
    assert sum(r[2] for r in rows) == amount  # principal repaid to the cent
    assert rows[0][0] == amount and rows[-1][4] == 0
    for k, (opening, interest, principal, payment, closing) in enumerate(rows):
        assert opening >= 0 and closing >= 0 and principal >= 0 and interest >= 0
        assert closing == opening - principal
        assert payment == interest + principal
        if k + 1 < len(rows):
            assert rows[k + 1][0] == closing
    ends = hand_payment_dates(terms)
    dates = dates_of(df)
    if terms.repayment == "accumulating":
        assert dates == ends[-1:]
    else:
        assert dates == ends  # one row per period, counted here independently
        assert df["period"].tolist() == list(range(1, len(ends) + 1))
        assert dates_of(df, "accrual_start") == [terms.issue_date, *ends[:-1]]
    assert all(a < b for a, b in zip([terms.issue_date, *dates], dates, strict=False))
    assert (df["year_fraction"] > 0).all()


@given(terms=series_terms())
@PROPERTY
def test_schedule_invariants(terms):
    _check_schedule(terms, series_schedule(terms))


@given(terms=series_terms(repayment="level-principal"))
@PROPERTY
def test_level_principal_instalments_are_equal_after_interest_only(terms):
    df = series_schedule(terms)
    starts = dates_of(df, "accrual_start")
    io_end = hand_add_months(terms.issue_date, 12 * terms.interest_only_years)
    first = next((k for k, a in enumerate(starts) if a >= io_end), len(starts) - 1)
    principal = df["principal"].tolist()
    assert principal[:first] == [0] * first
    m = len(principal) - first
    level = fraction_half_up(Fraction(int(df["opening_balance"].iloc[first]), m))
    # equal instalments (fewer when they would overpay), the last takes the remaining balance
    assert all(
        p == min(level, int(b))
        for p, b in zip(principal[first:-1], df["opening_balance"].iloc[first:-1], strict=False)
    )


@given(terms=series_terms(repayment="level-payment"))
@PROPERTY
def test_level_payments_are_equal_between_rate_changes(terms):
    df = series_schedule(terms)
    starts = dates_of(df, "accrual_start")
    io_end = hand_add_months(terms.issue_date, 12 * terms.interest_only_years)
    first = next((k for k, a in enumerate(starts) if a >= io_end), len(starts) - 1)
    assert (df["principal"].iloc[:first] == 0).all()
    payments, rates = df["payment"].tolist(), df["annual_rate"].tolist()
    closing = df["closing_balance"].tolist()
    year_starts = [
        hand_add_months(terms.issue_date, 12 * (s.from_year - 1)) for s in terms.step_rates
    ]
    for k in range(first + 1, len(df) - 1):
        # a step rate starting at k re-computes the payment, even at an unchanged rate
        step_starts = any(starts[k - 1] < y <= starts[k] for y in year_starts)
        # a level rounded up can repay a tiny balance early: then principal = balance
        if rates[k] == rates[k - 1] and not step_starts and closing[k] > 0:
            assert payments[k] == payments[k - 1]


@given(terms=series_terms(zero_rate=True))
@PROPERTY
def test_rate_zero_gives_zero_interest(terms):
    df = series_schedule(terms)
    assert (df["interest"] == 0).all()
    assert (df["payment"] == df["principal"]).all()
    if terms.repayment == "level-payment":  # the annuity at 0 % is balance / periods
        first = int((df["principal"] > 0).idxmax())
        m = len(df) - first
        b = int(df["opening_balance"].iloc[first])
        assert int(df["payment"].iloc[first]) == fraction_half_up(Fraction(b, m)) or m == 1


@given(
    series=st.lists(st.sampled_from("ABC"), min_size=1, max_size=3, unique=True).flatmap(
        lambda ids: st.tuples(*(series_terms(series_id=i) for i in ids))
    ),
    fye=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2000, 12, 31)).map(
        lambda d: d.strftime("%m-%d")
    ),
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fiscal_year_aggregation_preserves_totals(series, fye):
    ids = [t.id for t in series]
    schedule = issue_schedule(list(series))
    assert schedule["series"].tolist() == sorted(schedule["series"], key=ids.index)  # file order
    fy = [hand_fiscal_year(d, fye) for d in dates_of(schedule)]
    # every fiscal year from the first issue to the last payment (bondkit's documented range)
    first = hand_fiscal_year(min(t.issue_date for t in series), fye)
    years = list(range(first, max(fy) + 1))
    flows = list(
        zip(fy, schedule["series"], schedule["interest"], schedule["principal"], strict=True)
    )

    expected = {(y, i): [0, 0, 0] for y in years for i in ids}  # interest, principal, payment
    for y, i, interest, principal in flows:
        expected[(y, i)] = [
            a + b
            for a, b in zip(
                expected[(y, i)], (interest, principal, interest + principal), strict=True
            )
        ]
    long = by_fiscal_year(schedule, fye)
    got = {
        (int(y), i): [int(a), int(b), int(c)]
        for y, i, a, b, c in long[
            ["fiscal_year", "series", "interest", "principal", "payment"]
        ].itertuples(index=False)
    }
    assert len(long) == len(expected) and got == expected
    for key in ("interest", "principal", "payment"):
        assert int(long[key].sum()) == int(schedule[key].sum())

    ads = annual_debt_service(schedule, fye)
    assert ads["fiscal_year"].tolist() == years
    assert int(ads["interest"].sum()) == int(schedule["interest"].sum())
    assert int(ads["principal"].sum()) == sum(t.amount_cents for t in series)
    assert (ads["debt_service"] == ads["interest"] + ads["principal"]).all()
    for y, outstanding in zip(ads["fiscal_year"], ads["outstanding"], strict=True):
        issued = sum(t.amount_cents for t in series if hand_fiscal_year(t.issue_date, fye) <= y)
        repaid = sum(int(p) for f, _, _, p in flows if f <= y)
        assert int(outstanding) == issued - repaid >= 0
    assert int(ads["outstanding"].iloc[-1]) == 0


# ---------------------------------------------------------------- the vectorised kernel


@pytest.mark.parametrize(
    ("frequency", "n_periods", "loans"),
    [
        ("monthly", 120, 60),
        ("monthly", 37, 40),
        ("quarterly", 40, 40),
        ("semi-annual", 15, 30),
        ("annual", 7, 30),
    ],
)
def test_level_payment_cents_matches_hand_loop(frequency, n_periods, loans):
    """~200 random loans in all: every cent of every row equals the decimal loop's."""
    rng = np.random.default_rng(20240611 + n_periods)
    amounts = rng.integers(1, 10**9, size=loans)
    rate_units = rng.integers(0, 1001, size=loans)  # 0 .. 0.1 with 4 decimals
    rate_units[:3] = (0, 1, 1000)
    out = level_payment_cents(amounts, rate_units / 10000, n_periods, frequency)
    ppy = PERIODS_PER_YEAR[frequency]
    for s in range(loans):
        rate = Decimal(int(rate_units[s])) / 10000
        expected = hand_schedule(
            int(amounts[s]), [rate] * n_periods, [(1, ppy)] * n_periods, "level-payment", ppy=ppy
        )
        got = list(zip(*(out[key][s].tolist() for key in MONEY), strict=True))
        assert got == expected, (int(amounts[s]), str(rate))


@pytest.mark.parametrize(
    ("balance", "rate", "exact_interest", "expected"),
    [
        # balance * rate / 12 is exactly x.5 cents, but the float product falls just below
        (1200, "0.005", Decimal("0.5"), 1),
        (2500, "0.0072", Decimal("1.5"), 2),
        (15_844_500, "0.06", Decimal("79222.5"), 79_223),
        (53_025_625, "0.0288", Decimal("127261.5"), 127_262),
    ],
)
def test_level_payment_cents_rounds_an_exact_half_cent_of_interest_up(
    balance, rate, exact_interest, expected
):
    assert Decimal(balance) * Decimal(rate) / 12 == exact_interest
    assert balance * (float(rate) * (1 / 12)) < float(exact_interest)  # floats would go wrong
    out = level_payment_cents(np.array([balance]), np.array([float(rate)]), 3, "monthly")
    assert int(out["interest"][0, 0]) == expected


@pytest.mark.parametrize(
    ("balance", "rate", "level", "first_interest"),
    [
        # annual, 2 periods: the annuity B (1+r)^2 / (2+r) is an exact half
        (105, "0.1", 61, 11),  # 60.5 and 10.5 cents
        (10_000_310, "0.05", 5_378_216, 500_016),  # 5,378,215.5 (float 5378215.499999999)
    ],
)
def test_level_payment_cents_rounds_an_exact_half_cent_payment_up(
    balance, rate, level, first_interest
):
    with localcontext() as ctx:
        ctx.prec = 50
        assert annuity(balance, Decimal(rate), 2) == level - Decimal("0.5")
    out = level_payment_cents(np.array([balance]), np.array([float(rate)]), 2, "annual")
    assert int(out["payment"][0, 0]) == level
    assert int(out["interest"][0, 0]) == first_interest
    assert int(out["principal"][0].sum()) == balance


# ---------------------------------------------------------------- known issues


@pytest.mark.parametrize(
    ("issue", "maturity", "repayment"),
    [
        # 2024-08-31 is a Saturday -> Friday 30th, the issue date
        (dt.date(2024, 8, 30), dt.date(2025, 8, 31), "level-payment"),
        # issue on a Saturday; 2024-03-31 is a Sunday -> Friday 29th, before the issue
        (dt.date(2024, 3, 30), dt.date(2025, 3, 31), "bullet"),
        (dt.date(2024, 3, 29), dt.date(2026, 3, 31), "level-principal"),
    ],
)
def test_first_period_adjusted_onto_issue_date_is_merged(ql, issue, maturity, repayment):
    """A 1-2 day stub whose end modified-following moves onto (or before) issue_date would be
    an empty or reversed period: it becomes part of a long first period, as in QuantLib."""
    terms = SeriesTerms(
        "X", 1000, 100, "0.05", issue, maturity_date=maturity, repayment=repayment,
        business_day="modified-following", frequency="annual",
    )  # fmt: skip
    df = series_schedule(terms)
    dates = dates_of(df)
    assert dates[0] > issue and (df["year_fraction"] > 0).all() and (df["interest"] > 0).all()
    assert dates_of(df, "accrual_start") == [issue, *dates[:-1]]
    expected = ql_schedule(ql, issue, maturity, "annual", "modified-following")
    assert dates == expected[1:]  # QuantLib's schedule starts at the adjusted issue date
    if issue.weekday() < 5:
        assert expected[0] == issue


def test_adjusted_maturity_never_precedes_issue():
    issue, maturity = dt.date(2024, 3, 30), dt.date(2024, 3, 31)  # Saturday, Sunday
    try:
        terms = SeriesTerms(
            "X", 1000, 100, "0.05", issue, maturity_date=maturity, business_day="modified-following"
        )
    except ValueError:
        return  # refusing such terms is a fine answer
    df = series_schedule(terms)
    assert dates_of(df)[0] > issue
    assert (df["interest"] >= 0).all()


def test_level_payment_is_recomputed_when_a_step_starts_at_the_same_rate():
    """80,000 at 5 % monthly for 10 years, step_rates = [{from_year = 4, annual_rate = 0.05}]:
    from period 37 the payment is the annuity of 60,034.81 over 84 months, 848.53 (not the
    848.52 of the first 36 months), and the final payment 848.23 (not 849.19)."""
    terms, expected = _regular_case(
        "level-payment", "80000", "0.05", 10, "monthly", steps=[(4, "0.05")]
    )
    assert expected[35][3] == 84_852 and expected[36][0] == 6_003_481 and expected[36][3] == 84_853
    assert expected[-1][3] == 84_823
    assert money_rows(series_schedule(terms)) == expected


def test_the_kernel_aims_a_sculpted_row_at_its_target_payments():
    """100,000 $ at 4 % a year (style 3, sculpted) aiming at 3,000, 50,000 and 1 cent: the
    first target is below the 4,000 $ of interest, so the period pays its interest only; the
    second repays 50,000 - 4,000; the last repays the balance whatever its target."""
    args = (np.array([10_000_000]), np.array([[4, 4, 4]]), 100, 1, 1, np.array([3]),
            np.array([3]), np.array([0]), np.array([1]))  # fmt: skip
    out = amortize(*args, target=np.array([[300_000, 5_000_000, 1]]))
    assert out["interest"][0].tolist() == [400_000, 400_000, 216_000]
    assert out["principal"][0].tolist() == [0, 4_600_000, 5_400_000]
    with pytest.raises(ValueError, match="needs its target payments"):
        amortize(*args)
