"""Slips filed, then a past year corrected: original, amended and cancelled slips (issue #14).

The register is the building-purchase example: series A pays 4 % a year on 1,000 $ bonds
on July 1. Three holders hold 3, 2 and 1 bonds: 2011's interest is 120 $, 80 $ and 40 $
(the last below the 50 $ of a slip). Their slips of 2011 are filed on 2012-02-20; then
2011 is corrected: holder 1 was paid 100 $, not 120 $; holder 2 only 40 $; holder 3 got
20 $ more. The expected slips are worked out here by hand from those amounts.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Posting, Register, RegisterError
from bondkit.register.filings import slip_changes
from bondkit.scenario import load_example

FILED = "2012-02-20"


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "bp.db"
    with Register.create(path, load_example("building-purchase-2010"), by="Lucie") as reg:
        for name, bonds in (("Ana Roy", 3), ("Ben Côté", 2), ("Cy Roy", 1)):
            reg.add_subscription(
                name=name,
                series="A",
                bonds=bonds,
                subscribed_on="2010-06-15",
                reason="form",
                address="1 rue A, Québec QC G1R 2B5",
                sin="046454286",
            )
        reg.pay("2011-07-01", reason="run", by="Lucie")
    return path


def _slips(db: Path, out: Path, *more: str) -> object:
    args = ["register", "slips", str(db), "--year", "2011", "--country", "CA", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--lang", "en", "--by", "Lucie", *more])
    assert result.exit_code == 0, result.output
    return result


def _rows(path: Path) -> list[tuple[int, str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return [(int(r[0]), r[1], r[-1]) for r in rows[1:]]  # holder, report code, the box


def _correct_2011(db: Path) -> None:
    """Holder 1 was paid 100 $, holder 2 40 $; holder 3 got 20 $ more, in 2011."""
    with Register(db) as reg:
        ev = reg.events()
        paid = ev[(ev["kind"] == "interest_paid")].set_index("holding_id")["event_id"]
        for holding, cents in ((1, 10_000), (2, 4_000)):
            reg.correct(
                int(paid[holding]),
                reason="paid less than recorded",
                by="Lucie",
                replacement=(
                    "interest_paid",
                    "2011-07-01",
                    [Posting(holding, interest_cents=-cents, cash_cents=-cents)],
                ),
            )
        _late_interest(reg, 3, 2_000, "2011-12-15")


def _late_interest(reg: Register, holding: int, cents: int, day: str) -> None:
    """Interest accrued and paid on ``day``, outside a payment run."""
    reg.record("interest_accrued", day, [Posting(holding, interest_cents=cents)],
               reason="late interest", by="Lucie")  # fmt: skip
    reg.record("interest_paid", day, [Posting(holding, interest_cents=-cents, cash_cents=-cents)],
               reason="late interest", by="Lucie")  # fmt: skip


def test_originals_then_the_changes_of_a_corrected_year(db, tmp_path):
    out = tmp_path / "slips"
    first = _slips(db, out)  # not recorded: a trial
    assert "not recorded as filed" in first.output
    assert _rows(out / "bp-t5-2011.csv") == [(1, "O", "120.00"), (2, "O", "80.00")]
    assert _rows(out / "bp-rl3-2011.csv") == [(1, "R", "120.00"), (2, "R", "80.00")]
    with Register(db) as reg:
        assert reg.slip_run(2011).filed_on == []  # a trial records nothing

    filed = _slips(db, out, "--record", "--filed-on", FILED)
    assert f"recorded in the register as filed on {FILED}: 4 slips" in filed.output
    assert _rows(out / "bp-t5-2011.csv") == [(1, "O", "120.00"), (2, "O", "80.00")]

    _correct_2011(db)
    amend = _slips(db, out)
    assert f"slips of 2011 were filed on {FILED}" in amend.output
    assert (
        "T5 slip: original 1, amended 1, cancelled 1 (report codes O/A/C); unchanged since filed: 0"
        in amend.output
    )
    after = f"2011-after-{FILED}"
    # amended: the new amount; cancelled: as filed; a new recipient: an original
    assert _rows(out / f"bp-t5-{after}.csv") == [
        (1, "A", "100.00"),
        (2, "C", "80.00"),
        (3, "O", "60.00"),
    ]
    assert _rows(out / f"bp-rl3-{after}.csv") == [
        (1, "A", "100.00"),
        (2, "D", "80.00"),
        (3, "R", "60.00"),
    ]
    assert _rows(out / "bp-t5-2011.csv") == [(1, "O", "120.00"), (2, "O", "80.00")]  # kept
    with (out / f"bp-slips-{after}-ca-summary.csv").open(encoding="utf-8-sig") as f:
        summary = list(csv.DictReader(f))
    assert [(s["Original slips"], s["Amended slips"], s["Cancelled slips"]) for s in summary] == [
        ("1", "1", "1"),
        ("1", "1", "1"),
    ]

    _slips(db, out, "--record", "--filed-on", "2012-05-01")
    again = _slips(db, out)
    assert "nothing to file: every slip filed stands unchanged" in again.output
    assert (
        "T5 slip: original 0, amended 0, cancelled 0 (report codes O/A/C); unchanged since filed: 2"
        in again.output
    )
    assert _rows(out / "bp-t5-2011-after-2012-05-01.csv") == []
    with Register(db) as reg:
        assert reg.check().ok
        run = reg.slip_run(2011)
    assert run.filed_on == [pd.Timestamp(FILED).date(), pd.Timestamp("2012-05-01").date()]


def test_a_cancelled_slip_of_a_holder_who_gets_one_again_is_a_new_original(db):
    with Register(db) as reg:
        reg.file_slips(2011, filed_on=FILED, reason="filed", by="Lucie")
        _ = reg  # holder 2's slip is cancelled, then filed as such
    _correct_2011(db)
    with Register(db) as reg:
        reg.file_slips(2011, filed_on="2012-05-01", reason="amended", by="Lucie")
        ev = reg.events()
        last = ev[(ev["kind"] == "interest_paid") & (ev["holding_id"] == 2)]["event_id"].max()
        reg.correct(
            int(last),
            reason="it was 80 $ after all",
            by="Lucie",
            replacement=(
                "interest_paid",
                "2011-07-01",
                [Posting(2, interest_cents=-4_000, cash_cents=-4_000)],
            ),
        )
        _late_interest(reg, 2, 4_000, "2011-12-20")
        changes = reg.slip_run(2011).changes["t5"]
    assert changes.to_dict("records") == [
        {"holder_id": 2, "change": "original", "amount_cents": 8_000, "filed_cents": 0}
    ]


def test_a_failure_while_writing_records_nothing(db):
    with Register(db) as reg:
        before = reg.digest()

        def fail(run):
            raise OSError("disk full")

        with pytest.raises(OSError):
            reg.file_slips(2011, filed_on=FILED, reason="filed", by="Lucie", write=fail)
        assert reg.digest() == before
        assert reg.slip_run(2011).filed_on == []


def test_filed_slips_are_never_changed(db):
    with Register(db) as reg:
        reg.file_slips(2011, filed_on=FILED, reason="filed", by="Lucie")
    conn = sqlite3.connect(db)
    for sql in ("UPDATE filed_slips SET amount_cents = 1", "DELETE FROM filed_slips"):
        with pytest.raises(sqlite3.IntegrityError, match="never changed or deleted"):
            conn.execute(sql)
    conn.close()


def test_a_bad_filing_date_or_year_is_refused(db):
    with Register(db) as reg:
        with pytest.raises(RegisterError, match="not a filing date"):
            reg.file_slips(2011, filed_on="2012-02-30", reason="filed", by="Lucie")
        with pytest.raises(RegisterError, match="not a tax year"):
            reg.slip_run(True)


def _reference(now: dict[int, int], standing: dict[int, int], filed_any: bool) -> list[tuple]:
    """The rules of the module's text, one recipient at a time."""
    out = []
    for h in sorted(set(now) | set(standing)):
        if h in now and h not in standing:
            out.append((h, "original", now[h], 0))
        elif h in now and now[h] != standing[h]:
            out.append((h, "amended", now[h], standing[h]))
        elif h not in now and h in standing:
            out.append((h, "cancelled", 0, standing[h]))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_slip_changes_follow_the_rules_one_recipient_at_a_time(seed):
    rng = random.Random(seed)
    holders = list(range(1, rng.randint(2, 40)))
    amounts = {h: rng.choice([0, 3_000, 5_000, 7_500, 12_000]) for h in holders}
    now = {h: a for h, a in amounts.items() if a >= 5_000}
    filed_rows = []
    for h in holders:
        for _ in range(rng.randint(0, 2)):
            change = rng.choice(["original", "amended", "cancelled"])
            filed_rows.append(("t5", h, change, rng.choice([5_000, 7_500, 12_000])))
    last: dict[int, tuple] = {}
    for row in filed_rows:
        last[row[1]] = row
    standing = {h: r[3] for h, r in last.items() if r[2] != "cancelled"}
    by_holder = pd.DataFrame(
        {
            "holder_id": holders,
            "t5_cents": [amounts[h] for h in holders],
            "issued_t5": [h in now for h in holders],
        }
    )
    filed = pd.DataFrame(
        list(last.values()), columns=["slip", "holder_id", "change", "amount_cents"]
    )
    changes, unchanged = slip_changes(by_holder, filed, "t5")
    got = [tuple(r) for r in changes.itertuples(index=False)]
    assert got == _reference(now, standing, bool(last))
    assert unchanged == sum(1 for h in now if h in standing and standing[h] == now[h])
