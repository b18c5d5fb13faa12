"""A register write killed at any moment leaves the file as before or as after (issue #13).

A subprocess records a large batch of subscriptions in one transaction (through the
Python API, or by importing the same rows from a CSV file); it is killed with
SIGKILL at seeded random moments, 25 times, each time on a fresh copy of the same register.
After each kill the register, once opened (SQLite rolls a hot journal back), must hold
exactly the rows it held before the batch or exactly those of a complete run (same
digest of every table), and ``check`` must pass. The child keeps a tiny page cache, so
SQLite writes pages into the database file long before the commit: many kills leave a
file on disk that is neither before nor after until the journal is rolled back, which is
what this test is about.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register
from bondkit.scenario import parse_scenario

posix_only = pytest.mark.skipif(os.name == "nt", reason="SIGKILL")

SEED = 20260313
KILLS = 25
BATCH = 2500

SCENARIO = """
[scenario]
name = "Kill test"
language = "en"
[issuer]
name = "Coop"
[[series]]
id = "A"
amount = 5_000_000
face_value = 100
annual_rate = 0.04
issue_date = 2026-03-02
term_years = 5
repayment = "bullet"
[[series]]
id = "B"
amount = 5_000_000
face_value = 500
annual_rate = 0.05
issue_date = 2026-03-02
term_years = 7
repayment = "accumulating"
interest = "compound"
"""

CHILD = textwrap.dedent(
    """
    import datetime as dt, random, sys, time
    from bondkit.register import Register

    path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    rows = [
        {"name": f"Holder {i}", "address": f"{i} rue Principale", "email": f"h{i}@example.org",
         "series": rng.choice("AB"), "bonds": rng.randint(1, 3),
         "subscribed_on": dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(50))}
        for i in range(n)
    ]
    reg = Register(path)
    reg._conn.execute("PRAGMA cache_size = 8")  # spill pages to the file long before COMMIT
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc)
    if len(sys.argv) > 4:  # the same rows as a subscription list, imported from its file
        import csv
        with open(sys.argv[4], "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["Name", "Address", "Email", "Series", "Bonds", "Subscription date"])
            for r in rows:
                out.writerow([r["name"], r["address"], r["email"], r["series"], r["bonds"],
                              r["subscribed_on"].isoformat()])
        print("ready", flush=True)
        reg.import_file(sys.argv[4], reason="kill test import", by="kill-test", now=now)
    else:
        print("ready", flush=True)
        reg.add_subscriptions(rows, reason="kill test batch", by="kill-test", now=now)
    print("done", flush=True)
    time.sleep(5)  # still alive after the commit: a late kill finds the batch committed
    """
)


def _template(folder: Path) -> bytes:
    """A register with a few holders already in it, as bytes."""
    import datetime as dt

    path = folder / "template.db"
    with Register.create(path, parse_scenario(SCENARIO), by="setup") as reg:
        reg.add_subscriptions(
            [
                {
                    "name": f"Early {i}",
                    "series": "AB"[i % 2],
                    "bonds": 2,
                    "subscribed_on": "2026-01-04",
                }
                for i in range(30)
            ],
            reason="first forms",
            by="setup",
            now=dt.datetime(2026, 1, 4, tzinfo=dt.UTC),
        )
    return path.read_bytes()


def _copy(template: bytes, path: Path) -> Path:
    path.write_bytes(template)
    path.chmod(0o600)
    return path


def _start(script: Path, path: Path, mode: str = "batch") -> tuple[subprocess.Popen, float]:
    extra = []
    if mode == "import":  # the same file name for every run: the register records it
        folder = path.parent / f"{path.stem}-list"
        folder.mkdir(exist_ok=True)
        extra = [str(folder / "subscriptions.csv")]
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), str(BATCH), str(SEED), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line == "ready\n", child.stderr.read() if child.stderr else line
    return child, time.perf_counter()


def _digest(path: Path) -> str:
    with Register(path) as reg:
        return reg.digest()


@posix_only
@pytest.mark.parametrize("mode", ["batch", "import"])
def test_a_batch_killed_at_random_moments_leaves_the_register_as_before_or_after(tmp_path, mode):
    template = _template(tmp_path)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    before = _digest(_copy(template, tmp_path / "before.db"))

    # two runs to the end: the register after, and how long the batch takes (the longer
    # of the two: a busy machine slows some runs, and kills must still span the batch)
    durations = []
    for run in range(2):
        full = _copy(template, tmp_path / f"after-{run}.db")
        child, started = _start(script, full, mode)
        assert child.stdout.readline() == "done\n"
        durations.append(time.perf_counter() - started)
        child.kill()
        child.wait()
    duration = max(durations)
    after = _digest(full)
    assert _digest(tmp_path / "after-0.db") == after  # the batch writes the same each time
    with Register(full) as reg:
        assert len(reg.holdings()) == 30 + BATCH
        assert reg.check().ok
    assert after != before

    # one kill in each of 20 equal slices of [0, duration], at a random moment of its
    # slice (while the batch runs), then 5 kills once the child says the batch is done
    # (after the commit, whatever the machine's speed: a busy disk can make a commit slower
    # than the timing runs' were)
    rng = random.Random(SEED)
    span = 1.25 * duration
    outcomes = {"before": 0, "after": 0}
    torn_on_disk = 0  # killed with the file neither before nor after until rolled back
    for k in range(KILLS):
        delay = span * (k + rng.random()) / KILLS
        path = _copy(template, tmp_path / f"kill-{k}.db")
        child, started = _start(script, path, mode)
        if k < KILLS - 5:
            time.sleep(max(0.0, delay - (time.perf_counter() - started)))
        else:
            assert child.stdout.readline() == "done\n", k
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL, (k, child.stderr.read())
        journal = Path(f"{path}-journal")
        if journal.exists() and journal.stat().st_size > 0 and path.read_bytes() != template:
            torn_on_disk += 1
        with Register(path) as reg:  # opening rolls a hot journal back
            seen, report = reg.digest(), reg.check()
        assert seen in (before, after), (k, delay)
        outcomes["before" if seen == before else "after"] += 1
        assert report.ok, (k, report.render())
        if journal.exists():
            # Killed before the journal's first sync: with synchronous = FULL SQLite writes the
            # header's magic as zeros until the journal is synced, and never touches the
            # database file before that. SQLite calls such a journal cold, leaves it, and the
            # next write truncates it; the register is the one before the batch.
            assert journal.read_bytes()[:1] in (b"", b"\x00"), k
            assert seen == before, k
    # the kills landed on both sides and inside the writes (how many depends on the
    # machine's load: the property above is what must hold for every one of them)
    assert outcomes["before"] >= 5 and outcomes["after"] >= 5, outcomes
    assert torn_on_disk >= 1, (torn_on_disk, duration)

    # the command line agrees on the last one
    result = CliRunner().invoke(main, ["register", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK {path}: schema ")


def test_a_cold_journal_left_by_an_early_kill_is_ignored_and_the_next_write_succeeds(tmp_path):
    """What an early kill leaves: a journal whose header is still zeros. SQLite must read
    the register as it was and the next command must write over the journal."""
    import datetime as dt

    template = _template(tmp_path)
    path = _copy(template, tmp_path / "cold.db")
    before = _digest(path)
    journal = Path(f"{path}-journal")
    journal.write_bytes(b"\x00" * 512)
    with Register(path) as reg:
        assert reg.digest() == before
        reg.add_subscriptions(
            [{"name": "Late", "series": "A", "bonds": 1, "subscribed_on": "2026-02-01"}],
            reason="after a kill",
            by="test",
            now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        )
    assert not journal.exists()
    with Register(path) as reg:
        assert len(reg.holdings()) == 31
        assert reg.check().ok
