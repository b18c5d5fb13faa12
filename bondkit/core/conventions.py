"""Market conventions: frequencies, calendar arithmetic, day counts, business days, cents.

Everything here is exact. Year fractions are :class:`fractions.Fraction` values,
money is an ``int`` number of cents, and rounding is half up (away from zero).
This module imports only the standard library, so the CLI can use it cheaply.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

__all__ = [
    "FREQUENCIES",
    "DAY_COUNTS",
    "BUSINESS_DAYS",
    "months_per_period",
    "periods_per_year",
    "add_months",
    "add_years",
    "period_end_dates",
    "adjust",
    "year_fraction",
    "exact",
    "to_cents",
    "cents_to_str",
    "money",
    "round_half_up",
    "fiscal_year",
]

#: months in one period, by frequency name
FREQUENCIES: dict[str, int] = {"annual": 12, "semi-annual": 6, "quarterly": 3, "monthly": 1}
DAY_COUNTS: tuple[str, ...] = ("30/360", "30E/360", "ACT/365F", "ACT/ACT")
BUSINESS_DAYS: tuple[str, ...] = ("unadjusted", "following", "modified-following")


def months_per_period(frequency: str) -> int:
    """Months in one period of ``frequency`` (``"quarterly"`` -> 3); an int number of months.

    >>> months_per_period("quarterly")
    3
    >>> months_per_period("semi-annual")
    6
    """
    try:
        return FREQUENCIES[frequency]
    except KeyError:
        raise ValueError(
            f"unknown frequency {frequency!r}; expected one of {list(FREQUENCIES)}"
        ) from None


def periods_per_year(frequency: str) -> int:
    """Payments per year of ``frequency`` (``"monthly"`` -> 12); an int count per year.

    >>> periods_per_year("monthly")
    12
    >>> periods_per_year("semi-annual")
    2
    """
    return 12 // months_per_period(frequency)


# ---------------------------------------------------------------- calendar arithmetic


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` moved by a whole number of months, the day clamped to the month's end.

    >>> add_months(dt.date(2024, 3, 31), -1)
    datetime.date(2024, 2, 29)
    """
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def add_years(d: dt.date, years: int) -> dt.date:
    """``d`` (a date) moved by ``years`` whole calendar years, 29 February clamped to the 28th.

    A 5-year issue dated 29 February 2024 matures on 28 February 2029:

    >>> add_years(dt.date(2024, 2, 29), 5)
    datetime.date(2029, 2, 28)
    >>> add_years(dt.date(2024, 6, 30), 3)
    datetime.date(2027, 6, 30)
    """
    return add_months(d, 12 * years)


def period_end_dates(issue_date: dt.date, maturity_date: dt.date, frequency: str) -> list[dt.date]:
    """Unadjusted period end dates, generated backward from maturity.

    Each date is ``maturity - k periods`` (clamped to the month's end); the dates kept are
    those strictly after ``issue_date``, so an odd period is a short first period.

    >>> period_end_dates(dt.date(2024, 3, 15), dt.date(2025, 1, 1), "semi-annual")
    [datetime.date(2024, 7, 1), datetime.date(2025, 1, 1)]
    """
    if maturity_date <= issue_date:
        raise ValueError("maturity_date must be after issue_date")
    step = months_per_period(frequency)
    ends: list[dt.date] = []
    k = 0
    while True:
        d = add_months(maturity_date, -k * step)
        if d <= issue_date:
            break
        ends.append(d)
        k += 1
    ends.reverse()
    return ends


# ---------------------------------------------------------------- business days (weekends only)


def adjust(d: dt.date, convention: str) -> dt.date:
    """Move ``d`` off a weekend: ``unadjusted``, ``following`` or ``modified-following``.

    >>> adjust(dt.date(2026, 1, 31), "modified-following")  # a Saturday
    datetime.date(2026, 1, 30)
    """
    if convention == "unadjusted":
        return d
    if convention not in ("following", "modified-following"):
        raise ValueError(f"unknown business-day convention {convention!r}")
    out = d
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    if convention == "modified-following" and out.month != d.month:
        out = d
        while out.weekday() >= 5:
            out -= dt.timedelta(days=1)
    return out


# ---------------------------------------------------------------- day counts


def _days_in_year(y: int) -> int:
    return 366 if calendar.isleap(y) else 365


def year_fraction(start: dt.date, end: dt.date, day_count: str) -> Fraction:
    """Exact year fraction between two dates under ``day_count``.

    - ``30/360``: bond basis (ISDA 4.16(f), QuantLib Thirty360.BondBasis).
    - ``30E/360``: Eurobond basis (ISDA 4.16(g)).
    - ``ACT/365F``: actual days / 365.
    - ``ACT/ACT``: ISDA, days in leap years / 366 plus the others / 365.

    >>> year_fraction(dt.date(2024, 1, 31), dt.date(2024, 3, 31), "30/360")
    Fraction(1, 6)
    """
    if day_count in ("30/360", "30E/360"):
        d1, d2 = start.day, end.day
        if day_count == "30/360":
            d1 = min(d1, 30)
            if d1 == 30:
                d2 = min(d2, 30)
        else:
            d1, d2 = min(d1, 30), min(d2, 30)
        days = 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)
        return Fraction(days, 360)
    if day_count == "ACT/365F":
        return Fraction((end - start).days, 365)
    if day_count == "ACT/ACT":
        if end < start:
            return -year_fraction(end, start, day_count)
        if start.year == end.year:
            return Fraction((end - start).days, _days_in_year(start.year))
        first = Fraction((dt.date(start.year + 1, 1, 1) - start).days, _days_in_year(start.year))
        last = Fraction((end - dt.date(end.year, 1, 1)).days, _days_in_year(end.year))
        return first + last + (end.year - start.year - 1)
    raise ValueError(f"unknown day count {day_count!r}; expected one of {list(DAY_COUNTS)}")


# ---------------------------------------------------------------- exact numbers and cents


def exact(x: float | int | str | Decimal | Fraction) -> Fraction:
    """The exact decimal a user wrote, as a Fraction (``0.045`` -> ``9/200``, not the binary float).

    Floats are read through their shortest repr, which is what a TOML file or a
    spreadsheet cell holds. The unit is unchanged: a rate stays a fraction (0.045 is
    4.5 %), an amount stays in currency units.

    >>> exact(0.045)
    Fraction(9, 200)
    >>> exact("0.0375")
    Fraction(3, 80)
    >>> exact(100000)
    Fraction(100000, 1)
    """
    if isinstance(x, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int | Rational):
        return Fraction(x)
    if isinstance(x, float):
        if x != x or x in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {x}")
        return Fraction(Decimal(repr(float(x))))  # float(): numpy floats repr differently
    return Fraction(Decimal(str(x)))


def round_half_up(x: Fraction | int) -> int:
    """Round an exact value to the nearest integer, halves away from zero.

    Used on amounts already expressed in cents: half a cent rounds away from zero.

    >>> from fractions import Fraction
    >>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(-5, 2))
    (3, -3)
    >>> round_half_up(Fraction(449999, 100))  # 4499.99 cents
    4500
    """
    x = Fraction(x)
    n = abs(x.numerator) * 2 + x.denominator
    q = n // (2 * x.denominator)
    return q if x >= 0 else -q


def to_cents(amount: float | int | str | Decimal | Fraction) -> int:
    """An amount of money in currency units as whole cents (int), rounded half up.

    ``1234.5`` -> ``123450``. Floats are read as the decimal written, so ``1234.565``
    is exactly half a cent above 1234.56 and rounds up:

    >>> to_cents(100000)
    10000000
    >>> to_cents(1234.565)
    123457
    >>> to_cents("0.125")
    13
    """
    return round_half_up(exact(amount) * 100)


def money(cents: float) -> float:
    """Cents as a currency amount for JSON, rounded to the cent (``1040808`` -> ``10408.08``).

    Input in cents (int or float), output a float in currency units:

    >>> money(1040808)
    10408.08
    >>> money(10000000)
    100000.0
    """
    return round(float(cents) / 100, 2)


def cents_to_str(cents: int) -> str:
    """Cents as a plain decimal string with 2 decimals and no separators (``-5`` -> ``'-0.05'``).

    Input in cents (int), output in currency units as text (for CSV):

    >>> cents_to_str(10000000)
    '100000.00'
    >>> cents_to_str(-5)
    '-0.05'
    """
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{frac:02d}"


# ---------------------------------------------------------------- fiscal years


def parse_month_day(fiscal_year_end: str) -> tuple[int, int]:
    """``"MM-DD"`` -> (month, day); raises ValueError when it is not a real date."""
    try:
        month_s, day_s = fiscal_year_end.split("-")
        if len(month_s) != 2 or len(day_s) != 2:
            raise ValueError
        month, day = int(month_s), int(day_s)
        dt.date(2000, month, day)  # a leap year, so 02-29 is accepted (clamped later)
    except (ValueError, AttributeError):
        raise ValueError(f"not a month-day such as 12-31: {fiscal_year_end!r}") from None
    return month, day


def fiscal_year(d: dt.date, fiscal_year_end: str = "12-31") -> int:
    """The fiscal year a date falls in, named by the calendar year in which it ends.

    >>> fiscal_year(dt.date(2022, 4, 1), "03-31")
    2023
    """
    month, day = parse_month_day(fiscal_year_end)
    end_this_year = dt.date(d.year, month, min(day, calendar.monthrange(d.year, month)[1]))
    return d.year if d <= end_this_year else d.year + 1
