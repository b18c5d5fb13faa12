"""The scenario file: what a valid file gives, and the exact message for each kind of mistake."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from scenario_texts import problems

from bondkit.core.terms import StepRate
from bondkit.errors import ScenarioError
from bondkit.scenario import (
    Scenario,
    load_scenario,
    parse_scenario,
    toml_value,
    validate_data,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "scenario-reference.md"

# The example of the contract (scenario-format.md), comments kept.
CONTRACT_EXAMPLE = """\
[scenario]
name = "Cinéma du Parc 2016"   # required
language = "fr"            # fr | en (default en): labels of the workbook, charts and messages
currency = "CAD"           # default CAD
seed = 2016                # default 0; every random draw derives from it

[issuer]
name = "Cinéma du Parc"    # required
legal_form = "npo"         # npo | coop | other (default npo)
jurisdiction = "QC"        # default QC
fiscal_year_end = "12-31"  # MM-DD (default 12-31)

[[series]]                 # one table per series; an issue has one or more
id = "A"                   # required, unique, 1-16 characters of A-Z a-z 0-9 _ -
amount = 100_000           # required: principal of the series, a whole multiple of face_value
face_value = 500           # required: price of one bond
annual_rate = 0.02         # required
issue_date = 2017-02-01    # required
term_years = 5             # whole years >= 1; or maturity_date = 2022-02-01 (exactly one of the two)
repayment = "accumulating" # required: bullet | accumulating | level-payment | level-principal
interest = "compound"      # accumulating only (required there): simple | compound
frequency = "annual"       # annual | semi-annual | quarterly | monthly (default annual): payment or capitalisation period
day_count = "30/360"       # 30/360 | 30E/360 | ACT/365F | ACT/ACT (default 30/360)
interest_only_years = 0    # level-payment / level-principal only (default 0)
business_day = "unadjusted" # unadjusted | following | modified-following (default unadjusted; weekends only)
# step_rates = [{ from_year = 6, annual_rate = 0.075 }]  optional; from_year within the term

[costs]                    # optional; every key defaults to 0
upfront = 3_000            # paid on the earliest issue_date (legal, printing, launch)
upfront_rate = 0.0         # times the sum of the series amounts, paid on the earliest issue_date
annual_admin = 500         # paid on each anniversary of the earliest issue_date, up to the latest maturity
"""

HEAD = """\
[scenario]
name = "Test"

[issuer]
name = "Co-op"
"""

# the keys of a valid bullet series, as TOML literals
SERIES = {
    "id": '"A"',
    "amount": "100_000",
    "face_value": "500",
    "annual_rate": "0.02",
    "issue_date": "2017-02-01",
    "term_years": "5",
    "repayment": '"bullet"',
}


def series(**changes: str | None) -> str:
    """A [[series]] table: SERIES with keys changed (a TOML literal) or removed (None)."""
    keys = {**SERIES, **changes}
    return "[[series]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)


def scenario(*tables: str, head: str = HEAD) -> str:
    return "\n".join([head, *(tables or [series()])])


# ---------------------------------------------------------------- valid files


def test_contract_example_gives_the_expected_terms(tmp_path: Path) -> None:
    path = tmp_path / "cinema.toml"
    path.write_text(CONTRACT_EXAMPLE, encoding="utf-8")

    sc = load_scenario(path)

    assert (sc.name, sc.language, sc.currency, sc.seed) == (
        "Cinéma du Parc 2016",
        "fr",
        "CAD",
        2016,
    )
    assert (sc.issuer.name, sc.issuer.legal_form, sc.issuer.jurisdiction) == (
        "Cinéma du Parc",
        "npo",
        "QC",
    )
    assert sc.issuer.fiscal_year_end == "12-31"
    [a] = sc.series_terms()
    assert a.id == "A"
    assert a.maturity == dt.date(2022, 2, 1)
    assert (a.amount_cents, a.face_value_cents, a.bonds) == (10_000_000, 50_000, 200)
    assert a.annual_rate == Decimal("0.02")
    assert (a.issue_date, a.term_years, a.maturity_date) == (dt.date(2017, 2, 1), 5, None)
    assert (a.repayment, a.interest, a.frequency) == ("accumulating", "compound", "annual")
    assert (a.day_count, a.business_day, a.interest_only_years) == ("30/360", "unadjusted", 0)
    assert a.step_rates == ()
    costs = sc.cost_terms()
    assert (costs.upfront, costs.upfront_rate, costs.annual_admin) == (3000, 0, 500)
    assert sc.source_path == path
    assert sc.source_text == CONTRACT_EXAMPLE
    assert sc.input_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_defaults_apply_to_keys_not_written() -> None:
    sc = parse_scenario(scenario())
    assert (sc.language, sc.currency, sc.seed) == ("en", "CAD", 0)
    assert (sc.issuer.legal_form, sc.issuer.jurisdiction, sc.issuer.fiscal_year_end) == (
        "npo",
        "QC",
        "12-31",
    )
    [a] = sc.series_terms()
    assert (a.frequency, a.day_count, a.business_day) == ("annual", "30/360", "unadjusted")
    assert (a.interest, a.interest_only_years, a.step_rates) == (None, 0, ())
    costs = sc.cost_terms()
    assert (costs.upfront, costs.upfront_rate, costs.annual_admin) == (0, 0, 0)
    assert sc.source_path is None
    assert sc.input_sha256 == hashlib.sha256(scenario().encode()).hexdigest()


def test_rates_and_amounts_are_kept_exactly_as_written() -> None:
    text = scenario(
        series(
            amount="199.9",
            face_value="99.95",
            annual_rate="0.045",
            step_rates="[{ from_year = 4, annual_rate = 0.075 }, { from_year = 2, annual_rate = 0.1 }]",
        ),
        "[costs]\nupfront_rate = 0.015\nupfront = 1234.56\n",
    )
    sc = parse_scenario(text)
    [a] = sc.series_terms()
    assert (a.amount, a.face_value, a.annual_rate) == (
        Decimal("199.9"),
        Decimal("99.95"),
        Decimal("0.045"),
    )
    assert (
        str(a.annual_rate) == "0.045"
    )  # not 0.04499999999999999833466546306226518936455249786376953125
    assert a.step_rates == (StepRate(2, Decimal("0.1")), StepRate(4, Decimal("0.075")))
    assert (a.amount_cents, a.bonds) == (19990, 2)
    assert str(sc.cost_terms().upfront_rate) == "0.015"
    assert sc.cost_terms().upfront == Decimal("1234.56")


def test_maturity_date_instead_of_term_years() -> None:
    sc = parse_scenario(scenario(series(term_years=None, maturity_date="2020-06-30")))
    [a] = sc.series_terms()
    assert (a.term_years, a.maturity_date, a.maturity) == (
        None,
        dt.date(2020, 6, 30),
        dt.date(2020, 6, 30),
    )


@pytest.mark.parametrize("rate", ["0", "0.0", "1", "1.0", "0.075"])
def test_rates_from_0_to_1_are_valid(rate: str) -> None:
    parse_scenario(scenario(series(annual_rate=rate)))


def test_series_keep_file_order() -> None:
    text = scenario(series(id='"Z"'), series(id='"B-5y"'), series(id='"a_1"'))
    assert [s.id for s in parse_scenario(text).series_terms()] == ["Z", "B-5y", "a_1"]


def test_a_sculpted_series_follows_the_capacity_cash_flow_less_other_debt() -> None:
    text = scenario(
        series(repayment='"sculpted"', issue_date="2017-06-30", term_years="3"),
        series(id='"B"', repayment='"level-payment"'),
        "[capacity]\nfirst_fiscal_year = 2016\ncash_flow = [1, 2, 30_000.5, 31_000, 32_000, 9, 9]\n"
        "other_debt_service = [0, 0, 500, 500, 1_000.25, 0, 0]\n",
        head=HEAD + 'fiscal_year_end = "03-31"\n',
    )
    a, b = parse_scenario(text).series_terms()
    # from the fiscal year of the earliest issue (B, 1 February 2017: fiscal 2017) to the
    # sculpted series' last payment (30 June 2020, fiscal 2021: April 2020 to March 2021)
    assert a.sculpt_cash_flow == (
        (2017, Decimal("2")),
        (2018, Decimal("29500.5")),
        (2019, Decimal("30500")),
        (2020, Decimal("30999.75")),
        (2021, Decimal("9")),
    )
    assert a.fiscal_year_end == b.fiscal_year_end == "03-31"
    assert b.sculpt_cash_flow == ()  # the other styles follow no cash flow


def _french(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text)
    return info.value.render("fr").splitlines()


def test_sculpted_messages_in_french() -> None:
    text = scenario(series(repayment='"sculpted"'))
    assert _french(text) == [
        "series[1].repayment : demande une table [capacity] : une série sculpted verse, chaque "
        "exercice, les flux de trésorerie de l'exercice divisés par une couverture constante "
        '(vous avez écrit "sculpted")'
    ]
    text += "[capacity]\ncash_flow_base = 1_000\nother_debt_service = [0, 1_000, 0, 0, 0, 0]\n"
    assert _french(text) == [
        "series[1].repayment : demande des flux disponibles supérieurs à 0 (capacity.cash_flow "
        "moins capacity.other_debt_service) dans chaque exercice où elle verse un paiement; à 0 "
        'ou moins : 2018 (0) (vous avez écrit "sculpted")'
    ]


def test_step_rate_may_start_in_the_last_bond_year() -> None:
    # 5 years and 1 day: the day before maturity (2022-02-01) is in bond year 6
    text = scenario(
        series(
            term_years=None,
            maturity_date="2022-02-02",
            step_rates="[{ from_year = 6, annual_rate = 0.03 }]",
        )
    )
    assert parse_scenario(text).series_terms()[0].step_rates == (StepRate(6, Decimal("0.03")),)


def test_a_dumped_scenario_validates_again_to_the_same_values() -> None:
    sc = parse_scenario(CONTRACT_EXAMPLE)
    assert validate_data(sc.to_data()).model_dump() == sc.model_dump()


def test_a_merged_dict_goes_through_the_same_checks() -> None:
    data = parse_scenario(CONTRACT_EXAMPLE).to_data()
    data["series"] = [{**data["series"][0], "annual_rate": 5}]
    with pytest.raises(ScenarioError) as info:
        validate_data(data)
    assert str(info.value) == "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 5)"


# ---------------------------------------------------------------- one mistake, its exact message

CASES = {
    "percent-looking rate, second series": (
        scenario(series(), series(id='"B"', annual_rate="4")),
        ["series[2].annual_rate: must be a fraction such as 0.04 (you wrote 4)"],
    ),
    "negative rate": (
        scenario(series(annual_rate="-0.01")),
        ["series[1].annual_rate: must not be negative (you wrote -0.01)"],
    ),
    "nan rate": (
        scenario(series(annual_rate="nan")),
        ["series[1].annual_rate: must be a finite number (you wrote nan)"],
    ),
    "infinite rate": (
        scenario(series(annual_rate="inf")),
        ["series[1].annual_rate: must be a finite number (you wrote inf)"],
    ),
    "rate in quotes": (
        scenario(series(annual_rate='"4%"')),
        [
            'series[1].annual_rate: a rate or a share is a fraction, written without %: write 0.04 (you wrote "4%")'
        ],
    ),
    "step rate above 1": (
        scenario(series(step_rates="[{ from_year = 2, annual_rate = 7.5 }]")),
        ["series[1].step_rates[1].annual_rate: must be a fraction such as 0.04 (you wrote 7.5)"],
    ),
    "missing key": (
        scenario(series(annual_rate=None)),
        ["series[1].annual_rate: required (missing)"],
    ),
    "missing table": (
        '[scenario]\nname = "Test"\n\n' + series(),
        ["issuer: required (missing)"],
    ),
    "no series at all": (
        HEAD,
        ["series: required (missing)"],
    ),
    "unknown key, with a suggestion": (
        scenario(series(annual_rate=None, anual_rate="0.02")),
        [
            "series[1].annual_rate: required (missing)",
            "series[1].anual_rate: unknown key (did you mean annual_rate?)",
        ],
    ),
    "unknown key in a step rate": (
        scenario(series(step_rates="[{ from_year = 2, rate = 0.03 }]")),
        [
            "series[1].step_rates[1].annual_rate: required (missing)",
            "series[1].step_rates[1].rate: unknown key (did you mean annual_rate?)",
        ],
    ),
    "key of another table": (
        HEAD + 'currency = "EUR"\n\n' + series(),
        ["issuer.currency: unknown key (it belongs under [scenario])"],
    ),
    "key written before any table": (
        "seed = 3\n\n" + scenario(),
        ["seed: unknown key (it belongs under [scenario])"],
    ),
    "unknown table, with a suggestion": (
        scenario(series(), "[cost]\nupfront = 5\n"),
        ["cost: unknown table (did you mean costs?)"],
    ),
    "unknown table": (
        scenario(series(), "[extras]\nnote = 1\n"),
        ["extras: unknown table"],
    ),
    "series with single brackets": (
        scenario(series().replace("[[series]]", "[series]")),
        [
            "series: must be one or more [[series]] tables, with double brackets (you wrote [series])"
        ],
    ),
    "wrong type: amount in quotes": (
        scenario(series(face_value='"500"')),
        [
            'series[1].face_value: must be a number such as 100000, written without quotes (you wrote "500")'
        ],
    ),
    "wrong type: id not text": (
        scenario(series(id="1")),
        ['series[1].id: must be text in quotes, such as "A" (you wrote 1)'],
    ),
    "wrong type: decimal term": (
        scenario(series(term_years="5.5")),
        ["series[1].term_years: must be a whole number (you wrote 5.5)"],
    ),
    "wrong type: step_rates not a list": (
        scenario(series(step_rates="0.03")),
        [
            "series[1].step_rates: must be a list of inline tables such as "
            "[{ from_year = 6, annual_rate = 0.075 }] (you wrote 0.03)"
        ],
    ),
    "boolean amount": (
        scenario(series(amount="true")),
        ["series[1].amount: must be a number such as 100000, not true or false (you wrote true)"],
    ),
    "zero amount": (
        scenario(series(amount="0")),
        ["series[1].amount: must be greater than 0 (you wrote 0)"],
    ),
    "amount in fractions of a cent": (
        scenario(series(amount="100000.001")),
        ["series[1].amount: must be in whole cents: at most 2 decimals (you wrote 100000.001)"],
    ),
    "amount not a multiple of the face value": (
        scenario(series(amount="100_250")),
        [
            "series[1].amount: must be a whole multiple of face_value 500, "
            "such as 100000 or 100500 (you wrote 100250)"
        ],
    ),
    "amount below the face value": (
        scenario(series(amount="250")),
        [
            "series[1].amount: must be a whole multiple of face_value 500, such as 500 (you wrote 250)"
        ],
    ),
    "date in quotes": (
        scenario(series(issue_date='"2017-02-01"')),
        [
            'series[1].issue_date: must be a date written without quotes: 2017-02-01 (you wrote "2017-02-01")'
        ],
    ),
    "date and time": (
        scenario(series(issue_date="2017-02-01T10:00:00")),
        [
            "series[1].issue_date: must be a date without a time, such as 2025-01-15 "
            "(you wrote 2017-02-01T10:00:00)"
        ],
    ),
    "both term_years and maturity_date": (
        scenario(series(maturity_date="2022-02-01")),
        ["series[1]: give term_years or maturity_date, not both"],
    ),
    "neither term_years nor maturity_date": (
        scenario(series(term_years=None)),
        ["series[1].term_years: required (missing): give term_years or maturity_date"],
    ),
    "term of 0 years": (
        scenario(series(term_years="0")),
        ["series[1].term_years: must be at least 1 (you wrote 0)"],
    ),
    "term of more than 100 years": (
        scenario(series(term_years="8000")),
        ["series[1].term_years: must be at most 100 (you wrote 8000)"],
    ),
    "term past 2199": (
        scenario(series(issue_date="2150-06-30", term_years="50")),
        ["series[1].term_years: is too long: maturity would be after 2199-12-31 (you wrote 50)"],
    ),
    "maturity before issue": (
        scenario(series(term_years=None, maturity_date="2017-02-01")),
        ["series[1].maturity_date: must be after issue_date 2017-02-01 (you wrote 2017-02-01)"],
    ),
    "duplicate id": (
        scenario(series(), series(), series(id='"B"'), series(id='"B"')),
        [
            'series[2].id: must be unique: series[1] has the same id (you wrote "A")',
            'series[4].id: must be unique: series[3] has the same id (you wrote "B")',
        ],
    ),
    "id with a space": (
        scenario(series(id='"A B"')),
        ['series[1].id: must be 1-16 characters of A-Z a-z 0-9 _ - (you wrote "A B")'],
    ),
    "id too long": (
        scenario(series(id='"ABCDEFGHIJKLMNOPQ"')),
        [
            'series[1].id: must be 1-16 characters of A-Z a-z 0-9 _ - (you wrote "ABCDEFGHIJKLMNOPQ")'
        ],
    ),
    "unknown repayment": (
        scenario(series(repayment='"balloon"')),
        [
            "series[1].repayment: must be one of bullet, accumulating, level-payment, "
            'level-principal, sculpted (you wrote "balloon")'
        ],
    ),
    "sculpted without [capacity]": (
        scenario(series(repayment='"sculpted"')),
        [
            "series[1].repayment: needs a [capacity] table: a sculpted series pays, each "
            "fiscal year, that year's cash flow divided by one constant coverage "
            '(you wrote "sculpted")'
        ],
    ),
    "sculpted on a year without cash flow": (
        scenario(
            series(repayment='"sculpted"'),
            series(id='"B"', repayment='"sculpted"', term_years="2"),
            "[capacity]\ncash_flow = [1_000, 30_000, 0, 32_000, -150.5, 35_000]\n"
            "other_debt_service = [0, 0, 0, 1_000, 0, 0]\n",
        ),
        [
            "series[1].repayment: needs a cash flow available above 0 (capacity.cash_flow less "
            "capacity.other_debt_service) in every fiscal year it pays in; at or below 0: "
            '2019 (0), 2021 (-150.5) (you wrote "sculpted")',
            "series[2].repayment: needs a cash flow available above 0 (capacity.cash_flow less "
            "capacity.other_debt_service) in every fiscal year it pays in; at or below 0: "
            '2019 (0) (you wrote "sculpted")',
        ],
    ),
    "sculpted on a cash flow that other debt takes": (
        scenario(
            series(repayment='"sculpted"'),
            "[capacity]\ncash_flow_base = 20_000\nother_debt_service = 20_000\n",
        ),
        [
            "series[1].repayment: needs a cash flow available above 0 (capacity.cash_flow less "
            "capacity.other_debt_service) in every fiscal year it pays in; at or below 0: "
            '2018 (0), 2019 (0), 2020 (0), 2021 (0), 2022 (0) (you wrote "sculpted")',
        ],
    ),
    "interest-only years on a sculpted series": (
        scenario(
            series(repayment='"sculpted"', interest_only_years="1"),
            "[capacity]\ncash_flow_base = 20_000\n",
        ),
        [
            "series[1].interest_only_years: applies only when repayment is "
            '"level-payment" or "level-principal" (you wrote 1)'
        ],
    ),
    "sculpted with a cash flow too short": (
        scenario(series(repayment='"sculpted"'), "[capacity]\ncash_flow = [30_000, 30_000]\n"),
        [
            "capacity.cash_flow: covers fiscal years 2017 to 2018 but the issue runs to 2022: "
            "add 4 more years (you wrote [30000, 30000])"
        ],
    ),
    "interest on a bullet series": (
        scenario(series(interest='"compound"')),
        [
            'series[1].interest: applies only when repayment is "accumulating": remove it (you wrote "compound")'
        ],
    ),
    "accumulating without interest": (
        scenario(series(repayment='"accumulating"')),
        ["series[1].interest: required (missing) for an accumulating series: simple or compound"],
    ),
    "interest-only years on a bullet series": (
        scenario(series(interest_only_years="1")),
        [
            "series[1].interest_only_years: applies only when repayment is "
            '"level-payment" or "level-principal" (you wrote 1)'
        ],
    ),
    "interest-only years as long as the term": (
        scenario(series(repayment='"level-payment"', interest_only_years="5")),
        [
            "series[1].interest_only_years: must be shorter than the term, which ends on 2022-02-01 (you wrote 5)"
        ],
    ),
    "step rate after the term": (
        scenario(series(step_rates="[{ from_year = 6, annual_rate = 0.075 }]")),
        [
            "series[1].step_rates[1].from_year: must be within the term: bond year 1 to 5 (you wrote 6)"
        ],
    ),
    "step rate in year 0": (
        scenario(series(step_rates="[{ from_year = 0, annual_rate = 0.075 }]")),
        ["series[1].step_rates[1].from_year: must be at least 1 (you wrote 0)"],
    ),
    "two step rates in the same year": (
        scenario(
            series(
                step_rates="[{ from_year = 3, annual_rate = 0.03 }, { from_year = 3, annual_rate = 0.04 }]"
            )
        ),
        [
            "series[1].step_rates[2].from_year: step_rates[1] already starts in that year (you wrote 3)"
        ],
    ),
    "scenario keys": (
        '[scenario]\nname = ""\nlanguage = "de"\ncurrency = "cad"\nseed = -1\n'
        '[issuer]\nname = "Co-op"\n' + series(),
        [
            'scenario.name: must not be empty (you wrote "")',
            'scenario.language: must be one of fr, en (you wrote "de")',
            'scenario.currency: must be a currency code of 3 capital letters, such as CAD (you wrote "cad")',
            "scenario.seed: must not be negative (you wrote -1)",
        ],
    ),
    "issuer keys": (
        '[scenario]\nname = "Test"\n[issuer]\nname = "Co-op"\nlegal_form = "osbl"\n'
        'fiscal_year_end = "02-30"\n' + series(),
        [
            'issuer.legal_form: must be one of npo, coop, other (you wrote "osbl")',
            'issuer.fiscal_year_end: must be a month and day written "MM-DD", such as "12-31" (you wrote "02-30")',
        ],
    ),
    "costs keys": (
        scenario(series(), "[costs]\nupfront = -5\nupfront_rate = 1.5\nannual_admin = 0.001\n"),
        [
            "costs.upfront: must not be negative (you wrote -5)",
            "costs.upfront_rate: must be a fraction such as 0.04 (you wrote 1.5)",
            "costs.annual_admin: must be in whole cents: at most 2 decimals (you wrote 0.001)",
        ],
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_gets_its_exact_message(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_impossible_date_is_a_syntax_error_with_line_and_column() -> None:
    text = scenario(series(issue_date="2025-02-30"))
    line = text.splitlines().index("issue_date = 2025-02-30") + 1
    assert problems(text) == [
        f"<string>: TOML syntax error: Invalid date or datetime (at line {line}, column 14)"
    ]


def test_syntax_error_in_a_file_is_located_by_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[scenario]\nname = "Test\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert problem.location == str(path)
    assert problem.message.startswith("TOML syntax error: ")
    assert problem.message.endswith("(at line 2, column 13)")


def test_a_file_that_cannot_be_read_is_a_scenario_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(missing)
    assert str(info.value) == f"{missing}: cannot read the file: No such file or directory"
    (tmp_path / "latin1.toml").write_bytes('[scenario]\nname = "Cinéma"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="is not UTF-8 text"):
        load_scenario(tmp_path / "latin1.toml")


# ---------------------------------------------------------------- limits: nothing accepted can overflow

CAMPAIGN = """\
[campaign]
opens = 2016-11-15
closes = 2017-01-31
minimum = 60_000
target = 100_000

[[campaign.segments]]
name = "Membres"
people = 1_200
reached = 0.8
conversion = 0.25
ticket_median = 500
"""


def campaign(*tables: str, segment: str = "", **keys: str) -> str:
    """CAMPAIGN with keys of [campaign] changed or added, ``segment`` (the keys of a first
    segment) before its segment, then sub-tables (their header included)."""
    head, segments = CAMPAIGN.split("\n[[campaign.segments]]")
    lines = [line for line in head.splitlines() if line.split(" = ")[0] not in keys]
    head = "\n".join([*lines, *(f"{k} = {v}" for k, v in keys.items())]) + "\n"
    first = f"[[campaign.segments]]\n{segment}\n" if segment else ""
    return "\n".join([head, first + "[[campaign.segments]]" + segments, *tables])


COMPOUND = {"repayment": '"accumulating"', "interest": '"compound"'}

LIMIT_CASES = {
    "amount above ten billion": (
        scenario(series(amount="50000000000000000", face_value="100")),
        [
            "series[1].amount: must be at most 10000000000, ten billion "
            "(you wrote 50000000000000000)"
        ],
    ),
    "amount written as a huge float": (
        scenario(series(amount="1e17")),
        ["series[1].amount: must be at most 10000000000, ten billion (you wrote 1e+17)"],
    ),
    "face value above ten billion": (
        scenario(series(face_value="10_000_000_000.01")),
        [
            "series[1].face_value: must be at most 10000000000, ten billion (you wrote 10000000000.01)"
        ],
    ),
    "costs above ten billion": (
        scenario(series(), "[costs]\nupfront = 2e10\nannual_admin = 99_999_999_999\n"),
        [
            "costs.upfront: must be at most 10000000000, ten billion (you wrote 20000000000.0)",
            "costs.annual_admin: must be at most 10000000000, ten billion (you wrote 99999999999)",
        ],
    ),
    "series amounts together above ten billion": (
        scenario(
            series(amount="6_000_000_000"),
            series(id='"B"', amount="4_000_000_000.5", face_value="0.5"),
        ),
        [
            "series: the series amounts add up to 10000000000.5, above the most bondkit accepts, "
            "10000000000 (ten billion)"
        ],
    ),
    "rate of 1e-300": (
        scenario(series(annual_rate="1e-300")),
        ["series[1].annual_rate: must have at most 8 decimals (you wrote 1e-300)"],
    ),
    "rates with 9 decimals": (
        scenario(
            series(
                annual_rate="0.123456789",
                step_rates="[{ from_year = 2, annual_rate = 0.000000001 }]",
            ),
            "[costs]\nupfront_rate = 0.0100000001\n",
        ),
        [
            "series[1].annual_rate: must have at most 8 decimals (you wrote 0.123456789)",
            "series[1].step_rates[1].annual_rate: must have at most 8 decimals (you wrote 1e-09)",
            "costs.upfront_rate: must have at most 8 decimals (you wrote 0.0100000001)",
        ],
    ),
    "dates before 1900 and after 2199": (
        scenario(series(issue_date="0001-01-01"), series(id='"B"', issue_date="1899-12-31")),
        [
            "series[1].issue_date: must be between 1900-01-01 and 2199-12-31 (you wrote 0001-01-01)",
            "series[2].issue_date: must be between 1900-01-01 and 2199-12-31 (you wrote 1899-12-31)",
        ],
    ),
    "issue and maturity in the year 9999": (
        scenario(
            series(
                issue_date="9999-01-01",
                term_years=None,
                maturity_date="9999-12-31",
                business_day='"following"',
            )
        ),
        [
            "series[1].issue_date: must be between 1900-01-01 and 2199-12-31 (you wrote 9999-01-01)",
            "series[1].maturity_date: must be between 1900-01-01 and 2199-12-31 (you wrote 9999-12-31)",
        ],
    ),
    "maturity in 2200": (
        scenario(series(term_years=None, maturity_date="2200-01-01")),
        [
            "series[1].maturity_date: must be between 1900-01-01 and 2199-12-31 (you wrote 2200-01-01)"
        ],
    ),
    "compound growth past ten thousand billion": (
        scenario(
            series(amount="100_000", face_value="100", annual_rate="1", term_years="60", **COMPOUND)
        ),
        [
            "series[1]: compound interest at 1 a year over 60 years could grow 100000 past the "
            "most bondkit computes, 10000000000000 (ten thousand billion), by maturity: lower "
            "the amount, the rate or the term"
        ],
    ),
    "compound growth of a step rate, on the total of the series amounts": (
        scenario(
            series(amount="9_000_000_000"),
            series(
                id='"B"',
                annual_rate="0.01",
                frequency='"monthly"',
                step_rates="[{ from_year = 2, annual_rate = 0.2 }]",
                term_years="40",
                **COMPOUND,
            ),
        ),
        [
            "series[2]: compound interest at up to 0.2 a year over 40 years could grow "
            "9000100000, the total of the series amounts, past the most bondkit computes, "
            "10000000000000 (ten thousand billion), by maturity: lower the amount, the rate or "
            "the term"
        ],
    ),
    "campaign dates and amounts": (
        scenario(
            series(),
            campaign(opens="1899-12-01", cap="1e11").replace(
                "ticket_median = 500", "ticket_median = 20_000_000_000"
            ),
        ),
        [
            "campaign.opens: must be between 1900-01-01 and 2199-12-31 (you wrote 1899-12-01)",
            "campaign.cap: must be at most 10000000000, ten billion (you wrote 100000000000.0)",
            "campaign.segments[1].ticket_median: must be at most 10000000000, ten billion "
            "(you wrote 20000000000)",
        ],
    ),
    "people of a segment": (
        scenario(series(), campaign().replace("people = 1_200", "people = 10_000_001")),
        ["campaign.segments[1].people: must be at most 10000000 (you wrote 10000001)"],
    ),
    "staff cost and cost per subscriber": (
        scenario(
            series(),
            campaign(
                "[campaign.costs]\nstaff_hours = 1_000_000\nhourly_cost = 100_000\n"
                "per_subscriber = 1_000\n",
                segment='name = "B"\npeople = 10_000_000\nreached = 0.1\nconversion = 0.1\n'
                "ticket_median = 500",
            ),
        ).replace("[campaign]\n", "[campaign]\nsimulations = 100\n"),
        [
            "campaign.costs: staff_hours x hourly_cost must be at most 10000000000, ten billion "
            "(you wrote 1000000 x 100000)",
            "campaign.costs.per_subscriber: times the 10001200 people of the segments must be at "
            "most 10000000000, ten billion (you wrote 1000)",
        ],
    ),
    "match and underwriter": (
        scenario(
            series(),
            campaign(
                "[campaign.match]\nratio = 0.33333\nmax_amount = 1e12\nannual_rate = 0.0100000001\n"
                "term_years = 101\n",
                "[campaign.underwriter]\nmax_amount = 10_000_000_000\nannual_rate = 0.5\n"
                'term_years = 30\nrepayment = "accumulating"\n',
            ),
        ),
        [
            "campaign.match.ratio: must have at most 4 decimals (you wrote 0.33333)",
            "campaign.match.max_amount: must be at most 10000000000, ten billion "
            "(you wrote 1000000000000.0)",
            "campaign.match.annual_rate: must have at most 8 decimals (you wrote 0.0100000001)",
            "campaign.match.term_years: must be at most 100 (you wrote 101)",
            "campaign.underwriter: compound interest at 0.5 a year over 30 years could grow "
            "max_amount 10000000000 past the most bondkit computes, 10000000000000 (ten "
            "thousand billion), by maturity: lower max_amount, annual_rate or term_years",
        ],
    ),
}


@pytest.mark.parametrize("text, expected", LIMIT_CASES.values(), ids=LIMIT_CASES.keys())
def test_each_limit_gets_its_exact_message(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def _check_schedule(sc: Scenario) -> None:
    """The schedule of an accepted scenario: computed, exact and far from int64's limits."""
    from bondkit.core.schedule import issue_schedule

    df = issue_schedule(sc.series_terms())
    for terms in sc.series_terms():
        rows = df[df["series"] == terms.id]
        assert int(rows["principal"].sum()) == terms.amount_cents
    money = df[["opening_balance", "interest", "principal", "payment", "closing_balance"]]
    assert (money >= 0).all().all()
    assert (df["payment"] == df["interest"] + df["principal"]).all()
    assert int(money.to_numpy().max()) <= 10**15  # MAX_DEBT in cents: exact in a float too
    assert int(df["payment"].sum()) <= 2 * 10**15


LARGEST = {
    "amount": "10_000_000_000",
    "face_value": "0.01",
    "annual_rate": "1",
    "issue_date": "2099-12-31",
    "term_years": "100",
    "frequency": '"monthly"',
    "day_count": '"ACT/365F"',
    "business_day": '"following"',
}


@pytest.mark.parametrize(
    "keys",
    [
        {"repayment": '"bullet"'},
        {"repayment": '"level-payment"', "interest_only_years": "99"},
        {"repayment": '"level-principal"'},
        {"repayment": '"accumulating"', "interest": '"simple"'},
        # (1 + 0.0575 / 12) ** (12 x 101) = 327: 1e10 grows to 3.3e12 at most
        {**COMPOUND, "annual_rate": "0.0575", "day_count": '"ACT/ACT"'},
        {**COMPOUND, "annual_rate": "0.00000001", "issue_date": "1900-01-01"},
    ],
    ids=lambda keys: "-".join(v.strip('"') for v in keys.values()),
)
def test_the_largest_values_accepted_compute_exactly(keys: dict[str, str]) -> None:
    text = scenario(
        series(**{**LARGEST, **keys}),
        "[costs]\nupfront = 10_000_000_000\nupfront_rate = 1\nannual_admin = 10_000_000_000\n",
    )
    _check_schedule(parse_scenario(text))


@pytest.mark.parametrize("growth", ["0", "-0.001", "0.04"])
def test_the_largest_sculpted_series_computes_exactly(growth: str) -> None:
    """Ten billion at 100 % over 100 years, monthly, against a cash flow of a hundred
    million a year, flat, declining or growing: no payment grows past the debt bound."""
    capacity = f"[capacity]\ncash_flow_base = 100_000_000\ncash_flow_growth = {growth}\n"
    _check_schedule(parse_scenario(scenario(series(**LARGEST, repayment='"sculpted"'), capacity)))


def test_a_cash_flow_that_halves_to_nothing_cannot_carry_a_sculpted_series() -> None:
    capacity = "[capacity]\ncash_flow_base = 10_000_000_000\ncash_flow_growth = -0.5\n"
    [line] = problems(scenario(series(**LARGEST, repayment='"sculpted"'), capacity))
    assert line.endswith(
        "at or below 0: 2140 (0), 2141 (0), 2142 (0), 2143 (0), 2144 (0), 2145 (0), … "
        '(you wrote "sculpted")'
    )
    capacity = "[capacity]\ncash_flow_base = 10_000_000_000\ncash_flow_growth = 1\n"
    assert problems(scenario(series(**LARGEST, repayment='"sculpted"'), capacity)) == [
        "capacity.cash_flow_growth: would grow cash_flow_base 10000000000 past the most "
        "bondkit accepts, 10000000000, ten billion, by fiscal year 2199 (you wrote 1)"
    ]


def test_dates_from_1900_to_2199_are_accepted() -> None:
    text = scenario(
        series(issue_date="1900-01-01", term_years="100"),
        series(id='"B"', issue_date="2199-12-30", term_years=None, maturity_date="2199-12-31"),
    )
    sc = parse_scenario(text)
    assert [t.maturity for t in sc.series_terms()] == [dt.date(2000, 1, 1), dt.date(2199, 12, 31)]
    _check_schedule(sc)


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(1, 2 * 10**12),
    rate=st.integers(0, 10**8).map(lambda n: Decimal(n) / 10**8) | st.floats(0, 1),
    term=st.integers(1, 110),
    year=st.integers(1880, 2220),
    repayment=st.sampled_from(
        ["bullet", "level-payment", "level-principal", "simple", "compound", "sculpted"]
    ),
    frequency=st.sampled_from(["annual", "semi-annual", "quarterly", "monthly"]),
    day_count=st.sampled_from(["30/360", "30E/360", "ACT/365F", "ACT/ACT"]),
    business_day=st.sampled_from(["unadjusted", "following", "modified-following"]),
    cash_flow=st.integers(1, 10**12).map(lambda c: Decimal(c) / 100),
    growth=st.integers(-99, 100).map(lambda g: Decimal(g) / 100),
)
def test_any_file_accepted_computes_its_schedule_without_overflow(
    cents, rate, term, year, repayment, frequency, day_count, business_day, cash_flow, growth
) -> None:
    amount = Decimal(cents) / 100
    data = parse_scenario(scenario()).to_data()
    data["series"] = [
        {
            "id": "A",
            "amount": amount,
            "face_value": amount,
            "annual_rate": rate,
            "issue_date": dt.date(year, 3, 31),
            "term_years": term,
            "repayment": "accumulating" if repayment in ("simple", "compound") else repayment,
            "frequency": frequency,
            "day_count": day_count,
            "business_day": business_day,
        }
        | ({"interest": repayment} if repayment in ("simple", "compound") else {})
    ]
    if repayment == "sculpted":  # a cash flow from a cent to ten billion a year, -99 to +100 %
        data["capacity"] = {"cash_flow_base": cash_flow, "cash_flow_growth": growth}
    try:
        sc = validate_data(data)
    except ScenarioError as exc:
        for line in str(exc).splitlines():
            assert PROBLEM_LINE.match(line), line
        return
    _check_schedule(sc)


# ---------------------------------------------------------------- every problem at once


def test_three_problems_in_three_tables_come_at_once() -> None:
    text = (
        '[scenario]\nname = "Test"\nlanguage = "de"\n[issuer]\nname = "Co-op"\n'
        + series(annual_rate="4")
        + "[costs]\nupfront = -1\n"
    )
    assert problems(text) == [
        'scenario.language: must be one of fr, en (you wrote "de")',
        "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)",
        "costs.upfront: must not be negative (you wrote -1)",
    ]


def test_cross_checks_run_beside_errors_in_the_same_and_other_series() -> None:
    text = scenario(
        series(annual_rate="4", maturity_date="2022-02-01", amount="1_250"),
        series(id='"A"', amount="true", interest='"simple"'),
    )
    assert problems(text) == [
        "series[1]: give term_years or maturity_date, not both",
        "series[1].amount: must be a whole multiple of face_value 500, such as 1000 or 1500 (you wrote 1250)",
        "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)",
        'series[2].id: must be unique: series[1] has the same id (you wrote "A")',
        "series[2].amount: must be a number such as 100000, not true or false (you wrote true)",
        'series[2].interest: applies only when repayment is "accumulating": remove it (you wrote "simple")',
    ]


def test_step_rates_are_checked_even_when_one_entry_is_bad() -> None:
    text = scenario(
        series(
            step_rates="[{ from_year = 2, annual_rate = -1 }, { from_year = 9, annual_rate = 0.03 }]"
        )
    )
    assert problems(text) == [
        "series[1].step_rates[1].annual_rate: must not be negative (you wrote -1)",
        "series[1].step_rates[2].from_year: must be within the term: bond year 1 to 5 (you wrote 9)",
    ]


# A problem line: a location as in the file (keys bare or quoted), a colon, then our own words.
KEY = r'([A-Za-z0-9_-]+|"([^"\\]|\\.)*")(\[\d+\])?'
PROBLEM_LINE = re.compile(rf"^{KEY}(\.{KEY})*: [a-z]")

toml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.dates()
    | st.datetimes()
    | st.times(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    table=st.sampled_from(["scenario", "issuer", "series", "costs", "step"]),
    key=st.sampled_from(
        [
            "name",
            "seed",
            "id",
            "amount",
            "annual_rate",
            "issue_date",
            "term_years",
            "interest",
            "from_year",
            "step_rates",
            "upfront",
            "fiscal_year_end",
            "repayment",
        ]
    )
    | st.text(max_size=8),
    value=toml_values,
)
def test_any_value_anywhere_is_accepted_or_reported_in_our_own_words(table, key, value) -> None:
    data = parse_scenario(CONTRACT_EXAMPLE).to_data()
    data["series"] = [{**data["series"][0], "step_rates": [{"from_year": 2, "annual_rate": 0.03}]}]
    if table == "series":
        data["series"][0][key] = value
    elif table == "step":
        data["series"][0]["step_rates"][0][key] = value
    else:
        data[table] = {**data[table], key: value}
    try:
        sc = validate_data(data)
    except ScenarioError as exc:
        assert exc.problems
        assert str(exc).splitlines() == [str(p) for p in exc.problems]  # one line each
        for line in str(exc).splitlines():
            assert PROBLEM_LINE.match(line), line
            assert "Input should" not in line and "pydantic" not in line, line
    else:
        sc.series_terms()  # the terms accept whatever validated
        sc.cost_terms()


# ---------------------------------------------------------------- helpers and module hygiene


def test_values_are_shown_as_written_in_toml() -> None:
    assert toml_value(4) == "4"
    assert toml_value(0.04) == "0.04"
    assert toml_value(float("-inf")) == "-inf"
    assert toml_value(True) == "true"
    assert toml_value('say "hi"') == '"say \\"hi\\""'
    assert toml_value(dt.date(2025, 1, 15)) == "2025-01-15"
    assert (
        toml_value({"from_year": 6, "annual_rate": 0.075})
        == "{ from_year = 6, annual_rate = 0.075 }"
    )
    assert toml_value("x" * 100).endswith("…") and len(toml_value("x" * 100)) == 60


def test_module_imports_only_the_standard_library_and_pydantic() -> None:
    code = "import sys, bondkit.scenario; print(' '.join(sorted(sys.modules)))"
    modules = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not {"numpy", "pandas", "matplotlib", "openpyxl", "click"} & set(modules)


# ---------------------------------------------------------------- the reference documents every key


def _schema_keys(model: type[BaseModel]) -> set[str]:
    """Every key of a model and of the models nested in it (tables, lists of tables)."""
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        keys.add(name)
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                keys |= _schema_keys(annotation)
            stack.extend(typing.get_args(annotation))
    return keys


def test_schema_walk_finds_nested_keys() -> None:
    keys = _schema_keys(Scenario)
    assert {
        "scenario",
        "series",
        "annual_rate",
        "from_year",
        "fiscal_year_end",
        "annual_admin",
    } <= keys


def test_reference_documents_every_key_of_the_schema() -> None:
    doc = DOC.read_text(encoding="utf-8")
    undocumented = sorted(k for k in _schema_keys(Scenario) if f"`{k}`" not in doc)
    assert not undocumented, f"keys missing from {DOC.name}: {undocumented}"


def test_reference_has_a_table_row_for_every_key() -> None:
    doc = DOC.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.MULTILINE))
    assert _schema_keys(Scenario) - rows == set()


def test_reference_example_is_a_valid_scenario() -> None:
    doc = DOC.read_text(encoding="utf-8")
    [example] = re.findall(r"```toml\n(.*?)```", doc, flags=re.DOTALL)
    sc = parse_scenario(example)
    assert [s.id for s in sc.series_terms()] == ["A", "B"]
