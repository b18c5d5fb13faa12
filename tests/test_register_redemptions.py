"""Early redemption requests (issue #13): the lock-in, the notice, the annual cap and its
queue, the interest accrued to the day, all worked out by hand here."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register, RegisterError
from bondkit.scenario import load_example, parse_scenario

AT = dt.datetime(2028, 1, 5, 12, tzinfo=dt.UTC)


@pytest.fixture
def solar(tmp_path):
    """The solar co-op: series B-5y, 150 bonds of 1,000 $ at 4 %, semi-annual 30/360 from
    2026-03-02; lock-in 2 years, notice 6 months, annual cap 5 % of the principal issued,
    fiscal years ending June 30. Six holders of 10 bonds: 60,000 $ issued, cap 3,000 $."""
    reg = Register.create(tmp_path / "solar.db", load_example("solar-coop-multi-series"))
    for i in range(6):
        reg.add_subscription(
            name=f"Holder {i}",
            series="B-5y",
            bonds=10,
            subscribed_on="2026-02-01",
            reason="form",
            now=AT,
        )
    yield reg
    reg.close()


def _ask(reg, holding, bonds, on):
    return reg.request_redemption(holding, bonds, asked_on=on, reason="letter", now=AT)


def test_requests_wait_for_their_notice_then_for_room_under_the_cap(solar):
    r1 = _ask(solar, 1, 3, "2028-04-01")
    r2 = _ask(solar, 2, 5, "2028-04-02")
    r3 = _ask(solar, 3, 2, "2028-04-03")
    early = solar.redemption_queue("2028-09-30").set_index("request_id")
    assert early["status"].tolist() == ["notice"] * 3
    assert early["due_on"].dt.strftime("%Y-%m-%d").tolist() == [
        "2028-10-01",
        "2028-10-02",
        "2028-10-03",
    ]
    q = solar.redemption_queue("2028-10-15").set_index("request_id")
    # 3,000 $ of room: r1 (3 bonds) takes it all; r2 and r3 wait, in their order
    assert q["status"].tolist() == ["to pay", "cap", "cap"]
    # interest since the payment of 2028-09-02: 3,000 x 4 % x 43/360 = 14.333... -> 14.33
    assert q.loc[r1, ["principal_cents", "interest_cents", "total_cents"]].tolist() == [
        300_000,
        1_433,
        301_433,
    ]
    assert solar.redeem("2028-10-15", reason="October redemptions", now=AT) == [r1]
    h1 = solar.holdings().set_index("holding_id").loc[1]
    assert [h1.bonds, h1.principal_cents, h1.interest_cents, h1.cash_cents] == [
        7,
        700_000,
        0,
        -301_433,
    ]
    assert solar.check().ok
    # the same fiscal year (July 2028 - June 2029) has no room left: nothing more to pay
    assert solar.redeem("2029-06-30", reason="June", now=AT) == []
    # the next one has 3,000 $: r2 asks 5 bonds: 3 are paid, 2 wait as a new request, r3 too
    q = solar.redemption_queue("2029-07-02").set_index("request_id")
    assert q.loc[r2, ["bonds", "status", "principal_cents"]].tolist() == [3, "part", 300_000]
    assert q.loc[r3, "status"] == "cap"
    assert solar.redeem("2029-07-02", reason="July", now=AT) == [r2]
    rest = solar.redemption_queue("2029-07-02")
    assert rest["bonds"].tolist() == [2, 2] and rest["holding_id"].tolist() == [2, 3]
    assert rest["asked_on"].dt.strftime("%Y-%m-%d").tolist() == ["2028-04-02", "2028-04-03"]
    assert solar.check().ok


@pytest.mark.parametrize(
    "holding, bonds, on, where, text",
    [
        (1, 1, "2028-03-01", "asked_on", "lock-in: no request before 2028-03-02"),
        (1, 11, "2028-04-01", "bonds", "(10) less those already asked (0)"),
        (1, 0, "2028-04-01", "bonds", "greater than 0"),
        (99, 1, "2028-04-01", "holding", "no holding"),
        (1, 1, "2031-03-02", "asked_on", "before the series' maturity"),
        (1, 1, "2028-02-30", "asked_on", "date"),
    ],
)
def test_a_refused_request_says_why_and_changes_nothing(solar, holding, bonds, on, where, text):
    before = solar.digest()
    with pytest.raises(RegisterError) as err:
        _ask(solar, holding, bonds, on)
    assert [p.location for p in err.value.problems] == [where]
    assert text in err.value.render("en")
    assert solar.digest() == before


def test_bonds_already_asked_cannot_be_asked_again_and_a_withdrawal_is_final(solar):
    r = _ask(solar, 1, 8, "2028-04-01")
    with pytest.raises(RegisterError, match=r"less those already asked \(8\)"):
        _ask(solar, 1, 3, "2028-04-02")
    solar.withdraw_request(r, on="2028-05-01", reason="changed their mind", now=AT)
    assert solar.redemption_queue("2028-12-01").empty
    with pytest.raises(RegisterError, match="already has its outcome"):
        solar.withdraw_request(r, on="2028-05-02", reason="again", now=AT)
    _ask(solar, 1, 3, "2028-04-02")  # the bonds are free again


def test_an_accumulating_holding_is_redeemed_with_its_capitalised_interest(tmp_path):
    text = """
[scenario]
name = "Accumulating"
language = "fr"
[issuer]
name = "Coop"
[[series]]
id = "A"
amount = 100_000
face_value = 500
annual_rate = 0.05
issue_date = 2026-01-15
term_years = 5
repayment = "accumulating"
interest = "compound"
day_count = "30/360"
[risk]
annual_probability = 0.02
lock_in_years = 1
notice_months = 0
"""
    with Register.create(tmp_path / "acc.db", parse_scenario(text)) as reg:
        reg.add_subscription(
            name="H", series="A", bonds=2, subscribed_on="2026-01-10", reason="form", now=AT
        )
        _ask(reg, 1, 2, "2028-07-15")
        q = reg.redemption_queue("2028-07-15")
        # 1,000 $ x (1.05^2 x (1 + 0.05 x 0.5) - 1) = 130.0625 -> 130.06 $
        assert q[["status", "principal_cents", "interest_cents"]].values.tolist() == [
            ["to pay", 100_000, 13_006]
        ]
        reg.redeem("2028-07-15", reason="redemption", now=AT)
        h = reg.holdings().loc[0]
        assert [h.bonds, h.principal_cents, h.interest_cents, h.cash_cents] == [0, 0, 0, -113_006]
        assert reg.check().ok


def test_the_commands_show_the_queue_and_pay_it(solar):
    _ask(solar, 1, 3, "2028-04-01")
    _ask(solar, 2, 5, "2028-04-02")
    solar.close()
    db, runner = str(solar.path), CliRunner()
    shown = runner.invoke(main, ["register", "queue", db, "--as-of", "2028-10-15"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines() == [
        "request  holding  holder  series  bonds  asked on    due on      status  total",
        "1        1        1       B-5y    3      2028-04-01  2028-10-01  to pay  $3,014.33",
        "2        2        2       B-5y    5      2028-04-02  2028-10-02  cap     $5,023.89",
    ]
    plan = runner.invoke(main, ["register", "redeem", db, "--date", "2028-10-15"])
    assert plan.stdout == (
        "on 2028-10-15: requests to pay: 1, $3,014.33 (principal $3,000.00, interest $14.33); "
        "add --confirm to record them\n"
    )
    with Register(db) as reg:
        assert len(reg.events()) == 6  # nothing recorded without --confirm
    done = runner.invoke(main, ["register", "redeem", db, "--date", "2028-10-15", "--confirm"])
    assert done.exit_code == 0 and done.stdout == (
        "recorded on 2028-10-15: requests paid: 1, $3,014.33\n"
    )
    bad = runner.invoke(
        main,
        [
            "register",
            "request",
            db,
            "--holding",
            "1",
            "--bonds",
            "1",
            "--on",
            "2027-01-01",
            "--reason",
            "x",
        ],
    )
    assert bad.exit_code == 2 and "lock-in" in bad.stderr
    assert "Holder" not in shown.output + plan.output + done.output + bad.output
