"""Calendars and payment runs of the register (issue #13): 10,000 holders in 3 series over
10 years, every holding's calendar and one year's payment runs (target: under 2 s),
beside what pandas alone takes to read the same rows and do the same frame work in
floating point (a baseline measured in the same process)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from register_common import scenario_text, seconds, subscriptions

TARGET = 2.0  # seconds: every holding's calendar and a year's payment run

SCENARIO = scenario_text(3_000_000)


def _pandas_alone(path: Path) -> float:
    """Read the same holdings with pandas and spread them over the quarterly periods of
    10 years with a float interest per period: the frame work of a calendar, no cents."""
    import numpy as np
    import pandas as pd

    def work() -> pd.DataFrame:
        with sqlite3.connect(path) as conn:
            held = pd.read_sql_query(
                "SELECT h.holding_id, h.holder_id, h.series_id, h.interest_start, "
                "b.bonds, o.name FROM holdings h JOIN holding_balances b USING (holding_id) "
                "JOIN holders o USING (holder_id)",
                conn,
            )
        periods = pd.DataFrame({"period": np.arange(1, 41), "yf": 0.25})
        frame = held.merge(periods, how="cross")
        frame["interest"] = (frame["bonds"] * 10_000 * 0.0475 * frame["yf"]).round()
        return frame.groupby("series_id")["interest"].sum()

    return min(seconds(work)[0] for _ in range(3))


def bench_pay(n: int = 10_000) -> list[str]:
    from bondkit.register import Register
    from bondkit.scenario import parse_scenario

    rows = subscriptions(n, 13, (1, 3))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with Register.create(path, parse_scenario(SCENARIO), by="bench") as reg:
            t_import, _ = seconds(lambda: reg.add_subscriptions(rows, reason="bench", by="bench"))
            t_cold, cal = seconds(reg.calendars)  # the first call imports the core's modules
            t_cal = min(seconds(reg.calendars)[0] for _ in range(3))
            year = sorted({d.date() for d in cal["due_on"] if d.year == 2027})
            t_prep = min(seconds(lambda: [reg.payment_run(d) for d in year])[0] for _ in range(3))
            runs = [reg.payment_run(d) for d in year]
            t_pay, _ = seconds(lambda: [reg.pay(d, reason="bench", by="bench") for d in year])
            t_diff, _ = seconds(reg.plan_difference)
            paid = sum(len(r) for r in runs)
            t_check, report = seconds(reg.check)
            ok = report.ok
        t_pandas = _pandas_alone(path)
    total = t_cal + t_prep + t_pay
    verdict = "met" if total <= TARGET else "NOT met"
    return [
        f"register: {n:,} holders in 3 series over 10 years (import {t_import:.2f} s)",
        f"  every holding's calendar ({len(cal):,} rows, exact cents):   {t_cal * 1000:8.1f} ms"
        f"  (first call, with the imports: {t_cold * 1000:.0f} ms)",
        f"  a year's payment runs ({len(year)} dates, {paid:,} payments) prepared: {t_prep * 1000:8.1f} ms",
        f"  ... and recorded (one transaction per date, check ok: {ok}):   {t_pay * 1000:8.1f} ms",
        f"  the difference from the plan, every series and date:      {t_diff * 1000:8.1f} ms",
        f"  baseline: pandas alone reads the holdings and spreads them over 40 periods in"
        f" floats: {t_pandas * 1000:8.1f} ms",
        f"  calendar + a year's runs prepared: {t_cal + t_prep:.2f} s"
        f"  (target <= {TARGET:.0f} s: {'met' if t_cal + t_prep <= TARGET else 'NOT met'});"
        f" recorded too: {total:.2f} s ({verdict})",
        f"  a full check of the register (every event, balance and total recomputed):"
        f" {t_check:.2f} s  (target <= 2 s: {'met' if t_check <= 2 else 'NOT met'})",
    ]


if __name__ == "__main__":
    for line in bench_pay():
        print(line)
