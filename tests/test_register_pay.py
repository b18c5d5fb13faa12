"""What is owed, to whom (issue #13): calendars per holding, payment runs, the difference
from the plan, the run's files and ``bondkit register pay``.

Expected figures are worked out by hand (in the comments), with Decimal or Fraction
arithmetic written here, or by QuantLib: never by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register, RegisterError
from bondkit.scenario import parse_scenario

posix_only = pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
SIN = "046 454 286"
CAMPAIGN = """
[campaign]
opens = 2025-12-01
closes = 2026-02-27
minimum = 100
target = {target}
interest_start = "{start}"
[[campaign.segments]]
name = "Members"
people = 100
reached = 0.5
supporting = 0.5
conversion = 0.1
ticket_median = 1_000
ticket_spread = 0.5
"""


def scenario(series: str, start: str = "issue-date", lang: str = "en", target: int = 10_000):
    text = f'[scenario]\nname = "Pay test"\nlanguage = "{lang}"\n[issuer]\nname = "Coop"\n'
    return parse_scenario(text + series + CAMPAIGN.format(start=start, target=target))


def series(
    sid="A", amount=10_000, face=500, rate="0.04", years=3, repayment="bullet", **more
) -> str:
    lines = [
        "[[series]]",
        f'id = "{sid}"',
        f"amount = {amount}",
        f"face_value = {face}",
        f"annual_rate = {rate}",
        "issue_date = 2026-03-02",
        f"term_years = {years}",
        f'repayment = "{repayment}"',
    ]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in more.items()]
    return "\n".join(lines) + "\n"


def make(tmp_path, sc, rows, name="r.db"):
    reg = Register.create(tmp_path / name, sc, by="test")
    rows = [{"name": f"Holder {i}", **r} for i, r in enumerate(rows)]
    reg.add_subscriptions(rows, reason="forms", by="test")
    return reg


def cents(x) -> int:
    """An exact amount in currency units, rounded half up to the cent (by hand)."""
    return int((Decimal(x.numerator) / Decimal(x.denominator) * 100).quantize(0, ROUND_HALF_UP)) if isinstance(x, Fraction) else int((Decimal(x) * 100).quantize(0, ROUND_HALF_UP))  # fmt: skip


# ---------------------------------------------------------------- calendars, by hand


def test_two_bonds_of_500_at_4_percent_on_30_360_pay_40_a_year(tmp_path):
    with make(tmp_path, scenario(series()), [{"series": "A", "bonds": 2, "subscribed_on": "2026-02-01"}]) as reg:  # fmt: skip
        cal = reg.calendars()
    assert cal["due_on"].dt.strftime("%Y-%m-%d").tolist() == [
        "2027-03-02",
        "2028-03-02",
        "2029-03-02",
    ]
    assert cal["interest_cents"].tolist() == [4000, 4000, 4000]  # 1 000 $ x 4 % = 40.00 $
    assert cal["principal_cents"].tolist() == [0, 0, 100_000]
    assert cal["total_cents"].tolist() == [4000, 4000, 104_000]
    assert cal["accrual_start"].dt.strftime("%Y-%m-%d").tolist()[0] == "2026-03-02"


def test_a_holding_whose_interest_starts_41_days_before_the_issue_date(tmp_path):
    # 30/360 from 2026-01-21 to 2026-03-02 is 30 x 2 - 19 = 41 days: the first year is
    # 401/360: 1 000 $ x 4 % x 401/360 = 44.5555... -> 44.56 $; ACT/365F from 2026-01-20
    # (41 actual days) to 2027-03-02 is 406 days: 1 000 $ x 5 % x 406/365 = 55.6164... -> 55.62 $
    sc = scenario(
        series() + series("B", amount=10_000, face=1_000, rate="0.05", day_count="ACT/365F"),
        start="subscription-date",
    )
    rows = [
        {"series": "A", "bonds": 2, "subscribed_on": "2026-01-21"},
        {"series": "A", "bonds": 2, "subscribed_on": "2026-03-02"},
        {"series": "B", "bonds": 1, "subscribed_on": "2026-01-20"},
    ]
    with make(tmp_path, sc, rows) as reg:
        cal = reg.calendars()
        diff = reg.plan_difference()
    a1 = cal[cal["holding_id"] == 1]
    assert a1["interest_cents"].tolist() == [4456, 4000, 4000]
    assert a1["accrual_start"].dt.strftime("%Y-%m-%d").tolist()[0] == "2026-01-21"
    assert cal[cal["holding_id"] == 2]["interest_cents"].tolist() == [4000, 4000, 4000]
    assert cal[cal["holding_id"] == 3]["interest_cents"].tolist()[0] == 5562
    # the difference explained: the plan pays 10 000 $ x 4 % = 400 $ on series A; the
    # register 2 x 40 $ + 4.56 $ more for the early start; 16 bonds not sold
    first = diff[(diff["series_id"] == "A") & (diff["due_on"] == "2027-03-02")].iloc[0]
    assert first["plan_cents"] == 40_000 and first["register_cents"] == 8456
    assert first["interest_start_cents"] == 456 and first["rounding_cents"] == 0
    assert first["unsold_cents"] == 8000 - 40_000
    assert (
        diff["difference_cents"]
        == diff["unsold_cents"] + diff["rounding_cents"] + diff["interest_start_cents"]
    ).all()


def test_an_odd_cent_per_holding_is_shown_and_explained(tmp_path):
    # 100 $ at 4.125 % semi-annual: 100 x 0.04125 / 2 = 2.0625 $ -> 2.06 $ per holding;
    # three holdings pay 6.18 $, the plan on the 300 $ series 6.1875 $ -> 6.19 $: -0.01 $
    sc = scenario(series(amount=300, face=100, rate="0.04125", frequency="semi-annual"), target=300)  # fmt: skip
    rows = [{"series": "A", "bonds": 1, "subscribed_on": "2026-02-01"}] * 3
    with make(tmp_path, sc, rows) as reg:
        cal = reg.calendars()
        diff = reg.plan_difference()
        run = reg.payment_run("2026-09-02")
    assert set(cal["interest_cents"]) == {206}
    assert diff["register_cents"].tolist()[:5] == [618] * 5
    assert diff["plan_cents"].tolist()[:5] == [619] * 5
    assert diff["difference_cents"].tolist()[:5] == [-1] * 5
    assert diff["rounding_cents"].tolist()[:5] == [-1] * 5
    assert (diff["unsold_cents"] == 0).all() and (diff["interest_start_cents"] == 0).all()
    # at maturity: 3 x 102.06 $ against 306.19 $
    assert diff.iloc[-1][["register_cents", "plan_cents"]].tolist() == [30_618, 30_619]
    assert run["total_cents"].sum() == 618


def _level_payment_by_hand(principal: Decimal, rate: Decimal, n: int) -> list[tuple[int, int]]:
    """(interest, principal) in cents of an annual level-payment loan, each amount rounded
    half up to the cent, the last payment repaying what is left."""
    q = Decimal("0.01")
    pay = (principal * rate / (1 - (1 + rate) ** -n)).quantize(q, ROUND_HALF_UP)
    out, balance = [], principal
    for k in range(n):
        i = (balance * rate).quantize(q, ROUND_HALF_UP)
        p = balance if k == n - 1 else pay - i
        out.append((int(i * 100), int(p * 100)))
        balance -= p
    return out


def test_level_payment_holdings_are_each_their_own_little_series(tmp_path):
    # 6 % a year over 3 years: a 1 000 $ holding pays 374.11 $ a year (1000 x 0.06 / (1 -
    # 1.06^-3) = 374.1098...), a 3 000 $ one 1 122.33 $; each repays its own principal
    sc = scenario(series(amount=10_000, face=1_000, rate="0.06", repayment="level-payment"))
    rows = [
        {"series": "A", "bonds": 1, "subscribed_on": "2026-02-01"},
        {"series": "A", "bonds": 3, "subscribed_on": "2026-02-01"},
    ]
    with make(tmp_path, sc, rows) as reg:
        cal = reg.calendars()
    for holding, bonds in ((1, 1), (2, 3)):
        mine = cal[cal["holding_id"] == holding]
        expected = _level_payment_by_hand(Decimal(1000 * bonds), Decimal("0.06"), 3)
        assert list(zip(mine["interest_cents"], mine["principal_cents"], strict=True)) == expected
        assert mine["principal_cents"].sum() == bonds * 100_000
    assert _level_payment_by_hand(Decimal(1000), Decimal("0.06"), 3)[0] == (6000, 31_411)


def test_level_principal_splits_each_holding_to_the_cent(tmp_path):
    # one bond of 100 $ over 3 years: 33.33 $, 33.33 $, then 33.34 $ (the last takes the cent)
    sc = scenario(series(amount=300, face=100, rate="0.03", repayment="level-principal"), target=300)  # fmt: skip
    with make(tmp_path, sc, [{"series": "A", "bonds": 1, "subscribed_on": "2026-02-01"}]) as reg:
        cal = reg.calendars()
    assert cal["principal_cents"].tolist() == [3333, 3333, 3334]
    # interest on the opening balance: 3.00 $, 100 - 33.33 = 66.67 -> 2.0001 -> 2.00 $, 1.0002 -> 1.00 $
    assert cal["interest_cents"].tolist() == [300, 200, 100]


def test_an_accumulating_compound_holding_from_an_earlier_start(tmp_path):
    # 1 000 $ at 2 % compound over 3 years, paid at maturity: from the issue date
    # 1000 x (1.02^3 - 1) = 61.208 -> 61.21 $; from 41 days (30/360) earlier the first
    # year is 401/360: 1000 x ((1 + 0.02 x 401/360) x 1.02^2 - 1) = 63.5778... -> 63.58 $
    sc = scenario(
        series(rate="0.02", repayment="accumulating", interest="compound"),
        start="subscription-date",
    )
    rows = [
        {"series": "A", "bonds": 2, "subscribed_on": "2026-03-02"},
        {"series": "A", "bonds": 2, "subscribed_on": "2026-01-21"},
    ]
    early = 1000 * ((1 + Fraction(2, 100) * Fraction(401, 360)) * Fraction(102, 100) ** 2 - 1)
    with make(tmp_path, sc, rows) as reg:
        cal = reg.calendars()
        run = reg.payment_run("2029-03-02")
    assert cal["interest_cents"].tolist() == [6121, cents(early)]
    assert cents(early) == 6358  # 63.5778... $
    assert cal["principal_cents"].tolist() == [100_000, 100_000]
    assert cal["due_on"].dt.strftime("%Y-%m-%d").tolist() == ["2029-03-02"] * 2
    assert run["final"].all() and run["total_cents"].tolist() == [106_121, 106_358]


@pytest.mark.parametrize("day_count", ["30/360", "30E/360", "ACT/365F", "ACT/ACT"])
def test_first_periods_agree_with_quantlib_s_day_counts(tmp_path, day_count):
    ql = pytest.importorskip("QuantLib")
    from ql_helpers import ql_date, ql_day_counter

    sc = scenario(
        series(amount=1_000_000, face=1_000, rate="0.0475", day_count=day_count),
        start="subscription-date",
        target=1_000_000,
    )
    rng = random.Random(13)
    starts = [dt.date(2025, 12, 1) + dt.timedelta(days=rng.randrange(150)) for _ in range(40)]
    rows = [{"series": "A", "bonds": 1 + k % 7, "subscribed_on": d} for k, d in enumerate(starts)]
    with make(tmp_path, sc, rows) as reg:
        cal = reg.calendars()
    counter = ql_day_counter(ql, day_count)
    checked = 0
    for k, d in enumerate(starts):
        mine = cal[cal["holding_id"] == k + 1].iloc[0]
        end = mine["due_on"].date()
        yf = counter.yearFraction(ql_date(ql, d), ql_date(ql, end))
        exact = (1 + k % 7) * 100_000 * 0.0475 * yf  # cents, in floating point
        assert abs(mine["interest_cents"] - exact) <= 0.5 + 1e-6, (d, day_count)
        checked += 1
    assert checked == 40


def test_the_holdings_add_up_to_the_plan_when_every_bond_is_held(tmp_path):
    from bondkit.core.schedule import series_schedule

    sc = scenario(
        series(
            amount=12_000,
            face=100,
            rate="0.0375",
            years=5,
            repayment="level-payment",
            frequency="quarterly",
        )  # fmt: skip
    )
    rng = random.Random(4)
    left, rows = 120, []
    while left:
        b = min(left, rng.randint(1, 9))
        rows.append({"series": "A", "bonds": b, "subscribed_on": "2026-02-01"})
        left -= b
    with make(tmp_path, sc, rows) as reg:
        cal = reg.calendars()
        diff = reg.plan_difference()
        terms = reg.series_terms()[0]
    plan = series_schedule(terms)
    by_date = cal.groupby("due_on")[["interest_cents", "principal_cents"]].sum()
    assert by_date["principal_cents"].sum() == plan["principal"].sum() == 1_200_000
    assert (cal.groupby("holding_id")["principal_cents"].sum().to_numpy() == [r["bonds"] * 10_000 for r in rows]).all()  # fmt: skip
    gap = by_date["interest_cents"].to_numpy() - plan["interest"].to_numpy()
    assert abs(gap).max() <= len(rows)  # at most half a cent per holding each way
    assert (diff["unsold_cents"] == 0).all() and (diff["interest_start_cents"] == 0).all()
    assert (diff["difference_cents"] == diff["rounding_cents"]).all()


# ---------------------------------------------------------------- payment runs


def test_a_payment_run_is_recorded_once_with_its_events(tmp_path):
    rows = [
        {"series": "A", "bonds": 2, "subscribed_on": "2026-02-01"},
        {"series": "A", "bonds": 1, "subscribed_on": "2026-02-03"},
    ]
    with make(tmp_path, scenario(series()), rows) as reg:
        assert reg.pay("2027-03-02", reason="first interest", by="Lucie") == [1]
        events = reg.events()
        assert reg.check().ok
        before = reg.digest()
        with pytest.raises(RegisterError) as err:
            reg.pay("2027-03-02", reason="again", by="Lucie")
        assert "2027-03-02 is already recorded (run 1)" in str(err.value)
        assert reg.digest() == before
        run_ids = reg._conn.execute("SELECT DISTINCT run_id FROM events WHERE run_id IS NOT NULL").fetchall()  # fmt: skip
        assert [r[0] for r in run_ids] == [1]
        assert reg.payment_run("2027-03-02")["run_id"].tolist() == [1, 1]
        # pay the rest: at maturity the bonds and the principal go, the cash is all paid
        reg.pay("2028-03-02", reason="r", by="Lucie")
        reg.pay("2029-03-02", paid_on="2029-03-04", reason="maturity", by="Lucie")
        holdings = reg.holdings()
        assert reg.check().ok
        assert len(reg.calendars()) == 6  # the calendar stays: the bonds it was given
        last = reg.events()
    paid = events[events["kind"] != "subscription"]
    assert paid["kind"].tolist() == ["interest_accrued"] * 2 + ["interest_paid"] * 2
    assert paid["interest_cents"].tolist() == [4000, 2000, -4000, -2000]
    assert paid["cash_cents"].tolist() == [0, 0, -4000, -2000]
    assert holdings[["bonds", "principal_cents", "interest_cents"]].to_numpy().sum() == 0
    # subscriptions' cash is not in the ledger here: only what was paid out
    assert holdings["cash_cents"].tolist() == [-(3 * 4000 + 100_000), -(3 * 2000 + 50_000)]
    repaid = last[last["kind"] == "principal_repaid"]
    assert repaid["occurred_on"].dt.strftime("%Y-%m-%d").tolist() == ["2029-03-04"] * 2
    assert repaid["bonds"].tolist() == [-2, -1]


def test_a_date_that_is_not_a_payment_date_is_refused_naming_the_next_ones(tmp_path):
    with make(tmp_path, scenario(series()), [{"series": "A", "bonds": 1, "subscribed_on": "2026-02-01"}]) as reg:  # fmt: skip
        before = reg.digest()
        with pytest.raises(RegisterError) as err:
            reg.payment_run("2027-03-01")
        assert str(err.value) == (
            "2027-03-01 is not a payment date of any series; the next ones: "
            "2027-03-02, 2028-03-02, 2029-03-02"
        )
        with pytest.raises(RegisterError) as err:
            reg.pay("2030-01-01", reason="late", by="t")
        assert "none comes after it" in str(err.value)
        with pytest.raises(RegisterError) as err:
            reg.pay("2027/03/02", reason="typo", by="t")
        assert "you wrote 2027/03/02" in str(err.value)
        assert reg.digest() == before


def test_a_run_that_would_repay_principal_already_gone_is_refused(tmp_path):
    from bondkit.register import Posting

    with make(tmp_path, scenario(series()), [{"series": "A", "bonds": 2, "subscribed_on": "2026-02-01"}]) as reg:  # fmt: skip
        reg.record("principal_repaid", "2028-06-01", [Posting(1, principal_cents=-60_000, cash_cents=-60_000)], reason="by hand", by="t")  # fmt: skip
        before = reg.digest()
        with pytest.raises(RegisterError) as err:
            reg.pay("2029-03-02", reason="maturity", by="t")
        assert "holdings[1]: its balance of principal_cents is negative: -60000" in str(err.value)
        assert reg.digest() == before


# ---------------------------------------------------------------- files and the command


def _register_for_files(tmp_path):
    sc = scenario(series() + series("B", amount=20_000, face=1_000, rate="0.05", years=2))
    reg = Register.create(tmp_path / "files.db", sc, by="test")
    reg.add_subscriptions(
        [
            {
                "name": '=HYPERLINK("http://x","y")',
                "sin": SIN,
                "series": "A",
                "bonds": 2,
                "subscribed_on": "2026-02-01",
            },  # fmt: skip
            {"name": "Lucie Tremblay", "series": "B", "bonds": 3, "subscribed_on": "2026-02-02"},
        ],
        reason="forms",
        by="test",
    )
    reg._conn.execute("UPDATE holders SET payment_method = '+deposit' WHERE holder_id = 2")
    return reg


def test_the_files_of_a_run_read_back_with_names_as_text_and_no_sin(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from bondkit.report.register_files import write_payment_run

    with _register_for_files(tmp_path) as reg:
        run, diff = reg.payment_run("2027-03-02"), reg.plan_difference("2027-03-02")
    out = tmp_path / "out"
    paths = write_payment_run(run, diff, out, stem="files", date=dt.date(2027, 3, 2), lang="fr", issue="Pay test")  # fmt: skip
    csv_path, xlsx_path = paths
    for p in paths:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        data = (
            p.read_bytes()
            if p.suffix == ".csv"
            else b"".join(zipfile.ZipFile(p).read(n) for n in zipfile.ZipFile(p).namelist())
        )
        for form in (SIN, SIN.replace(" ", ""), "046-454-286"):
            assert form.encode() not in data
    lines = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert lines[0] == ["Détenteur", "Nom du détenteur", "Placement", "Série", "Intérêts", "Capital", "Total", "Mode de paiement"]  # fmt: skip
    # 2 x 500 $ at 4 % = 40.00 $; 3 x 1 000 $ at 5 % = 150.00 $
    assert lines[1] == ["1", "'=HYPERLINK(\"http://x\",\"y\")", "1", "A", "40.00", "0.00", "40.00", ""]  # fmt: skip
    assert lines[2] == ["2", "Lucie Tremblay", "2", "B", "150.00", "0.00", "150.00", "'+deposit"]
    assert lines[3] == ["", "Total", "", "", "190.00", "0.00", "190.00", ""]
    assert lines[6][0] == "Série" and lines[7][:4] == ["A", "40.00", "400.00", "-360.00"]
    book = openpyxl.load_workbook(xlsx_path)
    sheet = book["Versement"]
    assert sheet["A1"].value == "Pay test : versement du 2027-03-02"
    name = sheet.cell(row=4, column=2)
    assert name.data_type == "s" and name.value == '=HYPERLINK("http://x","y")'
    assert name.quotePrefix
    assert sheet.cell(row=4, column=5).value == 40.0
    assert sheet.cell(row=4, column=5).number_format == "#,##0.00"
    assert sheet.cell(row=5, column=8).value == "+deposit"
    assert sheet.cell(row=6, column=7).value == 190.0
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"
        for row in sheet.iter_rows()
        for c in row
    )


def test_the_pay_command_prepares_then_records_and_names_no_one(tmp_path):
    with _register_for_files(tmp_path):
        pass
    db, out = tmp_path / "files.db", tmp_path / "runs"
    runner = CliRunner()
    dry = runner.invoke(main, ["register", "pay", str(db), "--date", "2027-03-02", "--out", str(out)])  # fmt: skip
    assert dry.exit_code == 0, dry.output
    assert "series A: payments: 1; interest $40.00; principal $0.00; total $40.00" in dry.stdout
    assert "series B: payments: 1; interest $150.00" in dry.stdout
    assert "series A: register $40.00, plan $400.00, difference -$360.00" in dry.stdout
    assert "not recorded" in dry.stdout
    for secret in ("HYPERLINK", "Lucie", "046"):
        assert secret not in dry.output
    with Register(db) as reg:
        assert reg.events()["kind"].tolist() == ["subscription"] * 2
    done = runner.invoke(main, ["register", "pay", str(db), "--date", "2027-03-02", "--out", str(out), "--confirm", "--by", "Lucie"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "recorded: payment runs 1, 2 of 2027-03-02, paid on 2027-03-02" in done.stdout
    again = runner.invoke(main, ["register", "pay", str(db), "--date", "2027-03-02", "--confirm"])
    assert again.exit_code == 2 and "already recorded (run 1)" in again.stderr
    bad = runner.invoke(main, ["register", "pay", str(db), "--date", "2027-02-30"])
    assert bad.exit_code == 2 and "--date: must be a date written YYYY-MM-DD (you wrote 2027-02-30)" in bad.stderr  # fmt: skip
    off = runner.invoke(main, ["register", "pay", str(db), "--date", "2027-04-01", "--lang", "fr"])
    assert off.exit_code == 2
    assert "le 2027-04-01 n'est une date de paiement d'aucune série" in off.stderr
    with Register(db) as reg:
        assert reg.check().ok
        assert len(reg.events()) == 2 + 4


# ---------------------------------------------------------------- killed at random moments

KILLS, HOLDERS, SEED = 25, 3000, 20260314
ZYGOTE = textwrap.dedent(
    """
    import datetime as dt, os, sys, time
    from bondkit.register import Register
    import bondkit.core.schedule, bondkit.register.calendar, pandas, numpy  # before the forks
    print("up", flush=True)
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            reg = Register(line.strip())
            reg._conn.execute("PRAGMA cache_size = 8")  # spill pages long before COMMIT
            print(f"ready {os.getpid()}", flush=True)
            reg.pay("2027-03-02", reason="kill test", by="kill-test",
                    now=dt.datetime(2027, 3, 2, 12, tzinfo=dt.timezone.utc))
            print("done", flush=True)
            time.sleep(5)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print(f"reaped {status}", flush=True)
    """
)


def _kill_template(folder: Path) -> bytes:
    sc = scenario(series(amount=1_000_000, face=100, years=3) + series("B", amount=1_000_000, face=100, years=2, frequency="semi-annual"), target=1_000_000)  # fmt: skip
    rng = random.Random(SEED)
    rows = [
        {
            "name": f"H{i}",
            "series": "AB"[i % 2],
            "bonds": rng.randint(1, 3),
            "subscribed_on": "2026-02-01",
        }  # fmt: skip
        for i in range(HOLDERS)
    ]
    with Register.create(folder / "template.db", sc, by="setup") as reg:
        reg.add_subscriptions(rows, reason="forms", by="setup", now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))  # fmt: skip
    return (folder / "template.db").read_bytes()


@posix_only
def test_a_payment_run_killed_at_random_moments_leaves_the_register_before_or_after(tmp_path):
    template = _kill_template(tmp_path)
    (tmp_path / "zygote.py").write_text(ZYGOTE)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    zygote = subprocess.Popen(
        [sys.executable, str(tmp_path / "zygote.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert zygote.stdin and zygote.stdout
    assert zygote.stdout.readline() == "up\n"

    def start(path: Path) -> tuple[int, float]:
        path.write_bytes(template)
        path.chmod(0o600)
        zygote.stdin.write(f"{path}\n")
        zygote.stdin.flush()
        word, pid = zygote.stdout.readline().split()
        assert word == "ready"
        return int(pid), time.perf_counter()

    def reaped() -> int:
        while True:
            line = zygote.stdout.readline()
            if line.startswith("reaped"):
                return int(line.split()[1])

    def digest(path: Path) -> str:
        with Register(path) as reg:
            assert reg.check().ok
            return reg.digest()

    try:
        (tmp_path / "before.db").write_bytes(template)
        before = digest(tmp_path / "before.db")
        durations = []  # two runs to the end: the register after, and how long a run takes
        for name in ("after.db", "after-2.db"):
            pid, started = start(tmp_path / name)
            assert zygote.stdout.readline() == "done\n"
            durations.append(time.perf_counter() - started)
            os.kill(pid, signal.SIGKILL)
            reaped()
        duration = max(durations)
        after = digest(tmp_path / "after.db")
        assert digest(tmp_path / "after-2.db") == after
        assert after != before
        rng = random.Random(SEED)
        outcomes = {"before": 0, "after": 0}
        torn = 0  # killed with the file on disk neither before nor after, until rolled back
        for k in range(KILLS):
            delay = 1.4 * duration * (k + rng.random()) / KILLS  # the last 7 after it
            path = tmp_path / f"kill-{k}.db"
            pid, started = start(path)
            if k < KILLS - 5:
                time.sleep(max(0.0, delay - (time.perf_counter() - started)))
            else:  # once the run says it is done: after the commit, however slow the disk
                # (a "done" left by an earlier kill that came late may be read instead: that
                # kill was then after the commit itself)
                assert zygote.stdout.readline() == "done\n", k
            os.kill(pid, signal.SIGKILL)
            status = reaped()
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, k
            journal = Path(f"{path}-journal")
            if journal.exists() and journal.stat().st_size and path.read_bytes() != template:
                torn += 1
            seen = digest(path)
            assert seen in (before, after), (k, delay)
            outcomes["before" if seen == before else "after"] += 1
            path.unlink()
        # the kills fall on both sides of the commit, and many in the middle of the write
        assert outcomes["before"] >= 5 and outcomes["after"] >= 1, (outcomes, durations)
        assert torn >= 3, (torn, durations)
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
