"""Regenerate the reference data of tests/test_schedule.py and tests/test_conventions.py.

    .venv/bin/python tests/reference/make_reference.py

This script deliberately does NOT import bondkit: every expected value comes from an
independent source, so that the tests comparing bondkit with these files can fail.

- Dates: ``QuantLib.Schedule`` (WeekendsOnly calendar, DateGeneration.Backward,
  endOfMonth=False, the same convention for every date and for maturity).
- Year fractions: QuantLib day counters (Thirty360 BondBasis / European, Actual365Fixed,
  ActualActual ISDA). QuantLib returns a double; it is turned back into the exact rational
  it stands for by rounding ``yf * 1_603_080`` (= lcm(360, 365, 366)) to an integer, after
  checking that the double is within 1e-6 / 1_603_080 of that rational.
- Money: written here from the rules of /work/shared/scenario-format.md with Fractions
  (exact) and rounded half up with ``decimal.ROUND_HALF_UP`` at 80 digits.
- Cross-checks kept in the data: the QuantLib coupon amount (``FixedRateBond`` for bullets,
  ``FixedRateLeg`` on the balances of the schedule for amortising series) of every period,
  which must agree with the exact cents within half a cent.

Output: ``schedules.json`` (named series and their expected rows, with provenance) and
``day_counts.csv`` (edge-case date pairs, with provenance).
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import QuantLib as ql

HERE = Path(__file__).resolve().parent
YF_DENOMINATOR = 1_603_080  # lcm(360, 365, 366): every year fraction here is k / this

DAY_COUNTERS = {
    "30/360": ql.Thirty360(ql.Thirty360.BondBasis),
    "30E/360": ql.Thirty360(ql.Thirty360.European),
    "ACT/365F": ql.Actual365Fixed(),
    "ACT/ACT": ql.ActualActual(ql.ActualActual.ISDA),
}
CONVENTIONS = {
    "unadjusted": ql.Unadjusted,
    "following": ql.Following,
    "modified-following": ql.ModifiedFollowing,
}
TENORS = {
    "annual": ql.Annual,
    "semi-annual": ql.Semiannual,
    "quarterly": ql.Quarterly,
    "monthly": ql.Monthly,
}
PERIODS_PER_YEAR = {"annual": 1, "semi-annual": 2, "quarterly": 4, "monthly": 12}


# ---------------------------------------------------------------- helpers (no bondkit)


def qd(iso: str) -> ql.Date:
    return ql.Date(iso, "%Y-%m-%d")


def iso(d: ql.Date) -> str:
    return d.ISO()


def exact_year_fraction(day_count: str, start: ql.Date, end: ql.Date) -> Fraction:
    """QuantLib's year fraction, as the exact rational the double stands for."""
    yf = DAY_COUNTERS[day_count].yearFraction(start, end)
    k = round(yf * YF_DENOMINATOR)
    if abs(yf * YF_DENOMINATOR - k) > 1e-6:
        raise AssertionError(f"{day_count} {start} {end}: {yf!r} is not k/{YF_DENOMINATOR}")
    return Fraction(k, YF_DENOMINATOR)


def half_up(x: Fraction) -> int:
    """Round an exact value to an integer, halves away from zero (decimal.ROUND_HALF_UP)."""
    with localcontext() as ctx:
        ctx.prec = 80
        d = Decimal(x.numerator) / Decimal(x.denominator)
        return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents(amount: str) -> int:
    value = Decimal(amount) * 100
    assert value == value.to_integral_value()
    return int(value)


def fraction_str(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def maturity_of(case: dict) -> ql.Date:
    if "maturity_date" in case:
        return qd(case["maturity_date"])
    return qd(case["issue_date"]) + ql.Period(case["term_years"], ql.Years)  # clamps 29 Feb


def ql_schedule(case: dict, convention: str | None = None) -> ql.Schedule:
    conv = CONVENTIONS[convention or case.get("business_day", "unadjusted")]
    return ql.Schedule(
        qd(case["issue_date"]),
        maturity_of(case),
        ql.Period(TENORS[case.get("frequency", "annual")]),
        ql.WeekendsOnly(),
        conv,
        conv,
        ql.DateGeneration.Backward,
        False,
    )


def rate_rule(case: dict):
    """rate_at(date): the rate in force on a date; bond year k starts at issue + (k-1) years."""
    issue = qd(case["issue_date"])
    base = Fraction(Decimal(case["annual_rate"]))
    steps = sorted(case.get("step_rates", []), key=lambda s: s["from_year"])

    def rate_at(d: ql.Date) -> Fraction:
        rate = base
        for s in steps:
            if d >= issue + ql.Period(s["from_year"] - 1, ql.Years):
                rate = Fraction(Decimal(s["annual_rate"]))
        return rate

    return rate_at


def boundaries(case: dict) -> list[ql.Date]:
    """Dates where a rule (interest-only end, step rate) switches, for the ambiguity check."""
    issue = qd(case["issue_date"])
    out = [issue + ql.Period(s["from_year"] - 1, ql.Years) for s in case.get("step_rates", [])]
    if case.get("interest_only_years"):
        out.append(issue + ql.Period(case["interest_only_years"], ql.Years))
    return out


def periods(case: dict) -> list[dict]:
    """Accrual periods from QuantLib: start, end (adjusted), unadjusted end, exact yf, rate."""
    issue = qd(case["issue_date"])
    adjusted = list(ql_schedule(case))
    unadjusted = list(ql_schedule(case, "unadjusted"))
    # the contract uses issue_date as given; QuantLib adjusts it, so cases issue on weekdays
    assert adjusted[0] == issue and unadjusted[0] == issue, case["name"]
    assert len(adjusted) == len(unadjusted), case["name"]
    rate_at = rate_rule(case)
    day_count = case.get("day_count", "30/360")
    out = []
    for k in range(1, len(adjusted)):
        start, end = adjusted[k - 1], adjusted[k]
        # rules on accrual starts must not depend on whether the start is adjusted
        for b in boundaries(case):
            assert (start >= b) == (unadjusted[k - 1] >= b), (case["name"], start, b)
        out.append(
            {
                "start": start,
                "end": end,
                "unadjusted_end": unadjusted[k],
                "yf": exact_year_fraction(day_count, start, end),
                "rate": rate_at(start),
            }
        )
    return out


# ---------------------------------------------------------------- the rules, by hand


def annuity(balance: int, i: Fraction, m: int) -> Fraction:
    """Level payment of ``balance`` at rate ``i`` per period over ``m`` periods (exact)."""
    if i == 0:
        return Fraction(balance, m)
    growth = (1 + i) ** m
    return balance * i * growth / (growth - 1)


def amortising_rows(case: dict, ps: list[dict]) -> list[dict]:
    repayment = case["repayment"]
    n = len(ps)
    ppy = PERIODS_PER_YEAR[case.get("frequency", "annual")]
    io_end = qd(case["issue_date"]) + ql.Period(case.get("interest_only_years", 0), ql.Years)
    first = next(k for k, p in enumerate(ps) if p["start"] >= io_end)
    balance = cents(case["amount"])
    level = None
    rows = []
    for k, p in enumerate(ps):
        interest = half_up(balance * p["rate"] * p["yf"])
        principal = 0
        if repayment == "level-payment" and k >= first:
            if k == first or p["rate"] != ps[k - 1]["rate"]:
                level = half_up(annuity(balance, p["rate"] / ppy, n - k))
            principal = level - interest
            # these cases need no rule for a payment below the interest or above the balance
            assert k == n - 1 or 0 <= principal <= balance, (case["name"], k)
        elif repayment == "level-principal" and k >= first:
            if k == first:
                level = half_up(Fraction(balance, n - k))
            principal = level
            assert k == n - 1 or principal <= balance, (case["name"], k)
        if k == n - 1:
            principal = balance  # the final payment absorbs any residue
        rows.append(
            {
                "opening_balance": balance,
                "interest": interest,
                "principal": principal,
                "payment": interest + principal,
                "closing_balance": balance - principal,
            }
        )
        balance -= principal
    assert balance == 0
    return rows


def quantlib_coupons(case: dict, ps: list[dict], rows: list[dict]) -> list[float]:
    """QuantLib's coupon amounts [currency] for the balances of ``rows`` (a cross-check)."""
    schedule = ql_schedule(case)
    conv = CONVENTIONS[case.get("business_day", "unadjusted")]
    dc = DAY_COUNTERS[case.get("day_count", "30/360")]
    if case["repayment"] == "bullet" and not case.get("step_rates"):
        face = cents(case["amount"]) / 100
        bond = ql.FixedRateBond(0, face, schedule, [float(Decimal(case["annual_rate"]))], dc, conv)
        coupons = [ql.as_fixed_rate_coupon(c) for c in bond.cashflows()]
        coupons = [c for c in coupons if c is not None]
        redemption = bond.cashflows()[-1]
        assert (
            abs(redemption.amount() - face) < 1e-9
            and redemption.date() == schedule[len(schedule) - 1]
        )
    else:
        nominals = [r["opening_balance"] / 100 for r in rows]
        rates = [float(p["rate"]) for p in ps]
        leg = ql.FixedRateLeg(schedule, dc, nominals, rates, conv)
        coupons = [ql.as_fixed_rate_coupon(c) for c in leg]
    assert len(coupons) == len(ps)
    amounts = []
    for c, p, r in zip(coupons, ps, rows, strict=True):
        assert c.accrualStartDate() == p["start"] and c.date() == p["end"]
        assert abs(c.accrualPeriod() - float(p["yf"])) < 1e-14
        assert abs(c.amount() * 100 - r["interest"]) <= 0.5 + 1e-6, (case["name"], c.amount())
        amounts.append(c.amount())
    return amounts


def accumulating_row(case: dict, ps: list[dict]) -> tuple[dict, str]:
    amount = cents(case["amount"])
    issue, end = ps[0]["start"], ps[-1]["end"]
    day_count = case.get("day_count", "30/360")
    rate_at = rate_rule(case)
    if case["interest"] == "compound":
        growth = Fraction(1)
        for p in ps:
            growth *= 1 + p["rate"] * p["yf"]
        accrued = amount * growth - amount
        how = "closed form round_half_up(A * prod(1 + rate_k * yf_k)) - A over QuantLib periods"
    elif not case.get("step_rates"):
        accrued = amount * rate_at(issue) * exact_year_fraction(day_count, issue, end)
        how = "closed form round_half_up(A * r * yf(issue, maturity)), yf from QuantLib"
    else:
        bounds = [issue]
        while issue + ql.Period(len(bounds), ql.Years) < maturity_of(case):
            bounds.append(issue + ql.Period(len(bounds), ql.Years))
        bounds.append(end)
        accrued = sum(
            amount * rate_at(a) * exact_year_fraction(day_count, a, b)
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        )
        how = (
            "closed form round_half_up(A * sum over bond years of rate_y * yf_y), yf from QuantLib"
        )
    interest = half_up(accrued)
    row = {
        "period": 1,
        "accrual_start": iso(issue),
        "date": iso(end),
        "year_fraction": fraction_str(exact_year_fraction(day_count, issue, end)),
        "opening_balance": amount,
        "interest": interest,
        "principal": amount,
        "payment": amount + interest,
        "closing_balance": 0,
    }
    return row, how


# ---------------------------------------------------------------- the named cases

CASES: list[dict] = [
    # -- accumulating
    {
        "name": "cinema-du-parc-2016",
        "description": "the contract's example: 100,000 at 2 % compound annual for 5 years",
        "amount": "100000",
        "face_value": "500",
        "annual_rate": "0.02",
        "issue_date": "2017-02-01",
        "term_years": 5,
        "repayment": "accumulating",
        "interest": "compound",
    },
    {
        "name": "accumulating-compound-quarterly-act365f-following",
        "amount": "250000",
        "face_value": "1000",
        "annual_rate": "0.0375",
        "issue_date": "2020-02-28",
        "term_years": 4,
        "repayment": "accumulating",
        "interest": "compound",
        "frequency": "quarterly",
        "day_count": "ACT/365F",
        "business_day": "following",
    },
    {
        "name": "accumulating-simple-actact-monthly-modfollowing",
        "description": "maturity 2024-03-30 is a Saturday, moved back to Friday 29th",
        "amount": "48500",
        "face_value": "100",
        "annual_rate": "0.0433",
        "issue_date": "2018-03-30",
        "term_years": 6,
        "repayment": "accumulating",
        "interest": "simple",
        "frequency": "monthly",
        "day_count": "ACT/ACT",
        "business_day": "modified-following",
    },
    {
        "name": "accumulating-simple-steps-30e360-semiannual",
        "amount": "64000",
        "face_value": "250",
        "annual_rate": "0.02",
        "issue_date": "2021-05-31",
        "term_years": 8,
        "repayment": "accumulating",
        "interest": "simple",
        "frequency": "semi-annual",
        "day_count": "30E/360",
        "step_rates": [
            {"from_year": 4, "annual_rate": "0.03"},
            {"from_year": 7, "annual_rate": "0.045"},
        ],
    },
    {
        "name": "accumulating-compound-steps-stub-30360-semiannual",
        "description": "short first period 2022-01-17 to 2022-03-30; 5 % from bond year 3",
        "amount": "30000",
        "face_value": "500",
        "annual_rate": "0.04",
        "issue_date": "2022-01-17",
        "maturity_date": "2027-09-30",
        "repayment": "accumulating",
        "interest": "compound",
        "frequency": "semi-annual",
        "day_count": "30/360",
        "step_rates": [{"from_year": 3, "annual_rate": "0.05"}],
    },
    # -- bullet
    {
        "name": "bullet-30360-semiannual-following",
        "amount": "250000",
        "face_value": "250",
        "annual_rate": "0.0425",
        "issue_date": "2021-03-31",
        "term_years": 5,
        "repayment": "bullet",
        "frequency": "semi-annual",
        "day_count": "30/360",
        "business_day": "following",
    },
    {
        "name": "bullet-act365f-quarterly-stub-modfollowing",
        "amount": "75500",
        "face_value": "100",
        "annual_rate": "0.0375",
        "issue_date": "2022-06-15",
        "maturity_date": "2027-08-31",
        "repayment": "bullet",
        "frequency": "quarterly",
        "day_count": "ACT/365F",
        "business_day": "modified-following",
    },
    {
        "name": "bullet-actact-annual-unadjusted",
        "amount": "40000",
        "face_value": "1000",
        "annual_rate": "0.0315",
        "issue_date": "2019-10-15",
        "term_years": 7,
        "repayment": "bullet",
        "frequency": "annual",
        "day_count": "ACT/ACT",
    },
    {
        "name": "bullet-30e360-monthly-modfollowing",
        "amount": "12000",
        "face_value": "50",
        "annual_rate": "0.0575",
        "issue_date": "2023-01-31",
        "term_years": 2,
        "repayment": "bullet",
        "frequency": "monthly",
        "day_count": "30E/360",
        "business_day": "modified-following",
    },
    {
        "name": "bullet-steps-30360-annual",
        "amount": "100000",
        "face_value": "500",
        "annual_rate": "0.03",
        "issue_date": "2020-06-01",
        "term_years": 5,
        "repayment": "bullet",
        "step_rates": [{"from_year": 3, "annual_rate": "0.04"}],
    },
    # -- level payment
    {
        "name": "level-payment-30360-monthly",
        "amount": "150000",
        "face_value": "500",
        "annual_rate": "0.045",
        "issue_date": "2024-01-15",
        "term_years": 10,
        "repayment": "level-payment",
        "frequency": "monthly",
        "day_count": "30/360",
    },
    {
        "name": "level-payment-io-act365f-quarterly-following",
        "amount": "500000",
        "face_value": "1000",
        "annual_rate": "0.0525",
        "issue_date": "2021-09-30",
        "term_years": 8,
        "repayment": "level-payment",
        "frequency": "quarterly",
        "day_count": "ACT/365F",
        "interest_only_years": 2,
        "business_day": "following",
    },
    {
        "name": "level-payment-steps-30360-monthly-following",
        "description": "payment recomputed over the remaining periods when each step starts",
        "amount": "80000",
        "face_value": "100",
        "annual_rate": "0.03",
        "issue_date": "2023-05-10",
        "term_years": 9,
        "repayment": "level-payment",
        "frequency": "monthly",
        "day_count": "30/360",
        "business_day": "following",
        "step_rates": [
            {"from_year": 4, "annual_rate": "0.05"},
            {"from_year": 7, "annual_rate": "0.065"},
        ],
    },
    {
        "name": "level-payment-stub-30e360-semiannual-modfollowing",
        "amount": "60000",
        "face_value": "500",
        "annual_rate": "0.0399",
        "issue_date": "2022-11-07",
        "maturity_date": "2030-06-30",
        "repayment": "level-payment",
        "frequency": "semi-annual",
        "day_count": "30E/360",
        "business_day": "modified-following",
    },
    {
        "name": "level-payment-io-actact-annual",
        "amount": "20000",
        "face_value": "20",
        "annual_rate": "0.0612",
        "issue_date": "2019-04-01",
        "term_years": 6,
        "repayment": "level-payment",
        "frequency": "annual",
        "day_count": "ACT/ACT",
        "interest_only_years": 1,
    },
    # -- level principal
    {
        "name": "level-principal-30360-annual-io",
        "amount": "90000",
        "face_value": "1000",
        "annual_rate": "0.06",
        "issue_date": "2018-06-29",
        "term_years": 10,
        "repayment": "level-principal",
        "frequency": "annual",
        "day_count": "30/360",
        "interest_only_years": 2,
    },
    {
        "name": "level-principal-actact-monthly-stub-following",
        "amount": "33300",
        "face_value": "100",
        "annual_rate": "0.0475",
        "issue_date": "2021-02-10",
        "maturity_date": "2024-11-30",
        "repayment": "level-principal",
        "frequency": "monthly",
        "day_count": "ACT/ACT",
        "business_day": "following",
    },
    {
        "name": "level-principal-steps-io-30e360-quarterly-modfollowing",
        "amount": "120000",
        "face_value": "250",
        "annual_rate": "0.035",
        "issue_date": "2020-03-31",
        "term_years": 6,
        "repayment": "level-principal",
        "frequency": "quarterly",
        "day_count": "30E/360",
        "interest_only_years": 1,
        "business_day": "modified-following",
        "step_rates": [{"from_year": 3, "annual_rate": "0.045"}],
    },
    {
        "name": "level-principal-act365f-semiannual",
        "amount": "7777",
        "face_value": "1",
        "annual_rate": "0.0801",
        "issue_date": "2024-02-29",
        "term_years": 3,
        "repayment": "level-principal",
        "frequency": "semi-annual",
        "day_count": "ACT/365F",
    },
]

TERM_KEYS = (
    "amount",
    "face_value",
    "annual_rate",
    "issue_date",
    "term_years",
    "maturity_date",
    "repayment",
    "interest",
    "frequency",
    "day_count",
    "interest_only_years",
    "business_day",
    "step_rates",
)


def build_case(case: dict) -> dict:
    ps = periods(case)
    terms = {k: case[k] for k in TERM_KEYS if k in case}
    dates_how = (
        "QuantLib 1.44 Schedule(WeekendsOnly, Backward, endOfMonth=False, "
        f"{case.get('business_day', 'unadjusted')} for every date and maturity)"
    )
    yf_how = f"QuantLib 1.44 {DAY_COUNTERS[case.get('day_count', '30/360')].name()} yearFraction, made exact"
    if case["repayment"] == "accumulating":
        row, how = accumulating_row(case, ps)
        if case["name"] == "cinema-du-parc-2016":
            assert row["interest"] == 1_040_808 and row["date"] == "2022-02-01"  # the contract
            factor = ql.InterestRate(0.02, DAY_COUNTERS["30/360"], ql.Compounded, ql.Annual)
            ql_interest = 100_000 * (factor.compoundFactor(ps[0]["start"], ps[-1]["end"]) - 1)
            assert abs(ql_interest * 100 - row["interest"]) <= 0.5
            row["quantlib_interest"] = ql_interest
            how += "; = A(1+r)^5 - A, cross-checked with QuantLib InterestRate(Compounded, Annual)"
        rows = [row]
        provenance = {"dates": dates_how, "year_fractions": yf_how, "interest": how}
    else:
        money = amortising_rows(case, ps)
        coupons = quantlib_coupons(case, ps, money)
        rows = []
        for k, (p, m, c) in enumerate(zip(ps, money, coupons, strict=True)):
            rows.append(
                {
                    "period": k + 1,
                    "accrual_start": iso(p["start"]),
                    "date": iso(p["end"]),
                    "unadjusted_date": iso(p["unadjusted_end"]),
                    "year_fraction": fraction_str(p["yf"]),
                    "annual_rate": fraction_str(p["rate"]),
                    **m,
                    "quantlib_interest": c,
                }
            )
        principal_how = {
            "bullet": "all principal at maturity",
            "level-payment": (
                "hand loop: payment = round_half_up(annuity B*i/(1-(1+i)^-m)), i = rate/periods "
                "a year, m = remaining periods, recomputed when a step rate starts; principal = "
                "payment - interest; final principal = remaining balance"
            ),
            "level-principal": (
                "hand loop: instalment = round_half_up(B / amortising periods); "
                "final principal = remaining balance"
            ),
        }[case["repayment"]]
        quantlib_how = (
            "QuantLib 1.44 FixedRateBond coupon amount"
            if case["repayment"] == "bullet" and not case.get("step_rates")
            else "QuantLib 1.44 FixedRateLeg coupon amount on the opening balances"
        )
        provenance = {
            "dates": dates_how,
            "year_fractions": yf_how,
            "interest": "round_half_up(opening balance * rate in force at accrual start * exact yf), "
            "Fraction arithmetic, decimal ROUND_HALF_UP",
            "principal": principal_how,
            "quantlib_interest": quantlib_how
            + " [currency], unrounded; within 0.5 cent of interest",
        }
    return {
        "name": case["name"],
        "description": case.get("description", ""),
        "terms": terms,
        "provenance": provenance,
        "rows": rows,
    }


# ---------------------------------------------------------------- day counts

DAY_COUNT_PAIRS = [
    ("2023-02-28", "2023-03-31", "end of a non-leap February to the 31st"),
    ("2024-02-28", "2024-02-29", "to the leap day"),
    ("2024-02-29", "2024-03-31", "from the leap day to the 31st"),
    ("2024-02-29", "2025-02-28", "leap day to the clamped anniversary"),
    ("2023-01-31", "2023-02-28", "31st to February end"),
    ("2024-01-31", "2024-03-31", "31st to 31st"),
    ("2024-01-30", "2024-03-31", "30th to 31st (bond basis keeps 31)"),
    ("2024-01-29", "2024-03-31", "29th to 31st"),
    ("2024-03-31", "2024-04-30", "31st to 30th"),
    ("2024-05-31", "2024-06-30", "31st to 30th"),
    ("2024-08-31", "2024-09-01", "31st to the 1st"),
    ("2023-12-31", "2024-12-31", "a whole leap year"),
    ("2024-01-01", "2025-01-01", "a whole leap year, from 1 January"),
    ("2023-07-01", "2024-07-01", "straddling a leap day"),
    ("2020-02-29", "2024-02-29", "leap day to leap day"),
    ("2015-07-01", "2025-07-01", "ten years"),
    ("1999-12-31", "2000-03-01", "century leap year"),
    ("2099-12-31", "2100-03-01", "century non-leap year"),
    ("2024-06-15", "2024-06-15", "same day"),
    ("2024-03-31", "2024-01-31", "reversed dates"),
    ("2025-02-28", "2024-02-29", "reversed across a leap day"),
]


def day_count_rows() -> list[dict]:
    rows = []
    for start, end, note in DAY_COUNT_PAIRS:
        for name, dc in DAY_COUNTERS.items():
            yf = exact_year_fraction(name, qd(start), qd(end))
            rows.append(
                {
                    "start": start,
                    "end": end,
                    "day_count": name,
                    "numerator": yf.numerator,
                    "denominator": yf.denominator,
                    "quantlib_year_fraction": repr(dc.yearFraction(qd(start), qd(end))),
                    "note": note,
                    "provenance": f"QuantLib {ql.__version__} {dc.name()} yearFraction, made exact",
                }
            )
    return rows


def main() -> None:
    assert ql.__version__ == "1.44", ql.__version__
    data = {
        "generated_by": "tests/reference/make_reference.py (QuantLib and Fractions only, no bondkit)",
        "quantlib_version": ql.__version__,
        "units": "money in integer cents except quantlib_interest [currency]; year fractions exact",
        "cases": [build_case(c) for c in CASES],
    }
    with open(HERE / "schedules.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    rows = day_count_rows()
    with open(HERE / "day_counts.csv", "w", encoding="utf-8", newline="") as f:
        f.write(
            "# Year fractions of edge-case date pairs from QuantLib day counters, made exact as\n"
            "# numerator/denominator. Generated by tests/reference/make_reference.py (no bondkit).\n"
        )
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(data['cases'])} schedules, {len(rows)} day counts written to {HERE}")


if __name__ == "__main__":
    main()
