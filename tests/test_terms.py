"""bondkit.core.terms: the invariants SeriesTerms, CostTerms and StepRate guard for callers
who build them in code (the scenario layer has its own, friendlier checks).

Expected values come from the rules as written (docs/architecture.md: money is integer
cents, rounded half up; scenario-format.md: maturity = issue_date + term_years calendar
years, the day clamped to the month's end) and are computed here by hand or with
``decimal`` (ROUND_HALF_UP), never by bondkit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondkit.core.terms import CostTerms, SeriesTerms, StepRate

ISSUE = dt.date(2027, 1, 15)
PROPERTY = settings(max_examples=200, deadline=None)


def half_up_cents(amount: Decimal) -> int:
    """Currency units -> cents, half up (away from zero), with decimal only."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def series(**changes) -> SeriesTerms:
    """A valid 100,000 $ 5-year bullet of 1,000 $ bonds at 4 %, with ``changes``."""
    kw = dict(
        id="A",
        amount=100_000,
        face_value=1_000,
        annual_rate=0.04,
        issue_date=ISSUE,
        term_years=5,
    )
    kw.update(changes)
    return SeriesTerms(**kw)


# ---------------------------------------------------------------- amounts in cents


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("99.95"), 9995),
        ("99.95", 9995),
        (99.95, 9995),
        (100_000, 10_000_000),
        (Decimal("0.01"), 1),
        # half a cent rounds up, on the decimal written (the binary float 1234.565 is
        # 1234.56499999..., which a naive round would take down to 123456)
        (1234.565, 123_457),
        (Decimal("0.125"), 13),
        (Decimal("0.124"), 12),
    ],
)
def test_amount_cents_is_the_written_amount_rounded_half_up(amount, cents):
    s = series(amount=amount, face_value=Decimal("0.01"))
    assert s.amount_cents == cents
    assert isinstance(s.amount_cents, int)
    assert isinstance(s.amount, Decimal)


def test_float_inputs_are_read_as_the_decimal_written():
    s = series(amount=99.95, face_value=0.05, annual_rate=0.045)
    assert s.amount == Decimal("99.95")
    assert s.face_value == Decimal("0.05")
    assert s.annual_rate == Decimal("0.045")
    assert s.rate == Fraction(9, 200)  # 4.5 %, not the binary float 0.04499999...
    assert s.face_value_cents == 5
    assert s.bonds == 1999  # 9995 / 5


@PROPERTY
@given(
    cents=st.integers(min_value=1, max_value=10**13),
)
def test_amount_cents_for_any_two_place_decimal(cents):
    amount = Decimal(cents).scaleb(-2)  # exactly two places
    s = series(amount=amount, face_value=Decimal("0.01"))
    assert s.amount_cents == half_up_cents(amount) == cents
    assert s.bonds == cents


@PROPERTY
@given(
    amount=st.decimals(
        min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=3, allow_nan=False
    ),
)
def test_amount_cents_half_up_for_three_place_decimals(amount):
    # a third decimal place: half a cent (…5) must round away from zero
    s = series(amount=amount, face_value=Decimal("0.01"))
    assert s.amount_cents == half_up_cents(amount)


@PROPERTY
@given(
    face_cents=st.integers(min_value=1, max_value=10**7),
    bonds=st.integers(min_value=1, max_value=10**5),
)
def test_bonds_is_amount_over_face_value(face_cents, bonds):
    face = Decimal(face_cents).scaleb(-2)
    s = series(amount=face * bonds, face_value=face)
    assert s.bonds == bonds
    assert s.face_value_cents == face_cents
    assert s.amount_cents == face_cents * bonds


def test_bonds_of_the_starter_issue():
    assert series().bonds == 100  # 100,000 $ / 1,000 $
    assert series(amount=20_000, face_value=500).bonds == 40
    assert series(amount=Decimal("99.95"), face_value=Decimal("19.99")).bonds == 5


# ---------------------------------------------------------------- maturity and bond years


@pytest.mark.parametrize(
    ("issue", "years", "maturity"),
    [
        (dt.date(2027, 1, 15), 5, dt.date(2032, 1, 15)),
        (dt.date(2024, 2, 29), 5, dt.date(2029, 2, 28)),  # no 29 February in 2029
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),  # 2028 is a leap year
        (dt.date(2024, 2, 29), 1, dt.date(2025, 2, 28)),
        (dt.date(2023, 12, 31), 1, dt.date(2024, 12, 31)),
        (dt.date(2026, 6, 30), 30, dt.date(2056, 6, 30)),
    ],
)
def test_maturity_is_issue_date_plus_term_years(issue, years, maturity):
    s = series(issue_date=issue, term_years=years)
    assert s.maturity == maturity
    assert s.maturity_date is None


def test_maturity_date_given_is_kept_as_written():
    s = series(term_years=None, maturity_date=dt.date(2031, 7, 3))
    assert s.maturity == dt.date(2031, 7, 3)


def test_year_start_counts_bond_years_from_the_issue_date():
    s = series(issue_date=dt.date(2024, 2, 29), term_years=5)
    assert s.year_start(1) == dt.date(2024, 2, 29)
    assert s.year_start(2) == dt.date(2025, 2, 28)
    assert s.year_start(5) == dt.date(2028, 2, 29)


def test_rate_at_follows_the_step_rates_by_bond_year():
    s = series(
        annual_rate=0.04,
        step_rates=({"from_year": 4, "annual_rate": 0.06}, StepRate(2, Decimal("0.05"))),
    )
    # given out of order, kept sorted by bond year; dicts become StepRate
    assert [(x.from_year, x.annual_rate) for x in s.step_rates] == [
        (2, Decimal("0.05")),
        (4, Decimal("0.06")),
    ]
    assert s.rate_at(ISSUE) == Fraction(1, 25)
    assert s.rate_at(dt.date(2028, 1, 14)) == Fraction(1, 25)  # last day of year 1
    assert s.rate_at(dt.date(2028, 1, 15)) == Fraction(1, 20)  # year 2 starts
    assert s.rate_at(dt.date(2030, 1, 14)) == Fraction(1, 20)
    assert s.rate_at(dt.date(2030, 1, 15)) == Fraction(3, 50)  # year 4 starts
    assert s.rate == Fraction(1, 25)  # the base rate is unchanged


def test_with_amount_keeps_the_terms_and_checks_again():
    s = series()
    one = s.with_amount(1_000)
    assert (one.amount_cents, one.bonds, one.maturity) == (100_000, 1, s.maturity)
    assert dataclasses.replace(one, amount=s.amount) == s
    with pytest.raises(ValueError, match="whole multiple"):
        s.with_amount(1_050)  # not a whole number of 1,000 $ bonds


def test_terms_are_frozen():
    s = series()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.amount = Decimal(1)  # type: ignore[misc]


# ---------------------------------------------------------------- rejected inputs


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"term_years": None}, "exactly one of term_years and maturity_date"),
        ({"maturity_date": dt.date(2032, 1, 15)}, "exactly one of term_years and maturity_date"),
        ({"term_years": 0}, "maturity must be after issue_date"),
        ({"term_years": -1}, "maturity must be after issue_date"),
        (
            {"term_years": None, "maturity_date": ISSUE},
            "maturity must be after issue_date",
        ),
        ({"amount": 0}, "amount and face_value must be positive"),
        ({"amount": -100_000}, "amount and face_value must be positive"),
        ({"face_value": 0}, "amount and face_value must be positive"),
        ({"amount": 100_500}, "amount must be a whole multiple of face_value"),
        ({"amount": Decimal("1000.01")}, "amount must be a whole multiple of face_value"),
        ({"annual_rate": -0.01}, "annual_rate must not be negative"),
        ({"repayment": "balloon"}, "repayment must be one of"),
        ({"repayment": "accumulating"}, "needs interest = simple or compound"),
        ({"repayment": "accumulating", "interest": "daily"}, "needs interest"),
        ({"frequency": "weekly"}, "frequency must be one of"),
        ({"day_count": "ACT/360"}, "day_count must be one of"),
        ({"business_day": "preceding"}, "business_day must be one of"),
        ({"interest_only_years": 1}, "applies to level-payment and level-principal only"),
        (
            {"repayment": "level-payment", "interest_only_years": 5},
            "interest_only_years must be shorter than the term",
        ),
        (
            {"repayment": "level-principal", "interest_only_years": 6},
            "interest_only_years must be shorter than the term",
        ),
        (
            {"step_rates": (StepRate(3, Decimal("0.05")), StepRate(3, Decimal("0.06")))},
            "two step_rates start in the same year",
        ),
        ({"repayment": "sculpted"}, "a sculpted series needs sculpt_cash_flow"),
        (
            {"repayment": "sculpted", "sculpt_cash_flow": ((2028, 1), (2028, 2))},
            "sculpt_cash_flow gives a fiscal year twice",
        ),
        (
            {"repayment": "sculpted", "sculpt_cash_flow": {2028: 1}, "interest_only_years": 1},
            "applies to level-payment and level-principal only",
        ),
    ],
)
def test_series_rejects(changes, why):
    with pytest.raises(ValueError, match="series 'A'") as err:
        series(**changes)
    assert why in str(err.value)


def test_a_sculpted_series_keeps_its_cash_flow_by_fiscal_year_exactly_as_written():
    s = series(repayment="sculpted", sculpt_cash_flow={2029: 45_000.1, 2028: "44999.99"},
               fiscal_year_end="03-31")  # fmt: skip
    # sorted by fiscal year; amounts as the Decimal written (0.1, not the binary float)
    assert s.sculpt_cash_flow == ((2028, Decimal("44999.99")), (2029, Decimal("45000.1")))
    assert s.fiscal_year_end == "03-31"
    # given as pairs, the same terms
    assert series(repayment="sculpted", sculpt_cash_flow=[(2029, 45_000.1), (2028, "44999.99")],
                  fiscal_year_end="03-31") == s  # fmt: skip
    # another principal, the same cash flow; other styles keep it but never use it
    assert s.with_amount(50_000).sculpt_cash_flow == s.sculpt_cash_flow
    assert dataclasses.replace(s, repayment="bullet").repayment == "bullet"
    assert series().sculpt_cash_flow == () and series().fiscal_year_end == "12-31"


def test_interest_only_years_shorter_than_the_term_is_accepted():
    s = series(repayment="level-principal", interest_only_years=4)
    assert s.interest_only_years == 4
    # on 29 February, 1 year of interest only ends on 28 February, before maturity
    leap = series(issue_date=dt.date(2024, 2, 29), term_years=2, repayment="level-payment",
                  interest_only_years=1)  # fmt: skip
    assert leap.maturity == dt.date(2026, 2, 28)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValueError) as err:
        series(amount=-1, annual_rate=-0.02, repayment="balloon", frequency="weekly")
    text = str(err.value)
    for why in (
        "amount and face_value must be positive",
        "annual_rate must not be negative",
        "repayment must be one of",
        "frequency must be one of",
    ):
        assert why in text
    assert text.count(";") == 3  # four problems, joined by "; "


def test_a_boolean_is_not_a_number():
    with pytest.raises(TypeError):
        series(amount=True)
    with pytest.raises(TypeError):
        StepRate(2, True)
    with pytest.raises(TypeError):
        CostTerms(upfront=False)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {"amount": Decimal("0.004"), "face_value": Decimal("0.004")},
            id="face-value-rounds-to-0-cents",
        ),
        pytest.param(
            {"amount": Decimal("0.004"), "face_value": Decimal("0.01")},
            id="amount-rounds-to-0-cents",
        ),
        pytest.param(
            {"amount": float("nan")},
            id="nan-amount",
        ),
        pytest.param(
            {"amount": float("inf")},
            id="infinite-amount",
        ),
        pytest.param(
            {"annual_rate": float("inf")},
            id="infinite-rate",
        ),
        pytest.param(
            {"annual_rate": float("nan")},
            id="nan-rate",
        ),
    ],
)
def test_series_rejects_amounts_and_rates_that_are_no_cents_or_no_number(changes):
    with pytest.raises(ValueError):
        series(**changes)


# ---------------------------------------------------------------- StepRate


def test_step_rate_reads_the_rate_as_written():
    step = StepRate(3, 0.055)
    assert step.annual_rate == Decimal("0.055")
    assert StepRate(1, "0").annual_rate == 0


@pytest.mark.parametrize(
    ("from_year", "rate", "why"),
    [
        (0, 0.05, "from_year counts bond years from 1"),
        (-2, 0.05, "from_year counts bond years from 1"),
        (2, -0.001, "annual_rate must not be negative"),
    ],
)
def test_step_rate_rejects(from_year, rate, why):
    with pytest.raises(ValueError, match=why):
        StepRate(from_year, rate)
    with pytest.raises(ValueError, match=why):  # given to a series as a dict too
        series(step_rates=({"from_year": from_year, "annual_rate": rate},))


# ---------------------------------------------------------------- CostTerms


def test_cost_terms_default_to_zero_and_read_floats_as_written():
    assert CostTerms() == CostTerms(0, 0, 0)
    assert CostTerms().upfront_cents(10_000_000) == 0
    costs = CostTerms(upfront=5_000.10, upfront_rate=0.015, annual_admin="499.99")
    assert (costs.upfront, costs.upfront_rate, costs.annual_admin) == (
        Decimal("5000.10"),
        Decimal("0.015"),
        Decimal("499.99"),
    )


@pytest.mark.parametrize(
    ("upfront", "rate", "principal_cents", "expected"),
    [
        # the solar co-op: 8,000 $ + 1 % of 500,000 $ = 13,000 $
        (8_000, 0.01, 50_000_000, 1_300_000),
        (5_000, 0, 10_000_000, 500_000),
        # 1.5 % of 333.33 $ = 4.99995 $ -> 5.00 $ (half up)
        (0, 0.015, 33_333, 500),
        # 2.5 % of 0.18 $ = 0.0045 $ -> 0.00 $; 2.5 % of 0.20 $ = 0.005 $ -> 0.01 $
        (0, 0.025, 18, 0),
        (0, 0.025, 20, 1),
        # the fixed part is rounded on its own: 0.005 $ -> 1 cent
        (Decimal("0.005"), 0, 0, 1),
    ],
)
def test_upfront_cents_by_hand(upfront, rate, principal_cents, expected):
    assert CostTerms(upfront=upfront, upfront_rate=rate).upfront_cents(principal_cents) == expected


@PROPERTY
@given(
    upfront=st.decimals(min_value=0, max_value=Decimal("1e7"), places=2),
    rate=st.decimals(min_value=0, max_value=Decimal("0.2"), places=4),
    principal_cents=st.integers(min_value=0, max_value=10**12),
)
def test_upfront_cents_is_fixed_plus_rate_times_principal_half_up(upfront, rate, principal_cents):
    costs = CostTerms(upfront=upfront, upfront_rate=rate)
    by_rate = (rate * principal_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert costs.upfront_cents(principal_cents) == half_up_cents(upfront) + int(by_rate)


@pytest.mark.parametrize("name", ["upfront", "upfront_rate", "annual_admin"])
def test_cost_terms_reject_negative_values(name):
    with pytest.raises(ValueError, match=f"{name} must not be negative"):
        CostTerms(**{name: Decimal("-0.01")})
