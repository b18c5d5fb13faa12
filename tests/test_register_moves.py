"""Transfers and estates (issue #13): one event each, the original subscription kept, the
money conserved to the cent, every refusal leaving the register unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Posting, Register, RegisterError
from bondkit.scenario import load_example

AT = dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC)
NAME = "Zéphirine Quartzbeau"


@pytest.fixture
def reg(tmp_path):
    # Le Grand Costumier: one series A of 20 bonds of 1,000 $, 2 %, issued 2016-09-01,
    # maturity 2021-09-01; the register's language is French
    r = Register.create(tmp_path / "a.db", load_example("grand-costumier-2016"), by="Lucie")
    r.add_subscription(
        name=NAME, series="A", bonds=3, subscribed_on="2016-07-15", reason="form", now=AT
    )
    yield r
    r.close()


def _balances(reg: Register) -> dict[int, list[int]]:
    df = reg.holdings().set_index("holding_id")
    return {
        int(h): [int(x) for x in row]
        for h, row in df[["bonds", "principal_cents", "interest_cents"]].iterrows()
    }


def test_a_partial_transfer_is_one_event_and_keeps_the_subscription(reg):
    event, new = reg.transfer(
        1, 1, on="2018-05-01", to={"name": "Marc Roy", "country": "CA"}, reason="sale", now=AT
    )
    assert new == 2
    assert _balances(reg) == {1: [2, 200_000, 0], 2: [1, 100_000, 0]}
    holdings = reg.holdings().set_index("holding_id")
    assert holdings.loc[2, "subscribed_on"] == holdings.loc[1, "subscribed_on"]
    assert holdings.loc[2, "interest_start"] == holdings.loc[1, "interest_start"]
    assert holdings.loc[2, "origin_holding_id"] == 1 and holdings.loc[2, "holder_id"] == 2
    events = reg.events()
    moved = events[events["event_id"] == event]
    assert list(moved["kind"]) == ["transfer", "transfer"]  # one event, two postings
    assert sorted(moved["bonds"]) == [-1, 1] and moved["cash_cents"].tolist() == [0, 0]
    assert moved["occurred_on"].iloc[0] == dt.datetime(2018, 5, 1)
    assert reg.check().ok


def test_principal_and_interest_move_in_proportion_and_add_up_to_the_cent(reg):
    # 1 $ of principal already repaid: 299,900 cents over 3 bonds; 1,234 cents accrued
    reg.record(
        "principal_repaid",
        "2017-09-01",
        [Posting(1, principal_cents=-100, cash_cents=-100)],
        reason="instalment",
        now=AT,
    )
    reg.record(
        "interest_accrued",
        "2017-12-31",
        [Posting(1, interest_cents=1_234)],
        reason="year end",
        now=AT,
    )
    reg.transfer(1, 1, on="2018-01-10", to={"name": "Marc Roy"}, reason="gift", now=AT)
    # 299,900 x 1/3 = 99,966.67 -> 99,966 moves; 1,234 x 1/3 = 411.33 -> 411 moves
    assert _balances(reg) == {1: [2, 199_934, 823], 2: [1, 99_966, 411]}
    # all the bonds take all that is left, whatever the rounding
    reg.transfer(1, 2, on="2018-02-10", to_holder_id=2, reason="gift", now=AT)
    assert _balances(reg)[1] == [0, 0, 0] and _balances(reg)[3] == [2, 199_934, 823]
    assert reg.check().ok


@pytest.mark.parametrize(
    "kwargs, where",
    [
        ({"bonds": 4, "to": {"name": "M"}}, "bonds"),
        ({"bonds": 0, "to": {"name": "M"}}, "bonds"),
        ({"bonds": 1, "to_holder_id": 1}, "to_holder"),
        ({"bonds": 1, "to_holder_id": 99}, "to_holder"),
        ({"bonds": 1, "to": {"name": "M", "kind": "robot"}}, "to.kind"),
        ({"bonds": 1, "to": {"name": "M", "country": "Canada"}}, "to.country"),
        ({"bonds": 1, "to": {"address": "1 rue"}}, "to.name"),
        ({"bonds": 1, "to": {"name": "M"}, "on": "2021-09-01"}, "on"),
        ({"bonds": 1, "to": {"name": "M"}, "on": "2016-07-14"}, "on"),
        ({"bonds": 1, "to": {"name": "M"}, "on": "2018-02-30"}, "on"),
    ],
)
def test_a_refused_transfer_names_the_problem_and_changes_nothing(reg, kwargs, where):
    before = reg.digest()
    on = kwargs.pop("on", "2018-05-01")
    with pytest.raises(RegisterError) as err:
        reg.transfer(1, on=on, reason="sale", now=AT, **kwargs)
    assert any(p.location == where for p in err.value.problems), err.value.render()
    assert NAME not in err.value.render("fr")
    assert reg.digest() == before


def test_a_transfer_names_one_receiver(reg):
    with pytest.raises(RegisterError, match="not both"):
        reg.transfer(1, 1, on="2018-05-01", to_holder_id=1, to={"name": "M"}, reason="x")
    with pytest.raises(RegisterError, match="not both"):
        reg.transfer(1, 1, on="2018-05-01", reason="x")


def test_an_estate_takes_every_holding_and_is_named_in_the_holders_language(reg):
    reg.add_subscription(
        holder_id=1, series="A", bonds=2, subscribed_on="2016-08-01", reason="second form", now=AT
    )
    _, english = reg.transfer(
        1, 1, on="2017-01-10", to={"name": "Ann Lee", "language": "en"}, reason="sale", now=AT
    )
    estate, events = reg.estate(1, on="2019-01-10", reason="death notice", now=AT)
    holders = reg.holders().set_index("holder_id")
    assert holders.loc[estate, "name"] == f"Succession de {NAME}"  # the issue is in French
    assert len(events) == 2
    assert _balances(reg)[1][0] == 0 and _balances(reg)[2][0] == 0
    moved = reg.holdings().query("holder_id == @estate").set_index("origin_holding_id")
    assert moved.loc[1, "bonds"] == 2 and moved.loc[2, "bonds"] == 2
    assert str(moved.loc[2, "subscribed_on"].date()) == "2016-08-01"
    ann = int(reg.holdings().set_index("holding_id").loc[english, "holder_id"])
    estate2, _ = reg.estate(ann, on="2019-02-01", reason="death notice", now=AT)
    assert reg.holders().set_index("holder_id").loc[estate2, "name"] == "Estate of Ann Lee"
    assert reg.check().ok
    before = reg.digest()
    for holder, why in ((1, "already has an estate"), (estate, "already an estate")):
        with pytest.raises(RegisterError, match=why):
            reg.estate(holder, on="2019-03-01", reason="again", now=AT)
    assert reg.digest() == before


def test_the_commands_name_numbers_never_people(reg):
    reg.close()
    db = str(reg.path)
    runner = CliRunner()
    ok = runner.invoke(
        main,
        [
            "register",
            "transfer",
            db,
            "--holding",
            "1",
            "--bonds",
            "1",
            "--to-name",
            "Marc Roy",
            "--on",
            "2018-05-01",
            "--reason",
            "sale",
            "--lang",
            "en",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == (
        "recorded: event 2; bonds moved: 1, from holding 1 to holding 2 (holder 2)\n"
    )
    bad = runner.invoke(
        main, ["register", "estate", db, "--holder", "9", "--on", "2019-01-10", "--reason", "death"]
    )
    assert bad.exit_code == 2 and "aucun détenteur ne porte ce numéro" in bad.stderr
    done = runner.invoke(
        main, ["register", "estate", db, "--holder", "1", "--on", "2019-01-10", "--reason", "death"]
    )
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "enregistré : les placements du détenteur 1 passent à sa succession, le détenteur 3 "
        "(placements : 1; événements : 3)\n"
    )
    assert NAME not in done.output + ok.output and "Marc" not in ok.output
