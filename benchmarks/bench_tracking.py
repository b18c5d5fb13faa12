"""The campaign under way (issue #16): one forecast of 10,000 paths for a campaign of 2,000
prospects (target under 1 s), beside the plan's own simulation of 10,000 campaigns of the
same scenario in this process; and the backtest of 200 campaigns x 4 checkpoints (target
under 1 minute), whose table says whether the forecast is any good (docs/tracking.md)."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

#: a campaign whose minimum is in doubt: 2,000 members and 8,000 neighbours, about
#: 118,000 $ expected against a minimum of 110,000 $ (the cap, 300,000 $, does not bind)
PEOPLE = (2_000, 8_000)


def _terms():
    from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms

    series = [SeriesTerms("A", 300_000, 500, 0.04, dt.date(2027, 5, 1), term_years=5)]
    members = Segment("Members", people=PEOPLE[0], reached=0.8, supporting=0.5,
                      conversion=0.1, ticket_median=1_000, ticket_spread=0.6, pledged=0.1)  # fmt: skip
    others = Segment("Neighbours", people=PEOPLE[1], reached=0.3, supporting=0.3,
                     conversion=0.05, ticket_median=500, ticket_spread=0.5)  # fmt: skip
    terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=110_000,
                          target=150_000, segments=(members, others), max_per_investor=10_000)  # fmt: skip
    return terms, series


def bench_tracking() -> list[str]:
    from bondkit.models.campaign import simulate
    from bondkit.models.tracking import Observed, forecast
    from bondkit.studies.backtest import backtest

    terms, series = _terms()
    small = terms.__class__(**{**terms.__dict__, "segments": terms.segments[:1]})
    k = 30
    seen = Observed(dt.date(2027, 3, 16), np.arange(k) % 16, np.full(k, 100_000),
                    np.zeros(k, int), np.zeros(k, int), np.zeros(k, int))  # fmt: skip
    forecast(small, series, seen, n=1_000)  # warm
    t0 = time.perf_counter()
    forecast(small, series, seen, seed=1, n=10_000)
    t_forecast = time.perf_counter() - t0
    t0 = time.perf_counter()
    simulate(small, series, seed=1, n=10_000)
    t_plan = time.perf_counter() - t0
    lines = [
        f"tracking forecast, 10,000 paths, 2,000 prospects, 16 days of 60 seen: {t_forecast:6.2f} s"
        f"  (target < 1 s: {'met' if t_forecast < 1 else 'NOT met'})",
        f"  baseline: the plan's simulation of 10,000 campaigns (same process):  {t_plan:6.2f} s",
    ]
    t0 = time.perf_counter()
    table = backtest(terms, series, campaigns=200, paths=1_000, seed=1)
    t_back = time.perf_counter() - t0
    known = backtest(terms, series, campaigns=200, paths=1_000, seed=1, from_prior=False)
    lines.append(
        f"tracking backtest, 200 campaigns x 4 checkpoints, 1,000 paths each: {t_back:6.1f} s"
        f"  (target < 60 s: {'met' if t_back < 60 else 'NOT met'})"
    )
    for name, tb in (("parameters drawn from the prior", table), ("the plan's parameters", known)):
        lines.append(f"  campaigns with {name}: checkpoint, coverage of p5-p95 (nominal 0.90), "
                     "accuracy of 'reaches the minimum' (forecast / straight line / plan), "
                     "error of the median (forecast / straight line)")  # fmt: skip
        for r in tb.itertuples():
            lines.append(
                f"    {r.checkpoint:4.0%}  coverage {r.coverage:.3f}  accuracy {r.accuracy:.3f}"
                f" / {r.accuracy_straight_line:.3f} / {r.accuracy_plan:.3f}"
                f"  error {r.error_median:.3f} / {r.error_straight_line:.3f}"
            )
    return lines
