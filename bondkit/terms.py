"""The terms of a bond series and of the issue's costs, as frozen dataclasses.

Amounts are given in the currency (``100_000`` or ``Decimal("99.95")``) and exposed in
cents (``amount_cents``); rates are fractions (``0.04`` is 4 %) read exactly as written.
The scenario layer (:mod:`bondkit.scenario`) validates user files with friendly messages;
these classes only guard their own invariants for callers who build them in code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from bondkit.conventions import (
    BUSINESS_DAYS,
    DAY_COUNTS,
    FREQUENCIES,
    add_years,
    exact,
    to_cents,
)

__all__ = ["REPAYMENTS", "INTEREST_KINDS", "StepRate", "SeriesTerms", "CostTerms"]

REPAYMENTS: tuple[str, ...] = ("bullet", "accumulating", "level-payment", "level-principal")
INTEREST_KINDS: tuple[str, ...] = ("simple", "compound")


def _decimal(x: float | int | str | Decimal) -> Decimal:
    """A number as the Decimal the user wrote (floats through their shortest repr)."""
    if isinstance(x, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(x, float):
        return Decimal(repr(x))
    return Decimal(x) if isinstance(x, int | Decimal) else Decimal(str(x))


@dataclass(frozen=True)
class StepRate:
    """A rate that applies from the start of bond year ``from_year`` (year 1 starts at issue)."""

    from_year: int
    annual_rate: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "annual_rate", _decimal(self.annual_rate))
        if self.from_year < 1:
            raise ValueError("from_year counts bond years from 1")
        if self.annual_rate < 0:
            raise ValueError("annual_rate must not be negative")


@dataclass(frozen=True)
class SeriesTerms:
    """One series of bonds.

    Parameters
    ----------
    id : str — the series name used in every output
    amount : number — principal of the series [currency]
    face_value : number — price of one bond [currency]
    annual_rate : number — nominal annual rate as a fraction [1/yr]
    issue_date : date — when the money is received and interest starts
    term_years : int or None — whole years; or give ``maturity_date``
    maturity_date : date or None
    repayment : str — bullet | accumulating | level-payment | level-principal
    interest : str or None — simple | compound (accumulating only)
    frequency : str — annual | semi-annual | quarterly | monthly
    day_count : str — 30/360 | 30E/360 | ACT/365F | ACT/ACT
    interest_only_years : int — years of interest only before amortising [yr]
    business_day : str — unadjusted | following | modified-following (weekends only)
    step_rates : tuple of StepRate — rates from a given bond year on

    >>> s = SeriesTerms("A", 100_000, 500, 0.02, dt.date(2017, 2, 1), term_years=5,
    ...                 repayment="accumulating", interest="compound")
    >>> s.maturity, s.amount_cents, s.bonds
    (datetime.date(2022, 2, 1), 10000000, 200)
    """

    id: str
    amount: Decimal
    face_value: Decimal
    annual_rate: Decimal
    issue_date: dt.date
    term_years: int | None = None
    maturity_date: dt.date | None = None
    repayment: str = "bullet"
    interest: str | None = None
    frequency: str = "annual"
    day_count: str = "30/360"
    interest_only_years: int = 0
    business_day: str = "unadjusted"
    step_rates: tuple[StepRate, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "amount", _decimal(self.amount))
        set_(self, "face_value", _decimal(self.face_value))
        set_(self, "annual_rate", _decimal(self.annual_rate))
        steps = tuple(s if isinstance(s, StepRate) else StepRate(**s) for s in self.step_rates)
        set_(self, "step_rates", tuple(sorted(steps, key=lambda s: s.from_year)))
        problems = []
        if (self.term_years is None) == (self.maturity_date is None):
            problems.append("give exactly one of term_years and maturity_date")
        elif self.maturity <= self.issue_date:
            problems.append("maturity must be after issue_date")
        if self.amount <= 0 or self.face_value <= 0:
            problems.append("amount and face_value must be positive")
        elif self.amount_cents % self.face_value_cents:
            problems.append("amount must be a whole multiple of face_value")
        if self.annual_rate < 0:
            problems.append("annual_rate must not be negative")
        if self.repayment not in REPAYMENTS:
            problems.append(f"repayment must be one of {REPAYMENTS}")
        if self.repayment == "accumulating" and self.interest not in INTEREST_KINDS:
            problems.append("an accumulating series needs interest = simple or compound")
        if self.frequency not in FREQUENCIES:
            problems.append(f"frequency must be one of {tuple(FREQUENCIES)}")
        if self.day_count not in DAY_COUNTS:
            problems.append(f"day_count must be one of {DAY_COUNTS}")
        if self.business_day not in BUSINESS_DAYS:
            problems.append(f"business_day must be one of {BUSINESS_DAYS}")
        if self.interest_only_years and self.repayment not in ("level-payment", "level-principal"):
            problems.append("interest_only_years applies to level-payment and level-principal only")
        if (
            not problems
            and self.interest_only_years
            and (add_years(self.issue_date, self.interest_only_years) >= self.maturity)
        ):
            problems.append("interest_only_years must be shorter than the term")
        if len({s.from_year for s in self.step_rates}) != len(self.step_rates):
            problems.append("two step_rates start in the same year")
        if problems:
            raise ValueError(f"series {self.id!r}: " + "; ".join(problems))

    # -- derived values -------------------------------------------------------
    @property
    def maturity(self) -> dt.date:
        """Contractual (unadjusted) maturity date."""
        if self.maturity_date is not None:
            return self.maturity_date
        return add_years(self.issue_date, int(self.term_years or 0))

    @property
    def amount_cents(self) -> int:
        return to_cents(self.amount)

    @property
    def face_value_cents(self) -> int:
        return to_cents(self.face_value)

    @property
    def bonds(self) -> int:
        """Number of bonds in the series."""
        return self.amount_cents // self.face_value_cents

    @property
    def rate(self) -> Fraction:
        """The base annual rate, exactly as written."""
        return exact(self.annual_rate)

    def year_start(self, year: int) -> dt.date:
        """Start date of bond year ``year`` (year 1 starts on issue_date)."""
        return add_years(self.issue_date, year - 1)

    def rate_at(self, d: dt.date) -> Fraction:
        """The annual rate in force on date ``d`` (step rates by bond year)."""
        rate = self.rate
        for step in self.step_rates:
            if d >= self.year_start(step.from_year):
                rate = exact(step.annual_rate)
        return rate

    def with_amount(self, amount: float | int | Decimal) -> SeriesTerms:
        """The same terms on another principal, e.g. one bond of ``face_value``."""
        return replace(self, amount=_decimal(amount))


@dataclass(frozen=True)
class CostTerms:
    """Costs of issuing, borne by the issuer.

    upfront : number — paid on the earliest issue date [currency]
    upfront_rate : number — times the total principal, paid on the earliest issue date [fraction]
    annual_admin : number — paid on each anniversary of the earliest issue date,
        up to the latest maturity [currency/yr]
    """

    upfront: Decimal = Decimal(0)
    upfront_rate: Decimal = Decimal(0)
    annual_admin: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name in ("upfront", "upfront_rate", "annual_admin"):
            value = _decimal(getattr(self, name))
            if value < 0:
                raise ValueError(f"{name} must not be negative")
            object.__setattr__(self, name, value)

    def upfront_cents(self, total_principal_cents: int) -> int:
        """Upfront costs in cents: the fixed part plus the rate times the principal."""
        return to_cents(self.upfront) + to_cents(
            exact(self.upfront_rate) * total_principal_cents / 100
        )
