"""What the register's benchmarks share: the issue (10,000 holders in 3 series over 10
years: a semi-annual bullet, a quarterly level payment, a compound accumulating series),
the subscriptions, and a timer."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

_SERIES = """
[[series]]
id = "A"
amount = {amount}
face_value = 100
annual_rate = 0.04
issue_date = 2026-03-02
term_years = 10
repayment = "bullet"
frequency = "semi-annual"
[[series]]
id = "B"
amount = {amount}
face_value = 100
annual_rate = 0.0475
issue_date = 2026-03-02
term_years = 10
repayment = "level-payment"
frequency = "quarterly"
day_count = "ACT/365F"
[[series]]
id = "C"
amount = {amount}
face_value = 100
annual_rate = 0.05
issue_date = 2026-03-02
term_years = 10
repayment = "accumulating"
interest = "compound"
"""


def scenario_text(amount: int) -> str:
    """The benchmark issue, each series of ``amount`` dollars."""
    head = '[scenario]\nname = "Benchmark"\nlanguage = "en"\n[issuer]\nname = "Coop"\n'
    return head + _SERIES.format(amount=f"{amount:_}")


def subscriptions(
    n: int, seed: int, bonds: tuple[int, int], extra: dict[int, dict] | None = None
) -> list[dict]:
    """``n`` subscriptions spread over the 3 series, ``bonds`` (lowest, highest) each,
    made in the 50 days from 2026-01-05; ``extra`` maps a number k to fields given to
    every k-th holder (``{17: {"kind": "corporation"}}``)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row = {
            "name": f"Holder {i}",
            "series": "ABC"[i % 3],
            "bonds": rng.randint(*bonds),
            "subscribed_on": dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(50)),
        }
        for k, fields in (extra or {}).items():
            if i % k == 0:
                row.update(fields)
        rows.append(row)
    return rows


def seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    """How long ``fn()`` took [s], and what it returned."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out
