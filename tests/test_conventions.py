"""bondkit.core.conventions against independent sources: QuantLib, hand values, decimal.

Expected values never come from bondkit: they are QuantLib's (live, or stored in
tests/reference/day_counts.csv by tests/reference/make_reference.py), written by hand
from the rules of scenario-format.md, or computed with the standard library's decimal.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ql_helpers import py_date, ql_convention, ql_date, ql_day_counter

from bondkit.core.conventions import (
    add_months,
    add_years,
    adjust,
    cents_to_str,
    exact,
    fiscal_year,
    round_half_up,
    to_cents,
    year_fraction,
)

REFERENCE = Path(__file__).resolve().parent / "reference"
# lcm(360, 365, 366): every year fraction of these day counts is k / this
YF_DENOMINATOR = 1_603_080
# the dates QuantLib handles (its ACT/ACT ISDA needs 1 January of the next year)
QL_DATES = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2198, 12, 31))
DAY_COUNTS = ("30/360", "30E/360", "ACT/365F", "ACT/ACT")
CONVENTIONS = ("unadjusted", "following", "modified-following")


def exact_from_quantlib(yf: float) -> Fraction:
    """The exact rational a QuantLib year fraction (a double) stands for."""
    k = round(yf * YF_DENOMINATOR)
    assert abs(yf * YF_DENOMINATOR - k) < 1e-6
    return Fraction(k, YF_DENOMINATOR)


def decimal_half_up(x: Fraction) -> int:
    """Independent rounding: decimal's ROUND_HALF_UP at 100 digits."""
    with localcontext() as ctx:
        ctx.prec = 100
        return int(
            (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1), ROUND_HALF_UP)
        )


# ---------------------------------------------------------------- calendar arithmetic


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap February
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2024, 5, 31), -1, dt.date(2024, 4, 30)),
        (dt.date(2024, 8, 31), 1, dt.date(2024, 9, 30)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2024, 2, 29), -12, dt.date(2023, 2, 28)),
        (dt.date(2024, 1, 15), -13, dt.date(2022, 12, 15)),  # across a year backward
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2024, 12, 31), 2, dt.date(2025, 2, 28)),
        (dt.date(2024, 6, 30), 0, dt.date(2024, 6, 30)),
        (dt.date(2025, 3, 31), -12 * 5 - 1, dt.date(2020, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(
    d=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2140, 12, 31)),
    months=st.integers(-600, 600),
)
@settings(max_examples=200)
def test_add_months_matches_quantlib(ql, d, months):
    assert add_months(d, months) == py_date(ql_date(ql, d) + ql.Period(months, ql.Months))


@given(
    d=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2140, 12, 31)),
    years=st.integers(-50, 50),
)
@settings(max_examples=150)
def test_add_years_matches_quantlib(ql, d, years):
    # QuantLib clamps 29 February to the 28th, as the contract's maturity rule does
    assert add_years(d, years) == py_date(ql_date(ql, d) + ql.Period(years, ql.Years))


def test_add_years_clamps_leap_day():
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


# ---------------------------------------------------------------- business days


@pytest.mark.parametrize(
    ("d", "convention", "expected"),
    [
        (dt.date(2026, 1, 31), "unadjusted", dt.date(2026, 1, 31)),  # a Saturday
        (dt.date(2026, 1, 31), "following", dt.date(2026, 2, 2)),
        (dt.date(2026, 1, 31), "modified-following", dt.date(2026, 1, 30)),
        (dt.date(2024, 3, 31), "following", dt.date(2024, 4, 1)),  # a Sunday
        (dt.date(2024, 3, 31), "modified-following", dt.date(2024, 3, 29)),
        (dt.date(2024, 6, 15), "following", dt.date(2024, 6, 17)),  # a Saturday mid-month
        (dt.date(2024, 6, 15), "modified-following", dt.date(2024, 6, 17)),
        (dt.date(2024, 6, 12), "modified-following", dt.date(2024, 6, 12)),  # a Wednesday
        (dt.date(2024, 11, 30), "following", dt.date(2024, 12, 2)),
        (dt.date(2024, 11, 30), "modified-following", dt.date(2024, 11, 29)),
    ],
)
def test_adjust_by_hand(d, convention, expected):
    assert adjust(d, convention) == expected


@given(d=QL_DATES, convention=st.sampled_from(CONVENTIONS))
@settings(max_examples=200)
def test_adjust_matches_quantlib_weekends_only(ql, d, convention):
    expected = ql.WeekendsOnly().adjust(ql_date(ql, d), ql_convention(ql, convention))
    assert adjust(d, convention) == py_date(expected)


def test_adjust_rejects_unknown_convention():
    with pytest.raises(ValueError, match="business-day"):
        adjust(dt.date(2024, 6, 15), "preceding")


# ---------------------------------------------------------------- day counts


def _day_count_rows() -> list[dict]:
    with open(REFERENCE / "day_counts.csv", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@pytest.mark.parametrize(
    "row", _day_count_rows(), ids=lambda r: f"{r['day_count']}:{r['start']}->{r['end']}"
)
def test_year_fraction_matches_stored_quantlib_values(row):
    """Edge cases (February ends, 31sts, leap years, reversed dates) stored from QuantLib 1.44."""
    start, end = dt.date.fromisoformat(row["start"]), dt.date.fromisoformat(row["end"])
    got = year_fraction(start, end, row["day_count"])
    assert got == Fraction(int(row["numerator"]), int(row["denominator"]))
    assert float(got) == pytest.approx(float(row["quantlib_year_fraction"]), rel=1e-14, abs=1e-14)


@pytest.mark.parametrize(
    ("start", "end", "day_count", "expected"),
    [
        # by hand from the contract's formulas
        (dt.date(2024, 1, 31), dt.date(2024, 3, 31), "30/360", Fraction(60, 360)),
        # D1 < 30: D2 = 31 is kept in bond basis
        (dt.date(2024, 1, 29), dt.date(2024, 3, 31), "30/360", Fraction(62, 360)),
        (dt.date(2024, 1, 29), dt.date(2024, 3, 31), "30E/360", Fraction(61, 360)),
        (dt.date(2024, 2, 29), dt.date(2024, 3, 31), "30/360", Fraction(32, 360)),  # no Feb rule
        (dt.date(2024, 2, 29), dt.date(2024, 3, 31), "30E/360", Fraction(31, 360)),
        (
            dt.date(2023, 12, 31),
            dt.date(2024, 12, 31),
            "ACT/ACT",
            Fraction(1, 365) + Fraction(365, 366),
        ),
        (dt.date(2023, 12, 31), dt.date(2024, 12, 31), "ACT/365F", Fraction(366, 365)),
        (dt.date(2020, 2, 29), dt.date(2024, 2, 29), "ACT/ACT", Fraction(4)),
        (dt.date(2024, 3, 31), dt.date(2024, 1, 31), "30/360", Fraction(-60, 360)),
    ],
)
def test_year_fraction_by_hand(start, end, day_count, expected):
    assert year_fraction(start, end, day_count) == expected


@given(d1=QL_DATES, d2=QL_DATES, day_count=st.sampled_from(DAY_COUNTS))
@settings(max_examples=200)
def test_year_fraction_matches_quantlib(ql, d1, d2, day_count):
    expected = ql_day_counter(ql, day_count).yearFraction(ql_date(ql, d1), ql_date(ql, d2))
    got = year_fraction(d1, d2, day_count)
    assert isinstance(got, Fraction)
    assert float(got) == pytest.approx(expected, rel=1e-14, abs=1e-14)
    assert got == exact_from_quantlib(expected)


@given(
    d1=QL_DATES,
    days=st.integers(0, 800),
    day_count=st.sampled_from(DAY_COUNTS),
)
@settings(max_examples=200)
def test_year_fraction_near_month_ends_matches_quantlib(ql, d1, days, day_count):
    """Pairs ending on a month's last days, where the 30/360 rules differ."""
    end = d1 + dt.timedelta(days=days)
    last = calendar.monthrange(end.year, end.month)[1]
    end = end.replace(day=max(end.day, last - 2))
    if end < d1 or end.year > 2198:
        end = d1
    expected = ql_day_counter(ql, day_count).yearFraction(ql_date(ql, d1), ql_date(ql, end))
    assert year_fraction(d1, end, day_count) == exact_from_quantlib(expected)


def test_year_fraction_rejects_unknown_day_count():
    with pytest.raises(ValueError, match="day count"):
        year_fraction(dt.date(2024, 1, 1), dt.date(2025, 1, 1), "ACT/360")


# ---------------------------------------------------------------- exact numbers and cents


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (Fraction(1, 2), 1),
        (Fraction(-1, 2), -1),
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
        (Fraction(3, 2), 2),
        (Fraction(-3, 2), -2),
        (Fraction(2_000_001, 2), 1_000_001),
        (Fraction(1, 2) - Fraction(1, 10**30), 0),
        (Fraction(-1, 2) + Fraction(1, 10**30), 0),
        (Fraction(1, 2) + Fraction(1, 10**30), 1),
        (Fraction(49, 100), 0),
        (Fraction(-51, 100), -1),
        (0, 0),
        (7, 7),
        (-7, -7),
    ],
)
def test_round_half_up_by_hand(x, expected):
    assert round_half_up(x) == expected


@given(
    x=st.one_of(
        st.fractions(max_denominator=10**6, min_value=-(10**9), max_value=10**9),
        st.integers(-(10**12), 10**12).map(lambda k: Fraction(2 * k + 1, 2)),  # exact halves
    )
)
@settings(max_examples=200)
def test_round_half_up_matches_decimal(x):
    assert round_half_up(x) == decimal_half_up(x)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0.1 + 0.2, 30),  # 0.30000000000000004
        (0.30000000000000004, 30),
        (1.005, 101),  # binary 1.00499999999999989...: read as the 1.005 a user wrote
        ("1.005", 101),
        (2.675, 268),
        (Decimal("2.675"), 268),
        (1.15, 115),
        (0.015, 2),
        ("0.125", 13),
        ("-0.125", -13),
        ("-0.005", -1),
        ("0.004999", 0),
        (1234.5, 123_450),
        (100_000, 10_000_000),
        (Fraction(1, 3), 33),
        (Fraction(1, 200), 1),
        (1e-3, 0),
        ("19.99", 1999),
        (19.99, 1999),
        (Decimal("99.995"), 10_000),
    ],
)
def test_to_cents(amount, expected):
    assert to_cents(amount) == expected


@given(units=st.integers(-(10**9), 10**9), decimals=st.integers(0, 4))
@settings(max_examples=200)
def test_to_cents_of_a_written_float_matches_decimal(units, decimals):
    written = Decimal(units).scaleb(-decimals)  # what the user wrote
    as_float = float(written)
    expected = int((written * 100).quantize(Decimal(1), ROUND_HALF_UP))
    assert to_cents(as_float) == expected
    assert to_cents(str(written)) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.045, Fraction(9, 200)),
        ("0.045", Fraction(9, 200)),
        (0.1, Fraction(1, 10)),
        (3, Fraction(3)),
    ],
)
def test_exact_reads_what_was_written(x, expected):
    assert exact(x) == expected


def test_exact_refuses_booleans_and_non_finite():
    with pytest.raises(TypeError):
        exact(True)
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            exact(bad)


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (0, "0.00"),
        (-5, "-0.05"),
        (123_456, "1234.56"),
        (-100, "-1.00"),
        (7, "0.07"),
        (10**12, "10000000000.00"),
    ],
)
def test_cents_to_str(cents, expected):
    assert cents_to_str(cents) == expected


# ---------------------------------------------------------------- fiscal years


@pytest.mark.parametrize(
    ("d", "fye", "expected"),
    [
        (dt.date(2022, 3, 31), "03-31", 2022),
        (dt.date(2022, 4, 1), "03-31", 2023),
        (dt.date(2022, 12, 31), "03-31", 2023),
        (dt.date(2023, 1, 15), "03-31", 2023),
        (dt.date(2024, 6, 30), "06-30", 2024),
        (dt.date(2024, 7, 1), "06-30", 2025),
        (dt.date(2025, 1, 1), "06-30", 2025),
        (dt.date(2024, 12, 31), "12-31", 2024),
        (dt.date(2025, 1, 1), "12-31", 2025),
        (dt.date(2024, 1, 1), "12-31", 2024),
        (dt.date(2024, 2, 29), "02-29", 2024),
        (dt.date(2024, 3, 1), "02-29", 2025),
        (dt.date(2023, 2, 28), "02-29", 2023),  # a non-leap year ends on the 28th
        (dt.date(2023, 3, 1), "02-29", 2024),
        (dt.date(2025, 2, 28), "02-29", 2025),
        (dt.date(2025, 3, 1), "02-29", 2026),
    ],
)
def test_fiscal_year_by_hand(d, fye, expected):
    assert fiscal_year(d, fye) == expected


def _fiscal_year_end(year: int, fye: str) -> dt.date:
    month, day = int(fye[:2]), int(fye[3:])
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@given(
    d=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31)),
    end=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2000, 12, 31)),  # a leap year
)
@settings(max_examples=200)
def test_fiscal_year_is_named_by_the_year_it_ends(d, end):
    fye = end.strftime("%m-%d")
    y = fiscal_year(d, fye)
    assert _fiscal_year_end(y - 1, fye) < d <= _fiscal_year_end(y, fye)


@pytest.mark.parametrize("bad", ["02-30", "13-01", "1231", "12/31", "2-28"])
def test_fiscal_year_rejects_bad_month_day(bad):
    with pytest.raises(ValueError):
        fiscal_year(dt.date(2024, 1, 1), bad)
