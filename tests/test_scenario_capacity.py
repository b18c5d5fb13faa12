"""The [capacity] and [risk] tables of the scenario file: what valid ones give, and the exact
message for each kind of mistake."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_texts import HEAD, TWO_BULLETS, problems

from bondkit.core.schedule import annual_debt_service, issue_schedule
from bondkit.core.terms import CapacityTerms, Reserve, RiskTerms, SinkingFund
from bondkit.errors import ScenarioError
from bondkit.models.capacity import assess
from bondkit.scenario import load_scenario, parse_scenario, validate_data
from bondkit.scenario.capacity import extend_cash_flow

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scenario-reference.md"


# two bullet series issued 2017-02-01 for 5 years: fiscal years 2017 to 2022 (year end 12-31)
SERIES = TWO_BULLETS

CAMPAIGN = """
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

[[campaign.segments]]
name = "Voisinage"
people = 5_000
reached = 0.3
conversion = 0.02
ticket_median = 1_000
"""

SIX_YEARS = "[45_000, 47_000, 48_500, 50_000, 52_000, 53_000]"  # 2017 to 2022


def keys(values: dict[str, str | None]) -> str:
    return "".join(f"{k} = {v}\n" for k, v in values.items() if v is not None)


def table(header: str, **values: str) -> str:
    """A sub-table such as [capacity.reserve] with the keys given."""
    return f"\n[{header}]\n" + keys(values)


def capacity(*tables: str, series: str = SERIES, **changes: str | None) -> str:
    """A scenario with SERIES and a [capacity] holding a six-year cash_flow, with keys
    changed (a TOML literal), removed (None) or added, then the sub-tables given."""
    return (
        HEAD
        + series
        + "\n[capacity]\n"
        + keys({"cash_flow": SIX_YEARS, **changes})
        + "".join(tables)
    )


def risk(*, series: str = SERIES, campaign: bool = True, **values: str | None) -> str:
    """A scenario with SERIES, the two-segment CAMPAIGN (unless ``campaign`` is false) and
    a [risk] with the keys given."""
    return HEAD + series + (CAMPAIGN if campaign else "") + "\n[risk]\n" + keys(values)


def capacity_terms(text: str) -> CapacityTerms:
    found = parse_scenario(text).capacity_terms()
    assert found is not None
    return found


def risk_terms(text: str) -> RiskTerms:
    found = parse_scenario(text).risk_terms()
    assert found is not None
    return found


# ---------------------------------------------------------------- valid tables

FULL_CAPACITY = capacity(
    table("capacity.sinking_fund", rate="0.015"),
    table("capacity.reserve", target='"months-of-next-year"', months="4"),
    cash_flow="[45_000, 47_000, 48_500.5, 0, -2_000, 53_000, 54_000]",  # one year to spare
    first_fiscal_year="2017",
    other_debt_service="[12_000, 12_000, 12_000, 12_000, 9_000, 9_000]",
    opening_cash="20_000",
    minimum_cash="10_000",
    coverage_threshold="1.3",
    sizing_rate="0.045",
    sizing_term_years="7",
)


def test_a_full_capacity_table_gives_the_expected_terms() -> None:
    c = capacity_terms(FULL_CAPACITY)
    assert c == CapacityTerms(
        cash_flow=(45_000, 47_000, Decimal("48500.5"), 0, -2_000, 53_000, 54_000),
        first_fiscal_year=2017,
        other_debt_service=(12_000, 12_000, 12_000, 12_000, 9_000, 9_000),
        opening_cash=Decimal(20_000),
        minimum_cash=Decimal(10_000),
        coverage_threshold=Decimal("1.3"),
        sizing_rate=Decimal("0.045"),
        sizing_term_years=7,
        sinking_fund=SinkingFund(rate=Decimal("0.015")),
        reserve=Reserve(target="months-of-next-year", months=4),
    )
    assert c.cash_flow[2] == Decimal("48500.5")  # kept exactly as written
    assert c.cash_flow_base is None and c.cash_flow_growth == 0


def test_capacity_defaults_apply_to_keys_and_tables_not_written() -> None:
    c = capacity_terms(capacity(cash_flow=None, cash_flow_base="45_000"))
    assert c == CapacityTerms(cash_flow_base=Decimal(45_000))
    assert (c.cash_flow, c.cash_flow_growth, c.first_fiscal_year, c.other_debt_service) == (
        (),
        0,
        None,
        (),
    )
    assert (c.opening_cash, c.minimum_cash, c.coverage_threshold) == (0, 0, Decimal("1.25"))
    assert (c.sizing_rate, c.sizing_term_years, c.sinking_fund, c.reserve) == (
        None,
        None,
        None,
        None,
    )
    grown = capacity_terms(
        capacity(cash_flow=None, cash_flow_base="45_000", cash_flow_growth="-0.05")
    )
    assert grown.cash_flow_growth == Decimal("-0.05")


def test_sub_tables_written_as_bare_headers_take_their_defaults() -> None:
    c = capacity_terms(capacity(table("capacity.sinking_fund"), table("capacity.reserve")))
    assert c.sinking_fund == SinkingFund(rate=Decimal(0))
    assert c.reserve == Reserve(target="max-annual-debt-service", months=6)
    r = capacity_terms(capacity(table("capacity.reserve", target='"months-of-next-year"')))
    assert r.reserve == Reserve(target="months-of-next-year", months=6)


def test_other_debt_service_as_one_amount_means_every_year() -> None:
    one = capacity_terms(capacity(other_debt_service="12_000"))
    assert one.other_debt_service == (Decimal(12_000),)
    # an array of one amount is the same (the dataclass reads one amount as every year)
    assert capacity_terms(capacity(other_debt_service="[12_000]")) == one


FULL_RISK_KEYS = {
    "annual_probability": "0.025",
    "segment_probability": "{ Voisinage = 0.04, Membres = 0.01 }",  # file order kept
    "lock_in_years": "3",
    "notice_months": "6",
    "annual_cap": "0.1",
    "stress_probability": "0.05",
    "stress_annual_probability": "0.15",
    "renewal_rate": "0.7",
    "shortfall_level": "0.01",
    "holding": "2_500",
    "paths": "2_000",
}
FULL_RISK = risk(**FULL_RISK_KEYS)
BOTH = FULL_CAPACITY + CAMPAIGN + "\n[risk]\n" + keys(FULL_RISK_KEYS)


def test_a_full_risk_table_gives_the_expected_terms() -> None:
    r = risk_terms(FULL_RISK)
    assert r == RiskTerms(
        annual_probability=0.025,
        segment_probability=(("Voisinage", 0.04), ("Membres", 0.01)),
        lock_in_years=3,
        notice_months=6,
        annual_cap=0.1,
        stress_probability=0.05,
        stress_annual_probability=0.15,
        renewal_rate=0.7,
        shortfall_level=0.01,
        holding=Decimal(2_500),
        paths=2_000,
    )
    assert r.probability("Membres") == 0.01 and r.probability("Autres") == 0.025
    assert all(isinstance(p, float) for _, p in r.segment_probability)


def test_risk_defaults_apply_to_keys_not_written() -> None:
    r = risk_terms(risk(campaign=False))
    assert r == RiskTerms()
    assert (r.annual_probability, r.segment_probability, r.lock_in_years) == (0.02, (), 0)
    assert (r.notice_months, r.annual_cap, r.stress_probability) == (0, None, 0.0)
    assert (r.stress_annual_probability, r.renewal_rate, r.shortfall_level) == (0.0, 0.65, 0.05)
    assert (r.holding, r.paths) == (Decimal(1_000), 10_000)


def test_no_capacity_or_risk_table_means_no_analysis() -> None:
    sc = parse_scenario(HEAD + SERIES)
    assert sc.capacity_terms() is None and sc.risk_terms() is None
    assert "capacity" not in sc.to_data() and "risk" not in sc.to_data()


def test_dumped_tables_validate_again_to_the_same_terms() -> None:
    for text in (BOTH, capacity(other_debt_service="9_000")):
        sc = parse_scenario(text)
        again = validate_data(sc.to_data())
        assert again.capacity_terms() == sc.capacity_terms()
        assert again.risk_terms() == sc.risk_terms()


# The last payment of a series maturing on Saturday 2022-12-31 is on Monday 2023-01-02 with
# "following" (fiscal year 2023), on Friday 2022-12-30 with "modified-following" (2022).
WEEKEND_END = SERIES.replace("term_years = 5", "maturity_date = 2022-12-31", 1)


@pytest.mark.parametrize(
    "text",
    [
        capacity(),  # six years for six fiscal years
        capacity(cash_flow="[1, 2, 3, 4, 5, 6, 7, 8, 9]"),  # more years than needed
        capacity(cash_flow="[0, 0, -1e9, 0, 0, 0]"),  # bad years are allowed
        capacity(cash_flow="[-10_000_000_000, 10_000_000_000, 0, 0, 0, 0]"),  # the limits
        capacity(first_fiscal_year="2015", cash_flow="[1, 2, 3, 4, 5, 6, 7, 8]"),  # from 2015
        capacity(cash_flow=None, cash_flow_base="45_000", cash_flow_growth="-1"),
        capacity(
            cash_flow=None, cash_flow_base="1", cash_flow_growth="1", first_fiscal_year="1990"
        ),
        capacity(other_debt_service="[0, 0, 0, 0, 0, 0]"),
        capacity(coverage_threshold="10"),
        capacity(coverage_threshold="0.1"),  # the lowest: below it sizing overflows
        capacity(sizing_rate="0", sizing_term_years="100"),
        capacity(table("capacity.reserve", target='"months-of-next-year"', months="0")),
        capacity(table("capacity.reserve", target='"months-of-next-year"', months="36")),
        capacity(table("capacity.reserve", target='"max-annual-debt-service"')),
        capacity(table("capacity.sinking_fund", rate="1")),
        capacity(
            series=WEEKEND_END.replace(
                'repayment = "bullet"',
                'repayment = "bullet"\nbusiness_day = "modified-following"',
                1,
            )
        ),
        capacity(  # fiscal years end on March 31: 2016-09-01 to 2021-09-01 is 2017 to 2022
            series=SERIES.replace("2017-02-01", "2016-09-01"),
        ).replace('name = "Co-op"', 'name = "Co-op"\nfiscal_year_end = "03-31"'),
    ],
)
def test_capacity_limits_are_valid(text: str) -> None:
    assert capacity_terms(text)


@pytest.mark.parametrize(
    "text",
    [
        risk(lock_in_years="4"),  # one year shorter than the 5-year term
        risk(notice_months="24", annual_cap="0"),
        risk(annual_probability="0", renewal_rate="1", shortfall_level="0.999"),
        risk(annual_probability="1", stress_probability="1", stress_annual_probability="1"),
        risk(
            stress_probability="0.1",
            stress_annual_probability="0.04",  # = the highest
            segment_probability="{ Voisinage = 0.04 }",
        ),
        risk(stress_probability="0.1", annual_probability="0"),  # default 0 is not below 0
        risk(stress_annual_probability="0.01"),  # no stress year: not compared
        risk(segment_probability="{}"),
        risk(paths="100", holding="0.01"),
        risk(paths="1_000_000"),
        risk(campaign=False, holding="10_000_000_000"),
    ],
)
def test_risk_limits_are_valid(text: str) -> None:
    assert risk_terms(text)


def test_a_segment_name_with_spaces_is_written_in_quotes() -> None:
    text = risk(segment_probability='{ "Membres et abonnés" = 0.01 }').replace(
        'name = "Membres"', 'name = "Membres et abonnés"'
    )
    assert risk_terms(text).segment_probability == (("Membres et abonnés", 0.01),)
    assert problems(text.replace('"Membres et abonnés" = 0.01', '"Membres et abonnes" = 0.01')) == [
        'risk.segment_probability."Membres et abonnes": no campaign segment has this name '
        '(segment names: "Membres et abonnés", "Voisinage")'
    ]


# ---------------------------------------------------------------- one mistake, its exact message

CASES = {
    # -- [capacity]
    "cash flow shorter than the issue": (
        capacity(cash_flow="[45_000, 47_000, 48_500, 50_000]"),
        [
            "capacity.cash_flow: covers fiscal years 2017 to 2020 but the issue runs to 2022: "
            "add 2 more years (you wrote [45000, 47000, 48500, 50000])"
        ],
    ),
    "cash flow one year short": (
        capacity(cash_flow="[1, 2, 3, 4, 5]"),
        [
            "capacity.cash_flow: covers fiscal years 2017 to 2021 but the issue runs to 2022: "
            "add 1 more year (you wrote [1, 2, 3, 4, 5])"
        ],
    ),
    "cash flow from an earlier first year": (
        capacity(first_fiscal_year="2015"),
        [
            "capacity.cash_flow: covers fiscal years 2015 to 2020 but the issue runs to 2022: "
            "add 2 more years (you wrote [45000, 47000, 48500, 50000, 52000, 53000])"
        ],
    ),
    "a maturity paid in the next fiscal year": (
        capacity(
            series=WEEKEND_END.replace(
                'repayment = "bullet"', 'repayment = "bullet"\nbusiness_day = "following"', 1
            )
        ),
        [
            "capacity.cash_flow: covers fiscal years 2017 to 2022 but the issue runs to 2023: "
            "add 1 more year (you wrote [45000, 47000, 48500, 50000, 52000, 53000])"
        ],
    ),
    "other debt service shorter than the issue": (
        capacity(other_debt_service="[12_000, 12_000, 9_000]"),
        [
            "capacity.other_debt_service: covers fiscal years 2017 to 2019 but the issue runs "
            "to 2022: add 3 more years (you wrote [12000, 12000, 9000])"
        ],
    ),
    "both cash_flow and cash_flow_base": (
        capacity(cash_flow_base="45_000"),
        ["capacity: give cash_flow or cash_flow_base, not both"],
    ),
    "neither cash_flow nor cash_flow_base": (
        capacity(cash_flow=None, opening_cash="20_000"),
        ["capacity.cash_flow: required (missing): give cash_flow or cash_flow_base"],
    ),
    "growth with a cash flow table shorter than the issue": (  # a run does not extend it
        capacity(cash_flow="[45_000, 47_000, 48_500, 50_000]", cash_flow_growth="0.02"),
        [
            "capacity.cash_flow: covers fiscal years 2017 to 2020 but the issue runs to 2022: "
            "add 2 more years (you wrote [45000, 47000, 48500, 50000])"
        ],
    ),
    "growth of a short cash flow table past ten billion": (
        capacity(cash_flow="[45_000, 2_000_000_000]", cash_flow_growth="1"),
        [
            "capacity.cash_flow: covers fiscal years 2017 to 2018 but the issue runs to 2022: "
            "add 4 more years (you wrote [45000, 2000000000])",
            "capacity.cash_flow_growth: would grow the last amount of cash_flow, 2000000000, "
            "past the most bondkit accepts, 10000000000, ten billion, by fiscal year 2022 "
            "(you wrote 1)",
        ],
    ),
    "growth written as a percentage": (
        capacity(cash_flow=None, cash_flow_base="45_000", cash_flow_growth="2"),
        [
            "capacity.cash_flow_growth: must be a fraction per year from -1 to 1, such as 0.02 "
            "(2 % a year) (you wrote 2)"
        ],
    ),
    "growth past ten billion": (
        capacity(cash_flow=None, cash_flow_base="1_000_000_000", cash_flow_growth="1"),
        [
            "capacity.cash_flow_growth: would grow cash_flow_base 1000000000 past the most "
            "bondkit accepts, 10000000000, ten billion, by fiscal year 2022 (you wrote 1)"
        ],
    ),
    "an amount of the cash flow in fractions of a cent": (
        capacity(cash_flow="[45_000, 47_000, 48500.555, 50_000, 52_000, 53_000]"),
        ["capacity.cash_flow[3]: must be in whole cents: at most 2 decimals (you wrote 48500.555)"],
    ),
    "amounts of the cash flow in quotes and as booleans": (
        capacity(cash_flow='[45_000, "47 000 $", 48_500, true, 52_000, 53_000]'),
        [
            'capacity.cash_flow[2]: an amount is written without a currency symbol (the currency is [scenario] currency): write 47_000 or 47000 (you wrote "47 000 $")',
            "capacity.cash_flow[4]: must be a number such as 45000, not true or false (you wrote true)",
        ],
    ),
    "a cash flow of minus more than ten billion": (
        capacity(cash_flow="[-20_000_000_000, 0, 0, 0, 0, 0]"),
        [
            "capacity.cash_flow[1]: must be at least -10000000000, minus ten billion "
            "(you wrote -20000000000)"
        ],
    ),
    "cash flow as one number": (
        capacity(cash_flow="45_000"),
        [
            "capacity.cash_flow: must be an array of amounts by fiscal year, such as "
            "[45_000, 47_000, 48_500] (you wrote 45000)"
        ],
    ),
    "an empty cash flow": (
        capacity(cash_flow="[]"),
        [
            "capacity.cash_flow: must hold at least one amount, such as [45_000, 47_000, 48_500] (you wrote [])"
        ],
    ),
    "negative other debt service": (
        capacity(other_debt_service="-12_000"),
        ["capacity.other_debt_service: must not be negative (you wrote -12000)"],
    ),
    "other debt service as text": (
        capacity(other_debt_service='"12 000"'),
        [
            'capacity.other_debt_service: a number has no spaces inside: write 12_000 or 12000 (you wrote "12 000")'
        ],
    ),
    "a negative year of other debt service": (
        capacity(other_debt_service="[12_000, -1, 12_000, 12_000, 12_000, 12_000]"),
        ["capacity.other_debt_service[2]: must not be negative (you wrote -1)"],
    ),
    "first fiscal year after the issue": (
        capacity(first_fiscal_year="2018"),
        [
            "capacity.first_fiscal_year: must not be after 2017, the fiscal year of the "
            "earliest issue_date (you wrote 2018)"
        ],
    ),
    "first fiscal year out of range": (
        capacity(first_fiscal_year="17"),
        ["capacity.first_fiscal_year: must be at least 1900 (you wrote 17)"],
    ),
    "coverage threshold written as a percentage": (
        capacity(coverage_threshold="125"),
        ["capacity.coverage_threshold: must be at most 10, such as 1.25 (you wrote 125)"],
    ),
    "coverage threshold of 0": (
        capacity(coverage_threshold="0"),
        ["capacity.coverage_threshold: must be greater than 0 (you wrote 0)"],
    ),
    "coverage threshold that sizes an endless debt": (
        capacity(coverage_threshold="1e-307"),
        ["capacity.coverage_threshold: must be at least 0.1, such as 1.25 (you wrote 1e-307)"],
    ),
    "negative cash": (
        capacity(opening_cash="-1", minimum_cash="-2"),
        [
            "capacity.opening_cash: must not be negative (you wrote -1)",
            "capacity.minimum_cash: must not be negative (you wrote -2)",
        ],
    ),
    "sizing rate and term out of range": (
        capacity(sizing_rate="4", sizing_term_years="0"),
        [
            "capacity.sizing_rate: must be a fraction such as 0.04 (you wrote 4)",
            "capacity.sizing_term_years: must be at least 1 (you wrote 0)",
        ],
    ),
    "sinking fund rate above 1": (
        capacity(table("capacity.sinking_fund", rate="1.5")),
        ["capacity.sinking_fund.rate: must be a fraction such as 0.04 (you wrote 1.5)"],
    ),
    "unknown reserve target": (
        capacity(table("capacity.reserve", target='"one-year"')),
        [
            "capacity.reserve.target: must be one of max-annual-debt-service, "
            'months-of-next-year (you wrote "one-year")'
        ],
    ),
    "months with the largest annual debt service": (
        capacity(table("capacity.reserve", months="6")),
        [
            'capacity.reserve.months: applies only when target is "months-of-next-year": '
            "remove it (you wrote 6)"
        ],
    ),
    "too many months": (
        capacity(table("capacity.reserve", target='"months-of-next-year"', months="48")),
        ["capacity.reserve.months: must be at most 36 (you wrote 48)"],
    ),
    "a key of the reserve under [capacity]": (
        capacity(months="6"),
        ["capacity.months: unknown key (it belongs under [capacity.reserve])"],
    ),
    "a sub-table written as a key": (
        capacity(reserve='"max-annual-debt-service"'),
        [
            "capacity.reserve: must be a table: write [capacity.reserve] on a line of its own, "
            'then its keys (you wrote "max-annual-debt-service")'
        ],
    ),
    # -- [risk]
    "probability above 1": (
        risk(annual_probability="1.5"),
        [
            "risk.annual_probability: must be a probability between 0 and 1 such as 0.02 (you wrote 1.5)"
        ],
    ),
    "probabilities written as percentages or negative": (
        risk(stress_probability="5", stress_annual_probability="15", renewal_rate="-0.1"),
        [
            "risk.stress_probability: must be a probability between 0 and 1 such as 0.02 (you wrote 5)",
            "risk.stress_annual_probability: must be a probability between 0 and 1 such as 0.02 (you wrote 15)",
            "risk.renewal_rate: must not be negative (you wrote -0.1)",
        ],
    ),
    "a segment probability above 1": (
        risk(segment_probability="{ Membres = 2 }"),
        [
            "risk.segment_probability.Membres: must be a probability between 0 and 1 such as 0.02 (you wrote 2)"
        ],
    ),
    "annual cap above 1": (
        risk(annual_cap="10"),
        ["risk.annual_cap: must be a share between 0 and 1 such as 0.25 (you wrote 10)"],
    ),
    "shortfall level of 0": (
        risk(shortfall_level="0"),
        ["risk.shortfall_level: must be above 0 and below 1, such as 0.05 (you wrote 0)"],
    ),
    "shortfall level of 1": (
        risk(shortfall_level="1"),
        ["risk.shortfall_level: must be above 0 and below 1, such as 0.05 (you wrote 1)"],
    ),
    "lock-in as long as the term": (
        risk(lock_in_years="5"),
        [
            "risk.lock_in_years: must be shorter than the term of every series: series A "
            "matures 5 years after its issue_date (you wrote 5)"
        ],
    ),
    "lock-in longer than a term that is not whole years": (
        risk(
            series=SERIES.replace("term_years = 5", "maturity_date = 2020-08-01"),
            lock_in_years="4",
        ),
        [
            "risk.lock_in_years: must be shorter than the term of every series: series A "
            "matures less than 4 years after its issue_date (you wrote 4)"
        ],
    ),
    "notice too long": (
        risk(notice_months="36"),
        ["risk.notice_months: must be at most 24 (you wrote 36)"],
    ),
    "unknown segment": (
        risk(segment_probability="{ Membres = 0.01, Voisins = 0.04 }"),
        [
            "risk.segment_probability.Voisins: no campaign segment has this name "
            '(segment names: "Membres", "Voisinage")'
        ],
    ),
    "segment probabilities without a campaign": (
        risk(campaign=False, segment_probability="{ Membres = 0.01 }"),
        [
            "risk.segment_probability: applies only with a [campaign] and its "
            "[[campaign.segments]]: remove it (you wrote { Membres = 0.01 })"
        ],
    ),
    "segment probabilities not an inline table": (
        risk(segment_probability="0.01"),
        [
            "risk.segment_probability: must be an inline table such as "
            "{ Membres = 0.01, Voisinage = 0.04 } (you wrote 0.01)"
        ],
    ),
    "stress probability below the annual probability": (
        risk(stress_probability="0.05", stress_annual_probability="0.01"),
        [
            "risk.stress_annual_probability: must not be below annual_probability 0.02 when "
            "stress_probability is above 0 (you wrote 0.01)"
        ],
    ),
    "stress probability below a segment probability": (
        risk(
            segment_probability="{ Membres = 0.01, Voisinage = 0.2 }",
            stress_probability="0.05",
            stress_annual_probability="0.15",
        ),
        [
            "risk.stress_annual_probability: must not be below segment_probability.Voisinage "
            "0.2 when stress_probability is above 0 (you wrote 0.15)"
        ],
    ),
    "stress years without their probability": (
        risk(stress_probability="0.05"),
        [
            "risk.stress_annual_probability: required (missing) when stress_probability is "
            "above 0: a holder's probability of asking in a stress year, at least "
            "annual_probability 0.02"
        ],
    ),
    "too few paths": (
        risk(paths="10"),
        ["risk.paths: must be at least 100 (you wrote 10)"],
    ),
    "holding of 0": (
        risk(holding="0"),
        ["risk.holding: must be greater than 0 (you wrote 0)"],
    ),
    "a typo in a key": (
        risk(anual_probability="0.02"),
        ["risk.anual_probability: unknown key (did you mean annual_probability?)"],
    ),
    # -- keys shared with other tables still point to the right one
    "rate in a step rate means annual_rate": (
        HEAD
        + SERIES.replace(
            'repayment = "bullet"',
            'repayment = "bullet"\nstep_rates = [{ from_year = 3, rate = 0.03 }]',
            1,
        ),
        [
            "series[1].step_rates[1].annual_rate: required (missing)",
            "series[1].step_rates[1].rate: unknown key (did you mean annual_rate?)",
        ],
    ),
    "rate under [[series]] means annual_rate": (
        HEAD + SERIES.replace("annual_rate = 0.02", "rate = 0.02", 1),
        [
            "series[1].annual_rate: required (missing)",
            "series[1].rate: unknown key (did you mean annual_rate?)",
        ],
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_gets_its_exact_message(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


# ---------------------------------------------------------------- every problem at once


def test_several_problems_in_capacity_risk_and_series_come_at_once() -> None:
    text = (
        HEAD
        + SERIES.replace("annual_rate = 0.03", "annual_rate = 3")
        + CAMPAIGN
        + "\n[capacity]\n"
        + keys(
            {
                "cash_flow": "[45_000, 47_000, 48_500, 50_000]",
                "cash_flow_base": "45_000",  # both
                "other_debt_service": "[1, 2]",
                "coverage_threshold": "-1",
            }
        )
        + table("capacity.reserve", target='"one-year"')
        + "\n[risk]\n"
        + keys(
            {
                "annual_probability": "1.2",
                "segment_probability": "{ Membres = 0.01, Jeunes = 0.05 }",
                "lock_in_years": "6",
                "stress_probability": "0.1",
                "stress_annual_probability": "0.03",
            }
        )
    )
    assert problems(text) == [
        "series[2].annual_rate: must be a fraction such as 0.04 (you wrote 3)",
        "capacity: give cash_flow or cash_flow_base, not both",
        "capacity.cash_flow: covers fiscal years 2017 to 2020 but the issue runs to 2022: "
        "add 2 more years (you wrote [45000, 47000, 48500, 50000])",
        "capacity.other_debt_service: covers fiscal years 2017 to 2018 but the issue runs to "
        "2022: add 4 more years (you wrote [1, 2])",
        "capacity.coverage_threshold: must be greater than 0 (you wrote -1)",
        "capacity.reserve.target: must be one of max-annual-debt-service, months-of-next-year "
        '(you wrote "one-year")',
        "risk.annual_probability: must be a probability between 0 and 1 such as 0.02 (you wrote 1.2)",
        "risk.segment_probability.Jeunes: no campaign segment has this name "
        '(segment names: "Membres", "Voisinage")',
        "risk.lock_in_years: must be shorter than the term of every series: series A matures "
        "5 years after its issue_date (you wrote 6)",
        "risk.stress_annual_probability: must not be below segment_probability.Jeunes 0.05 "
        "when stress_probability is above 0 (you wrote 0.03)",
    ]


def test_rules_against_the_series_wait_for_the_keys_they_need() -> None:
    # a bad issue date or fiscal year end hides the rules that need it, and only those
    text = (
        HEAD.replace('name = "Co-op"', 'name = "Co-op"\nfiscal_year_end = "13-01"')
        + SERIES.replace("2017-02-01", '"2017-02-01"', 1)
        + "\n[capacity]\ncash_flow = [1]\n\n[risk]\nlock_in_years = 5\n"
    )
    assert problems(text) == [
        'issuer.fiscal_year_end: must be a month and day written "MM-DD", such as "12-31" (you wrote "13-01")',
        'series[1].issue_date: must be a date written without quotes: 2017-02-01 (you wrote "2017-02-01")',
        "risk.lock_in_years: must be shorter than the term of every series: series B matures "
        "5 years after its issue_date (you wrote 5)",
    ]


def test_a_merged_dict_goes_through_the_capacity_and_risk_checks() -> None:
    data = parse_scenario(FULL_CAPACITY).to_data()
    data["capacity"]["cash_flow"] = data["capacity"]["cash_flow"][:3]
    data["risk"] = {"annual_probability": 2}
    with pytest.raises(ScenarioError) as info:
        validate_data(data)
    assert str(info.value).splitlines() == [
        "capacity.cash_flow: covers fiscal years 2017 to 2019 but the issue runs to 2022: "
        "add 3 more years (you wrote [45000, 47000, 48500.5])",
        "risk.annual_probability: must be a probability between 0 and 1 such as 0.02 (you wrote 2)",
    ]


# ---------------------------------------------------------------- the rule agrees with the model


@settings(max_examples=60, deadline=None)
@given(
    issue=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    months=st.integers(1, 120),
    business_day=st.sampled_from(["unadjusted", "following", "modified-following"]),
    fiscal_year_end=st.sampled_from(["12-31", "03-31", "06-30", "02-29"]),
    back=st.integers(0, 2),
    extra=st.integers(-3, 2),
)
def test_the_years_required_are_those_the_capacity_model_needs(
    issue, months, business_day, fiscal_year_end, back, extra
) -> None:
    """A cash_flow is accepted exactly when bondkit.models.capacity can compute every fiscal year
    of the issue with it."""
    from bondkit.core.conventions import add_months, fiscal_year

    maturity = add_months(issue, months)
    first = fiscal_year(issue, fiscal_year_end) - back
    head = HEAD.replace('name = "Co-op"', f'name = "Co-op"\nfiscal_year_end = "{fiscal_year_end}"')
    series = f"""
[[series]]
id = "A"
amount = 10_000
face_value = 500
annual_rate = 0.03
issue_date = {issue}
maturity_date = {maturity}
repayment = "bullet"
business_day = "{business_day}"
"""
    probe = head + series + f"\n[capacity]\ncash_flow = [0]\nfirst_fiscal_year = {first}\n"
    sc = parse_scenario(probe.replace("cash_flow = [0]", "cash_flow_base = 1"))
    schedule = issue_schedule(sc.series_terms())
    fiscal = annual_debt_service(schedule, fiscal_year_end)
    needed = int(fiscal["fiscal_year"].iloc[-1]) - first + 1
    n = max(1, needed + extra)
    text = probe.replace("cash_flow = [0]", f"cash_flow = [{', '.join(['1000'] * n)}]")
    try:
        terms = parse_scenario(text).capacity_terms()
    except ScenarioError as exc:
        assert n < needed, str(exc)
        assert str(exc).startswith("capacity.cash_flow: covers fiscal years")
        # a sweep extends it by exactly the years missing, and the model takes it
        longer, added = extend_cash_flow(tomllib.loads(text))
        assert added == needed - n
        terms = validate_data(longer).capacity_terms()
        assert terms is not None and len(terms.cash_flow) == needed
        assess(terms, sc.series_terms(), fiscal, schedule, fiscal_year_end)  # does not raise
    else:
        assert n >= needed
        assert terms is not None
        assess(terms, sc.series_terms(), fiscal, schedule, fiscal_year_end)  # does not raise
        assert extend_cash_flow(tomllib.loads(text))[1] == 0


# ---------------------------------------------------------------- a short table extended (sweep)


def raw(text: str) -> dict:
    """A scenario text as the plain data a sweep variant is (not validated)."""
    return tomllib.loads(text)


def test_growth_with_a_cash_flow_table_is_accepted_and_changes_no_run() -> None:
    from bondkit.runner import run

    c = capacity_terms(capacity(cash_flow_growth="0.02"))
    assert c.cash_flow_growth == Decimal("0.02") and len(c.cash_flow) == 6
    assert c.cash_flow_base is None
    # the table covers the issue: the growth is never used in a run
    with_growth = run(parse_scenario(capacity(cash_flow_growth="0.02"))).to_dict()
    without = run(parse_scenario(capacity())).to_dict()
    assert with_growth | {"input_sha256": None} == without | {"input_sha256": None}


def test_a_short_table_is_extended_by_holding_its_last_year() -> None:
    data = raw(capacity(cash_flow="[45_000, 47_000, 48_500]"))
    longer, added = extend_cash_flow(data)
    assert added == 3  # 2020 to 2022
    assert longer["capacity"]["cash_flow"] == [45_000, 47_000, 48_500, 48_500, 48_500, 48_500]
    assert data["capacity"]["cash_flow"] == [45_000, 47_000, 48_500]  # the data is not changed
    sc = validate_data(longer)  # and the extended data is a valid scenario
    assert sc.capacity_terms().cash_flow[3:] == (Decimal(48_500),) * 3
    assert extend_cash_flow(longer) == (longer, 0)


def test_a_short_table_grows_at_cash_flow_growth_rounded_half_up_to_the_cent() -> None:
    data = raw(capacity(cash_flow="[45_000, 6_500.75]", cash_flow_growth="0.02"))
    longer, added = extend_cash_flow(data)
    assert added == 4  # 2019 to 2022
    expected = [
        (Decimal("6500.75") * Decimal("1.02") ** k).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for k in range(1, 5)
    ]
    assert longer["capacity"]["cash_flow"][2:] == expected
    # 6500.75 x 1.02 = 6630.765 exactly: half a cent, rounded up (half-even would give .76)
    assert expected[0] == Decimal("6630.77")
    assert expected == [Decimal(x) for x in ("6630.77", "6763.38", "6898.65", "7036.62")]
    # a decline: growth -1 leaves nothing after the last year
    gone, _ = extend_cash_flow(raw(capacity(cash_flow="[45_000]", cash_flow_growth="-1")))
    assert gone["capacity"]["cash_flow"][1:] == [0] * 5


def test_from_an_earlier_first_fiscal_year_and_across_a_weekend() -> None:
    longer, added = extend_cash_flow(raw(capacity(first_fiscal_year="2015")))
    assert added == 2 and longer["capacity"]["cash_flow"][-2:] == [53_000, 53_000]
    following = WEEKEND_END.replace(
        'repayment = "bullet"', 'repayment = "bullet"\nbusiness_day = "following"', 1
    )
    assert extend_cash_flow(raw(capacity(series=following)))[1] == 1  # paid in 2023


def test_a_short_other_debt_service_array_holds_its_last_amount() -> None:
    text = capacity(cash_flow="[45_000, 47_000]", other_debt_service="[12_000, 9_000, 9_500]")
    longer, added = extend_cash_flow(raw(text))
    assert added == 4
    assert longer["capacity"]["other_debt_service"] == [12_000, 9_000, 9_500, 9_500, 9_500, 9_500]
    validate_data(longer)
    # one amount is every year already; an array that covers the issue is left as it is
    for other in ("12_000", "[12_000]", "[1, 2, 3, 4, 5, 6, 7]"):
        longer, _ = extend_cash_flow(raw(capacity(cash_flow="[45_000]", other_debt_service=other)))
        assert (
            longer["capacity"]["other_debt_service"]
            == raw(capacity(other_debt_service=other))["capacity"]["other_debt_service"]
        )
    # only alongside the cash flow: a covering cash flow with a short array is not extended
    data = raw(capacity(other_debt_service="[12_000, 9_000]"))
    assert extend_cash_flow(data) == (data, 0)


@pytest.mark.parametrize(
    "text",
    [
        capacity(),  # covers the issue
        capacity(cash_flow="[1, 2, 3, 4, 5, 6, 7, 8, 9]"),
        capacity(cash_flow=None, cash_flow_base="45_000"),  # base and growth cover any year
        capacity(cash_flow="[1, 2]", cash_flow_base="45_000"),  # both: a problem of its own
        capacity(cash_flow="[1, 2]", first_fiscal_year="2018"),  # after the issue
        capacity(cash_flow="[1, 2]", first_fiscal_year='"2017"'),
        capacity(cash_flow="[1, 2]", cash_flow_growth="2"),  # a growth in percent
        capacity(cash_flow='[1, "2"]'),
        capacity(cash_flow="[45_000, 2_000_000_000]", cash_flow_growth="1"),  # past ten billion
        capacity(cash_flow="[1, 2]", series=SERIES.replace("2017-02-01", '"2017-02-01"', 1)),
        capacity(cash_flow="[1, 2]", series=SERIES.replace("term_years = 5", "term_years = 0", 1)),
        capacity(
            cash_flow="[1, 2]",
            series=SERIES.replace("term_years = 5", "term_years = 5\nmaturity_date = 2022-02-01"),
        ),
        capacity(
            cash_flow="[1, 2]", series=SERIES.replace('"bullet"', '"bullet"\nbusiness_day = 1')
        ),
        capacity(cash_flow="[1, 2]").replace(
            'name = "Co-op"', 'name = "Co-op"\nfiscal_year_end = "13-01"'
        ),
        HEAD + SERIES,  # no [capacity]
        HEAD + "\n[capacity]\ncash_flow = [1, 2]\n",  # no series
    ],
)
def test_nothing_is_added_when_not_needed_or_when_the_years_are_unknown(text: str) -> None:
    data = raw(text)
    assert extend_cash_flow(data) == (data, 0)
    assert extend_cash_flow(data)[0] is data


def test_outside_a_sweep_a_short_table_is_still_refused() -> None:
    for growth in (None, "0", "0.02"):
        assert problems(capacity(cash_flow="[45_000, 47_000]", cash_flow_growth=growth)) == [
            "capacity.cash_flow: covers fiscal years 2017 to 2018 but the issue runs to 2022: "
            "add 4 more years (you wrote [45000, 47000])"
        ]


def test_the_reference_documents_cash_flow_growth_with_a_table() -> None:
    doc = DOC.read_text(encoding="utf-8")
    section = doc[doc.index("## `[capacity]`") : doc.index("## `[risk]`")]
    [row] = [line for line in section.splitlines() if line.startswith("| `cash_flow_growth` |")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:4] == ["number", "fraction per year", "`0`"]  # type, unit, default
    assert "with `cash_flow`" in cells[4] and "sweep" in cells[6] and "held" in cells[6]
    assert "only with `cash_flow_base`" not in row


# ---------------------------------------------------------------- any value, our own words

KEY = r'([A-Za-z0-9_-]+|"([^"\\]|\\.)*")(\[\d+\])?'
PROBLEM_LINE = re.compile(rf"^{KEY}(\.{KEY})*: [a-z]")

toml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats()
    | st.sampled_from([0, 0.5, 1, 1.25, 3, 2017, 10_000, "Membres", "months-of-next-year"])
    | st.text(max_size=10)
    | st.dates()
    | st.datetimes(),
    lambda inner: (
        st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=9), inner, max_size=3)
    ),
    max_leaves=8,
)
TABLE_KEYS = {
    "capacity": [
        "cash_flow",
        "cash_flow_base",
        "cash_flow_growth",
        "first_fiscal_year",
        "other_debt_service",
        "opening_cash",
        "minimum_cash",
        "coverage_threshold",
        "sizing_rate",
        "sizing_term_years",
        "sinking_fund",
        "reserve",
    ],
    "sinking_fund": ["rate"],
    "reserve": ["target", "months"],
    "risk": [
        "annual_probability",
        "segment_probability",
        "lock_in_years",
        "notice_months",
        "annual_cap",
        "stress_probability",
        "stress_annual_probability",
        "renewal_rate",
        "shortfall_level",
        "holding",
        "paths",
    ],
}


@settings(max_examples=300, deadline=None)
@given(data=st.data(), value=toml_values)
def test_any_value_anywhere_in_capacity_or_risk_is_accepted_or_reported_in_our_own_words(
    data, value
) -> None:
    where = data.draw(st.sampled_from(sorted(TABLE_KEYS)))
    key = data.draw(st.sampled_from(TABLE_KEYS[where]) | st.text(max_size=6))
    scenario = parse_scenario(BOTH).to_data()
    target = {
        "capacity": scenario["capacity"],
        "sinking_fund": scenario["capacity"]["sinking_fund"],
        "reserve": scenario["capacity"]["reserve"],
        "risk": scenario["risk"],
    }[where]
    target[key] = value
    # a sweep's extension never fails, and never leaves the cash flow short
    longer, added = extend_cash_flow(scenario)
    assert added >= 0 and (added > 0) == (longer is not scenario)
    if added:
        try:
            validate_data(longer)
        except ScenarioError as exc:
            assert not any(p.location == "capacity.cash_flow" for p in exc.problems), str(exc)
    try:
        sc = validate_data(scenario)
    except ScenarioError as exc:
        assert exc.problems
        assert str(exc).splitlines() == [str(p) for p in exc.problems]  # one line each
        for line in str(exc).splitlines():
            assert PROBLEM_LINE.match(line), line
            assert "Input should" not in line and "pydantic" not in line, line
    else:  # the dataclasses accept it
        assert isinstance(sc.capacity_terms(), CapacityTerms)
        assert isinstance(sc.risk_terms(), RiskTerms)


# ---------------------------------------------------------------- the reference and the examples


def _doc_block(title: str) -> list[str]:
    doc = DOC.read_text(encoding="utf-8")
    section = doc[doc.index(f"### {title}") :]
    [block] = re.findall(r"```text\n(.*?)```", section, flags=re.DOTALL)[:1]
    return block.strip().splitlines()


@pytest.mark.parametrize("title", ["Capacity messages", "Risk messages"])
def test_the_messages_shown_in_the_reference_are_real(title: str) -> None:
    produced = {line for _, expected in CASES.values() for line in expected}
    missing = [line for line in _doc_block(title) if line not in produced]
    assert not missing


def test_the_reference_documents_the_capacity_and_risk_keys_in_their_sections() -> None:
    doc = DOC.read_text(encoding="utf-8")
    capacity_section = doc[doc.index("## `[capacity]`") : doc.index("## `[risk]`")]
    risk_section = doc[doc.index("## `[risk]`") : doc.index("## Repayment styles")]
    for key in [*TABLE_KEYS["capacity"], *TABLE_KEYS["sinking_fund"], *TABLE_KEYS["reserve"]]:
        assert f"| `{key}` |" in capacity_section, key
    for key in TABLE_KEYS["risk"]:
        assert f"| `{key}` |" in risk_section, key


EXAMPLES = [
    "cinema-du-parc-2016",
    "grand-costumier-2016",
    "solar-coop-multi-series",
    "building-purchase-2010",
]


@pytest.mark.parametrize("stem", EXAMPLES)
def test_example_scenarios_have_capacity_and_risk_the_models_accept(stem: str) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{stem}.toml")
    cap, rsk = sc.capacity_terms(), sc.risk_terms()
    assert cap is not None and rsk is not None
    fye = sc.issuer.fiscal_year_end
    schedule = issue_schedule(sc.series_terms())
    fiscal = annual_debt_service(schedule, fye)
    result = assess(cap, sc.series_terms(), fiscal, schedule, fye)
    assert len(result.table) == len(fiscal)
    assert rsk.renewal_rate == 0.65  # the one published figure
    if sc.campaign_terms() is not None:  # segment probabilities name real segments
        names = {s.name for s in sc.campaign_terms().segments}
        assert {name for name, _ in rsk.segment_probability} <= names


def test_the_pilots_lock_in_follows_their_terms() -> None:
    cinema = load_scenario(ROOT / "scenarios" / "cinema-du-parc-2016.toml").risk_terms()
    costumier = load_scenario(ROOT / "scenarios" / "grand-costumier-2016.toml").risk_terms()
    assert cinema is not None and cinema.lock_in_years == 3
    # Le Grand Costumier: no redemption before term
    assert costumier is not None and costumier.annual_probability == 0
    assert costumier.stress_probability == 0 and costumier.segment_probability == ()
