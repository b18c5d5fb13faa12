"""``bondkit run SCENARIO --register DB`` (issue #13): the real holders in a run.

One register of the solar co-op example (three series), filled by hand: two holdings of
series A-3y (10 and 4 bonds of 500 $), one of series B-5y (25 bonds of 1 000 $), none of
series C-7y, and one early redemption request (5 bonds of the B-5y holding, made on
2028-06-01 after the 2-year lock-in). Every expected figure below is computed by hand
from those rows and the example's terms.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register
from bondkit.runner import run
from bondkit.runner.registered import RegisterMismatch, read_register
from bondkit.scenario import load_example, load_scenario

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "solar-coop-multi-series.toml"
#: the holders' names: none may appear in any output
NAMES = ("Zoë Secretname", "Ulrich Hiddenname", "Café Privé Inc")
WORDS = ("Secretname", "Hiddenname", "Privé")

# by hand: A-3y 10 x 500 $ and 4 x 500 $; B-5y 25 x 1 000 $; C-7y nobody
HOLDINGS_CENTS = [500_000, 200_000, 2_500_000]
TOTAL_CENTS = 3_200_000
AS_OF = "2028-06-01"  # the request, the register's last event


@pytest.fixture(scope="module")
def register_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reg") / "solar.db"
    with Register.create(path, load_scenario(EXAMPLE), by="test") as reg:
        reg.add_subscriptions(
            [
                {"name": NAMES[0], "series": "A-3y", "bonds": 10, "subscribed_on": "2026-02-10"},
                {"name": NAMES[1], "series": "A-3y", "bonds": 4, "subscribed_on": "2026-02-12"},
                {"name": NAMES[2], "series": "B-5y", "bonds": 25, "subscribed_on": "2026-02-15"},
            ],
            reason="paper forms",
            by="test",
        )
        reg.request_redemption(3, 5, asked_on=AS_OF, reason="letter", by="test")
    return path


@pytest.fixture(scope="module")
def outputs(register_path, tmp_path_factory) -> dict:
    """``bondkit run`` with and without the register, through the command line."""
    out = tmp_path_factory.mktemp("out")
    scenario = out / "solar.toml"
    scenario.write_bytes(EXAMPLE.read_bytes())  # the same bytes: the same scenario
    got = {}
    for name, extra in (("real", ["--register", str(register_path)]), ("plan", [])):
        folder = out / name
        res = CliRunner().invoke(
            main,
            ["run", str(scenario), "--out", str(folder), "--charts", "none", "--lang", "en"]
            + extra,
        )
        assert res.exit_code == 0, res.output
        got[name] = {
            "stdout": res.stdout,
            "stderr": res.stderr,
            "json": json.loads((folder / "solar-summary.json").read_text(encoding="utf-8")),
            "xlsx": folder / "solar.xlsx",
        }
    return got


def _rows(ws, first_text: str, n: int) -> list[list]:
    """The row whose first cell is ``first_text`` and the next one (its tag), then the
    ``n`` rows from the header ``Series`` below them (their values)."""
    found = None
    for row in ws.iter_rows():
        if row[0].value == first_text:
            found = row[0].row
        elif found is not None and row[0].value == "Series":
            head = [[c.value for c in r] for r in ws.iter_rows(min_row=found, max_row=found + 1)]
            rows = ws.iter_rows(min_row=row[0].row, max_row=row[0].row + n - 1, max_col=9)
            return head + [[c.value for c in r] for r in rows]
    raise AssertionError(f"{first_text!r} not found on {ws.title}")


def _money(x) -> int:
    return round(x * 100)


# ---------------------------------------------------------------- the risk model


def test_the_risk_model_s_holders_are_the_register_s_holdings(register_path):
    sc = load_scenario(EXAMPLE).with_changes({"risk.paths": 400})
    res = run(sc, register=register_path)
    h = res.risk.holders
    # series order, then subscription order; the 5 bonds the request waits for are not
    # drawn again (see the test below)
    assert h.amount.tolist() == [500_000, 200_000, 2_000_000]
    assert len(h.amount) == 3
    assert h.series.tolist() == [0, 0, 1]  # C-7y: nobody
    assert res.risk.exact and res.risk.holders_from_register
    sim = res.risk.simulation
    assert sim.issued == TOTAL_CENTS
    # every path accounts for the holders' principal, no more (A and B are bullets)
    paid = sim.early + sim.maturity + sim.renewed + sim.scheduled
    assert (paid.sum(axis=1) == TOTAL_CENTS).all()
    # series C-7y repays quarterly in the plan, but has no holder: nothing scheduled
    assert not sim.scheduled.any()


def test_the_request_waiting_is_paid_on_every_path_under_the_cap(register_path):
    """No other request and every holder renews: the only early redemption is the one
    waiting, 5 bonds of 1 000 $ due on 2028-12-01 (6 months' notice), in fiscal year 2029
    (the year to March 31). The cap is 5 % of the 32 000 $ held, 1 600 $ a year: paid
    1 600 $ in 2029, 2030 and 2031, and the 200 $ left at B-5y's maturity (2031)."""
    sc = load_scenario(EXAMPLE).with_changes(
        {
            "risk.paths": 300,
            "risk.annual_probability": 0,
            "risk.stress_probability": 0,
            "risk.stress_annual_probability": None,
            "risk.renewal_rate": 1,
        }
    )
    sim = run(sc, register=register_path).risk.simulation
    years = sim.years.tolist()
    assert sim.issued == TOTAL_CENTS
    expected = np.zeros(len(years), dtype=np.int64)
    expected[years.index(2029)] = 500_000
    assert (sim.requested == expected).all()
    early = np.zeros(len(years), dtype=np.int64)
    early[[years.index(y) for y in (2029, 2030, 2031)]] = 160_000
    assert (sim.early == early).all()
    assert (sim.maturity[:, years.index(2031)] == 20_000).all()
    # the rest renews: A-3y's 7 000 $ in 2029, B-5y's 20 000 $ left in 2031
    assert (sim.renewed[:, years.index(2029)] == 700_000).all()
    assert (sim.renewed[:, years.index(2031)] == 2_000_000).all()


def test_an_open_register_works_as_its_path(register_path):
    sc = load_scenario(EXAMPLE).with_changes({"risk.paths": 200})
    with Register(register_path) as reg:
        res = run(sc, register=reg)
    assert res.register.as_of == dt.date(2028, 6, 1)
    assert [x.principal_cents for x in res.register.holdings] == HOLDINGS_CENTS


def test_without_a_register_the_holders_are_the_equal_holdings():
    """By hand, holdings of 2 500 $ in whole bonds: A-3y 40 of 2 500 $; B-5y and C-7y
    3 000 $ (whole bonds of 1 000 $): 50, and 83 plus one of 1 000 $."""
    sc = load_scenario(EXAMPLE).with_changes({"risk.paths": 200})
    res = run(sc)
    assert res.register is None and not res.risk.exact
    assert len(res.risk.holders.amount) == 40 + 50 + 84
    assert int(res.risk.holders.amount.sum()) == 50_000_000
    assert np.array_equal(run(sc, register=None).risk.simulation.early, res.risk.simulation.early)


# ---------------------------------------------------------------- the summary JSON


def test_the_summary_says_the_risk_used_the_register(outputs):
    d = outputs["real"]["json"]
    risk = d["risk"]
    assert risk["holders_from"] == "register"
    assert risk["register_as_of"] == AS_OF and risk["register_holdings"] == 3
    assert risk["holders"] == 3 and risk["holders_from_register"] is True
    reg = d["register"]
    assert reg["file"] == "solar.db" and reg["as_of"] == AS_OF
    assert reg["same_scenario"] is True
    assert reg["holdings"] == 3 and reg["holders"] == 3
    assert reg["principal_outstanding"] == 32_000.00
    a, b, c = (reg["series"][k] for k in ("A-3y", "B-5y", "C-7y"))
    assert (a["holders"], a["bonds_held"], a["bonds"], a["principal_outstanding"]) == (
        2,
        14,
        200,
        7_000.00,
    )
    # A-3y: its maturity, 3 % of 7 000 $ and the principal; B-5y: half a year at 4 %
    assert (a["next_payment_date"], a["next_payment"]) == ("2029-03-02", 7_210.00)
    assert (b["next_payment_date"], b["next_payment"]) == ("2028-09-02", 500.00)
    assert (c["holders"], c["next_payment_date"], c["next_payment"]) == (0, None, 0.0)
    # the request: 5 bonds of 1 000 $ of B-5y, on notice (due 2028-12-01)
    assert (b["requests_waiting"], b["requested_bonds"], b["requested_principal"]) == (
        1,
        5,
        5_000.00,
    )
    assert b["requests_due"] == 0
    assert a["lock_in_ends"] == "2028-03-02"  # 2 years after the issue


def test_the_run_without_register_is_unchanged(outputs):
    plain = outputs["plan"]["json"]
    assert "register" not in plain
    assert not {"holders_from", "register_as_of", "register_holdings"} & set(plain["risk"])
    assert plain["risk"]["holders"] == 40 + 50 + 84
    # the plan's own figures do not depend on the register
    real = outputs["real"]["json"]
    for key in ("total_principal", "total_interest", "series", "debt_service_by_fiscal_year"):
        assert real[key] == plain[key]
    assert "Real holders" not in outputs["plan"]["stdout"]


def test_the_command_line_says_what_it_read(outputs):
    out = outputs["real"]["stdout"]
    assert "the register solar.db on 2028-06-01, 3 holdings holding $32,000.00" in out
    assert outputs["real"]["stderr"].count("warning: ") == outputs["plan"]["stderr"].count(
        "warning: "
    )


# ---------------------------------------------------------------- the workbook


def test_b3_4_shows_the_register_to_the_cent(outputs):
    wb = openpyxl.load_workbook(outputs["real"]["xlsx"])
    ws = wb["B3.4 Management"]
    rows = _rows(ws, f"The register on {AS_OF} (real data)", 5)
    assert rows[1][0] == "Real data (register)"
    assert rows[2][:6] == ["Series", "Holders (number)", "Holdings (number)", "Bonds held",
                           "Bonds of the series", "Principal outstanding"]  # fmt: skip
    a, b, c, total = rows[3:7]
    day = dt.datetime
    assert a[0] == "A-3y" and a[1:5] == [2, 2, 14, 200] and _money(a[5]) == 700_000
    assert a[6:8] == [day(2028, 3, 2), day(2029, 3, 2)] and _money(a[8]) == 721_000
    assert b[0] == "B-5y" and b[1:5] == [1, 1, 25, 150] and _money(b[5]) == 2_500_000
    assert b[7] == day(2028, 9, 2) and _money(b[8]) == 50_000
    assert c[0] == "C-7y" and c[1:5] == [0, 0, 0, 250] and c[7] == "no payment due"
    assert total[0] == "Total" and total[1:5] == [3, 3, 39, 600]
    assert _money(total[5]) == TOTAL_CENTS
    # the real-data style: its own fill, not the plan's (none) nor the inputs' (yellow)
    header = next(row[0].row for row in ws.iter_rows() if row[1].value == "Holders (number)")
    r = header + 1  # series A-3y's line
    assert ws.cell(r, 1).value == "A-3y"
    fills = {ws.cell(r, k).fill.fgColor.rgb for k in range(2, 10)}
    assert fills == {"FFE2EFDA"}
    assert ws.cell(r, 1).fill.fgColor.rgb != "FFE2EFDA"  # the series id is a label


def test_b3_5_shows_the_requests_and_the_risk_s_holders(outputs):
    wb = openpyxl.load_workbook(outputs["real"]["xlsx"])
    ws = wb["B3.5 Renewal-repayment"]
    rows = _rows(ws, f"The register on {AS_OF} (real data)", 5)
    assert rows[1][0] == "Real data (register)"
    assert rows[3][0] == "A-3y" and _money(rows[3][5]) == 700_000
    assert rows[6][0] == "Total" and _money(rows[6][5]) == TOTAL_CENTS
    req = _rows(ws, f"Early redemption requests waiting on {AS_OF} (real data)", 5)[2:]
    assert req[0][:5] == ["Series", "Requests waiting", "Bonds asked", "Principal asked",
                          "Requests due now"]  # fmt: skip
    assert [r[0] for r in req[1:5]] == ["A-3y", "B-5y", "C-7y", "Total"]
    assert req[2][1:3] == [1, 5] and _money(req[2][3]) == 500_000 and req[2][4] == 0
    assert req[4][1:3] == [1, 5] and _money(req[4][3]) == 500_000
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(
        s.startswith("The risk figures below use the register's 3 holdings ($32,000.00")
        for s in texts
    )
    assert f"The register's 3 holdings on {AS_OF} (real data)" in texts
    assert "Holders simulated" in texts


def test_without_register_the_sheets_have_no_register_block(outputs):
    wb = openpyxl.load_workbook(outputs["plan"]["xlsx"])
    for name in ("B3.4 Management", "B3.5 Renewal-repayment"):
        texts = [c.value for row in wb[name].iter_rows() for c in row if isinstance(c.value, str)]
        assert not [s for s in texts if "real data" in s or "register of holders" in s]


def test_no_holder_name_anywhere(outputs):
    real = outputs["real"]
    text = json.dumps(real["json"], ensure_ascii=False) + real["stdout"] + real["stderr"]
    with zipfile.ZipFile(real["xlsx"]) as z:
        for info in z.infolist():
            text += z.read(info).decode("utf-8", errors="replace")
    for word in WORDS:
        assert word not in text


# ---------------------------------------------------------------- refused, warned


def test_a_register_of_another_issue_is_refused(tmp_path):
    other = tmp_path / "cinema.db"
    Register.create(other, load_example("cinema-du-parc-2016")).close()
    sc = load_scenario(EXAMPLE)
    with pytest.raises(RegisterMismatch) as err:
        run(sc, register=other)
    message = str(err.value)
    assert "cinema.db" in message
    assert "Cinéma du Parc 2016 (series A)" in message
    assert "Solar co-op 2026, three series (series A-3y, B-5y, C-7y)" in message
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["run", str(EXAMPLE), "--register", str(other), "--out", str(out)]
    )
    assert res.exit_code == 2
    assert "Cinéma du Parc 2016" in res.stderr and "Solar co-op 2026" in res.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_file_that_is_not_a_register_exits_2(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["run", str(EXAMPLE), "--register", str(bad), "--out", str(tmp_path)]
    )
    assert res.exit_code == 2 and "notes.db" in res.stderr


def test_a_register_of_another_text_of_the_scenario_only_warns(register_path, tmp_path):
    edited = tmp_path / "solar.toml"
    edited.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    snap = read_register(register_path, load_scenario(edited))
    assert snap.same_scenario is False
    assert [w.key for w in snap.warnings] == ["runreg.warn.other_text"]
    # a rate changed since: the terms differ too, named by series
    changed = tmp_path / "dearer.toml"
    changed.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("annual_rate = 0.03", "annual_rate = 0.035"),
        encoding="utf-8",
    )
    snap = read_register(register_path, load_scenario(changed))
    assert [w.key for w in snap.warnings] == ["runreg.warn.other_text", "runreg.warn.terms"]
    assert "A-3y" in str(snap.warnings[1]) and "B-5y" not in str(snap.warnings[1])


def test_a_date_before_the_last_event_is_refused(register_path):
    sc = load_scenario(EXAMPLE)
    assert read_register(register_path, sc, "2029-01-01").as_of == dt.date(2029, 1, 1)
    with pytest.raises(RegisterMismatch, match="2028-06-01"):
        read_register(register_path, sc, "2027-01-01")
