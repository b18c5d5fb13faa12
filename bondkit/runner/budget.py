"""Bounded work, stated up front: the memory and time of a run, estimated from the
scenario's sizes before anything is simulated, and refused above a limit (issue #11).

:func:`estimate` reads only sizes: the series (how many, how many payments), the
campaign (simulated campaigns x expected subscribers, the window's days, the range of a
ticket in bonds) and the risk model (paths x holders, paths x fiscal years x series). Each
size costs a measured number of bytes and seconds (the constants below); the parts that
run one after the other (the campaign, then the risk model) count as the larger of the
two for memory and as their sum for time. :func:`check_budget` refuses, with a
:class:`BudgetError` that names the key to turn, a run whose estimate exceeds the limits:
by default :data:`DEFAULT_MAX_MEMORY` (4 GiB) and :data:`DEFAULT_MAX_TIME` (15 minutes);
``bondkit run|compare|sweep --max-memory 8G --max-time 1h`` and ``run(scenario,
max_memory="8G", max_time="1h")`` raise them. :func:`bondkit.runner.run` calls it first.

How the constants were measured: ``tracemalloc``'s peak during :func:`bondkit.runner.run`
(above what was allocated before it), and the best of two wall times without tracemalloc,
on the 2-core development machine (2026-12-02; Python 3.11, numpy 2.4, pandas 3.1). Each
is the slope between two or three sizes of one part, the others kept small, from the
Cinéma du Parc example (``scenarios/cinema-du-parc-2016.toml``). Times moved by up to 2x
with the machine's load (other work on the two cores); the constants are the quieter runs:

=========================  ==============================================  =================
per ...                    measured on                                     bytes, seconds
=========================  ==============================================  =================
simulated subscriber       the Cinéma campaign alone, people x1, x4, x16    148 B, 0.45 us
                           (1.0, 4.1, 16.5 million subscribers over 10,000
                           campaigns): 152, 606, 2,421 MB; 0.5, 1.4-2.6,
                           7-11 s
simulated campaign x day   one subscriber a campaign, 700 days, 100,000     23.2 B, 0.08 us
                           and 400,000 campaigns: 1,624 and 6,494 MB;
                           3.8-8 s and 33 s
ticket size                4 segments, tickets of 1 to 100,000 and          16 B kept, 100 B
                           1,000,000 bonds of 1 $: 13 and 130 MB, 2.5 s     drawn; 0.31 us
holder of the risk model   [risk] alone, 100 paths, 100,000 and 1,000,000   515 B, 1 us
                           holdings of 1,000 $: 55 and 543 MB
(path, holder)             100,000 holders x 100 and 1,000 paths:           8 ns
                           0.13-0.32 and 0.5-1.4 s
(path, fiscal year)        [risk] alone, 400,000 paths x 6 years:           112 B, 0.8 us
                           270-327 MB, 1.5-4.4 s
(series, path, year)       100 series x 10,000 and 40,000 paths: 110 and    17 B, 0.4 us
                           437 MB, 3-7 and 7.5-18 s
series                     200, 800 annual 5-year series: 2.1, 8.8 s        10 ms
payment x bond year        50 monthly 30-year series: 11.7 s               25 us
                           (``simple_vs_compound`` reprices every year)
month of a series' term    the risk model's repayment plan, 30-year         0.4 ms + 1.6 us
(risk)                     series, annual and monthly: 0.2-2.1 s            a payment (15 us
                                                                            accumulating)
=========================  ==============================================  =================

Measured against the estimate (``tests/test_budget.py`` checks the first three): Le Grand
Costumier 32 MB (estimate 39), Cinéma du Parc 152 MB (166), 100,000 holders 55 MB (64),
1,000,000 holders 543 MB (520), 400,000 paths 270 MB (311), 100 series x 40,000 paths
437 MB (418), the Cinéma campaign x16 2,421 MB (2,347), 50,000 campaigns over 731 days
1.37 GB (1.51); its time within 0.4x to 3x. Python itself and the libraries take about
250 MB more, which the limit does not count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bondkit.core.conventions import fiscal_year, periods_per_year, to_cents
from bondkit.errors import BondkitError, Message
from bondkit.models.campaign import series_shares

if TYPE_CHECKING:
    from bondkit.core.terms import CampaignTerms, RiskTerms, SeriesTerms
    from bondkit.scenario import Scenario

__all__ = [
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_MAX_TIME",
    "BudgetError",
    "Part",
    "Estimate",
    "estimate",
    "check_budget",
    "parse_size",
    "parse_duration",
]

#: the memory a run may take by default [bytes]: 4 GiB
DEFAULT_MAX_MEMORY = 4 * 2**30
#: the computing time a run may take by default, as estimated for 2 cores [seconds]
DEFAULT_MAX_TIME = 15 * 60

# ---------------------------------------------------------------- the measured constants
# bytes and seconds per unit of each size (see the module's docstring for how)
FIXED_BYTES, FIXED_SECONDS = 2e6, 0.1  # a small run: schedules, metrics, frames
SERIES_SECONDS = 10e-3  # per series: its schedule, yield, durations (annual, 5 years)
ROW_BYTES = 300.0  # per payment row of the schedules and their frames
PAYMENT_YEAR_SECONDS = 25e-6  # per payment x bond year of a series (simple vs compound)
SUBSCRIBER_BYTES, SUBSCRIBER_SECONDS = 148.0, 0.45e-6  # per simulated subscriber
CAMPAIGN_DAY_BYTES, CAMPAIGN_DAY_SECONDS = 23.2, 0.08e-6  # per simulated campaign x day
SEGMENT_BYTES = 48.0  # per simulated campaign x segment (the binomial draws)
TICKET_KEPT_BYTES, TICKET_DRAWN_BYTES = 16.0, 100.0  # per possible ticket size
TICKET_SECONDS = 0.31e-6  # per possible ticket size, segment and series (drawn twice)
EXPECTED_ROW_BYTES, EXPECTED_ROW_SECONDS = 600.0, 10e-6  # segment x series x week
HOLDER_BYTES, HOLDER_SECONDS = 515.0, 1e-6  # per holder of the risk model
PAIR_SECONDS = 8e-9  # per (path, holder)
BLOCK_BYTES = 10.0  # per (path, holder) of a block being drawn, per thread
PATH_YEAR_BYTES, PATH_YEAR_SECONDS = 112.0, 0.8e-6  # per (path, fiscal year)
SERIES_PATH_YEAR_BYTES, SERIES_PATH_YEAR_SECONDS = 17.0, 0.4e-6  # per (series, path, year)
# the risk model's repayment plan of a series: per month of its term, and per month x
# payment (an accumulating series computes its accrued interest at every month)
PLAN_MONTH_SECONDS, PLAN_STEP_SECONDS, PLAN_ACCUMULATING_SECONDS = 0.4e-3, 1.6e-6, 15e-6


class BudgetError(BondkitError):
    """A run refused before it starts: its estimate exceeds a limit. The message names
    the scenario key to turn and the option that raises the limit; the command line exits
    2 (bad input) and writes nothing."""

    exit_code = 2


@dataclass(frozen=True)
class Part:
    """One size of a run and what it costs: ``memory`` [bytes], ``seconds`` [s];
    ``what`` says the size in the scenario's words, ``fix`` the keys that change it."""

    name: str
    memory: float
    seconds: float
    what: Message
    fix: Message


@dataclass(frozen=True)
class Estimate:
    """A run's estimated peak memory [bytes] and computing time [s], and its parts."""

    memory: int
    seconds: float
    parts: tuple[Part, ...]

    def largest(self, by: str) -> Part:
        """The part that costs the most ``"memory"`` or ``"seconds"``."""
        return max(self.parts, key=lambda p: getattr(p, by))


# ---------------------------------------------------------------- the sizes of each part


def _payments(s: SeriesTerms) -> tuple[int, int, int]:
    """(months, bond years, payments) of a series, from its dates and frequency."""
    months = (s.maturity.year - s.issue_date.year) * 12 + s.maturity.month - s.issue_date.month
    months = max(months, 1)
    years = -(-months // 12)
    return months, years, -(-months * periods_per_year(s.frequency) // 12) + 1


def _series_part(
    series: list[SeriesTerms], campaign: CampaignTerms | None, risk: RiskTerms | None
) -> Part:
    payments = [_payments(s) for s in series]
    rows = sum(p for _, _, p in payments)
    steps = sum(y * p for _, y, p in payments)
    twice = 2 if campaign is not None else 1  # and the median campaign's issue
    memory = ROW_BYTES * rows * twice
    seconds = SERIES_SECONDS * len(series) + PAYMENT_YEAR_SECONDS * steps * twice
    if campaign is not None:
        weeks = -(-campaign.days // 7)
        expected_rows = len(campaign.segments) * len(series) * weeks
        memory += EXPECTED_ROW_BYTES * expected_rows
        seconds += EXPECTED_ROW_SECONDS * expected_rows
    if risk is not None:
        for s, (months, _, p) in zip(series, payments, strict=True):
            step = PLAN_ACCUMULATING_SECONDS if s.repayment == "accumulating" else PLAN_STEP_SECONDS
            seconds += months * (PLAN_MONTH_SECONDS + step * p)
    most = max(p for _, _, p in payments)
    return Part(
        "series",
        memory,
        seconds,
        Message("msg.budget_series", n=len(series), payments=most),
        Message("msg.budget_series_fix"),
    )


def _mean_ticket(segment, low: int, high: int) -> float:
    """A segment's mean ticket within [low, high] cents (the lognormal's mean, bounded)."""
    median = float(segment.ticket_median) * 100
    mean = median * math.exp(min(segment.ticket_spread, 10.0) ** 2 / 2)
    return min(max(mean, low), high)


def _campaign_parts(terms: CampaignTerms, series: list[SeriesTerms]) -> list[Part]:
    from bondkit.models.campaign import ticket_bounds

    n, days, segments = terms.simulations, terms.days, len(terms.segments)
    per = sum(g.people * g.p_subscribe for g in terms.segments)
    subscribers = n * per
    parts = [
        Part(
            "campaign.subscribers",
            SUBSCRIBER_BYTES * subscribers + SEGMENT_BYTES * n * segments,
            SUBSCRIBER_SECONDS * subscribers,
            Message("msg.budget_subscribers", n=n, per=f"{per:.0f}"),
            Message("msg.budget_subscribers_fix"),
        ),
        Part(
            "campaign.days",
            CAMPAIGN_DAY_BYTES * n * days,
            CAMPAIGN_DAY_SECONDS * n * days,
            Message("msg.budget_days", n=n, days=days),
            Message("msg.budget_days_fix"),
        ),
    ]
    try:
        k_lo, k_hi = ticket_bounds(terms, series)
    except ValueError:  # the run says it (a ticket above the per-investor maximum)
        return parts
    sizes = [max(int(hi) - int(lo) + 1, 1) for lo, hi in zip(k_lo, k_hi, strict=True)]
    widest = max(range(len(series)), key=lambda j: sizes[j])
    parts.append(
        Part(
            "campaign.tickets",
            TICKET_KEPT_BYTES * segments * sum(sizes) + TICKET_DRAWN_BYTES * sizes[widest],
            TICKET_SECONDS * 2 * segments * sum(sizes),
            Message("msg.budget_tickets", bonds=int(k_hi[widest]), id=series[widest].id),
            Message("msg.budget_tickets_fix"),
        )
    )
    return parts


def _holders(
    terms: RiskTerms, series: list[SeriesTerms], campaign: CampaignTerms | None
) -> tuple[int, int, bool]:
    """(holders, holders of the largest series, whether they come from the campaign):
    equal holdings of ``risk.holding``, or the median campaign's tickets repeated to fill
    each series (as :func:`bondkit.models.risk.holders_from_register` makes them)."""
    per_series = [0] * len(series)
    from_campaign = False
    bounds = None
    if campaign is not None:
        from bondkit.models.campaign import ticket_bounds

        try:
            bounds = ticket_bounds(campaign, series)
        except ValueError:
            bounds = None
    for j, s in enumerate(series):
        face = s.face_value_cents
        size = max(1, -(-to_cents(terms.holding) // face)) * face
        if bounds is not None:
            weight = mean = 0.0
            for g in campaign.segments:
                w = g.people * g.p_subscribe * float(series_shares(g, series)[j])
                low, high = int(bounds[0][j]) * face, int(bounds[1][j]) * face
                weight += w
                mean += w * _mean_ticket(g, low, high)
            if weight >= 0.5:  # the median campaign likely has holders of this series
                size = max(int(mean / weight), face)
                from_campaign = True
        per_series[j] = -(-s.amount_cents // size)
    return sum(per_series), max(per_series), from_campaign


def _risk_parts(
    terms: RiskTerms,
    series: list[SeriesTerms],
    campaign: CampaignTerms | None,
    fiscal_year_end: str,
) -> list[Part]:
    from bondkit.models.risk import CHUNK, THREADS

    paths = terms.paths
    first = min(fiscal_year(s.issue_date, fiscal_year_end) for s in series)
    last = max(fiscal_year(s.maturity, fiscal_year_end) for s in series)
    years = last - first + 1
    holders, largest, from_campaign = _holders(terms, series, campaign)
    holding = format(Decimal(str(terms.holding)).normalize(), "f")  # as written: 2500, 0.5
    groups = 1 + (len(campaign.segments) if campaign is not None and from_campaign else 0)
    # the blocks of (path, holder) pairs drawn at once: a tiled copy of the holdings of
    # each group (segment) of the largest series, and the draws of the blocks the threads run
    group = -(-largest // groups)
    block = min(paths * group, max(CHUNK, group))
    return [
        Part(
            "risk.holders",
            HOLDER_BYTES * holders + (8 * groups + BLOCK_BYTES * THREADS) * block,
            PAIR_SECONDS * paths * holders + HOLDER_SECONDS * holders,
            Message("msg.budget_register_holders", paths=paths, holders=holders)
            if from_campaign
            else Message("msg.budget_holders", paths=paths, holders=holders, holding=holding),
            Message("msg.budget_register_fix" if from_campaign else "msg.budget_holders_fix"),
        ),
        Part(
            "risk.paths",
            PATH_YEAR_BYTES * paths * years + SERIES_PATH_YEAR_BYTES * len(series) * paths * years,
            PATH_YEAR_SECONDS * paths * years
            + SERIES_PATH_YEAR_SECONDS * len(series) * paths * years,
            Message("msg.budget_paths", paths=paths, years=years, series=len(series)),
            Message("msg.budget_paths_fix"),
        ),
    ]


def estimate(scenario: Scenario) -> Estimate:
    """The estimated peak memory [bytes] and computing time [s] of ``run(scenario)``,
    from its sizes only (nothing is simulated; it takes milliseconds).

    >>> from bondkit.scenario import load_example
    >>> est = estimate(load_example("cinema-du-parc-2016"))
    >>> est.memory < 500 * 2**20, est.seconds < 60  # the example: well under the limits
    (True, True)
    >>> est.largest("memory").name
    'campaign.subscribers'
    """
    series = list(scenario.series_terms())
    campaign = scenario.campaign_terms() if hasattr(scenario, "campaign_terms") else None
    risk = scenario.risk_terms() if hasattr(scenario, "risk_terms") else None
    parts = [_series_part(series, campaign, risk)]
    campaign_parts = _campaign_parts(campaign, series) if campaign is not None else []
    risk_parts = (
        _risk_parts(risk, series, campaign, scenario.issuer.fiscal_year_end)
        if risk is not None
        else []
    )
    parts += campaign_parts + risk_parts
    # the campaign, then the risk model: memory is the larger of the two, time their sum
    memory = (
        FIXED_BYTES
        + parts[0].memory
        + max(sum(p.memory for p in campaign_parts), sum(p.memory for p in risk_parts))
    )
    seconds = FIXED_SECONDS + sum(p.seconds for p in parts)
    return Estimate(memory=int(memory), seconds=seconds, parts=tuple(parts))


# ---------------------------------------------------------------- the limits


def check_budget(
    scenario: Scenario,
    max_memory: int | float | str | None = None,
    max_time: int | float | str | None = None,
) -> Estimate:
    """Raise :class:`BudgetError` if ``run(scenario)`` would take more than ``max_memory``
    [bytes, or a size such as ``"8G"``] or ``max_time`` [seconds, or ``"30m"``, ``"2h"``];
    None means the defaults, :data:`DEFAULT_MAX_MEMORY` and :data:`DEFAULT_MAX_TIME`, and
    ``math.inf`` no limit. Returns the estimate otherwise.

    The Cinéma du Parc's campaign simulated 150,000 times over two years:

    >>> import datetime as dt
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 150_000, "campaign.opens": dt.date(2015, 2, 1)})
    >>> check_budget(sc)
    Traceback (most recent call last):
    ...
    bondkit.runner.budget.BudgetError: campaign.simulations = 150000 over a campaign of 731 days needs about 4.5 GiB of memory, more than the limit of 4 GiB: lower campaign.simulations or shorten the campaign (campaign.opens to campaign.closes), or raise the limit with --max-memory (max_memory= in Python)
    >>> round(check_budget(sc, max_memory="8G").memory / 2**30, 1)  # GiB
    4.5
    """
    memory_limit = parse_size(max_memory) if max_memory is not None else DEFAULT_MAX_MEMORY
    time_limit = parse_duration(max_time) if max_time is not None else DEFAULT_MAX_TIME
    est = estimate(scenario)
    if est.memory > memory_limit:
        part = est.largest("memory")
        raise BudgetError(
            Message(
                "msg.budget_memory",
                what=part.what,
                need=size_text(est.memory),
                limit=size_text(memory_limit),
                fix=part.fix,
            )
        )
    if est.seconds > time_limit:
        part = est.largest("seconds")
        raise BudgetError(
            Message(
                "msg.budget_time",
                what=part.what,
                need=duration_text(est.seconds),
                limit=duration_text(time_limit),
                fix=part.fix,
            )
        )
    return est


_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
_DURATION = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|sec|m|min|h)?\s*", re.IGNORECASE)


def parse_size(value: int | float | str) -> float:
    """A memory size in bytes: a number of bytes, or text such as ``"8G"``, ``"512M"``,
    ``"1.5GiB"`` (K, M, G, T are powers of 1024). Raises ValueError otherwise.

    >>> parse_size("8G"), parse_size("512m"), parse_size(1000)
    (8589934592.0, 536870912.0, 1000.0)
    """
    if isinstance(value, bool):
        raise ValueError(f"not a memory size: {value!r}")
    if isinstance(value, int | float):
        if not value > 0:
            raise ValueError(f"a memory size must be positive, not {value!r}")
        return float(value)
    match = _SIZE.fullmatch(str(value))
    if match is None or not float(match.group(1)) > 0:
        raise ValueError(f"not a memory size such as 8G or 512M: {value!r}")
    power = " KMGT".index(match.group(2).upper() or " ")
    return float(match.group(1)) * 1024**power


def parse_duration(value: int | float | str) -> float:
    """A duration in seconds: a number of seconds, or text such as ``"90s"``, ``"30m"``,
    ``"2h"``. Raises ValueError otherwise.

    >>> parse_duration("30m"), parse_duration("2h"), parse_duration(90)
    (1800.0, 7200.0, 90.0)
    """
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if not value > 0:
            raise ValueError(f"a duration must be positive, not {value!r}")
        return float(value)
    match = _DURATION.fullmatch(str(value))
    if match is None or not float(match.group(1)) > 0:
        raise ValueError(f"not a duration such as 90s, 30m or 2h: {value!r}")
    unit = (match.group(2) or "s").lower()[0]
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[unit]


def size_text(size: float) -> Message:
    """A memory size for a message, in MiB or GiB with two significant digits.

    >>> size_text(13.6 * 2**30).render("en"), size_text(1.42 * 2**30).render("fr")
    ('14 GiB', '1,4 Gio')
    >>> size_text(4 * 2**30).render("en"), size_text(123_456_789).render("en")
    ('4 GiB', '120 MiB')
    """
    if math.isinf(size):
        return Message("msg.budget_no_limit")
    gib = size / 2**30
    if gib < 1:
        mib = max(round(size / 2**20), 1)
        return Message("msg.budget_mib", n=int(round(mib, 2 - len(str(mib)))))
    if gib < 9.95:
        tenths = round(gib * 10)
        if tenths % 10 == 0:
            return Message("msg.budget_gib", n=tenths // 10)
        return Message("msg.budget_gib_tenths", n=tenths // 10, tenth=tenths % 10)
    return Message("msg.budget_gib", n=round(gib))


def duration_text(seconds: float) -> Message:
    """A duration for a message: seconds, minutes, hours or days, rounded.

    >>> duration_text(40).render("en"), duration_text(900).render("en")
    ('40 s', '15 min')
    >>> duration_text(3 * 3600 + 100).render("fr"), duration_text(5 * 86400).render("fr")
    ('3 h', '5 jours')
    """
    if math.isinf(seconds):
        return Message("msg.budget_no_limit")
    if seconds < 90:
        return Message("msg.budget_in_seconds", n=max(1, round(seconds)))
    if seconds < 90 * 60:
        return Message("msg.budget_in_minutes", n=round(seconds / 60))
    if seconds < 48 * 3600:
        return Message("msg.budget_in_hours", n=round(seconds / 3600))
    return Message("msg.budget_in_days", n=round(seconds / 86400))
