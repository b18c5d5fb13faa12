"""A tax year of the register (issue #14): 10,000 holders in 3 series over 10 years (a
bullet paid semi-annually, a level-payment series paid quarterly, a compound accumulating
series under s. 12(4)), every payment run recorded, some transfers and early
redemptions; then one year's lines, amounts per holder and slip type, and statements
(target: under 5 s, documents excluded), beside what pandas alone takes to read the same
postings and sum the interest paid by holder and year in floating point (a baseline
measured in the same process)."""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path

from register_common import scenario_text, seconds, subscriptions

TARGET = 5.0  # seconds: all of a year's computation

SCENARIO = scenario_text(10_000_000)


def _pandas_alone(path: Path, year: int) -> float:
    """Read every posting with its event and holder, and sum the interest paid by holder
    in the year and the principal outstanding by holding, in floats: the frame work of a
    year's slips without the accrual, the rounding or the rules."""
    import pandas as pd

    def work() -> pd.DataFrame:
        with sqlite3.connect(path) as conn:
            post = pd.read_sql_query(
                "SELECT e.kind, e.occurred_on, p.holding_id, h.holder_id, p.principal_cents, "
                "p.interest_cents FROM postings p JOIN events e USING (event_id) "
                "JOIN holdings h USING (holding_id)",
                conn,
            )
        post["on"] = pd.to_datetime(post["occurred_on"])
        paid = post[(post["kind"] == "interest_paid") & (post["on"].dt.year == year)]
        by = (-paid["interest_cents"] / 100.0).groupby(paid["holder_id"]).sum()
        owed = post.groupby("holding_id")["principal_cents"].sum() / 100.0
        return pd.concat([by, owed])

    return min(seconds(work)[0] for _ in range(3))


def bench_tax(n: int = 10_000) -> list[str]:
    from bondkit.register import Posting, Register, RegisterError
    from bondkit.scenario import parse_scenario

    rng = random.Random(14 + 1)
    rows = subscriptions(n, 14, (5, 30), extra={17: {"kind": "corporation"}})
    year = 2031
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with Register.create(path, parse_scenario(SCENARIO), by="bench") as reg:
            t0 = time.perf_counter()
            reg.add_subscriptions(rows, reason="bench", by="bench")
            dates = sorted({d.date() for d in reg.calendars()["due_on"]})
            moves = sorted(rng.sample(range(n), n // 100))
            for k, d in enumerate(d for d in dates if d.year <= year):
                if k % 8 == 4:  # now and then, a transfer and an early redemption
                    for h in moves[k % 5 :: 10]:
                        try:
                            reg.transfer(h + 1, 1, on=d, to={"name": f"Buyer {h}"}, reason="b")
                        except RegisterError:
                            pass
                    h = moves[k % len(moves)] + 1
                    held = reg.holdings().set_index("holding_id").loc[h]
                    if held["bonds"] > 0:
                        principal = int(held["principal_cents"])
                        reg.record(
                            "early_redemption",
                            d,
                            [Posting(h, bonds=-int(held["bonds"]), principal_cents=-principal, cash_cents=-principal)],
                            reason="b",
                        )  # fmt: skip
                reg.pay(d, reason="bench", by="bench")
            t_setup = time.perf_counter() - t0
            t_cold, ty = seconds(lambda: reg.tax_year(year))
            t_year = min(seconds(lambda: reg.tax_year(year))[0] for _ in range(3))
            postings = len(reg.events())
        t_pandas = _pandas_alone(path, year)
    slips = int(ty.by_holder["issued_t5"].sum())
    verdict = "met" if t_year <= TARGET else "NOT met"
    return [
        f"tax year {year}: {n:,} holders in 3 series over 10 years, {postings:,} postings "
        f"(register built and every run recorded in {t_setup:.1f} s)",
        f"  lines, amounts per holder and slip type, statements ({len(ty.lines):,} lines, "
        f"{len(ty.statements):,} statements, {slips:,} T5 slips): {t_year * 1000:8.1f} ms"
        f"  (first call: {t_cold * 1000:.0f} ms)",
        f"  baseline: pandas alone reads the postings and sums the interest paid (floats): "
        f"{t_pandas * 1000:8.1f} ms",
        f"  target <= {TARGET:.0f} s: {verdict}",
    ]


if __name__ == "__main__":
    print("\n".join(bench_tax()))
