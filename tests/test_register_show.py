"""bondkit register show: the register in numbers, holders counted, never named."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register
from bondkit.scenario import load_example

AT = dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC)


def test_show_counts_what_is_owed_and_by_whom(tmp_path):
    path = tmp_path / "c.db"
    with Register.create(path, load_example("grand-costumier-2016"), by="Lucie", now=AT) as reg:
        for name, bonds in (("Zoé Quartzbeau", 3), ("Café du Coin", 2)):
            reg.add_subscription(
                name=name,
                series="A",
                bonds=bonds,
                subscribed_on="2016-07-15",
                reason="form",
                now=AT,
                by="Lucie",
            )
        reg.estate(1, on="2018-03-01", reason="death notice", now=AT, by="Lucie")
        o = reg.overview("2018-03-02")
    # 5 of the 20 bonds of 1,000 $, two holders holding bonds (the estate and the café)
    assert o["series"] == [
        {
            "series_id": "A",
            "bonds": 20,
            "bonds_held": 5,
            "principal_cents": 500_000,
            "interest_cents": 0,
            "holders": 2,
            "maturity": "2021-09-01",
        }
    ]
    assert o["holders"] == {"person": 2, "corporation": 0, "estate": 1}
    assert o["requests"] == {"waiting": 0, "bonds": 0, "to_pay": 0}
    # accumulating at 2 % simple: the 5 bonds are paid 5,000 $ + 5 x 2 % x 5,000 $ at maturity
    assert o["next_payments"] == [
        {"series_id": "A", "date": "2021-09-01", "total_cents": 550_000, "holdings": 2}
    ]
    result = CliRunner().invoke(main, ["register", "show", str(path), "--as-of", "2018-03-02"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Le Grand Costumier 2016 : le registre au 2018-03-02"
    assert lines[1] == "dernier enregistrement : 2027-01-05T12:00:00Z, par Lucie"
    assert lines[2:4] == [
        "série  obligations détenues  capital dû  intérêts courus  détenteurs  échéance",
        "A      5 / 20                5\xa0000,00\xa0$  0,00\xa0$           2           2021-09-01",
    ]
    assert "détenteurs : 3 (personnes : 2; organisations : 0; successions : 1)" in lines
    assert (
        "prochain versement de la série A : le 2021-09-01, 5\xa0500,00\xa0$ à 2 placements" in lines
    )
    assert "Zoé" not in result.output and "Café" not in result.output
    bad = CliRunner().invoke(main, ["register", "show", str(path), "--as-of", "2018-02-30"])
    assert bad.exit_code == 2 and "2018-02-30" in bad.stderr
