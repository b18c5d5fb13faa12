"""Allocation of a campaign's subscriptions under a cap: first-come, lottery or pro-rata,
each subscriber kept at or above a minimum or refused; vectorised over every simulated
campaign at once (a group is one campaign). Money in cents.
"""

from __future__ import annotations

import numpy as np

__all__ = ["allocate", "segment_starts"]


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
