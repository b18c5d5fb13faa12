"""The subscription campaign: who subscribes, how much, how fast, and will the minimum be reached.

The model (every parameter is an input of ``[campaign]``, see docs/scenario-reference.md):

- **Funnel.** Each person of a segment subscribes with probability
  ``reached x supporting x conversion``, independently: a segment's subscribers are
  binomial. With a ``reference_rate``, the conversion responds to the rate the segment is
  offered (:func:`offered_rates`) through :func:`~bondkit.core.terms.rate_response`.
- **Tickets.** A subscriber picks a series (segment shares), then an amount drawn from a
  lognormal law (``ticket_median``, ``ticket_spread`` = sigma of the log), rounded half up to
  whole bonds of that series and bounded by the minimum subscription (at least one bond)
  and the per-investor maximum (the scenario's, else its rule set's, else the cap).
- **Arrivals.** Pledged subscribers come on opening day; the others arrive evenly within
  three parts of the window: the start, the lull and the final push (:class:`ArrivalShape`).
- **Allocation** when demand exceeds the cap: first-come, pro-rata in whole bonds, or a
  lottery; below the minimum (after any match and underwriter) the issue is cancelled and
  everyone refunded.

:func:`expected_path` gives the deterministic expectation (the expected *demand*, before
caps and allocation); :func:`simulate` runs many campaigns at once, vectorised over all
subscribers of all paths. Money is in cents (int64). Randomness comes only from the seed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from bondkit.core.conventions import exact, money, round_half_up, to_cents
from bondkit.core.terms import Backstop, CampaignTerms, Segment, SeriesTerms, rate_response
from bondkit.data.rules import Finding, check_rules, rule_set
from bondkit.models.allocation import (
    allocate,
    backstops,
    cap_cents,
    draw_tickets,
    segment_starts,
    series_shares,
    ticket_bounds,
)

__all__ = [
    "series_shares",
    "offered_rates",
    "subscribe_probabilities",
    "CAMPAIGN_STREAM",
    "ticket_bounds",
    "ticket_distribution",
    "arrival_density",
    "funnel",
    "expected_path",
    "Simulation",
    "simulate",
    "campaign_findings",
]

#: the random stream of the campaign, derived from the scenario seed
CAMPAIGN_STREAM = 3

QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)


# ---------------------------------------------------------------- inputs made concrete


def _offered(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> list[Fraction]:
    """Each segment's offered rate, exactly: the shares as written times the exact rates."""
    offered = []
    for g in terms.segments:
        pairs = zip(series_shares(g, series), series, strict=True)
        offered.append(sum((exact(float(w)) * s.rate for w, s in pairs), Fraction(0)))
    return offered


def offered_rates(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> np.ndarray:
    """The rate each segment is offered [fraction]: the ``annual_rate`` of the series it
    buys, weighted by its series shares (by default the series amounts), one per segment.

    >>> import datetime as dt
    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> a = SeriesTerms("A", 30_000, 500, 0.03, dt.date(2027, 1, 15), term_years=3)
    >>> b = SeriesTerms("B", 10_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> seg = Segment("Members", people=100, reached=0.5, conversion=0.1, ticket_median=1_000)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=10_000,
    ...                       target=40_000, segments=(seg,))
    >>> offered_rates(terms, [a, b]).tolist()  # 0.75 x 3 % + 0.25 x 4 %
    [0.0325]
    """
    return np.array([float(rate) for rate in _offered(terms, series)])


def subscribe_probabilities(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> np.ndarray:
    """Probability that one person of each segment subscribes, at the rate it is offered.

    Without a ``reference_rate``: reached x supporting x conversion, as written. With one:
    the conversion of each segment responds to its spread, its offered rate minus the
    reference rate in percentage points (:func:`~bondkit.core.terms.rate_response`).
    Offered 3 %, savings earning 2 %, a sensitivity of 0.5 per point: the conversion of
    0.1 becomes 0.1548, and 0.5 reached makes 0.0774:

    >>> import datetime as dt
    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> a = SeriesTerms("A", 30_000, 500, 0.03, dt.date(2027, 1, 15), term_years=3)
    >>> seg = Segment("Members", people=100, reached=0.5, conversion=0.1,
    ...               ticket_median=1_000, rate_sensitivity=0.5)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=10_000,
    ...                       target=30_000, segments=(seg,), reference_rate=0.02)
    >>> subscribe_probabilities(terms, [a]).round(4).tolist()
    [0.0774]
    """
    pairs = zip(terms.segments, _points(terms, series), strict=True)
    return np.array([g.reached * g.supporting * _conversion(g, x) for g, x in pairs])


def _conversion(seg: Segment, points: float) -> float:
    """The segment's conversion ``points`` percentage points above the reference rate."""
    return rate_response(seg.conversion, seg.rate_sensitivity, points)


def _points(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> list[float]:
    """Each segment's spread [percentage points]; 0 without a reference rate."""
    if terms.reference_rate is None:
        return [0.0] * len(terms.segments)
    ref = exact(terms.reference_rate)
    return [float((rate - ref) * 100) for rate in _offered(terms, series)]


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    erfc = np.frompyfunc(math.erfc, 1, 1)
    return (0.5 * erfc(-np.asarray(z, dtype=float) / math.sqrt(2))).astype(float)


def ticket_distribution(
    median: float, spread: float, face_cents: int, k_lo: int, k_hi: int
) -> tuple[np.ndarray, np.ndarray]:
    """Law of one ticket: possible amounts [cents] and their probabilities.

    The ticket is ``round_half_up(X / face)`` bonds, bounded to ``[k_lo, k_hi]``, with
    ln X normal of mean ln(median) and standard deviation ``spread`` (median in cents).
    ``face_cents`` is the face value of one bond [cents]; ``k_lo``, ``k_hi`` are bonds.

    A median ticket of 1,000 $ with spread 0.6, in bonds of 500 $, 1 to 20 bonds: one bond
    is a ticket below 750 $, probability Phi(ln(0.75) / 0.6) = 0.3158:

    >>> amounts, p = ticket_distribution(100_000, 0.6, 50_000, 1, 20)
    >>> amounts[:3].tolist(), p[:3].round(4).tolist(), round(float(p.sum()), 12)
    ([50000, 100000, 150000], [0.3158, 0.3292, 0.1795], 1.0)
    """
    k = np.arange(k_lo, k_hi + 1)
    if spread == 0 or k_lo == k_hi:
        bonds = min(max(math.floor(median / face_cents + 0.5), k_lo), k_hi)
        p = (k == bonds).astype(float)
        return k * face_cents, p
    edges = (k[1:] - 0.5) * face_cents  # X below edge j rounds to k[j] or less
    cdf = _normal_cdf((np.log(edges) - math.log(median)) / spread)
    p = np.diff(np.concatenate([[0.0], cdf, [1.0]]))
    return k * face_cents, p


def arrival_density(terms: CampaignTerms) -> np.ndarray:
    """Share of the non-pledged subscribers arriving on each day of the window (sums to 1).

    One float per day [fraction of subscribers per day]. With the default shape, 30 % come
    in the first 7 days (0.3 / 7 a day), 35 % in the last 7 and the rest over the lull:

    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000,
    ...                       simulations=200)
    >>> d = arrival_density(terms)
    >>> len(d), round(float(d[0]), 6), round(float(d[-1]), 6), round(float(d.sum()), 12)
    (75, 0.042857, 0.05, 1.0)
    """
    a, days = terms.arrivals, terms.days
    middle = days - a.start_days - a.final_days
    density = np.zeros(days)
    density[: a.start_days] += a.start_share / a.start_days
    density[days - a.final_days :] += a.final_share / a.final_days
    rest = 1.0 - a.start_share - a.final_share
    if middle > 0:
        density[a.start_days : days - a.final_days] += rest / middle
    else:  # no lull: what is left is spread over the whole window
        density += rest / days
    return density


def _segment_tickets(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> list[list[tuple]]:
    k_lo, k_hi = ticket_bounds(terms, series)
    out = []
    for seg in terms.segments:
        median = float(exact(seg.ticket_median) * 100)
        out.append(
            [
                ticket_distribution(
                    median, seg.ticket_spread, s.face_value_cents, int(k_lo[j]), int(k_hi[j])
                )
                for j, s in enumerate(series)
            ]
        )
    return out


# ---------------------------------------------------------------- the deterministic expectation


def funnel(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> pd.DataFrame:
    """The funnel of each segment and the expected demand, before caps and allocation.

    Columns: segment, people, reached, supporting, offered_rate (:func:`offered_rates`),
    conversion (at that rate: as written without a reference rate), subscribers
    (expected), p_subscribe, average_ticket and demand [currency, expectations: not
    rounded to cents].

    A co-op's 100,000 $ issue of 500 $ bonds; 2,000 members, 4 % of whom subscribe
    (0.8 reached x 0.5 supporting x 0.1 converting), a median ticket of 1,000 $, at most
    10,000 $ each, during a 75-day campaign:

    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000,
    ...                       simulations=200)
    >>> row = funnel(terms, series).iloc[0]
    >>> [round(float(row[k]), 2) for k in ("subscribers", "average_ticket", "demand")]
    [80.0, 1203.93, 96314.11]
    """
    tickets = _segment_tickets(terms, series)
    offered, points = offered_rates(terms, series), _points(terms, series)
    rows = []
    for i, (seg, dists) in enumerate(zip(terms.segments, tickets, strict=True)):
        shares = series_shares(seg, series)
        mean_ticket = (
            sum(sh * float((v * p).sum()) for sh, (v, p) in zip(shares, dists, strict=True)) / 100
        )
        p_subscribe = seg.reached * seg.supporting * _conversion(seg, points[i])
        subscribers = seg.people * p_subscribe
        rows.append(
            {
                "segment": seg.name,
                "people": seg.people,
                "reached": seg.people * seg.reached,
                "supporting": seg.people * seg.reached * seg.supporting,
                "offered_rate": float(offered[i]),
                "conversion": _conversion(seg, points[i]),
                "subscribers": subscribers,
                "p_subscribe": p_subscribe,
                "average_ticket": mean_ticket,
                "demand": subscribers * mean_ticket,
            }
        )
    return pd.DataFrame(rows)


def expected_path(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> pd.DataFrame:
    """Expected subscribers and demand per week, segment and series [currency].

    Columns: week (from 1), week_start (date), segment, series, subscribers, amount.
    Pledges count in the first week. Weeks run from the opening day. Amounts are
    expectations in currency units, not rounded.

    A co-op's 100,000 $ issue of 500 $ bonds; 2,000 members, 4 % of whom subscribe
    (0.8 reached x 0.5 supporting x 0.1 converting), a median ticket of 1,000 $, at most
    10,000 $ each, during a 75-day campaign:

    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000,
    ...                       simulations=200)
    >>> path = expected_path(terms, series)
    >>> int(path["week"].max()), path["week_start"].iloc[1]
    (11, datetime.date(2026, 11, 8))
    >>> round(float(path["subscribers"].iloc[0]), 6)  # 30 % of 80 subscribers
    24.0
    >>> round(float(path["amount"].sum()), 2)  # the funnel's demand
    96314.11
    """
    tickets = _segment_tickets(terms, series)
    density = arrival_density(terms)
    days = terms.days
    weeks = -(-days // 7)
    p_subscribe = subscribe_probabilities(terms, series)
    rows = []
    for seg, p_sub, dists in zip(terms.segments, p_subscribe, tickets, strict=True):
        daily = (1 - seg.pledged) * density
        daily[0] += seg.pledged
        weekly = np.add.reduceat(daily, np.arange(0, days, 7))
        subscribers = seg.people * float(p_sub) * weekly
        for s, share, (v, p) in zip(series, series_shares(seg, series), dists, strict=True):
            mean = float((v * p).sum()) / 100
            for w in range(weeks):
                rows.append(
                    {
                        "week": w + 1,
                        "week_start": terms.opens + dt.timedelta(days=7 * w),
                        "segment": seg.name,
                        "series": s.id,
                        "subscribers": subscribers[w] * share,
                        "amount": subscribers[w] * share * mean,
                    }
                )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the Monte Carlo


@dataclass(frozen=True)
class Simulation:
    """Many simulated campaigns (money in cents, one entry per campaign unless said)."""

    seed: int
    n: int
    cap: int
    minimum: int
    target: int
    demand: np.ndarray  # before caps and allocation
    community: np.ndarray  # allocated to the community after the minimum test
    match: np.ndarray
    underwriter: np.ndarray
    subscribers: np.ndarray  # subscribers who got bonds
    applicants: np.ndarray  # subscribers who asked for bonds
    by_series: np.ndarray  # [n, n_series]
    cost: np.ndarray
    days_to_minimum: np.ndarray  # float; nan when not reached during the window
    went_ahead: np.ndarray  # bool: minimum reached (with backstops)
    band: pd.DataFrame  # cumulative subscriptions by day: day, date, p05..p95 [cents]
    median_path: int
    register: pd.DataFrame  # the median campaign, one row per subscriber

    @property
    def raised(self) -> np.ndarray:
        """Money raised from the community [cents]."""
        return self.community

    def quantiles(self, values: np.ndarray | None = None) -> dict[str, float]:
        """Percentiles of the amount raised (or of ``values``) over the campaigns [cents],
        keyed ``p05``, ``p25``...

        >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
        >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
        >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
        ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
        >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
        ...                       target=100_000, segments=(members,), max_per_investor=10_000,
        ...                       simulations=200)
        >>> q = simulate(terms, series, seed=7).quantiles()
        >>> q["p50"], q["p95"]  # cents: 94,500 $ and the 100,000 $ cap
        (9450000.0, 10000000.0)
        """
        v = self.community if values is None else values
        return {f"p{round(q * 100):02d}": float(np.quantile(v, q)) for q in QUANTILES}


def _draw_times(rng, terms: CampaignTerms, pledged: np.ndarray) -> np.ndarray:
    """Arrival time of each subscriber in days from opening (pledged: day 0)."""
    a, days = terms.arrivals, terms.days
    middle = days - a.start_days - a.final_days
    rest = 1.0 - a.start_share - a.final_share
    if middle > 0:
        parts = [
            (0, a.start_days, a.start_share),
            (a.start_days, days - a.final_days, rest),
            (days - a.final_days, days, a.final_share),
        ]
    else:
        parts = [
            (0, a.start_days, a.start_share),
            (0, days, rest),
            (days - a.final_days, days, a.final_share),
        ]
    weights = np.array([w for *_, w in parts])
    lo = np.array([p[0] for p in parts], dtype=float)
    hi = np.array([p[1] for p in parts], dtype=float)
    which = np.searchsorted(
        np.cumsum(weights) / weights.sum(), rng.random(len(pledged)), side="right"
    )
    which = np.minimum(which, 2)
    t = lo[which] + (hi[which] - lo[which]) * rng.random(len(pledged))
    return np.where(pledged, 0.0, t)


def _pre_issue_interest(alloc, rate, issue_day, day) -> np.ndarray:
    """Interest from subscription to issue (actual days / 365), per subscriber [cents]."""
    days = np.maximum(issue_day - day, 0)
    return np.floor(alloc * rate * days / 365 + 0.5).astype(np.int64)


def simulate(
    terms: CampaignTerms,
    series: Sequence[SeriesTerms],
    seed: int = 0,
    n: int | None = None,
) -> Simulation:
    """Simulate ``n`` campaigns (default ``terms.simulations``), all at once.

    Same seed, same numbers: the generator is ``SeedSequence([seed, CAMPAIGN_STREAM])``.
    Money in the result is in cents. Keep ``n`` small in a notebook to explore; the
    expected demand here is 96,314 $ (see :func:`funnel`), near the 100,000 $ cap:

    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000,
    ...                       simulations=200)
    >>> sim = simulate(terms, series, seed=7)
    >>> sim.n, bool(sim.went_ahead.all())
    (200, True)
    >>> int(np.median(sim.raised)), int(sim.raised.max())  # cents
    (9450000, 10000000)
    """
    n = terms.simulations if n is None else n
    rng = np.random.default_rng(np.random.SeedSequence([seed, CAMPAIGN_STREAM]))
    S, J = len(terms.segments), len(series)
    cap, minimum, target = cap_cents(terms, series), to_cents(terms.minimum), to_cents(terms.target)
    face = np.array([s.face_value_cents for s in series], dtype=np.int64)
    k_lo, k_hi = ticket_bounds(terms, series)
    people = np.array([seg.people for seg in terms.segments], dtype=np.int64)
    p_sub = subscribe_probabilities(terms, series)
    counts = rng.binomial(people, p_sub, size=(n, S))  # subscribers per campaign and segment
    per = counts.ravel()
    path = np.repeat(np.repeat(np.arange(n), S), per)
    seg = np.repeat(np.tile(np.arange(S), n), per)
    T = len(path)
    choice, ticket = draw_tickets(rng, terms, series, seg)
    pledged = rng.random(T) < np.array([s.pledged for s in terms.segments])[seg]
    t = _draw_times(rng, terms, pledged)
    # ``path`` is sorted, so one argsort of path + a key in [0, 1) orders each campaign
    by_time = np.argsort(path + t / terms.days, kind="stable")
    if terms.allocation == "lottery":
        key = rng.random(T)
        by_key = np.argsort(path + key, kind="stable")
    else:
        key, by_key = t, by_time
    least = k_lo[choice] * face[choice]  # the minimum subscription, in whole bonds
    alloc = allocate(
        ticket, face[choice], path, key, cap, terms.allocation, n, order=by_key, minimum=least
    )

    demand = np.bincount(path, weights=ticket, minlength=n).astype(np.int64)
    community = np.bincount(path, weights=alloc, minlength=n).astype(np.int64)
    match, under, ahead = backstops(terms, community, minimum)
    alloc = np.where(ahead[path], alloc, 0)
    community = np.where(ahead, community, 0)
    by_series = (
        np.bincount(path * J + choice, weights=alloc, minlength=n * J)
        .astype(np.int64)
        .reshape(n, J)
    )
    subscribers = np.bincount(path, weights=alloc > 0, minlength=n).astype(np.int64)
    applicants = counts.sum(axis=1)

    # time to the minimum: subscriptions in arrival order, capped, plus any counted match
    order = by_time
    cum = np.cumsum(ticket[order])
    starts = segment_starts(path[order], n)
    within = np.minimum(cum - np.concatenate([[0], cum])[starts][path[order]], cap)
    counted = within.astype(np.int64)
    if terms.match is not None and terms.match.counts_toward_minimum:
        counted = counted + backstops(terms, counted, 0)[0]
    hit = counted >= minimum
    first_hit = np.full(n, np.nan)
    hit_paths, first = np.unique(path[order][hit], return_index=True)
    first_hit[hit_paths] = t[order][hit][first]
    if minimum == 0:
        first_hit[:] = 0.0

    # cumulative subscriptions by day, capped at the cap: the band of the chart
    days = terms.days
    day = np.minimum(t.astype(np.int64), days - 1)
    daily = np.bincount(path * days + day, weights=ticket, minlength=n * days).reshape(n, days)
    cumulative = np.minimum(np.cumsum(daily, axis=1), cap)
    qs = np.quantile(cumulative, QUANTILES, axis=0)
    band = pd.DataFrame(
        {
            "day": np.arange(days),
            "date": pd.to_datetime([terms.opens + dt.timedelta(days=int(d)) for d in range(days)]),
        }
        | {f"p{round(q * 100):02d}": qs[i] for i, q in enumerate(QUANTILES)}
    )

    # costs of each campaign
    c = terms.costs
    fixed = to_cents(c.fixed) + to_cents(exact(c.staff_hours) * exact(c.hourly_cost))
    per_sub = to_cents(c.per_subscriber)
    fee = float(exact(c.payment_fee_rate) + exact(c.commission_rate))
    cost = (
        fixed
        + per_sub * np.where(ahead, subscribers, applicants)
        + np.floor(community * fee + 0.5).astype(np.int64)
    )
    if terms.interest_start == "subscription-date":
        rates = np.array([float(s.rate) for s in series])
        issue_day = np.array([(s.issue_date - terms.opens).days for s in series])
        extra = _pre_issue_interest(alloc, rates[choice], issue_day[choice], np.floor(t))
        cost = cost + np.bincount(path, weights=extra, minlength=n).astype(np.int64)

    median_path = int(np.argsort(community, kind="stable")[(n - 1) // 2])
    register = _register(terms, series, path == median_path, seg, choice, ticket, alloc, t)
    return Simulation(
        seed=seed,
        n=n,
        cap=cap,
        minimum=minimum,
        target=target,
        demand=demand,
        community=community,
        match=match,
        underwriter=under,
        subscribers=subscribers,
        applicants=applicants,
        by_series=by_series,
        cost=cost.astype(np.int64),
        days_to_minimum=first_hit,
        went_ahead=ahead,
        band=band,
        median_path=median_path,
        register=register,
    )


def _register(terms, series, mask, seg, choice, ticket, alloc, t) -> pd.DataFrame:
    """One row per subscriber of one campaign, in order of subscription [cents]."""
    idx = np.flatnonzero(mask)
    idx = idx[np.lexsort((idx, t[idx]))]
    names = [s.name for s in terms.segments]
    ids = [s.id for s in series]
    return pd.DataFrame(
        {
            "subscriber": [f"S{i + 1:05d}" for i in range(len(idx))],
            "segment": pd.Series([names[k] for k in seg[idx]], dtype=object),
            "series": pd.Series([ids[k] for k in choice[idx]], dtype=object),
            "subscription_date": pd.to_datetime(
                [terms.opens + dt.timedelta(days=int(d)) for d in t[idx]]
            ),
            "demanded": ticket[idx],
            "amount": alloc[idx],
            "refunded": ticket[idx] - alloc[idx],
        }
    )


# ---------------------------------------------------------------- rules


def campaign_findings(
    terms: CampaignTerms, series: Sequence[SeriesTerms], legal_form: str, currency: str
) -> list[Finding]:
    """Breaches of the campaign's rule set (flagged in the outputs, never corrected).

    ``legal_form`` is npo | coop | other; ``currency`` a code such as ``"CAD"``. Limits and
    values in the findings are in currency units. A co-op cannot use the Québec
    non-profit exemption, and 20,000 $ per investor breaks the 10,000 $ limit of the
    offering memorandum exemption:

    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, conversion=0.05,
    ...                   ticket_median=1_000)
    >>> npo = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                     target=100_000, segments=(members,), rule_set="qc-npo")
    >>> campaign_findings(npo, series, "coop", "CAD")
    [Finding(rule='legal_form', limit='npo', value='coop')]
    >>> om = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                    target=100_000, segments=(members,), max_per_investor=20_000,
    ...                    rule_set="om-non-eligible")
    >>> campaign_findings(om, series, "coop", "CAD")
    [Finding(rule='max_per_investor', limit='10000', value='20000')]
    """
    return check_rules(
        rule_set(terms.rule_set),
        legal_form=legal_form,
        currency=currency,
        total_raise=Decimal(cap_cents(terms, series)) / 100,
        max_per_investor=terms.max_per_investor,
        commission_rate=terms.costs.commission_rate,
    )


def backstop_terms(
    backstop: Backstop, amount_cents: int, issue_date: dt.date
) -> SeriesTerms | None:
    """A match or underwriter loan of ``amount_cents`` as a series of one bond (None if zero)."""
    if amount_cents <= 0:
        return None
    amount = Decimal(amount_cents) / 100
    return SeriesTerms(
        id=backstop.kind,
        amount=amount,
        face_value=amount,
        annual_rate=backstop.annual_rate,
        issue_date=issue_date,
        term_years=backstop.term_years,
        repayment=backstop.repayment,
        interest="compound" if backstop.repayment == "accumulating" else None,
    )


def round_cents(x: float) -> int:
    """An expectation in cents rounded half up to a whole cent."""
    return round_half_up(exact(x))


# ---------------------------------------------------------------- everything a run reports


@dataclass(frozen=True)
class CampaignResult:
    """The campaign part of a run (money in cents unless a column says currency).

    ``median_series`` are the planned series with the amounts the median simulated campaign
    raised (series that raised nothing dropped) plus any match or underwriter loan; their
    schedule, total interest and all-in cost are reported beside the planned issue.
    """

    terms: CampaignTerms
    funnel: pd.DataFrame
    expected_path: pd.DataFrame
    simulation: Simulation
    findings: tuple[Finding, ...]
    expected_cost: int  # deterministic: costs at the expected demand, capped
    median_series: tuple[SeriesTerms, ...]
    median_schedule: pd.DataFrame | None
    median_all_in_cost: float | None
    median_total_interest: int
    median_cost: int

    @property
    def expected_demand(self) -> float:
        """Expected demand from the funnel, before caps and allocation [currency]."""
        return float(self.funnel["demand"].sum())

    @property
    def expected_subscribers(self) -> float:
        return float(self.funnel["subscribers"].sum())

    @property
    def expected_raised(self) -> int:
        """Mean amount raised from the community over the simulated campaigns, rounded
        half up to the cent [cents]."""
        return round_half_up(Fraction(int(self.simulation.community.sum()), self.simulation.n))

    @property
    def p_minimum_reached(self) -> float:
        """Share of the simulated campaigns that reach the minimum, with the match and the
        underwriter (a fraction)."""
        return float(self.simulation.went_ahead.mean())

    @property
    def p_minimum_reached_by_community(self) -> float:
        """Share of the simulated campaigns whose community alone reaches the minimum."""
        sim = self.simulation
        return float((sim.community >= sim.minimum).mean())

    def summary(self) -> dict:
        """The ``campaign`` object of the summary JSON (amounts in currency, rounded to the cent)."""
        sim = self.simulation
        q = sim.quantiles()
        reached = sim.days_to_minimum[~np.isnan(sim.days_to_minimum)]
        raised = sim.community
        mean_raised = float(raised.mean())
        summary = {
            "simulations": sim.n,
            "seed": sim.seed,
            "allocation": self.terms.allocation,
            "minimum": money(sim.minimum),
            "target": money(sim.target),
            "cap": money(sim.cap),
            "expected_demand": round(self.expected_demand, 2),
            "expected_subscribers": round(self.expected_subscribers, 2),
            "expected_average_ticket": round(self.expected_demand / self.expected_subscribers, 2)
            if self.expected_subscribers
            else None,
            "expected_raised": money(self.expected_raised),
            "raised_p05": money(q["p05"]),
            "raised_p25": money(q["p25"]),
            "raised_p50": money(q["p50"]),
            "raised_p75": money(q["p75"]),
            "raised_p95": money(q["p95"]),
            "p_minimum_reached": self.p_minimum_reached,
            "p_target_reached": float((raised >= sim.target).mean()),
            "p_cap_reached": float((raised >= sim.cap).mean()),
            "p_minimum_reached_by_community": self.p_minimum_reached_by_community,
            "median_days_to_minimum": float(np.median(reached)) if len(reached) else None,
            "subscribers_p50": float(np.median(sim.subscribers)),
            "expected_match": money(sim.match.mean()),
            "expected_underwriter": money(sim.underwriter.mean()),
            "p_underwriter_called": float((sim.underwriter > 0).mean()),
            "campaign_cost": money(sim.cost.mean()),
            "expected_campaign_cost": money(self.expected_cost),
            "cost_per_dollar_raised": float(sim.cost.mean() / mean_raised) if mean_raised else None,
            "rule_set": self.terms.rule_set,
            "rule_findings": [f.message() for f in self.findings],
            "median_campaign": {
                "raised_by_series": {
                    s.id: money(s.amount_cents)
                    for s in self.median_series
                    if s.id not in ("match", "underwriter")
                },
                "match": money(sim.match[sim.median_path]),
                "underwriter": money(sim.underwriter[sim.median_path]),
                "campaign_cost": money(self.median_cost),
                "total_interest": money(self.median_total_interest),
                "issuer_all_in_cost": self.median_all_in_cost,
            },
        }
        if self.terms.reference_rate is not None:  # only then: other summaries stay as they were
            reference = float(self.terms.reference_rate)
            summary["rate_response"] = {
                "reference_rate": reference,
                "segments": [
                    {
                        "segment": seg.name,
                        "offered_rate": row.offered_rate,
                        "spread": float(exact(row.offered_rate) - exact(reference)),
                        "rate_sensitivity": seg.rate_sensitivity,
                        "conversion": seg.conversion,
                        "conversion_at_offer": row.conversion,
                    }
                    for seg, row in zip(self.terms.segments, self.funnel.itertuples(), strict=True)
                ],
            }
        return summary


def expected_cost(
    terms: CampaignTerms, series: Sequence[SeriesTerms], funnel_df: pd.DataFrame
) -> int:
    """Campaign cost at the expected demand (capped) and expected subscribers [cents].

    With ``interest_start = "subscription-date"`` it includes the expected interest from
    each subscription to its series' issue date (actual days / 365), on the expected path.
    """
    c = terms.costs
    demand = float(funnel_df["demand"].sum()) * 100
    raised = min(demand, cap_cents(terms, series))
    subscribers = float(funnel_df["subscribers"].sum())
    fixed = to_cents(c.fixed) + to_cents(exact(c.staff_hours) * exact(c.hourly_cost))
    variable = exact(c.per_subscriber) * 100 * exact(subscribers) + (
        exact(c.payment_fee_rate) + exact(c.commission_rate)
    ) * exact(raised)
    if terms.interest_start == "subscription-date" and demand > 0:
        density = arrival_density(terms)
        days = np.arange(terms.days)
        interest = 0.0
        for seg, row in zip(terms.segments, funnel_df.itertuples(index=False), strict=True):
            daily = (1 - seg.pledged) * density
            daily[0] += seg.pledged
            for s, share in zip(series, series_shares(seg, series), strict=True):
                to_issue = np.maximum((s.issue_date - terms.opens).days - days, 0)
                interest += (
                    row.demand * 100 * share * float(s.rate) * float((daily * to_issue).sum()) / 365
                )
        variable += exact(interest * raised / demand)  # scaled like the money raised
    return fixed + round_half_up(variable)
