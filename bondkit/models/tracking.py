"""The campaign while it happens (issue #16): the scenario's campaign model conditioned on
the subscriptions seen so far, simulated to the close.

The model (docs/tracking.md says it with an example):

- **What was seen.** Each subscription row has a day (from the opening), an amount in whole
  bonds, a series, a segment when known and a status: ``paid``, ``signed``, ``pledged`` or
  ``cancelled``. A row that is not cancelled is a subscriber who has arrived; a pending
  row (signed, pledged) becomes money with its status's rate (:data:`STATUS_RATES`, drawn
  row by row on every path); a cancelled row is a person who will not subscribe again.
- **The update.** In the plan a person of segment *s* subscribes with probability
  ``p_s`` (reached x supporting x conversion, at the rate offered) and arrives on a day
  drawn from the campaign's shape (:func:`~bondkit.models.campaign.arrival_density`,
  pledges on opening day). By the end of day *d* a share ``w_s(d)`` of a segment's
  subscribers should have arrived: ``pledged + (1 - pledged) x F(d)``, F the shape's
  cumulative share. ``p_s`` is given a Beta prior whose mean is the plan's and whose
  coefficient of variation is ``prior_cv`` (0.5: the plan is a guess within about half
  its value); the ``k_s`` subscribers seen among ``N_s`` people update it through the
  likelihood ``Binomial(k_s; N_s, p_s w_s)``, the exact posterior computed on a grid of
  ``p``. Rows without a segment are shared among the segments in proportion to the
  arrivals each was expected to have by day *d*. This updates the level of the arrivals
  (conversion times arrival rate), weighted by how much of each segment's arrivals the
  shape says should have happened by now; the shape itself is the plan's.
- **The rest of the campaign.** On each path ``p_s`` is drawn from its posterior; each of
  the ``N_s - k_s - c_s`` people not seen yet subscribes later with probability
  ``p_s (1 - w_s) / (1 - p_s w_s)``; their days follow the shape after day *d*, their
  series and tickets the plan's laws (:func:`~bondkit.models.allocation.draw_tickets`).
  The raise is capped at the issue's cap; the match and the underwriter lend as in the plan
  (:func:`~bondkit.models.allocation.backstops`).
- **Extending the campaign** by *x* days inserts *x* days of the lull's daily rate before
  the final push (Kuppuswamy and Bayus: the final push comes at the deadline, wherever it
  is): a person's chance to subscribe over the whole campaign becomes
  ``p_s (1 + x x lull rate)``.

Money is in cents (int64). Randomness comes only from the seed:
``SeedSequence([seed, TRACKING_STREAM])``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bondkit.core.conventions import to_cents
from bondkit.core.terms import CampaignTerms, SeriesTerms
from bondkit.models.allocation import backstops, cap_cents, draw_tickets
from bondkit.models.campaign import arrival_density, subscribe_probabilities

__all__ = [
    "STATUSES",
    "STATUS_RATES",
    "TRACKING_STREAM",
    "Observed",
    "Forecast",
    "elapsed_days",
    "arrived_share",
    "posterior_draws",
    "arrival_days",
    "community_needed",
    "forecast",
]

#: the statuses of a subscription row, from the surest
STATUSES = ("paid", "signed", "pledged", "cancelled")
#: the share of each status's rows that become money, by default (the enterprise sets its
#: own from its history: ``bondkit track --status-rate pledged=0.7``)
STATUS_RATES: Mapping[str, float] = {"paid": 1.0, "signed": 0.95, "pledged": 0.8, "cancelled": 0.0}
#: the random stream of the tracking forecast, derived from the scenario seed
TRACKING_STREAM = 5
#: the prior's coefficient of variation on each segment's subscribe probability
PRIOR_CV = 0.5
#: the chances for which "what it takes" is computed
NEED_CHANCES = (0.5, 0.8)
#: extensions of the campaign tried, in weeks
EXTENSIONS = (1, 2, 3, 4)
_GRID = 2_001
_BLOCK = 512


@dataclass(frozen=True)
class Observed:
    """The subscription rows seen by ``as_of``, one entry per row (arrays of equal length).

    day : int — days from the opening (0: opening day)
    amount : int64 — the row's amount [cents], whole bonds
    series : int — index of its series
    segment : int — index of its segment, -1 when not known
    status : int — index in :data:`STATUSES`
    """

    as_of: dt.date
    day: np.ndarray
    amount: np.ndarray
    series: np.ndarray
    segment: np.ndarray
    status: np.ndarray

    @classmethod
    def empty(cls, as_of: dt.date) -> Observed:
        """No row seen yet (the plan, before the opening)."""
        z = np.zeros(0, dtype=np.int64)
        return cls(as_of, z, z, z, z, z)

    def __len__(self) -> int:
        return len(self.day)


def elapsed_days(terms: CampaignTerms, as_of: dt.date) -> int:
    """Days of the campaign seen by the end of ``as_of`` (0 before the opening, the whole
    window from its last day).

    >>> from bondkit.core.terms import CampaignTerms, Segment
    >>> seg = Segment("Members", people=2_000, reached=0.8, conversion=0.05, ticket_median=1_000)
    >>> terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=50_000,
    ...                       target=80_000, segments=(seg,))
    >>> [elapsed_days(terms, dt.date(2027, m, d)) for m, d in ((2, 1), (3, 1), (3, 16), (5, 9))]
    [0, 1, 16, 60]
    """
    return min(max((as_of - terms.opens).days + 1, 0), terms.days)


def _lull_rate(terms: CampaignTerms) -> float:
    """The lull's share of the non-pledged subscribers per day [1/day]."""
    a, days = terms.arrivals, terms.days
    rest = 1.0 - a.start_share - a.final_share
    middle = days - a.start_days - a.final_days
    return rest / middle if middle > 0 else rest / days


def _density(terms: CampaignTerms, extra: int) -> np.ndarray:
    """The shape's daily shares of a campaign ``extra`` days longer: the lull's rate on the
    days inserted before the final push (sums to ``1 + extra x lull rate``)."""
    base = arrival_density(terms)
    if extra == 0:
        return base
    cut = terms.days - terms.arrivals.final_days
    return np.concatenate([base[:cut], np.full(extra, _lull_rate(terms)), base[cut:]])


def arrived_share(terms: CampaignTerms, elapsed: int) -> np.ndarray:
    """The share of each segment's subscribers the plan expects by the end of the
    ``elapsed``-th day: its pledges, and the shape's share of the others.

    >>> from bondkit.core.terms import CampaignTerms, Segment
    >>> seg = Segment("Members", people=2_000, reached=0.8, conversion=0.05,
    ...               ticket_median=1_000, pledged=0.1)
    >>> terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=50_000,
    ...                       target=80_000, segments=(seg,))
    >>> arrived_share(terms, 7).round(4).tolist()  # 0.1 + 0.9 x 30 % of the first week
    [0.37]
    """
    pledged = np.array([g.pledged for g in terms.segments])
    if elapsed <= 0:
        return np.zeros(len(terms.segments))
    seen = float(arrival_density(terms)[:elapsed].sum())
    return pledged + (1 - pledged) * seen


def arrival_days(
    rng: np.random.Generator,
    terms: CampaignTerms,
    seg: np.ndarray,
    density: np.ndarray,
    start: int = 0,
    pledges: bool = True,
) -> np.ndarray:
    """The day each subscriber of segment ``seg`` arrives, from day ``start`` on: drawn
    from the shape's daily shares ``density[start:]`` (the last day when none is left);
    with ``pledges``, each segment's share of pledged subscribers on the first day. The
    campaign's forecast and the backtest's campaigns draw their days alike.

    >>> from bondkit.core.terms import CampaignTerms, Segment
    >>> seg = Segment("Members", people=2_000, reached=0.8, conversion=0.05,
    ...               ticket_median=1_000, pledged=0.1)
    >>> terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=50_000,
    ...                       target=80_000, segments=(seg,))
    >>> rng = np.random.default_rng(0)
    >>> days = arrival_days(rng, terms, np.zeros(10_000, int), arrival_density(terms), 16, False)
    >>> int(days.min()), int(days.max())  # days 16 to 59 of the 60
    (16, 59)
    """
    tail = density[start:]
    if len(tail):
        cdf = np.cumsum(tail) / tail.sum()
        found = np.searchsorted(cdf, rng.random(len(seg)), side="right")
        day = start + np.minimum(found, len(tail) - 1)
    else:
        day = np.full(len(seg), max(len(density) - 1, 0))
    if pledges:
        pledged = rng.random(len(seg)) < np.array([g.pledged for g in terms.segments])[seg]
        day = np.where(pledged, 0, day)
    return day


def _beta_prior(mean: float, cv: float) -> tuple[float, float]:
    """A Beta law's parameters from its mean and coefficient of variation."""
    strength = max((1 - mean) / (mean * cv * cv) - 1, 0.5)
    return mean * strength, (1 - mean) * strength


def posterior_draws(
    rng: np.random.Generator,
    mean: float,
    people: int,
    seen: float,
    exposure: float,
    size: int,
    cv: float = PRIOR_CV,
) -> np.ndarray:
    """``size`` draws of one segment's subscribe probability after ``seen`` of its
    ``people`` arrived while the plan expected a share ``exposure`` of its subscribers:
    the Beta prior (mean ``mean``, coefficient of variation ``cv``) times the likelihood
    ``Binomial(seen; people, p x exposure)``, on a grid of 2,001 points in logit(p).

    2,000 members, 4 % expected to subscribe; after a third of the arrivals, 40 seen
    instead of the 26.7 expected: the posterior moves most of the way to 6 %.

    >>> rng = np.random.default_rng(1)
    >>> p = posterior_draws(rng, 0.04, 2_000, 40, 1 / 3, 20_000)
    >>> round(float(p.mean()), 3)  # Beta(3.8 + 40, 91.2 + 666.7 - 40): 0.0575
    0.057
    >>> prior = posterior_draws(rng, 0.04, 2_000, 0, 0, 20_000)  # nothing seen: the prior
    >>> round(float(prior.mean()), 3), round(float(prior.std() / prior.mean()), 2)
    (0.04, 0.5)
    """
    if mean <= 0 or people <= 0:
        return np.zeros(size)
    a, b = _beta_prior(mean, cv)

    def log_posterior(logit: np.ndarray) -> np.ndarray:
        p = 1 / (1 + np.exp(-logit))
        out = a * np.log(p) + b * np.log1p(-p)  # the prior x the Jacobian p (1 - p) of logit
        if exposure > 0:
            q = np.minimum(p * exposure, 1 - 1e-12)
            out += seen * np.log(q) + max(people - seen, 0.0) * np.log1p(-q)
        return out

    # a coarse grid finds where the posterior lies, a fine one over there samples it
    coarse = np.linspace(math.log(1e-9), math.log(1e9), _GRID)
    w = log_posterior(coarse)
    inside = np.flatnonzero(w > w.max() - 40)
    step = coarse[1] - coarse[0]
    fine = np.linspace(coarse[inside[0]] - step, coarse[inside[-1]] + step, _GRID)
    w = log_posterior(fine)
    weight = np.exp(w - w.max())
    h = fine[1] - fine[0]
    edges = np.concatenate([[fine[0] - h / 2], fine + h / 2])
    cdf = np.concatenate([[0.0], np.cumsum(weight)])
    cdf /= cdf[-1]
    return 1 / (1 + np.exp(-np.interp(rng.random(size), cdf, edges)))


def community_needed(terms: CampaignTerms, minimum: int) -> int:
    """The least money from the community [cents] that reaches ``minimum`` with the match
    when it counts toward the minimum (the underwriter aside).

    >>> from bondkit.core.terms import Backstop, CampaignTerms, Segment
    >>> seg = Segment("Members", people=100, reached=0.5, conversion=0.1, ticket_median=1_000)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=30_000,
    ...     target=40_000, segments=(seg,),
    ...     match=Backstop("match", max_amount=10_000, annual_rate=0.03, term_years=5))
    >>> community_needed(terms, 3_000_000)  # 1:1 up to 10,000 $: 20,000 $ suffices
    2000000
    """
    m = terms.match
    if m is None or not m.counts_toward_minimum:
        return minimum
    lo, hi = 0, minimum
    while lo < hi:  # the smallest community amount that, with its match, reaches it
        mid = (lo + hi) // 2
        if mid + int(backstops(terms, np.array([mid]), 0)[0][0]) >= minimum:
            hi = mid
        else:
            lo = mid + 1
    return lo


@dataclass(frozen=True)
class Forecast:
    """The campaign to its close, conditioned on what was seen (money in cents).

    Everything is per path (``n`` of them) unless said: ``seen`` the money of the rows
    seen as each path converts them, ``community`` the final raise (capped), ``ahead``
    whether the issue goes ahead (with the backstops as written), ``day_minimum`` the day
    the community money (with a counted match) reaches the minimum (nan: not by the
    close), ``future_tickets`` the tickets of the subscribers still to come, all paths.
    ``cumulative`` is the per-day cumulative community money [n, days].
    """

    seed: int
    n: int
    elapsed: int
    days: int
    extra_days: int
    minimum: int
    target: int
    needed: int
    seen: np.ndarray
    community: np.ndarray
    match: np.ndarray
    underwriter: np.ndarray
    ahead: np.ndarray
    day_minimum: np.ndarray
    cumulative: np.ndarray = field(repr=False)
    future_tickets: np.ndarray = field(repr=False)
    posterior_mean: np.ndarray = field(repr=False)


def _converted(
    rng: np.random.Generator, seen: Observed, rates: Mapping[str, float], n: int
) -> np.ndarray:
    """The money of the rows seen on each path [cents]: each pending row converts with its
    status's rate, drawn row by row (in blocks of rows)."""
    rate = np.array([rates.get(s, STATUS_RATES[s]) for s in STATUSES])[seen.status]
    sure = rate >= 1
    total = np.full(n, int(seen.amount[sure].sum()), dtype=np.int64)
    maybe = np.flatnonzero((rate > 0) & ~sure)
    for start in range(0, len(maybe), _BLOCK):
        rows = maybe[start : start + _BLOCK]
        hit = rng.random((n, len(rows))) < rate[rows]
        total += hit.astype(np.int64) @ seen.amount[rows]
    return total


def forecast(
    terms: CampaignTerms,
    series: Sequence[SeriesTerms],
    seen: Observed,
    seed: int = 0,
    n: int = 10_000,
    extra_days: int = 0,
    rates: Mapping[str, float] | None = None,
    prior_cv: float = PRIOR_CV,
) -> Forecast:
    """Simulate the rest of the campaign ``n`` times, conditioned on the rows ``seen``
    (and, with ``extra_days``, a campaign that many days longer).

    A co-op's 2,000 members were expected to give 4 % subscribers (80), a median ticket
    of 1,000 $, over 60 days; after 16 days, 30 subscriptions of 1,000 $ (30,000 $) are
    paid (about the 29.5 the plan expected by then). The minimum of 50,000 $ is all but
    sure; the target of 100,000 $ (the cap) has about one chance in four:

    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 5, 1), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=50_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000)
    >>> k = 30
    >>> seen = Observed(dt.date(2027, 3, 16), np.arange(k) % 16, np.full(k, 100_000),
    ...                 np.zeros(k, int), np.zeros(k, int), np.zeros(k, int))
    >>> f = forecast(terms, series, seen, seed=1, n=4_000)
    >>> f.elapsed, int(f.seen[0]), round(float(f.ahead.mean()), 3)
    (16, 3000000, 1.0)
    >>> round(float((f.community >= f.target).mean()), 2), float(np.median(f.community)) / 100
    (0.29, 91000.0)
    """
    rates = {**STATUS_RATES, **(rates or {})}
    rng = np.random.default_rng(np.random.SeedSequence([seed, TRACKING_STREAM]))
    S = len(terms.segments)
    days = terms.days + extra_days
    elapsed = elapsed_days(terms, seen.as_of)
    cap = cap_cents(terms, series)
    minimum, target = to_cents(terms.minimum), to_cents(terms.target)
    needed = community_needed(terms, minimum)

    # the rows seen, by segment (rows without one shared by the arrivals expected of each)
    plan_p = subscribe_probabilities(terms, series)
    people = np.array([g.people for g in terms.segments], dtype=np.int64)
    exposure = arrived_share(terms, elapsed)
    live = seen.status != STATUSES.index("cancelled")
    known = seen.segment >= 0
    arrived = np.bincount(seen.segment[live & known], minlength=S).astype(float)
    gone = np.bincount(seen.segment[~live & known], minlength=S).astype(float)
    expected = people * plan_p * exposure
    weights = expected / expected.sum() if expected.sum() > 0 else np.full(S, 1 / S)
    arrived += (live & ~known).sum() * weights
    gone += (~live & ~known).sum() * weights

    # each segment's subscribe probability, then the people still to come
    p = (
        np.column_stack(
            [
                posterior_draws(
                    rng, float(plan_p[s]), int(people[s]), arrived[s], exposure[s], n, prior_cv
                )
                for s in range(S)
            ]
        )
        if S
        else np.zeros((n, 0))
    )
    density = _density(terms, extra_days)
    total_share = np.array(
        [g.pledged + (1 - g.pledged) * float(density.sum()) for g in terms.segments]
    )
    later = np.clip(p * (total_share - exposure) / np.maximum(1 - p * exposure, 1e-12), 0, 1)
    prospects = np.maximum(np.rint(people - arrived - gone), 0).astype(np.int64)
    counts = rng.binomial(prospects, later)  # [n, S]

    per = counts.ravel()
    path = np.repeat(np.repeat(np.arange(n), S), per)
    seg = np.repeat(np.tile(np.arange(S), n), per)
    _choice, ticket = draw_tickets(rng, terms, series, seg)
    # before the opening the pledges come on the first day; after it they were seen
    day = arrival_days(rng, terms, seg, density, start=elapsed, pledges=elapsed == 0)

    base = _converted(rng, seen, rates, n)
    daily = np.bincount(path * days + day, weights=ticket, minlength=n * days).reshape(n, days)
    cumulative = np.minimum(base[:, None] + np.cumsum(daily, axis=1).astype(np.int64), cap)
    community = cumulative[:, -1] if days else np.minimum(base, cap)
    match, under, ahead = backstops(terms, community, minimum)
    counted = cumulative
    if terms.match is not None and terms.match.counts_toward_minimum:
        counted = cumulative + backstops(terms, cumulative.ravel(), 0)[0].reshape(cumulative.shape)
    hit = counted >= minimum
    first = np.where(hit.any(axis=1), hit.argmax(axis=1).astype(float), np.nan)
    return Forecast(
        seed=seed,
        n=n,
        elapsed=elapsed,
        days=terms.days,
        extra_days=extra_days,
        minimum=minimum,
        target=target,
        needed=needed,
        seen=base,
        community=community,
        match=match,
        underwriter=under,
        ahead=ahead,
        day_minimum=first,
        cumulative=cumulative,
        future_tickets=ticket,
        posterior_mean=p.mean(axis=0) if S else np.zeros(0),
    )
