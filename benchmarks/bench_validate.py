"""Validation time of files with very many problems (issue #11): it was quadratic in the
number of problems (16,000 bad planning milestones took 45 s, 100,000 over 5 minutes)."""

from __future__ import annotations

import time

#: the times measured on main before the fix (issue #11), in seconds
BEFORE = {16_000: 45.0, 100_000: 300.0}
TARGET = 5.0  # "under a few seconds"


def _seconds(check, scenario) -> tuple[float, int]:
    """Seconds to refuse ``scenario`` (text or data) with ``check``; problems listed."""
    from bondkit.errors import ScenarioError

    t0 = time.perf_counter()
    try:
        check(scenario)
    except ScenarioError as exc:
        return time.perf_counter() - t0, len(exc.problems)
    raise AssertionError("the scenario was accepted")


def bench_validate() -> list[str]:
    from bondkit.scenario import load_example, parse_scenario, validate_data

    base = load_example("grand-costumier-2016")
    text = base.source_text or ""
    head = text[: text.index("[planning]")] if "[planning]" in text else text
    lines = []
    for n in (16_000, 100_000):
        entry = '[[planning.milestones]]\nitem = ""\ndate = "2016-01-01"\n'
        as_text = head + "\n[planning]\n" + entry * n
        data = base.to_data()
        data["planning"] = {"milestones": [{"item": "", "date": "2016-01-01"}] * n}
        steps = base.to_data()
        steps["series"][0]["step_rates"] = [{"from_year": 0, "annual_rate": 2}] * n
        for what, check, scenario in (
            (f"{len(as_text.encode()) / 1e6:.1f} MB file", parse_scenario, as_text),
            ("data", validate_data, data),
        ):
            seconds, listed = _seconds(check, scenario)
            verdict = "met" if seconds <= TARGET else "NOT met"
            lines.append(
                f"validate {n:,} bad milestones ({what}): {seconds:6.2f} s, {listed} problem(s)"
                f" listed  (before: {BEFORE[n]:.0f}+ s; target <= {TARGET:.0f} s: {verdict})"
            )
        seconds, listed = _seconds(validate_data, steps)
        lines.append(
            f"validate {n:,} bad step rates (data, {2 * n:,} problems): {seconds:6.2f} s,"
            f" {listed} lines listed  (target <= {TARGET:.0f} s:"
            f" {'met' if seconds <= TARGET else 'NOT met'})"
        )
    return lines


if __name__ == "__main__":
    for line in bench_validate():
        print(line)
