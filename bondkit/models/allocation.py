"""Allocation of a campaign's subscriptions under a cap (:func:`cap_cents`), each ticket
within its bounds in whole bonds (:func:`ticket_bounds`): first-come, lottery or pro-rata,
each subscriber kept at or above a minimum or refused; vectorised over every simulated
campaign at once (a group is one campaign). Money in cents. Also the series each
subscriber picks from its segment's shares (:func:`choose_series`), and what a match and
an underwriter lend beside the community (:func:`backstops`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from bondkit.core.conventions import exact, to_cents
from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
from bondkit.data.rules import rule_set

__all__ = [
    "ticket_bounds",
    "series_shares",
    "draw_tickets",
    "allocate",
    "segment_starts",
    "choose_series",
    "backstops",
]


def _max_per_investor(terms: CampaignTerms) -> Decimal | None:
    if terms.max_per_investor is not None:
        return terms.max_per_investor
    return rule_set(terms.rule_set).max_per_investor


def cap_cents(terms: CampaignTerms, series: Sequence[SeriesTerms]) -> int:
    """The most the issue accepts [cents]: the campaign cap, else the series total."""
    if terms.cap is not None:
        return to_cents(terms.cap)
    return sum(s.amount_cents for s in series)


def ticket_bounds(
    terms: CampaignTerms, series: Sequence[SeriesTerms]
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest ticket in whole bonds of each series [bonds].

    The smallest is the minimum subscription rounded up to whole bonds (at least one); the
    largest the per-investor maximum (else the cap) rounded down to whole bonds. One entry
    per series, as int arrays.

    A co-op's 100,000 $ issue of 500 $ bonds; 2,000 members, 4 % of whom subscribe
    (0.8 reached x 0.5 supporting x 0.1 converting), a median ticket of 1,000 $, at most
    10,000 $ each, during a 75-day campaign:

    >>> import datetime as dt
    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000,
    ...                       simulations=200)
    >>> ticket_bounds(terms, series)  # 1 to 20 bonds of 500 $
    (array([1]), array([20]))
    """
    face = np.array([s.face_value_cents for s in series], dtype=np.int64)
    low = to_cents(terms.min_subscription) if terms.min_subscription is not None else 0
    k_lo = np.maximum(1, -(-low // face))
    high = _max_per_investor(terms)
    top = (
        min(to_cents(high), cap_cents(terms, series))
        if high is not None
        else cap_cents(terms, series)
    )
    k_hi = top // face
    if (k_hi < k_lo).any():
        j = int(np.flatnonzero(k_hi < k_lo)[0])
        raise ValueError(
            f"series {series[j].id}: one subscription of {k_lo[j]} bond(s) of "
            f"{face[j] / 100:.2f} is more than the per-investor maximum of {top / 100:.2f}"
        )
    return k_lo, k_hi


def draw_tickets(
    rng: np.random.Generator,
    terms: CampaignTerms,
    series: Sequence[SeriesTerms],
    seg: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The series each subscriber picks and its ticket [cents], for subscribers of the
    segments ``seg``: the segment's series shares, then its lognormal ticket law
    (``ticket_median``, ``ticket_spread``) rounded half up to whole bonds within
    :func:`ticket_bounds`.

    >>> import datetime as dt
    >>> from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    >>> series = [SeriesTerms("A", 100_000, 500, 0.03, dt.date(2027, 1, 15), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, conversion=0.1,
    ...                   ticket_median=1_000, ticket_spread=0)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=50_000,
    ...                       target=100_000, segments=(members,))
    >>> choice, ticket = draw_tickets(np.random.default_rng(1), terms, series, np.zeros(3, int))
    >>> choice.tolist(), ticket.tolist()  # two bonds of 500 $ each, in cents
    ([0, 0, 0], [100000, 100000, 100000])
    """
    n, J = len(seg), len(series)
    face = np.array([s.face_value_cents for s in series], dtype=np.int64)
    k_lo, k_hi = ticket_bounds(terms, series)
    cum_shares = np.cumsum([series_shares(g, series) for g in terms.segments], axis=1)
    choice = choose_series(rng.random(n), seg, cum_shares) if J > 1 else np.zeros(n, np.int64)
    medians = np.array([float(exact(g.ticket_median) * 100) for g in terms.segments])
    spreads = np.array([g.ticket_spread for g in terms.segments])
    x = medians[seg] * np.exp(spreads[seg] * rng.standard_normal(n))
    bonds = np.clip(np.floor(x / face[choice] + 0.5), k_lo[choice], k_hi[choice]).astype(np.int64)
    return choice, bonds * face[choice]


def series_shares(segment: Segment, series: Sequence[SeriesTerms]) -> np.ndarray:
    """The segment's choice of series, aligned with ``series`` (default: by series amount).

    >>> import datetime as dt
    >>> from bondkit.core.terms import Segment, SeriesTerms
    >>> a = SeriesTerms("A", 30_000, 500, 0.03, dt.date(2027, 1, 15), term_years=3)
    >>> b = SeriesTerms("B", 10_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> seg = Segment("Members", people=100, reached=0.5, conversion=0.1, ticket_median=1_000)
    >>> series_shares(seg, [a, b]).tolist()  # by amount
    [0.75, 0.25]
    """
    if segment.series_shares:
        given = dict(segment.series_shares)
        shares = np.array([float(given.get(s.id, 0.0)) for s in series])
    else:
        shares = np.array([s.amount_cents for s in series], dtype=float)
    return shares / shares.sum()


def segment_starts(group: np.ndarray, n_groups: int) -> np.ndarray:
    """Index of the first element of each group in an array sorted by group.

    Subscribers of three campaigns (paths 0, 1 and 2), sorted by campaign; path 1 has none:

    >>> segment_starts(np.array([0, 0, 2, 2, 2]), 3).tolist()
    [0, 2, 2]
    """
    return np.searchsorted(group, np.arange(n_groups))


def allocate(
    tickets: np.ndarray,
    face: np.ndarray,
    group: np.ndarray,
    order_key: np.ndarray,
    cap: int,
    rule: str,
    n_groups: int | None = None,
    order: np.ndarray | None = None,
    minimum: np.ndarray | None = None,
) -> np.ndarray:
    """Allocate each group's (path's) subscriptions under a cap [cents].

    tickets : int[T] — amounts demanded, whole bonds [cents]
    face : int[T] — face value of each subscriber's series [cents]
    group : int[T] — the campaign (path) of each subscriber
    order_key : float[T] — arrival time (first-come) or random draw (lottery); with
        pro-rata, the tie-break among equal remainders (earlier first)
    cap : int — the most one campaign accepts [cents]
    rule : str — first-come | lottery | pro-rata
    order : int[T] or None — the subscribers sorted by group then ``order_key``, when the
        caller already has it (it saves a sort)
    minimum : int[T] or None — the least one subscriber may be allotted (the minimum
        subscription in whole bonds of its series) [cents]

    first-come / lottery: in order of ``order_key``, full tickets until the cap; the one who
    crosses it gets what is left in whole bonds (nothing if that is below its minimum);
    later ones nothing.
    pro-rata (only when demand exceeds the cap): each gets ``ticket x cap / demand`` rounded
    down to whole bonds, then one more bond goes to the largest remainders first (ties:
    smaller order_key) as long as the leftover covers it; a subscriber whose share falls
    below its minimum is refused and the others share the cap again.
    Allocations never exceed the ticket, are whole bonds, and are 0 or at least the
    minimum; allocated + refused = demanded.

    One campaign capped at 100,000 $ receives 60,000 $, 30,000 $ and 20,000 $ in bonds of
    500 $, in that order. First come: the third gets the 10,000 $ left. Pro rata: 100/110 of
    each ticket in whole bonds (54,500, 27,000, 18,000 $), and the last 500 $ bond goes to
    the largest remainder (the second):

    >>> tickets, face = np.array([6_000_000, 3_000_000, 2_000_000]), np.full(3, 50_000)
    >>> group, arrival = np.zeros(3, dtype=int), np.array([0.0, 1.0, 2.0])
    >>> allocate(tickets, face, group, arrival, 10_000_000, "first-come").tolist()
    [6000000, 3000000, 1000000]
    >>> allocate(tickets, face, group, arrival, 10_000_000, "pro-rata").tolist()
    [5450000, 2750000, 1800000]
    """
    tickets = np.asarray(tickets, dtype=np.int64)
    face = np.asarray(face, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    minimum = face if minimum is None else np.asarray(minimum, dtype=np.int64)
    n = int(group.max()) + 1 if n_groups is None and len(group) else (n_groups or 0)
    out = np.zeros_like(tickets)
    if not len(tickets):
        return out
    if rule in ("first-come", "lottery"):
        if order is None:
            order = np.lexsort((order_key, group))
        t, g = tickets[order], group[order]
        cum = np.cumsum(t)
        starts = segment_starts(g, n)
        before = cum - t - np.concatenate([[0], cum])[starts][g]
        room = np.maximum(cap - before, 0)
        f = face[order]
        got = np.where(room >= t, t, room // f * f)
        out[order] = np.where(got >= minimum[order], got, 0)
        return out
    if rule != "pro-rata":
        raise ValueError(f"unknown allocation rule {rule!r}")
    eligible = np.ones(len(tickets), dtype=bool)
    while True:
        out = _pro_rata(tickets, face, group, order_key, cap, n, eligible)
        short = eligible & (out < minimum)  # a share below the minimum subscription
        if not short.any():
            return out
        eligible &= ~short  # refused: the others share the cap again


def _pro_rata(tickets, face, group, order_key, cap, n, eligible) -> np.ndarray:
    """Pro-rata in whole bonds among the ``eligible`` subscribers (the others get nothing)."""
    t_all = np.where(eligible, tickets, 0)
    demand = np.bincount(group, weights=t_all, minlength=n).astype(np.int64)
    over = demand > cap
    out = np.where(over[group], 0, t_all)
    idx = np.flatnonzero(over[group] & eligible)
    if not len(idx):
        return out
    t, f, g = tickets[idx], face[idx], group[idx]
    d = demand[g]
    # exact integers: share = t * cap / d; bonds = floor(share / f); remainder scaled by d
    if int(t.max()) * cap > 2**62:
        t, f, d = t.astype(object), f.astype(object), d.astype(object)
    base = (t * cap) // (d * f) * f
    remainder = (t * cap - base * d).astype(float) / d.astype(float)
    base = base.astype(np.int64)
    left = cap - np.bincount(g, weights=base, minlength=n).astype(np.int64)
    order = np.lexsort((order_key[idx], -remainder, g))
    fo, go = f.astype(np.int64)[order], g[order]
    cum_f = np.cumsum(fo)
    starts = segment_starts(go, n)
    within = cum_f - np.concatenate([[0], cum_f])[starts][go]
    extra = np.zeros(len(idx), dtype=np.int64)
    extra[order] = np.where(within <= left[go], fo, 0)
    out[idx] = base + extra
    return out


def choose_series(u: np.ndarray, seg: np.ndarray, cum_shares: np.ndarray) -> np.ndarray:
    """The series each subscriber picks: the number of its segment's cumulative shares
    (all but the last) at or below its uniform draw ``u``.

    The same numbers as ``(u[:, None] >= cum_shares[seg][:, :-1]).sum(axis=1)``, without
    its subscribers x series matrix (12 GB for a million subscribers and 500 series, issue
    #11): subscribers are grouped by segment and each group is looked up in its own row.

    >>> cum = np.array([[0.5, 0.5, 1.0], [0.0, 0.2, 1.0]])
    >>> choose_series(np.array([0.1, 0.5, 0.9, 0.1, 0.7]), np.array([0, 0, 0, 1, 1]), cum)
    array([0, 2, 2, 1, 2])
    """
    order = np.argsort(seg, kind="stable")
    starts = np.append(segment_starts(seg[order], len(cum_shares)), len(seg))
    choice = np.empty(len(seg), dtype=np.int64)
    for s, row in enumerate(cum_shares):
        idx = order[starts[s] : starts[s + 1]]
        choice[idx] = np.searchsorted(row[:-1], u[idx], side="right")
    return choice


def backstops(
    terms: CampaignTerms, community: np.ndarray, minimum: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match and underwriter amounts of each campaign, and whether it goes ahead [cents].

    The match lends ``ratio`` per community cent (rounded half up, up to its
    ``max_amount``); the underwriter lends the gap to the minimum when it is at most its
    ``max_amount``; a campaign that does not go ahead gets neither. A 1:1 match of at most
    10,000 $ and an underwriter of at most 5,000 $, for a minimum of 30,000 $:

    >>> import datetime as dt
    >>> from bondkit.core.terms import Backstop, CampaignTerms, Segment
    >>> seg = Segment("Members", people=100, reached=0.5, conversion=0.1, ticket_median=1_000)
    >>> terms = CampaignTerms(dt.date(2026, 11, 1), dt.date(2027, 1, 14), minimum=30_000,
    ...     target=40_000, segments=(seg,),
    ...     match=Backstop("match", max_amount=10_000, annual_rate=0.03, term_years=5),
    ...     underwriter=Backstop("underwriter", max_amount=5_000, annual_rate=0.06, term_years=5))
    >>> community = np.array([2_000_000, 1_800_000, 900_000])  # cents
    >>> match, under, ahead = backstops(terms, community, 3_000_000)
    >>> match.tolist(), under.tolist(), ahead.tolist()  # 18,000 + 10,000 + 2,000; 9,000 short
    ([1000000, 1000000, 0], [0, 200000, 0], [True, True, False])
    """
    match = np.zeros_like(community)
    if terms.match is not None:
        ratio = exact(terms.match.ratio)
        match = np.minimum(
            (community * ratio.numerator * 2 + ratio.denominator) // (2 * ratio.denominator),
            to_cents(terms.match.max_amount),
        )
    counted = community + (
        match if terms.match is not None and terms.match.counts_toward_minimum else 0
    )
    gap = np.maximum(minimum - counted, 0)
    under = np.zeros_like(community)
    if terms.underwriter is not None:
        under = np.where(gap <= to_cents(terms.underwriter.max_amount), gap, 0)
    ahead = counted + under >= minimum
    return np.where(ahead, match, 0), np.where(ahead, under, 0), ahead
