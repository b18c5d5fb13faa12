"""``[offer]``: the offer's clauses, their defaults, and the rule that the redemption terms
the offer writes are those ``[risk]`` simulates (issue #15)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.errors import ScenarioError
from bondkit.scenario import load_example, parse_scenario

BASE = """
[scenario]
name = "Coop"
language = "en"
[issuer]
name = "Coop"
legal_form = "coop"
jurisdiction = "QC"
[[series]]
id = "A"
amount = 100_000
face_value = 500
annual_rate = 0.04
issue_date = 2027-01-15
term_years = 5
repayment = "bullet"
"""
RISK = """
[risk]
lock_in_years = 2
notice_months = 3
annual_cap = 0.1
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text)
    return [str(p) for p in err.value.problems]


def test_without_an_offer_the_clauses_are_the_usual_ones():
    terms = parse_scenario(BASE).offer_terms()
    assert (terms.rank, terms.transfer, terms.exemption) == (
        "subordinated",
        "with-consent",
        "qc-coop-members",  # a Québec co-operative placing with its members
    )
    assert (terms.lock_in_years, terms.notice_months, terms.annual_cap) == (0, 0, None)
    assert terms.purpose is None and terms.renewals == ()


def test_the_offer_states_risk_s_terms_where_it_leaves_them_out():
    terms = parse_scenario(BASE + RISK + '[offer]\nrank = "unsecured"\n').offer_terms()
    assert (terms.lock_in_years, terms.notice_months, terms.annual_cap) == (2, 3, Decimal("0.1"))
    assert terms.rank == "unsecured"


def test_the_same_terms_in_both_tables_are_accepted():
    offer = "[offer]\nlock_in_years = 2\nnotice_months = 3\nannual_cap = 0.1\n"
    terms = parse_scenario(BASE + RISK + offer).offer_terms()
    assert (terms.lock_in_years, terms.notice_months) == (2, 3)


def test_terms_that_differ_from_what_risk_simulates_are_refused_each_one():
    offer = "[offer]\nlock_in_years = 3\nnotice_months = 3\nannual_cap = 0.05\n"
    assert _problems(BASE + RISK + offer) == [
        "offer.lock_in_years: the offer writes 3 but [risk] simulates 2: write the same in "
        "both, or leave it out here (the offer then states [risk]'s) (you wrote 3)",
        "offer.annual_cap: the offer writes 0.05 but [risk] simulates 0.1: write the same in "
        "both, or leave it out here (the offer then states [risk]'s) (you wrote 0.05)",
    ]


def test_a_cap_the_model_does_not_simulate_is_refused():
    risk = "[risk]\nlock_in_years = 2\n"  # no cap
    problems = _problems(BASE + risk + "[offer]\nannual_cap = 0.1\n")
    assert problems == [
        "offer.annual_cap: the offer writes 0.1 but [risk] simulates none: write the same in "
        "both, or leave it out here (the offer then states [risk]'s) (you wrote 0.1)"
    ]


def test_without_risk_the_offer_s_lock_in_is_checked_against_the_term():
    problems = _problems(BASE + "[offer]\nlock_in_years = 5\n")
    assert problems == [
        "offer.lock_in_years: must be shorter than the term of every series: series A "
        "matures 5 years after its issue_date (you wrote 5)"
    ]


def test_security_goes_with_a_secured_rank_only():
    assert _problems(BASE + '[offer]\nrank = "secured"\n') == [
        'offer.security: says what secures the bonds: with rank = "secured", write security = "..."'
    ]
    assert _problems(BASE + '[offer]\nsecurity = "a mortgage"\n') == [
        'offer.security: applies only with rank = "secured": remove it or change the rank '
        '(you wrote "a mortgage")'
    ]
    ok = parse_scenario(BASE + '[offer]\nrank = "secured"\nsecurity = "a mortgage"\n')
    assert ok.offer_terms().security == "a mortgage"


def test_renewals_name_a_series_of_the_file_once():
    renewal = '[[offer.renewals]]\nseries = "{sid}"\nannual_rate = 0.045\nterm_years = 5\n'
    text = (
        BASE
        + "[offer]\n"
        + renewal.format(sid="B")
        + renewal.format(sid="A")
        + renewal.format(sid="A")
    )
    assert _problems(text) == [
        'offer.renewals[1].series: is not a series of the file (series: A) (you wrote "B")',
        "offer.renewals[3].series: must be unique: renewals[2] offers a renewal to the same "
        'series (you wrote "A")',
    ]
    terms = parse_scenario(BASE + "[offer]\n" + renewal.format(sid="A")).offer_terms()
    offer = terms.renewal("A")
    assert (offer.annual_rate, offer.term_years) == (Decimal("0.045"), 5)


def test_unknown_words_are_refused_with_the_choices():
    problems = _problems(BASE + '[offer]\nrank = "senior"\ntransfer = "yes"\n')
    assert problems[0].startswith("offer.rank: must be one of secured, unsecured, subordinated")
    assert problems[1].startswith("offer.transfer: must be one of none, with-consent, free")


def test_the_solar_example_states_its_risk_terms():
    terms = load_example("solar-coop-multi-series").offer_terms()
    assert (terms.lock_in_years, terms.notice_months, terms.annual_cap) == (2, 6, Decimal("0.05"))
    assert terms.renewal("A-3y").term_years == 3


def test_the_command_line_names_the_key_in_french(tmp_path: Path):
    path = tmp_path / "coop.toml"
    path.write_text(BASE.replace('"en"', '"fr"') + RISK + "[offer]\nnotice_months = 6\n",
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "offer.notice_months : l'offre écrit 6 mais [risk] simule 3" in result.stderr
