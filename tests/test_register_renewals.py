"""Renewals at maturity (issue #13): a renewal series linked to the old one, each holding
renewed in one event with the last interest paid (or rolled over when capitalised) and
the rest below one new bond paid in cash; figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register, RegisterError
from bondkit.scenario import load_example, parse_scenario

AT = dt.datetime(2031, 1, 5, 12, tzinfo=dt.UTC)

BULLET = """
[scenario]
name = "Bullet"
language = "en"
[issuer]
name = "Coop"
[[series]]
id = "A"
amount = 100_000
face_value = 500
annual_rate = 0.04
issue_date = 2026-03-02
term_years = 5
repayment = "bullet"
frequency = "annual"
day_count = "30/360"
"""


@pytest.fixture
def bullet(tmp_path):
    """A 5-year 4 % bullet of 500 $ bonds, annual 30/360, maturity 2031-03-02; holding 1
    holds 3 bonds (1,500 $), holding 2 holds 2 (1,000 $)."""
    reg = Register.create(tmp_path / "b.db", parse_scenario(BULLET))
    for name, bonds in (("Ann", 3), ("Bob", 2)):
        reg.add_subscription(
            name=name, series="A", bonds=bonds, subscribed_on="2026-02-01", reason="form", now=AT
        )
    yield reg
    reg.close()


def _balance(reg, holding):
    h = reg.holdings().set_index("holding_id").loc[holding]
    return [int(h.bonds), int(h.principal_cents), int(h.interest_cents), int(h.cash_cents)]


def test_a_bullet_holding_renews_its_principal_and_is_paid_its_last_coupon(bullet):
    assert (
        bullet.add_renewal_series(
            "A", "A2", annual_rate="0.05", term_years=3, face_value=1000, reason="offer", now=AT
        )
        == "A2"
    )
    a2 = bullet.series().set_index("series_id").loc["A2"]
    assert [str(a2.issue_date.date()), str(a2.maturity.date()), a2.renews] == [
        "2031-03-02",
        "2034-03-02",
        "A",
    ]
    assert int(a2.amount_cents) == 10_000_000 and int(a2.bonds) == 100  # 100,000 $ in 1,000 $
    [new] = bullet.renew([1], "A2", reason="renewal form", now=AT)
    # last coupon 1,500 x 4 % = 60.00 $ paid; 1,500 $ buys one 1,000 $ bond, 500 $ paid back
    assert _balance(bullet, 1) == [0, 0, 0, -(6_000 + 50_000)]
    assert _balance(bullet, new) == [1, 100_000, 0, 0]
    holdings = bullet.holdings().set_index("holding_id")
    assert holdings.loc[new, "series_id"] == "A2" and holdings.loc[new, "origin_holding_id"] == 1
    assert str(holdings.loc[new, "subscribed_on"].date()) == "2031-03-02"
    kinds = bullet.events().query("holding_id == 1")["kind"].tolist()
    assert kinds == [
        "subscription",
        "interest_accrued",
        "interest_paid",
        "principal_repaid",
        "renewal",
    ]
    # the run of maturity pays holding 2 only: 1,000 $ and its 40.00 $ coupon
    run = bullet.payment_run("2031-03-02")
    assert run["holding_id"].tolist() == [2]
    assert run[["interest_cents", "principal_cents"]].values.tolist() == [[4_000, 100_000]]
    # the new holding's calendar: 1,000 x 5 % a year, then its principal
    cal = bullet.calendars().query("holding_id == @new")
    assert cal["interest_cents"].tolist() == [5_000, 5_000, 5_000]
    assert cal["principal_cents"].tolist() == [0, 0, 100_000]
    assert bullet.check().ok


def test_part_of_a_holding_renews_and_the_rest_is_repaid_at_maturity(bullet):
    bullet.add_renewal_series("A", "A2", annual_rate="0.045", term_years=5, reason="offer")
    [new] = bullet.renew([1], "A2", bonds={1: 1}, reason="form", now=AT)
    assert _balance(bullet, new) == [1, 50_000, 0, 0]
    assert _balance(bullet, 1) == [2, 100_000, 0, -2_000]  # coupon of the bond renewed: 20 $
    run = bullet.payment_run("2031-03-02").set_index("holding_id")
    assert run.loc[1, ["interest_cents", "principal_cents"]].tolist() == [4_000, 100_000]
    bullet.pay("2031-03-02", reason="maturity", now=AT)
    assert _balance(bullet, 1) == [0, 0, 0, -2_000 - 104_000]
    assert bullet.check().ok


def test_an_accumulating_holding_rolls_its_capitalised_interest_over(tmp_path):
    # Le Grand Costumier: 1,000 $ bonds, 2 % simple, all paid on 2021-09-01
    with Register.create(tmp_path / "c.db", load_example("grand-costumier-2016")) as reg:
        reg.add_subscription(
            name="Lucie", series="A", bonds=2, subscribed_on="2016-07-15", reason="form", now=AT
        )
        reg.add_renewal_series("A", "A2", annual_rate="0.025", term_years=3, reason="offer")
        [new] = reg.renew([1], "A2", reason="form", now=AT)
        # owed: 2,000 $ + 5 x 2 % x 2,000 $ = 2,200 $: two new bonds, 200 $ of interest paid
        assert _balance(reg, new) == [2, 200_000, 0, 0]
        assert _balance(reg, 1) == [0, 0, 0, -20_000]
        renewal = reg.events().query("kind == 'renewal'")
        assert renewal["interest_cents"].tolist() == [0, 0]  # the interest paid, none rolled
        assert reg.check().ok


def test_a_capitalised_remainder_rolls_into_principal(tmp_path):
    text = BULLET.replace(
        'repayment = "bullet"', 'repayment = "accumulating"\ninterest = "compound"'
    )
    with Register.create(tmp_path / "d.db", parse_scenario(text)) as reg:
        reg.add_subscription(
            name="Ann", series="A", bonds=4, subscribed_on="2026-02-01", reason="form", now=AT
        )
        reg.add_renewal_series(
            "A", "A2", annual_rate="0.04", term_years=5, face_value=100, reason="offer"
        )
        [new] = reg.renew([1], "A2", reason="form", now=AT)
        # 2,000 $ x 1.04^5 = 2,433.31 $ (2,433.3058 rounded): 24 bonds of 100 $ = 2,400 $
        # roll over, with 400 $ of the interest; 33.31 $ of interest paid in cash
        assert _balance(reg, new) == [24, 240_000, 0, 0]
        assert _balance(reg, 1) == [0, 0, 0, -3_331]
        renewal = reg.events().query("kind == 'renewal' and holding_id == 1")
        assert renewal[["principal_cents", "interest_cents"]].values.tolist() == [
            [-200_000, -40_000]
        ]
        assert reg.check().ok


@pytest.mark.parametrize(
    "args, kwargs, text",
    [
        (([1], "A"), {}, "is not a renewal series"),
        (([1], "Z"), {}, "no series has this id"),
        (([9], "A2"), {}, "no holding has this number"),
        (([1], "A2"), {"bonds": {1: 4}}, "at most the 3 the holding holds"),
        (([1], "A2"), {"bonds": {1: 0}}, "at least 1"),
        (([1], "A3"), {}, "does not buy one bond of the new series (1000000 cents)"),
    ],
)
def test_a_refused_renewal_says_why_and_changes_nothing(bullet, args, kwargs, text):
    bullet.add_renewal_series("A", "A2", annual_rate="0.05", term_years=3, reason="offer")
    bullet.add_renewal_series(
        "A",
        "A3",
        annual_rate="0.05",
        term_years=3,
        face_value=10_000,
        amount=100_000,
        reason="offer",
    )
    before = bullet.digest()
    with pytest.raises(RegisterError, match=text.replace("(", r"\(").replace(")", r"\)")):
        bullet.renew(*args, reason="form", now=AT, **kwargs)
    assert bullet.digest() == before


def test_bonds_repaid_at_maturity_cannot_renew(bullet):
    bullet.add_renewal_series("A", "A2", annual_rate="0.05", term_years=3, reason="offer")
    bullet.pay("2031-03-02", reason="maturity", now=AT)
    with pytest.raises(RegisterError, match="at most the 0 the holding holds"):
        bullet.renew([1], "A2", reason="late form", now=AT)


def test_a_renewal_series_offer_is_checked(bullet):
    before = bullet.digest()
    for kwargs, text in (
        ({"renews": "Z", "series_id": "A2"}, "no series has this id"),
        ({"renews": "A", "series_id": "A"}, "a series already has this id"),
        ({"renews": "A", "series_id": "A2", "annual_rate": "-0.5"}, "not valid"),
        ({"renews": "A", "series_id": "A2", "coupon": 3}, "unknown"),
    ):
        with pytest.raises(RegisterError, match=text):
            bullet.add_renewal_series(reason="offer", **kwargs)
    assert bullet.digest() == before


def test_the_commands_offer_and_renew(bullet):
    bullet.close()
    db, runner = str(bullet.path), CliRunner()
    offered = runner.invoke(
        main,
        [
            "register",
            "offer",
            db,
            "--renews",
            "A",
            "--series",
            "A2",
            "--rate",
            "0.05",
            "--term-years",
            "3",
            "--face-value",
            "1000",
            "--reason",
            "board",
        ],
    )
    assert offered.exit_code == 0, offered.output
    assert offered.stdout == (
        "recorded: series A2 renews series A, issued on 2031-03-02, maturity 2034-03-02\n"
    )
    renewed = runner.invoke(
        main, ["register", "renew", db, "--into", "A2", "--holdings", "1, 2", "--reason", "forms"]
    )
    assert renewed.exit_code == 0, renewed.output
    assert renewed.stdout == (
        "recorded on 2031-03-02: holdings renewed into series A2: 2 (new holdings 3, 4)\n"
    )
    bad = runner.invoke(
        main, ["register", "renew", db, "--into", "A2", "--holdings", "1,x", "--reason", "f"]
    )
    assert bad.exit_code == 2 and "--holdings" in bad.stderr and "(you wrote x)" in bad.stderr
    assert "Ann" not in offered.output + renewed.output + bad.output
