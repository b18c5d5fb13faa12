"""Is the tracking forecast any good? Campaigns played back and forecast at checkpoints
(issue #16; ``make bench`` prints the table, docs/tracking.md reads it).

Each campaign is drawn from a scenario's campaign model with its parameters drawn from
the forecast's own prior (each segment's subscribe probability from the Beta law of mean
the plan's and coefficient of variation ``prior_cv``), or with the plan's parameters as
written (``from_prior=False``): its subscribers, days, series and tickets, all paid. At
10, 25, 50 and 75 % of its days the rows seen by then are given to
:func:`bondkit.models.tracking.forecast`; what it says is compared with how the campaign
ended:

- **coverage**: the share of campaigns whose final raise lies in the forecast's p5-p95
  interval (90 % when the model is right);
- **accuracy** of "will reach the minimum" (the forecast's chance at or above 1/2)
  against what happened, beside the straight line's (the money seen, extended at the same
  pace) and the plan's before the campaign (the same answer for every campaign);
- **error of the median**: the mean absolute error of the forecast's median final raise
  over the campaigns' mean final raise, beside the straight line's.

The final raise is the community money, capped at the issue's cap (the backstops aside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from bondkit.core.conventions import to_cents
from bondkit.core.terms import CampaignTerms, SeriesTerms
from bondkit.models.allocation import cap_cents, draw_tickets
from bondkit.models.campaign import arrival_density, subscribe_probabilities
from bondkit.models.tracking import (
    PRIOR_CV,
    Observed,
    arrival_days,
    community_needed,
    forecast,
    posterior_draws,
)

__all__ = ["CHECKPOINTS", "backtest"]

#: the shares of the campaign's days at which it is forecast
CHECKPOINTS = (0.10, 0.25, 0.50, 0.75)


def _campaign(rng: np.random.Generator, terms: CampaignTerms, series, p: np.ndarray):
    """One campaign's rows (day, amount, series, segment) with subscribe probabilities p."""
    people = np.array([g.people for g in terms.segments], dtype=np.int64)
    counts = rng.binomial(people, p)
    seg = np.repeat(np.arange(len(people)), counts)
    choice, ticket = draw_tickets(rng, terms, series, seg)
    day = arrival_days(rng, terms, seg, arrival_density(terms))
    return day, ticket, choice, seg


def backtest(
    terms: CampaignTerms,
    series: Sequence[SeriesTerms],
    campaigns: int = 200,
    paths: int = 1_000,
    seed: int = 0,
    from_prior: bool = True,
    checkpoints: Sequence[float] = CHECKPOINTS,
    prior_cv: float = PRIOR_CV,
) -> pd.DataFrame:
    """One row per checkpoint: ``checkpoint`` (share of the days), ``campaigns``,
    ``coverage``, ``accuracy``, ``accuracy_straight_line``, ``accuracy_plan``,
    ``error_median``, ``error_straight_line`` (fractions).

    >>> from bondkit.core.terms import Segment
    >>> series = [SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 5, 1), term_years=5)]
    >>> members = Segment("Members", people=2_000, reached=0.8, supporting=0.5,
    ...                   conversion=0.1, ticket_median=1_000, ticket_spread=0.6)
    >>> terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=80_000,
    ...                       target=100_000, segments=(members,), max_per_investor=10_000)
    >>> table = backtest(terms, series, campaigns=40, paths=500, seed=3, checkpoints=(0.5,))
    >>> row = table.iloc[0]
    >>> int(row["campaigns"]), bool(row["coverage"] >= 0.8), bool(row["accuracy"] >= row["accuracy_plan"])
    (40, True, True)
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    plan_p = subscribe_probabilities(terms, series)
    people = [g.people for g in terms.segments]
    cap = cap_cents(terms, series)
    needed = community_needed(terms, to_cents(terms.minimum))
    z = np.zeros(0, dtype=np.int64)
    plan = forecast(terms, series, Observed(terms.opens - dt.timedelta(days=1), z, z, z, z, z),
                    seed=seed, n=paths, prior_cv=prior_cv)  # fmt: skip
    plan_says = float((plan.community >= needed).mean()) >= 0.5
    rows = {c: [] for c in checkpoints}
    for k in range(campaigns):
        p = np.array(
            [
                posterior_draws(rng, float(m), n, 0, 0, 1, prior_cv)[0] if from_prior else float(m)
                for m, n in zip(plan_p, people, strict=True)
            ]
        )
        day, ticket, choice, seg = _campaign(rng, terms, series, p)
        final = min(int(ticket.sum()), cap)
        reached = final >= needed
        for c in checkpoints:
            elapsed = max(int(round(c * terms.days)), 1)
            mask = day < elapsed
            n = int(mask.sum())
            seen = Observed(terms.opens + dt.timedelta(days=elapsed - 1), day[mask], ticket[mask],
                            choice[mask], seg[mask], np.zeros(n, dtype=np.int64))  # fmt: skip
            f = forecast(terms, series, seen, seed=seed + k, n=paths, prior_cv=prior_cv)
            lo, mid, hi = np.quantile(f.community, (0.05, 0.5, 0.95))
            line = min(int(ticket[mask].sum()) * terms.days // elapsed, cap)
            rows[c].append(
                (
                    lo <= final <= hi,
                    (f.community >= needed).mean() >= 0.5,
                    line >= needed,
                    plan_says,
                    reached,
                    abs(mid - final),
                    abs(line - final),
                    final,
                )  # fmt: skip
            )
    out = []
    for c, r in rows.items():
        a = np.array(r, dtype=float)
        mean_final = a[:, 7].mean() or 1.0
        out.append(
            {
                "checkpoint": c,
                "campaigns": len(r),
                "coverage": a[:, 0].mean(),
                "accuracy": (a[:, 1] == a[:, 4]).mean(),
                "accuracy_straight_line": (a[:, 2] == a[:, 4]).mean(),
                "accuracy_plan": (a[:, 3] == a[:, 4]).mean(),
                "error_median": a[:, 5].mean() / mean_final,
                "error_straight_line": a[:, 6].mean() / mean_final,
            }
        )
    return pd.DataFrame(out)
