"""bondkit benchmarks: each figure printed beside its baseline, measured in this process.

Run with ``make bench``. Nothing here is a test: figures vary with the machine; the
targets of issue #2 are printed beside them with a verdict.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def best_of(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_level_payment(n_loans: int = 10_000, n_periods: int = 120) -> list[str]:
    """Exact-cent level-payment schedules vs a bare numpy closed form without rounding."""
    from bondkit.core.schedule import level_payment_cents

    rng = np.random.default_rng(2)
    amounts = rng.integers(1_000, 100_000, n_loans) * 100  # cents
    rates = rng.integers(100, 800, n_loans) / 10_000  # 1.00 % to 7.99 %

    def bare():
        i = (rates / 12)[:, None]
        k = np.arange(n_periods + 1)[None, :]
        pmt = amounts[:, None] * i / (1 - (1 + i) ** -n_periods)
        growth = (1 + i) ** k
        balance = amounts[:, None] * growth - pmt * (growth - 1) / i
        interest = balance[:, :-1] * i
        principal = pmt - interest
        return interest, principal, balance

    def exact():
        return level_payment_cents(amounts, rates, n_periods, "monthly")

    out = exact()
    assert (out["principal"].sum(axis=1) == amounts).all()
    t_bare, t_exact = best_of(bare), best_of(exact)
    ratio = t_exact / t_bare
    return [
        f"level-payment schedules, {n_loans:,} x {n_periods} monthly, exact cents: {t_exact * 1000:8.1f} ms",
        f"  baseline: bare numpy closed form, no rounding (same process):      {t_bare * 1000:8.1f} ms",
        f"  ratio {ratio:.2f}x  (target <= 3x: {'met' if ratio <= 3 else 'NOT met'})",
    ]


def bench_campaign(n_campaigns: int = 10_000, people: int = 2_000, sample: int = 20) -> list[str]:
    """10,000 simulated campaigns of 2,000 potential investors, vs a per-investor Python loop."""
    import datetime as dt
    import math
    import random

    from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms
    from bondkit.models.campaign import simulate

    series = [SeriesTerms("A", 1_000_000, 500, 0.03, dt.date(2027, 1, 1), term_years=5)]
    seg = Segment(
        "Community",
        people,
        reached=0.6,
        supporting=0.5,
        conversion=0.3,
        ticket_median=1_500,
        ticket_spread=0.8,
    )
    terms = CampaignTerms(
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 15),
        200_000,
        300_000,
        (seg,),
        cap=400_000,
        simulations=n_campaigns,
    )
    t_vec = best_of(lambda: simulate(terms, series, seed=1), repeat=3)
    subscribers = simulate(terms, series, seed=1).applicants.sum()

    def naive():
        rnd = random.Random(1)
        p = seg.p_subscribe
        for _ in range(sample):
            subs = []
            for _ in range(people):  # one draw per potential investor, as a spreadsheet macro would
                if rnd.random() < p:
                    x = 1_500 * math.exp(0.8 * rnd.gauss(0, 1))
                    subs.append(
                        (rnd.uniform(0, 76), max(1, min(800, math.floor(x / 500 + 0.5))) * 500)
                    )
            subs.sort()
            total = 0
            for _, amount in subs:
                total += min(amount, max(0, 400_000 - total))

    t_naive = best_of(naive, repeat=1) * n_campaigns / sample
    return [
        f"campaign Monte Carlo, {n_campaigns:,} campaigns x {people:,} potential investors "
        f"({subscribers / n_campaigns:.0f} subscribers each): {t_vec:6.2f} s  (target < 2 s: {'met' if t_vec < 2 else 'NOT met'})",
        f"  baseline: per-investor Python loop, {sample} campaigns timed, scaled: {t_naive:6.1f} s  ({t_naive / t_vec:.0f}x slower)",
    ]


_RISK_CHILD = """
import datetime as dt, sys, time
import numpy as np
from bondkit.models.risk import Holders, simulate_risk
from bondkit.core.terms import RiskTerms, SeriesTerms
cap = None if sys.argv[1] == "none" else float(sys.argv[1])
s = SeriesTerms("A", 5_000_000, 100, 0.04, dt.date(2026, 1, 1), term_years=10, repayment="bullet")
rng = np.random.default_rng(0)
w = rng.lognormal(0, 1, 500)
bonds = np.maximum(1, np.floor(w / w.sum() * 50_000)).astype(np.int64)
bonds[-1] += 50_000 - bonds.sum()
holders = Holders(np.zeros(500, dtype=np.int64), np.array([None] * 500, dtype=object), bonds * 10_000)
terms = RiskTerms(annual_probability=0.03, lock_in_years=2, stress_probability=0.05,
                  stress_annual_probability=0.15, annual_cap=cap, paths=100_000)
def hwm():  # peak resident set of this process, in kB (reset by exec, unlike ru_maxrss)
    with open("/proc/self/status") as fh:
        return int(next(line for line in fh if line.startswith("VmHWM")).split()[1])
before = hwm()
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    simulate_risk(terms, [s], holders, seed=1)
    best = min(best, time.perf_counter() - t0)
print(best, before / 1024, hwm() / 1024)
"""


def bench_risk() -> list[str]:
    """100,000 paths x 500 uneven holders x 10 years, lock-in and stress; then with an annual cap."""
    lines = []
    for cap, target in (("none", 0.5), ("0.05", 2.0)):
        out = subprocess.run(
            [sys.executable, "-c", _RISK_CHILD, cap], capture_output=True, text=True, check=True
        )
        seconds, base_mb, peak_mb = map(float, out.stdout.split())
        what = "no cap" if cap == "none" else f"annual cap {float(cap):.0%} and its queue"
        verdict = "met" if seconds < target and peak_mb < 300 else "NOT met"
        lines.append(
            f"redemption Monte Carlo, 100,000 paths x 500 holders x 10 years, {what}: {seconds:5.2f} s, "
            f"peak resident {peak_mb:.0f} MB ({base_mb:.0f} MB after imports)  (target < {target} s and < 300 MB: {verdict})"
        )

    # the naive way: one Bernoulli draw per holder and year, in numpy, on the same work
    rng = np.random.default_rng(1)
    paths, holders, years, chunk = 100_000, 500, 10, 5_000
    amounts = rng.integers(1, 200, holders).astype(np.float64)

    def naive():
        out = np.zeros((paths, years))
        for c0 in range(0, paths, chunk):
            stress = rng.random((chunk, years)) < 0.05
            p = np.where(stress, 0.15, 0.03)
            p[:, :2] = 0.0
            asks = rng.random((chunk, holders, years)) < p[:, None, :]
            first = np.where(asks.any(axis=2), asks.argmax(axis=2), years)
            for y in range(years):
                out[c0 : c0 + chunk, y] = (first == y) @ amounts
        return out

    t_naive = best_of(naive, repeat=1)
    lines.append(
        f"  baseline: naive per-holder-per-year Bernoulli draw in numpy, same work: {t_naive:6.2f} s"
    )
    return lines


def bench_help() -> list[str]:
    exe = shutil.which("bondkit", path=str(Path(sys.executable).parent)) or "bondkit"
    t = best_of(lambda: subprocess.run([exe, "--help"], check=True, capture_output=True), repeat=7)
    t_py = best_of(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat=7)
    return [
        f"bondkit --help wall time: {t * 1000:6.0f} ms  (target < 300 ms: {'met' if t < 0.3 else 'NOT met'})",
        f"  baseline: bare python start-up: {t_py * 1000:6.0f} ms",
    ]


def bench_make_run() -> list[str]:
    """``bondkit run`` end to end (Monte Carlo defaults, workbook, every chart) on the
    largest example: after a warm-up, each example is run once and the slowest is timed
    (best of 3)."""
    exe = shutil.which("bondkit", path=str(Path(sys.executable).parent))
    if exe is None:
        return ["bondkit run: skipped (bondkit is not installed in this environment)"]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    with tempfile.TemporaryDirectory() as tmp:

        def once(scenario: Path) -> None:
            subprocess.run(
                [exe, "run", str(scenario), "--out", tmp],
                cwd=ROOT,
                check=True,
                capture_output=True,
                env=env,
            )

        examples = sorted((ROOT / "scenarios").glob("*.toml"))
        once(examples[0])  # warm-up: the first run of a session reads every file cold
        first = {}
        for scenario in examples:
            t0 = time.perf_counter()
            once(scenario)
            first[scenario] = time.perf_counter() - t0
        largest = max(first, key=first.__getitem__)
        t = best_of(lambda: once(largest), repeat=3)
    others = ", ".join(f"{p.name} {s:.1f} s" for p, s in first.items() if p != largest)
    return [
        f"bondkit run on the largest example ({largest.name}), installed: {t:5.2f} s  "
        f"(target < 5 s: {'met' if t < 5 else 'NOT met'})",
        f"  first runs of the others: {others}",
    ]


#: the example ``make run`` runs (the Makefile's SCENARIO)
DEFAULT_SCENARIO = "cinema-du-parc-2016.toml"


def bench_default_run() -> list[str]:
    """``bondkit run`` on the default example end to end (installed command, best and
    median of 5 after a warm-up, taken in turns with the same command without charts and
    with each chart format alone), beside the model alone (``bondkit.runner.run`` on the
    same scenario, best of 5 in this process). Python's byte-code cache is on, as on a
    user's machine (``make install`` compiles bondkit's modules for a shell that sets
    PYTHONDONTWRITEBYTECODE)."""
    from bondkit.runner import run
    from bondkit.scenario import load_scenario

    exe = shutil.which("bondkit", path=str(Path(sys.executable).parent))
    if exe is None:
        return ["bondkit run: skipped (bondkit is not installed in this environment)"]
    scenario = ROOT / "scenarios" / DEFAULT_SCENARIO
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:

        def once(*options: str) -> None:
            command = [exe, "run", str(scenario), "--out", tmp, *options]
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)

        once()  # warm-up: the first run of a session reads every file cold
        # round after round, each form once, so that the machine's drift (its speed moves
        # by 10-30 % within minutes) falls on all of them alike
        samples: dict[str, list[float]] = {c: [] for c in ("both", "png", "svg", "none")}
        for _ in range(5):
            for c, seen in samples.items():
                seen.append(best_of(lambda c=c: once("--charts", c), repeat=1))
    times = {c: min(seen) for c, seen in samples.items()}
    sc = load_scenario(scenario)
    t_model = best_of(lambda: run(sc))
    t, median = times["both"], float(np.median(samples["both"]))
    return [
        f"bondkit run on the default example ({DEFAULT_SCENARIO}, 12 chart files), installed: "
        f"{t:5.2f} s  (target < 2 s: {'met' if t < 2 else 'NOT met'}); median of the 5: "
        f"{median:4.2f} s",
        f"  baseline: the model alone, bondkit.runner.run on it (same process): {t_model:5.2f} s",
        f"  the same command with --charts none (start, model, workbook, JSON): {times['none']:5.2f} s"
        f"; the 12 chart files add {t - times['none']:4.2f} s",
        f"  with --charts png: {times['png']:5.2f} s, --charts svg: {times['svg']:5.2f} s",
    ]


#: the sweep benchmark: 20 rates x 10 upfront costs of the example with the most series
SWEEP_SCENARIO = "solar-coop-multi-series.toml"
SWEEP_GRID = ("annual_rate=0.02:0.058:0.002", "costs.upfront=2000:20000:2000")


def bench_sweep(jobs: int = 2) -> list[str]:
    """A 200-variant sweep run serially, then on ``jobs`` processes, in this process."""
    from bondkit.scenario import load_scenario
    from bondkit.studies.sweeps import PROBLEM, parse_vary, sweep

    sc = load_scenario(ROOT / "scenarios" / SWEEP_SCENARIO)
    specs = [parse_vary(v) for v in SWEEP_GRID]
    t0 = time.perf_counter()
    serial = sweep(sc, specs)
    t_serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    parallel = sweep(sc, specs, jobs=jobs)
    t_parallel = time.perf_counter() - t0
    assert len(serial) == 200 and serial[PROBLEM].isna().all() and serial.equals(parallel)
    ratio = t_serial / t_parallel
    return [
        f"sweep {len(serial)} variants: serial {t_serial:.1f} s, --jobs {jobs} {t_parallel:.1f} s, "
        f"speed-up {ratio:.2f}× (target >= 1.6×: {'met' if ratio >= 1.6 else 'NOT met'})",
        f"  {SWEEP_SCENARIO}, --vary {' --vary '.join(SWEEP_GRID)}",
    ]


def main() -> None:
    from bench_app import bench_app
    from bench_irr import bench_irr
    from bench_lo import bench_libreoffice
    from bench_tracking import bench_tracking
    from bench_validate import bench_validate
    from register_import import bench_import
    from register_pay import bench_pay
    from register_tax import bench_tax

    print(f"bondkit benchmarks on {os.cpu_count()} cores, numpy {np.__version__}")
    for line in bench_level_payment():
        print(line)
    for name, seconds, comment in bench_irr():
        print(f"{name}: {seconds * 1000:8.1f} ms  {comment}")
    for bench in (
        bench_campaign,
        bench_risk,
        bench_help,
        bench_default_run,
        bench_make_run,
        bench_sweep,
        bench_validate,
        bench_libreoffice,
        bench_import,
        bench_pay,
        bench_tax,
        bench_tracking,
        bench_app,
    ):
        for line in bench():
            print(line, flush=True)


if __name__ == "__main__":
    main()
