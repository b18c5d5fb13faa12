"""The terms of a bond series and of the issue's costs, as frozen dataclasses.

Amounts are given in the currency (``100_000`` or ``Decimal("99.95")``) and exposed in
cents (``amount_cents``); rates are fractions (``0.04`` is 4 %) read exactly as written.
The scenario layer (:mod:`bondkit.scenario`) validates user files with friendly messages;
these classes only guard their own invariants for callers who build them in code.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from bondkit.core.conventions import (
    BUSINESS_DAYS,
    DAY_COUNTS,
    FREQUENCIES,
    add_years,
    exact,
    to_cents,
)

__all__ = [
    "REPAYMENTS",
    "SCULPTED",
    "SERIES_REPAYMENTS",
    "INTEREST_KINDS",
    "ALLOCATIONS",
    "INTEREST_STARTS",
    "StepRate",
    "SeriesTerms",
    "CostTerms",
    "rate_response",
    "Segment",
    "ArrivalShape",
    "CampaignCosts",
    "Backstop",
    "CampaignTerms",
    "RESERVE_TARGETS",
    "SinkingFund",
    "Reserve",
    "CapacityTerms",
    "RiskTerms",
    "SOURCE_KINDS",
    "PlannedAmount",
    "FundingSource",
    "Milestone",
    "PlanningTerms",
]

REPAYMENTS: tuple[str, ...] = ("bullet", "accumulating", "level-payment", "level-principal")
#: debt service shaped to a cash flow (SeriesTerms.sculpt_cash_flow): a series', no loan's
SCULPTED = "sculpted"
SERIES_REPAYMENTS: tuple[str, ...] = (*REPAYMENTS, SCULPTED)
INTEREST_KINDS: tuple[str, ...] = ("simple", "compound")


def _decimal(x: float | int | str | Decimal) -> Decimal:
    """A number as the Decimal the user wrote (floats through their shortest repr)."""
    if isinstance(x, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(x, float):
        d = Decimal(repr(x))
    else:
        d = Decimal(x) if isinstance(x, int | Decimal) else Decimal(str(x))
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x!r}")
    return d


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
    repayment : str — bullet | accumulating | level-payment | level-principal | sculpted
    interest : str or None — simple | compound (accumulating only)
    frequency : str — annual | semi-annual | quarterly | monthly
    day_count : str — 30/360 | 30E/360 | ACT/365F | ACT/ACT
    interest_only_years : int — years of interest only before amortising [yr]
    business_day : str — unadjusted | following | modified-following (weekends only)
    step_rates : tuple of StepRate — rates from a given bond year on
    sculpt_cash_flow : tuple of (fiscal year, amount), or a dict — the cash flow available
        to its debt service [currency/yr]; sculpted only (required), see core.schedule.sculpting
    fiscal_year_end : str — "MM-DD": names the fiscal year of each payment date (sculpted)

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
    sculpt_cash_flow: tuple[tuple[int, Decimal], ...] = field(default_factory=tuple)
    fiscal_year_end: str = "12-31"

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "amount", _decimal(self.amount))
        set_(self, "face_value", _decimal(self.face_value))
        set_(self, "annual_rate", _decimal(self.annual_rate))
        steps = tuple(s if isinstance(s, StepRate) else StepRate(**s) for s in self.step_rates)
        set_(self, "step_rates", tuple(sorted(steps, key=lambda s: s.from_year)))
        profile = self.sculpt_cash_flow
        pairs = profile.items() if isinstance(profile, dict) else profile
        profile = tuple(sorted((int(year), _decimal(cash)) for year, cash in pairs))
        set_(self, "sculpt_cash_flow", profile)
        problems = []
        if (self.term_years is None) == (self.maturity_date is None):
            problems.append("give exactly one of term_years and maturity_date")
        elif self.maturity <= self.issue_date:
            problems.append("maturity must be after issue_date")
        if self.amount_cents <= 0 or self.face_value_cents <= 0:
            problems.append("amount and face_value must be positive (at least one cent)")
        elif self.amount_cents % self.face_value_cents:
            problems.append("amount must be a whole multiple of face_value")
        if self.annual_rate < 0:
            problems.append("annual_rate must not be negative")
        if self.repayment not in SERIES_REPAYMENTS:
            problems.append(f"repayment must be one of {SERIES_REPAYMENTS}")
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
        if self.repayment == SCULPTED and not profile:
            problems.append("a sculpted series needs sculpt_cash_flow, by fiscal year")
        if len({year for year, _cash in profile}) != len(profile):
            problems.append("sculpt_cash_flow gives a fiscal year twice")
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


# ---------------------------------------------------------------- the subscription campaign

ALLOCATIONS: tuple[str, ...] = ("first-come", "pro-rata", "lottery")
INTEREST_STARTS: tuple[str, ...] = ("issue-date", "subscription-date")


def _fraction_in_0_1(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1")


def rate_response(conversion: float, sensitivity: float, points: float) -> float:
    """A segment's conversion when offered ``points`` percentage points above the reference
    rate (below it when negative), from its ``conversion`` at the reference rate: the odds
    c / (1 - c) times exp(sensitivity x points), i.e. logit(result) = logit(c) + sensitivity
    x points. Between 0 and 1 (0 and 1 stay), rising strictly with ``points`` when
    0 < c < 1 and sensitivity > 0, ``conversion`` itself at 0 points. Conversion 0.1, 0.5
    per point: odds 1/9 x e^0.5 = 0.1832 at +1 point, so 0.1548; at -1 point 0.0631:

    >>> round(rate_response(0.1, 0.5, 1.0), 4), round(rate_response(0.1, 0.5, -1.0), 4)
    (0.1548, 0.0631)
    >>> rate_response(0.1, 0.5, 0.0), rate_response(0.1, 0.0, 3.0)  # exactly as written
    (0.1, 0.1)
    """
    if sensitivity == 0 or points == 0 or conversion in (0, 1):
        return conversion
    x = math.log(conversion / (1 - conversion)) + sensitivity * points
    response = 1 / (1 + math.exp(min(-x, 709.0)))  # one formula: monotone in x; no overflow
    # never on the wrong side of the conversion written, even by a rounding
    return max(response, conversion) if points > 0 else min(response, conversion)


@dataclass(frozen=True)
class Segment:
    """A group of potential investors (members, users, neighbours, institutions).

    people : int — how many people the group holds
    reached : float — share of them the campaign reaches [fraction]
    supporting : float — share of those reached who support the project [fraction]
    conversion : float — share of supporters who subscribe [fraction]
        (probability that one person subscribes = reached x supporting x conversion)
    ticket_median : number — median subscription before bounds and rounding [currency]
    ticket_spread : float — sigma of the log of the subscription (lognormal); 0: all the median
    series_shares : tuple of (series id, share) — which series they choose; empty: in
        proportion to the series amounts
    pledged : float — share of its subscribers who pledged before opening and subscribe on
        opening day [fraction]
    rate_sensitivity : float — how its conversion responds to the offered rate's spread
        over the campaign's ``reference_rate`` [log-odds per percentage point]; 0: not at
        all (see :func:`rate_response`); ``conversion`` is then the conversion at a spread of 0
    """

    name: str
    people: int
    reached: float
    conversion: float
    ticket_median: Decimal
    supporting: float = 1.0
    ticket_spread: float = 0.8
    series_shares: tuple[tuple[str, float], ...] = ()
    pledged: float = 0.0
    rate_sensitivity: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticket_median", _decimal(self.ticket_median))
        if isinstance(self.series_shares, dict):
            object.__setattr__(self, "series_shares", tuple(self.series_shares.items()))
        if self.people < 0:
            raise ValueError("people must not be negative")
        for name in ("reached", "supporting", "conversion", "pledged"):
            _fraction_in_0_1(name, getattr(self, name))
        if self.ticket_median <= 0 or self.ticket_spread < 0:
            raise ValueError("ticket_median must be positive and ticket_spread not negative")
        if not 0 <= self.rate_sensitivity < math.inf:
            raise ValueError("rate_sensitivity must be a finite number, 0 or more")

    @property
    def p_subscribe(self) -> float:
        """Probability that one person of the segment subscribes (at the reference rate)."""
        return self.reached * self.supporting * self.conversion


@dataclass(frozen=True)
class ArrivalShape:
    """When subscriptions arrive, as shares of the subscribers who did not pledge.

    start_share arrive evenly over the first ``start_days`` days, final_share over the last
    ``final_days`` days, and the rest evenly in between (the lull). Defaults follow the
    published pattern of a front-loaded start and a final push (domain.md: ~30 % in the
    first days, ~35 % in the final week).
    """

    start_days: int = 7
    start_share: float = 0.30
    final_days: int = 7
    final_share: float = 0.35

    def __post_init__(self) -> None:
        _fraction_in_0_1("start_share", self.start_share)
        _fraction_in_0_1("final_share", self.final_share)
        if self.start_share + self.final_share > 1:
            raise ValueError("start_share + final_share must not exceed 1")
        if self.start_days < 1 or self.final_days < 1:
            raise ValueError("start_days and final_days must be at least 1")


@dataclass(frozen=True)
class CampaignCosts:
    """What the campaign costs the issuer.

    fixed : number — legal, printing, events [currency]
    staff_hours : number — staff time [hours]; hourly_cost [currency/hour]
    per_subscriber : number — register, receipts, statements for each subscriber [currency]
    payment_fee_rate : float — payment processing, as a share of the money collected
    commission_rate : float — commission paid to sellers, as a share of the money raised
        (a Québec non-profit loses its prospectus exemption if any is paid)
    """

    fixed: Decimal = Decimal(0)
    staff_hours: Decimal = Decimal(0)
    hourly_cost: Decimal = Decimal(0)
    per_subscriber: Decimal = Decimal(0)
    payment_fee_rate: Decimal = Decimal(0)
    commission_rate: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name in (
            "fixed",
            "staff_hours",
            "hourly_cost",
            "per_subscriber",
            "payment_fee_rate",
            "commission_rate",
        ):
            value = _decimal(getattr(self, name))
            if value < 0:
                raise ValueError(f"{name} must not be negative")
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Backstop:
    """A lender beside the community: a matching co-lender or an underwriter.

    kind : str — "match" (lends ``ratio`` dollars per community dollar, up to ``max_amount``,
        ranked behind the community holders) or "underwriter" (takes up what is missing to
        reach the minimum, up to ``max_amount``)
    annual_rate : number — its rate [fraction]; term_years : its term [yr]
    repayment : str — bullet | accumulating | level-payment | level-principal
    counts_toward_minimum : bool — whether its money counts toward the minimum raise (match)
    """

    kind: str
    max_amount: Decimal
    annual_rate: Decimal
    term_years: int
    ratio: Decimal = Decimal(1)
    repayment: str = "bullet"
    counts_toward_minimum: bool = True

    def __post_init__(self) -> None:
        for name in ("max_amount", "annual_rate", "ratio"):
            object.__setattr__(self, name, _decimal(getattr(self, name)))
        if self.kind not in ("match", "underwriter"):
            raise ValueError("kind must be match or underwriter")
        if self.max_amount < 0 or self.annual_rate < 0 or self.ratio < 0 or self.term_years < 1:
            raise ValueError(f"{self.kind}: amounts, rate and ratio must not be negative")


@dataclass(frozen=True)
class CampaignTerms:
    """The subscription campaign: who may subscribe, when, how much, and the raise bounds.

    opens, closes : date — the campaign window (subscriptions on both days)
    minimum : number — below it the issue is cancelled and everyone refunded [currency]
    target : number — what the issuer hopes to raise [currency]
    cap : number or None — the most it will accept [currency]; None: the series amounts' total
    allocation : str — first-come | pro-rata | lottery, when demand exceeds the cap
    rule_set : str — the named investor-limit rules that apply (see bondkit.data.rules)
    min_subscription : number or None — the least one investor may subscribe [currency];
        None: one bond
    max_per_investor : number or None — the most one investor may subscribe [currency];
        None: the rule set's limit, or no limit
    interest_start : str — issue-date | subscription-date: when interest starts accruing
    simulations : int — Monte Carlo campaigns
    reference_rate : number or None — what the people's savings earn elsewhere [fraction];
        given, each segment's conversion responds to the spread of the rate it is offered
        over it (``Segment.rate_sensitivity``); None: the campaign ignores the rate offered
    """

    opens: dt.date
    closes: dt.date
    minimum: Decimal
    target: Decimal
    segments: tuple[Segment, ...]
    cap: Decimal | None = None
    allocation: str = "first-come"
    rule_set: str = "none"
    min_subscription: Decimal | None = None
    max_per_investor: Decimal | None = None
    interest_start: str = "issue-date"
    simulations: int = 10_000
    arrivals: ArrivalShape = field(default_factory=ArrivalShape)
    costs: CampaignCosts = field(default_factory=CampaignCosts)
    match: Backstop | None = None
    underwriter: Backstop | None = None
    reference_rate: Decimal | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in ("minimum", "target", "cap", "min_subscription", "max_per_investor"):
            value = getattr(self, name)
            if value is not None:
                set_(self, name, _decimal(value))
        set_(self, "segments", tuple(self.segments))
        if self.reference_rate is not None:
            set_(self, "reference_rate", _decimal(self.reference_rate))
        problems = []
        if self.closes < self.opens:
            problems.append("closes must not be before opens")
        if self.minimum < 0 or self.target < self.minimum:
            problems.append("need 0 <= minimum <= target")
        if self.cap is not None and self.cap < self.target:
            problems.append("cap must not be below target")
        if self.allocation not in ALLOCATIONS:
            problems.append(f"allocation must be one of {ALLOCATIONS}")
        if self.interest_start not in INTEREST_STARTS:
            problems.append(f"interest_start must be one of {INTEREST_STARTS}")
        if (
            self.min_subscription is not None
            and self.max_per_investor is not None
            and self.max_per_investor < self.min_subscription
        ):
            problems.append("max_per_investor must not be below min_subscription")
        if self.simulations < 1:
            problems.append("simulations must be at least 1")
        if not self.segments:
            problems.append("a campaign needs at least one segment")
        if self.reference_rate is None:
            if any(seg.rate_sensitivity for seg in self.segments):
                problems.append("a segment's rate_sensitivity needs a reference_rate")
        elif not 0 <= self.reference_rate <= 1:
            problems.append("reference_rate must be a fraction from 0 to 1")
        if self.arrivals.start_days + self.arrivals.final_days > self.days:
            problems.append("start_days + final_days must fit in the campaign window")
        if problems:
            raise ValueError("campaign: " + "; ".join(problems))

    @property
    def days(self) -> int:
        """Length of the window in days, both ends included."""
        return (self.closes - self.opens).days + 1


# ---------------------------------------------------------------- the enterprise's capacity

RESERVE_TARGETS: tuple[str, ...] = ("max-annual-debt-service", "months-of-next-year")


@dataclass(frozen=True)
class SinkingFund:
    """Equal deposits at each fiscal year end, earning ``rate``, that accumulate the principal
    due at each maturity of the bullet and accumulating series [rate: fraction/yr]."""

    rate: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", _decimal(self.rate))
        if self.rate < 0:
            raise ValueError("sinking fund rate must not be negative")


@dataclass(frozen=True)
class Reserve:
    """A reserve account kept in cash.

    target : str — max-annual-debt-service (the largest annual debt service of the issue) or
        months-of-next-year (``months`` of the issue's debt service of the next fiscal year;
        other debt is not counted)
    months : int — with months-of-next-year [months]
    """

    target: str = "max-annual-debt-service"
    months: int = 6

    def __post_init__(self) -> None:
        if self.target not in RESERVE_TARGETS:
            raise ValueError(f"reserve target must be one of {RESERVE_TARGETS}")
        if not 0 <= self.months <= 36:
            raise ValueError("reserve months must be between 0 and 36")


@dataclass(frozen=True)
class CapacityTerms:
    """The enterprise's cash flow available for debt service, by fiscal year.

    cash_flow : tuple of numbers — by fiscal year from ``first_fiscal_year`` [currency/yr];
        or give ``cash_flow_base`` and ``cash_flow_growth`` [fraction/yr]
    first_fiscal_year : int or None — default: the fiscal year of the earliest issue date
    other_debt_service : tuple of numbers — other debt (e.g. a mortgage) by fiscal year; one
        number means every year [currency/yr]
    opening_cash, minimum_cash : numbers [currency]
    coverage_threshold : float — the coverage ratio below which a year is flagged
    sizing_rate, sizing_term_years : the loan assumed when sizing the largest issue; default:
        the series' amount-weighted rate and the longest term
    """

    cash_flow: tuple[Decimal, ...] = ()
    cash_flow_base: Decimal | None = None
    cash_flow_growth: Decimal = Decimal(0)
    first_fiscal_year: int | None = None
    other_debt_service: tuple[Decimal, ...] = ()
    opening_cash: Decimal = Decimal(0)
    minimum_cash: Decimal = Decimal(0)
    coverage_threshold: Decimal = Decimal("1.25")
    sizing_rate: Decimal | None = None
    sizing_term_years: int | None = None
    sinking_fund: SinkingFund | None = None
    reserve: Reserve | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "cash_flow", tuple(_decimal(x) for x in self.cash_flow))
        set_(self, "other_debt_service", tuple(_decimal(x) for x in self.other_debt_service))
        for name in ("cash_flow_base", "sizing_rate"):
            if getattr(self, name) is not None:
                set_(self, name, _decimal(getattr(self, name)))
        for name in ("cash_flow_growth", "opening_cash", "minimum_cash", "coverage_threshold"):
            set_(self, name, _decimal(getattr(self, name)))
        if bool(self.cash_flow) == (self.cash_flow_base is not None):
            raise ValueError("give exactly one of cash_flow and cash_flow_base")
        if self.coverage_threshold <= 0:
            raise ValueError("coverage_threshold must be positive")


# ---------------------------------------------------------------- redemption and renewal risk


@dataclass(frozen=True)
class RiskTerms:
    """Early redemptions and renewals at maturity, simulated holder by holder.

    annual_probability : float — a holder's chance of asking to redeem in a year, after the
        lock-in (segments not listed in ``segment_probability``) [fraction/yr]
    segment_probability : tuple of (segment name, probability) — by campaign segment
    lock_in_years : int — no redemption in the first years [yr]
    notice_months : int — a request is paid this long after it is made [months]
    annual_cap : float or None — the most redeemed in a fiscal year, as a share of the
        issue's principal; requests beyond it wait for the next year, in order
    stress_probability : float — chance that a year is a stress year (common to all holders)
    stress_annual_probability : float — a holder's chance of asking in a stress year
    renewal_rate : float — chance that a holder rolls over into a new bond at maturity
    shortfall_level : float — the shortfall probability the recommended reserve keeps under
    holding : number — size of each holding when there is no campaign register [currency]
    paths : int — simulated paths
    """

    annual_probability: float = 0.02
    segment_probability: tuple[tuple[str, float], ...] = ()
    lock_in_years: int = 0
    notice_months: int = 0
    annual_cap: float | None = None
    stress_probability: float = 0.0
    stress_annual_probability: float = 0.0
    renewal_rate: float = 0.65
    shortfall_level: float = 0.05
    holding: Decimal = Decimal(1000)
    paths: int = 10_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "holding", _decimal(self.holding))
        if isinstance(self.segment_probability, dict):
            object.__setattr__(self, "segment_probability", tuple(self.segment_probability.items()))
        for name in (
            "annual_probability",
            "stress_probability",
            "stress_annual_probability",
            "renewal_rate",
            "shortfall_level",
        ):
            _fraction_in_0_1(name, getattr(self, name))
        for name, p in self.segment_probability:
            _fraction_in_0_1(f"segment_probability[{name}]", p)
        if self.annual_cap is not None:
            _fraction_in_0_1("annual_cap", self.annual_cap)
        if self.lock_in_years < 0 or self.notice_months < 0 or self.paths < 1 or self.holding <= 0:
            raise ValueError(
                "lock_in_years and notice_months must not be negative; paths and holding positive"
            )

    def probability(self, segment: str | None) -> float:
        """A holder's annual probability of asking to redeem, by segment (outside stress)."""
        return dict(self.segment_probability).get(segment, self.annual_probability)


# ---------------------------------------------------------------- planning (booklet 3, step 1)

#: kinds of the sources of funds written in ``[[planning.sources]]``; the community bond
#: issue itself is always a source, computed from the series, never one of these
SOURCE_KINDS: tuple[str, ...] = ("own-funds", "grant", "loan", "other-bonds", "other")


def _item_text(what: str, item: str) -> None:
    if not isinstance(item, str) or not item.strip():
        raise ValueError(f"{what}: item must be non-empty text")


def _cents_at_least_0(what: str, cents: int) -> None:
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise ValueError(f"{what}: amount_cents must be a whole number of cents, 0 or more")


@dataclass(frozen=True)
class PlannedAmount:
    """One line of money in the plan: a use of funds or an item of the pre-issue budget.

    item : str — what the money is for ("Seats", "Legal review")
    amount_cents : int — [cents]
    """

    item: str
    amount_cents: int

    def __post_init__(self) -> None:
        _item_text("planned amount", self.item)
        _cents_at_least_0("planned amount", self.amount_cents)


@dataclass(frozen=True)
class FundingSource:
    """One source of funds beside the bond issue (a grant, a loan, own funds...).

    item : str — who or what provides it ("Ville de Montréal")
    amount_cents : int — [cents]
    kind : str — one of :data:`SOURCE_KINDS`
    """

    item: str
    amount_cents: int
    kind: str = "other"

    def __post_init__(self) -> None:
        _item_text("funding source", self.item)
        _cents_at_least_0("funding source", self.amount_cents)
        if self.kind not in SOURCE_KINDS:
            raise ValueError(f"funding source kind must be one of {SOURCE_KINDS}")


@dataclass(frozen=True)
class Milestone:
    """A dated step of the issue's timeline (board decision, offering document ready...)."""

    item: str
    date: dt.date

    def __post_init__(self) -> None:
        _item_text("milestone", self.item)
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise ValueError("milestone: date must be a date")


@dataclass(frozen=True)
class PlanningTerms:
    """The plan of the issue (TIESS booklet 3, step 1): need, capital stack, timeline, budget.

    uses : tuple of PlannedAmount — what the money is for; their total is the project cost
    sources : tuple of FundingSource — the other sources of funds; the bond issue (the total
        principal of the series) is added by the caller, never written here
    milestones : tuple of Milestone — in the order written
    budget : tuple of PlannedAmount — the pre-issue budget (legal, printing...); planning
        only: the cost model uses :class:`CostTerms`, not this

    Money in cents. A grant of 30 000 $ and a bond issue of 100 000 $ against uses of
    140 000 $ leave a gap of 10 000 $:

    >>> plan = PlanningTerms(
    ...     uses=(PlannedAmount("Seats", 12_000_000), PlannedAmount("Screen", 2_000_000)),
    ...     sources=(FundingSource("Grant", 3_000_000, "grant"),),
    ... )
    >>> plan.total_uses_cents, plan.gap_cents(10_000_000)
    (14000000, 1000000)
    >>> plan.source_shares(10_000_000)
    (0.7692307692307693, 0.23076923076923078)
    """

    uses: tuple[PlannedAmount, ...] = ()
    sources: tuple[FundingSource, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    budget: tuple[PlannedAmount, ...] = ()

    def __post_init__(self) -> None:
        for name in ("uses", "sources", "milestones", "budget"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def total_uses_cents(self) -> int:
        """Total project cost: the sum of the uses [cents]."""
        return sum(u.amount_cents for u in self.uses)

    @property
    def other_sources_cents(self) -> int:
        """The sources written in the plan, without the bond issue [cents]."""
        return sum(s.amount_cents for s in self.sources)

    @property
    def total_budget_cents(self) -> int:
        """The pre-issue budget [cents]."""
        return sum(b.amount_cents for b in self.budget)

    def total_sources_cents(self, bond_issue_cents: int) -> int:
        """Every source, the bond issue (``bond_issue_cents``, the total principal) included."""
        return self.other_sources_cents + int(bond_issue_cents)

    def gap_cents(self, bond_issue_cents: int) -> int:
        """Uses minus sources, the bond issue included: above 0, the plan is short of money;
        at or below 0, the sources cover the uses [cents]."""
        return self.total_uses_cents - self.total_sources_cents(bond_issue_cents)

    def source_shares(self, bond_issue_cents: int) -> tuple[float, ...]:
        """Each source's share of all sources: the bond issue first, then the sources in
        the order written (shares of nothing are 0)."""
        total = self.total_sources_cents(bond_issue_cents)
        amounts = (int(bond_issue_cents), *(s.amount_cents for s in self.sources))
        return tuple(a / total if total else 0.0 for a in amounts)
