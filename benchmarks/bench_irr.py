"""Benchmark: bondkit.core.rates.irr on 10,000 series of 121 periods vs numpy_financial.irr.

``bench_irr()`` returns ``(name, seconds, comment)`` rows for ``benchmarks/run.py``; run this
file as a script to print them alone. numpy_financial.irr solves one series per call (the
eigenvalues of a companion matrix), so it is timed on 100 series and scaled to 10,000.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

N_SERIES = 10_000
N_PERIODS = 121  # a loan paid out at t = 0, then 120 monthly repayments
N_REFERENCE = 100  # series timed (and checked) with numpy_financial.irr
TARGET_SECONDS = 0.5  # issue target: under 0.5 s for 10,000 series
SEED = 20_240_601


def cash_flows(
    n_series: int = N_SERIES, n_periods: int = N_PERIODS, seed: int = SEED
) -> np.ndarray:
    """Loan-like series [$]: -principal at t = 0, then level repayments with ±10 % noise."""
    rng = np.random.default_rng(seed)
    k = n_periods - 1
    principal = rng.uniform(1e3, 1e6, n_series)
    monthly = rng.uniform(0.0, 0.12, n_series) / 12  # 0 % to 12 % a year
    annuity = np.where(monthly == 0, 1 / k, monthly / (1 - (1 + monthly) ** -k))
    values = np.empty((n_series, n_periods))
    values[:, 0] = -principal
    values[:, 1:] = (principal * annuity)[:, None] * rng.uniform(0.9, 1.1, (n_series, k))
    return values


def _best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_irr() -> list[tuple[str, float, str]]:
    """Time both IRR solvers; rows of (name, seconds, comment). Asserts that they agree."""
    import numpy_financial as npf

    from bondkit.core.rates import irr

    values = cash_flows()
    ours = irr(values)
    sample = values[:N_REFERENCE]
    reference = np.array([npf.irr(v) for v in sample])
    worst = float(np.max(np.abs(ours[:N_REFERENCE] - reference)))
    assert worst <= 1e-9, f"bondkit irr differs from numpy_financial.irr by {worst:.3g}"
    assert np.isfinite(ours).all(), "bondkit irr returned nan on a conventional series"

    t_ours = _best_of(lambda: irr(values))
    t_ref_sample = _best_of(lambda: [npf.irr(v) for v in sample], repeat=1)
    scale = N_SERIES / N_REFERENCE
    t_ref = t_ref_sample * scale
    verdict = "met" if t_ours < TARGET_SECONDS else "NOT met"
    return [
        (
            f"irr bondkit, {N_SERIES:,} x {N_PERIODS}",
            t_ours,
            f"best of 3; target < {TARGET_SECONDS} s: {verdict}; "
            f"{t_ref / t_ours:,.0f}x faster than numpy_financial",
        ),
        (
            f"irr numpy_financial, {N_SERIES:,} x {N_PERIODS}",
            t_ref,
            f"{N_REFERENCE} series timed ({t_ref_sample * 1000:.0f} ms) x {scale:.0f}; "
            f"max |difference| {worst:.1e} on them",
        ),
    ]


if __name__ == "__main__":
    for name, seconds, comment in bench_irr():
        print(f"{name}: {seconds * 1000:8.1f} ms  {comment}")
