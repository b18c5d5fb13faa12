"""The holders the redemption-risk model simulates (:mod:`bondkit.models.risk`): equal
holdings, holdings shaped like the campaign's simulated register, or the real register's
own holdings; amounts in cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondkit.core.conventions import to_cents
from bondkit.core.terms import SeriesTerms

__all__ = ["Holders", "equal_holders", "holders_from_register"]


@dataclass(frozen=True)
class Holders:
    """The holdings of an issue: one entry per holder [cents]."""

    series: np.ndarray  # index into the series list
    segment: np.ndarray  # object: segment name or None
    amount: np.ndarray  # int64 cents


def equal_holders(series: Sequence[SeriesTerms], holding: float) -> Holders:
    """Each series split into equal holdings of ``holding`` rounded up to whole bonds.

    ``holding`` is in currency units; the holdings are in cents. 1,200 $ is rounded up to
    three bonds of 500 $, so 100,000 $ makes 66 holdings of 1,500 $ and one of 1,000 $:

    >>> import datetime as dt
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> h = equal_holders([s], 1_200)
    >>> len(h.amount), int(h.amount[0]), int(h.amount[-1]), int(h.amount.sum())
    (67, 150000, 100000, 10000000)
    """
    idx, amounts = [], []
    for j, s in enumerate(series):
        face = s.face_value_cents
        size = max(1, -(-to_cents(holding) // face)) * face
        n, rest = divmod(s.amount_cents, size)
        amounts += [size] * n + ([rest] if rest else [])
        idx += [j] * (n + (1 if rest else 0))
    return Holders(
        np.array(idx, dtype=np.int64),
        np.array([None] * len(idx), dtype=object),
        np.array(amounts, dtype=np.int64),
    )


def holders_from_register(
    register: pd.DataFrame, series: Sequence[SeriesTerms], holding: float, exact: bool = False
) -> Holders:
    """Holdings shaped like the campaign register, adding up to each series' amount; with
    ``exact``, the register's holdings themselves (the real register of holders).

    For each series the register's holdings (in subscription order) are repeated until
    they make up the series amount, the last one cut to what remains (whole bonds). A
    series without holders in the register is split into equal holdings. The register's
    ``amount`` column and the holdings are in cents; ``holding`` in currency units.

    A register of a 5,000 $ member and a 2,500 $ neighbour, repeated to make up 100,000 $
    (13 pairs, then 2,500 $ left for one more member):

    >>> import datetime as dt
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> register = pd.DataFrame({"series": ["A", "A"], "segment": ["Members", "Neighbours"],
    ...                          "amount": [500_000, 250_000]})
    >>> h = holders_from_register(register, [s], 1_000)
    >>> len(h.amount), h.amount[:2].tolist(), int(h.amount[-1]), h.segment[-1]
    (27, [500000, 250000], 250000, 'Members')

    With ``exact=True`` each row with an amount is one holder, as it is: nothing is
    repeated, a series without a row has no holder, rows of other series are left out,
    and the ``segment`` column is optional (none: every holder has the probability of
    ``annual_probability``). The register of holders' two holdings of series A:

    >>> real = pd.DataFrame({"series": ["A", "A", "Z"], "amount": [500_000, 250_000, 100]})
    >>> h = holders_from_register(real, [s], 1_000, exact=True)
    >>> h.amount.tolist(), h.series.tolist(), h.segment.tolist()
    ([500000, 250000], [0, 0], [None, None])
    """
    idx, segs, amounts = [], [], []
    reg = register[register["amount"] > 0]
    if exact:
        for j, s in enumerate(series):
            own = reg[reg["series"] == s.id]
            idx += [j] * len(own)
            segs += own["segment"].tolist() if "segment" in own else [None] * len(own)
            amounts += [int(a) for a in own["amount"]]
        return Holders(
            np.array(idx, dtype=np.int64),
            np.array(segs, dtype=object),
            np.array(amounts, dtype=np.int64),
        )
    for j, s in enumerate(series):
        own = reg[reg["series"] == s.id]
        if own.empty:
            eq = equal_holders([s], holding)
            idx += [j] * len(eq.amount)
            segs += [None] * len(eq.amount)
            amounts += eq.amount.tolist()
            continue
        left, k = s.amount_cents, 0
        sizes, names = own["amount"].to_numpy(), own["segment"].to_numpy()
        while left > 0:
            a = min(int(sizes[k % len(sizes)]), left)
            idx.append(j)
            segs.append(names[k % len(sizes)])
            amounts.append(a)
            left -= a
            k += 1
    return Holders(
        np.array(idx, dtype=np.int64),
        np.array(segs, dtype=object),
        np.array(amounts, dtype=np.int64),
    )
