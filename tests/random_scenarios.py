"""Seeded scenarios for the adversarial check of the workbook model (test_workbook_model).

Each plan fixes a combination of rules the example scenarios do not cover (repayment
style, frequency, day count, business-day rule, month-end or 29 February issue dates, odd
terms, interest-only years, step rates, several series across fiscal years, a zero rate;
sculpted series against a ``[capacity]`` cash flow: several payments in a fiscal year, a
partial first fiscal year, other debt service, a period that pays interest only);
a seeded generator draws the numbers: face values and amounts with cents, rates with 4 or
5 decimals. Among a few dozen drawn amounts, each series keeps the one whose schedule has
the most exact half-cent ties (interest, level instalment or accumulated interest that is
exactly ``n + 1/2`` cents before rounding), so that a spreadsheet computing in binary
floating point is pushed where it could round the other way.

``scenarios()`` returns ``(name, data, lang)`` for the valid ones, ``refused()`` the plans
bondkit refuses with its messages (they are kept to document that bondkit refuses them).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import lcm, prod

from bondkit.core.schedule import accrual_pieces, periods, series_schedule
from bondkit.errors import ScenarioError
from bondkit.scenario import validate_data

SEED = 20250131
D = dt.date
FACES = ("0.01", "0.05", "12.35", "99.95", "250.50", "500", "1000")


def _rate(rng: random.Random, low: int = 50, high: int = 9_000) -> Decimal:
    """A rate with 4 or 5 decimals, from ``low`` to ``high`` hundred-thousandths."""
    scale = rng.choice((10_000, 100_000))
    return Decimal(rng.randint(low * scale // 100_000 or 1, high * scale // 100_000)) / scale


def _half_cent(x: Fraction) -> bool:
    return (x - x.numerator // x.denominator) == Fraction(1, 2)


def _ties(terms) -> int:
    """How many of the schedule's rounded amounts are exactly a half cent before rounding."""
    p = periods(terms)
    sched = series_schedule(terms)
    opening = [int(x) for x in sched["opening_balance"]]
    if terms.repayment == "accumulating":
        pieces = accrual_pieces(terms, p)
        if terms.interest == "compound":
            growth = prod((1 + r * yf for _s, r, yf in pieces), start=Fraction(1)) - 1
        else:
            growth = sum((r * yf for _s, r, yf in pieces), start=Fraction(0))
        return int(_half_cent(opening[0] * growth))
    count = sum(
        _half_cent(o * r * yf) for o, r, yf in zip(opening, p.rate, p.year_fraction, strict=True)
    )
    k = p.first_amortising
    if terms.repayment == "level-principal" and len(opening) - k > 0:
        count += _half_cent(Fraction(opening[k], len(opening) - k))
    return count


def _tie_units(terms) -> set[int]:
    """Units u (cents) such that an amount of an odd number of u gives a half-cent tie on
    the first line's interest (at some period's rate and year fraction, or for the whole
    accumulated interest), or on a level instalment of principal."""
    p = periods(terms)
    if terms.repayment == "accumulating":
        pieces = accrual_pieces(terms, p)
        if terms.interest == "compound":
            qs = [prod((1 + r * yf for _s, r, yf in pieces), start=Fraction(1)) - 1]
        else:
            qs = [sum((r * yf for _s, r, yf in pieces), start=Fraction(0))]
    else:
        qs = [r * yf for r, yf in zip(p.rate, p.year_fraction, strict=True)]
    units = {q.denominator // 2 for q in qs if q.denominator % 2 == 0 and q.numerator % 2}
    left = len(p) - p.first_amortising
    if terms.repayment == "level-principal" and left % 2 == 0:
        units.add(left // 2)
    return {u for u in units if 0 < u <= 10**9}


def _base(
    name: str, lang: str, fiscal_year_end: str, series: list[dict], capacity: dict | None = None
) -> dict:
    return {
        "scenario": {"name": name, "language": lang, "currency": "CAD", "seed": 1},
        "issuer": {"name": f"Issuer {name}", "legal_form": "coop", "fiscal_year_end": fiscal_year_end},
        "series": series,
    } | ({"capacity": capacity} if capacity else {})  # fmt: skip


def _series(
    rng: random.Random, sid: str, tries: int = 12, capacity: dict | None = None, **terms
) -> dict:
    """A series with ``terms`` fixed; face value, amount (with cents) and rates drawn; a
    sculpted one is probed against ``capacity`` (its fiscal years end on 12-31).

    ``terms`` may give ``annual_rate`` and ``step_rates`` as ``None`` to have them drawn
    (``step_rates=[(from_year, None)]``). The amount is, of ``tries`` drawn amounts and
    a few odd multiples of each tie unit (see :func:`_tie_units`), the one with the most
    ties over the whole schedule."""
    face = Decimal(terms.pop("face_value", None) or rng.choice(FACES))
    rate = terms.get("annual_rate")
    terms["annual_rate"] = _rate(rng) if rate is None else Decimal(rate)
    terms["step_rates"] = [
        {"from_year": y, "annual_rate": _rate(rng) if r is None else Decimal(r)}
        for y, r in terms.get("step_rates", [])
    ]
    face_c = int(face * 100)
    probe = dict(id=sid, face_value=face, amount=face * max(1, int(Decimal(500) / face)), **terms)
    try:
        t = validate_data(_base("probe", "en", "12-31", [probe], capacity)).series_terms()[0]
    except ScenarioError:
        return probe  # refused whatever the amount: let the plan report it
    candidates = [rng.randint(5_000_000, 40_000_000) // face_c * face_c for _ in range(tries)]
    for unit in sorted(_tie_units(t)):
        step = lcm(face_c, unit)
        if (step // unit) % 2 == 0 or step > 10**9:
            continue  # no odd multiple of the unit is a whole number of bonds
        for _ in range(3):
            candidates.append(step * (2 * rng.randint(0, max(0, 20_000_000 // step)) + 1))
    best = None
    for cents in candidates:
        if cents <= 0:
            continue
        s = dict(probe, amount=Decimal(cents) / 100)
        score = _ties(validate_data(_base("probe", "en", "12-31", [s], capacity)).series_terms()[0])
        if best is None or score > best[0]:
            best = (score, s)
    return best[1]


def _plans(rng: random.Random) -> list[tuple]:
    """(name, fiscal_year_end, series) of each plan, and its ``[capacity]`` when it has one;
    numbers drawn from ``rng``."""
    S = _series  # noqa: N806
    return [
        ("lp-monthly-30360-io-steps-jan31-following", "12-31", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=4, repayment="level-payment",
              frequency="monthly", day_count="30/360", business_day="following",
              interest_only_years=1, annual_rate=None, step_rates=[(3, None)]),
        ]),
        ("lpr-quarterly-30E-io2-steps-feb29-modfol", "12-31", [
            S(rng, "A", issue_date=D(2024, 2, 29), term_years=5, repayment="level-principal",
              frequency="quarterly", day_count="30E/360", business_day="modified-following",
              interest_only_years=2, annual_rate=None, step_rates=[(2, None), (4, None)]),
        ]),
        ("lp-semiannual-act365-odd-io", "06-30", [
            S(rng, "A", issue_date=D(2024, 5, 17), maturity_date=D(2029, 1, 31),
              repayment="level-payment", frequency="semi-annual", day_count="ACT/365F",
              interest_only_years=1, annual_rate=None),
        ]),
        ("lpr-annual-actact-odd-following-step", "03-31", [
            S(rng, "A", issue_date=D(2023, 8, 31), maturity_date=D(2030, 2, 28),
              repayment="level-principal", frequency="annual", day_count="ACT/ACT",
              business_day="following", annual_rate=None, step_rates=[(4, None)]),
        ]),
        ("acc-simple-steps-act365-feb29", "12-31", [
            S(rng, "A", issue_date=D(2024, 2, 29), term_years=6, repayment="accumulating",
              interest="simple", day_count="ACT/365F", annual_rate=None,
              step_rates=[(3, None), (5, None)]),
        ]),
        ("acc-compound-monthly-actact-steps-jan31-modfol", "09-30", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=3, repayment="accumulating",
              interest="compound", frequency="monthly", day_count="ACT/ACT",
              business_day="modified-following", annual_rate=None, step_rates=[(2, None)]),
        ]),
        ("acc-compound-quarterly-30E-odd-following", "12-31", [
            S(rng, "A", issue_date=D(2024, 11, 30), maturity_date=D(2029, 8, 31),
              repayment="accumulating", interest="compound", frequency="quarterly",
              day_count="30E/360", business_day="following", annual_rate=None,
              step_rates=[(3, None)]),
        ]),
        ("acc-compound-annual-30360-ties-and-simple", "12-31", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=3, repayment="accumulating",
              interest="compound", annual_rate="0.0625"),
            S(rng, "B", issue_date=D(2025, 1, 31), term_years=2, repayment="accumulating",
              interest="compound", day_count="30E/360", annual_rate=None,
              step_rates=[(2, "0.0375")]),
            S(rng, "C", issue_date=D(2025, 1, 31), maturity_date=D(2029, 7, 31),
              repayment="accumulating", interest="simple", frequency="semi-annual",
              day_count="30/360", annual_rate=None, step_rates=[(3, None)]),
        ]),
        ("zero-rates", "12-31", [
            S(rng, "A", issue_date=D(2025, 3, 31), term_years=3, repayment="level-payment",
              frequency="monthly", day_count="ACT/365F", annual_rate="0"),
            S(rng, "B", issue_date=D(2025, 3, 31), term_years=4, repayment="level-payment",
              frequency="quarterly", annual_rate="0", interest_only_years=1,
              step_rates=[(3, None)]),
            S(rng, "C", issue_date=D(2025, 3, 31), term_years=2, repayment="accumulating",
              interest="compound", annual_rate="0"),
        ]),
        ("three-series-fiscal-0930", "09-30", [
            S(rng, "A", issue_date=D(2024, 2, 29), term_years=3, repayment="bullet",
              frequency="semi-annual", day_count="ACT/ACT", business_day="following",
              annual_rate=None),
            S(rng, "B", issue_date=D(2025, 10, 31), term_years=5, repayment="level-payment",
              frequency="quarterly", day_count="30E/360", business_day="modified-following",
              interest_only_years=2, annual_rate=None, step_rates=[(4, None)]),
            S(rng, "C", issue_date=D(2027, 1, 31), maturity_date=D(2031, 7, 15),
              repayment="accumulating", interest="compound", frequency="semi-annual",
              day_count="ACT/365F", annual_rate=None),
        ]),
        ("three-series-fiscal-0229", "02-29", [
            S(rng, "A", issue_date=D(2024, 2, 29), term_years=4, repayment="level-principal",
              frequency="monthly", day_count="ACT/ACT", business_day="modified-following",
              interest_only_years=1, annual_rate=None),
            S(rng, "B", issue_date=D(2025, 3, 1), term_years=3, repayment="accumulating",
              interest="simple", day_count="30E/360", annual_rate=None,
              step_rates=[(2, None)]),
            S(rng, "C", issue_date=D(2026, 11, 30), maturity_date=D(2030, 5, 31),
              repayment="level-payment", frequency="semi-annual", day_count="ACT/365F",
              business_day="following", annual_rate=None),
        ]),
        ("bullet-monthly-actact-steps-modfol", "06-30", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=2, repayment="bullet",
              frequency="monthly", day_count="ACT/ACT", business_day="modified-following",
              annual_rate=None, step_rates=[(2, None)]),
        ]),
        ("lp-annual-high-rate-long-periods", "12-31", [
            S(rng, "A", issue_date=D(2024, 2, 29), term_years=6, repayment="level-payment",
              frequency="annual", day_count="ACT/ACT", business_day="following",
              annual_rate=None, step_rates=[(3, "0.95")]),
        ]),
        ("lpr-monthly-ties", "12-31", [
            S(rng, "A", issue_date=D(2025, 6, 30), term_years=2, repayment="level-principal",
              frequency="monthly", day_count="30/360", annual_rate=None),
            S(rng, "B", issue_date=D(2025, 6, 30), term_years=3, repayment="level-principal",
              frequency="semi-annual", day_count="30/360", interest_only_years=1,
              annual_rate=None),
        ]),
        ("lp-step-to-same-rate", "12-31", [
            S(rng, "A", issue_date=D(2024, 8, 31), term_years=5, repayment="level-payment",
              frequency="quarterly", day_count="30/360", business_day="modified-following",
              annual_rate="0.04125", step_rates=[(2, "0.04125"), (4, "0.05")]),
        ]),
        ("few-day-term-and-merged-stub", "12-31", [
            S(rng, "A", issue_date=D(2025, 5, 30), maturity_date=D(2025, 5, 31),
              repayment="level-payment", frequency="monthly", day_count="ACT/365F",
              business_day="modified-following", annual_rate=None),
            S(rng, "B", issue_date=D(2025, 5, 30), maturity_date=D(2026, 5, 31),
              repayment="level-principal", frequency="monthly", day_count="ACT/ACT",
              business_day="modified-following", annual_rate=None),
        ]),
        ("four-series-fiscal-0630", "06-30", [
            S(rng, "A", issue_date=D(2023, 12, 29), maturity_date=D(2027, 3, 31),
              repayment="level-payment", frequency="monthly", day_count="ACT/ACT",
              business_day="following", interest_only_years=1, annual_rate=None,
              step_rates=[(3, None)]),
            S(rng, "B", issue_date=D(2024, 7, 1), term_years=3, repayment="accumulating",
              interest="simple", day_count="ACT/365F", business_day="modified-following",
              annual_rate=None),
            S(rng, "C", issue_date=D(2025, 6, 30), term_years=4, repayment="level-principal",
              frequency="quarterly", day_count="30E/360", business_day="following",
              annual_rate=None, step_rates=[(2, None)]),
            S(rng, "D", issue_date=D(2026, 9, 30), term_years=2, repayment="bullet",
              frequency="quarterly", day_count="30/360", annual_rate=None),
        ]),
        ("lp-semiannual-30E-io2-cents", "12-31", [
            S(rng, "A", face_value="12.35", issue_date=D(2024, 8, 31), term_years=7,
              repayment="level-payment", frequency="semi-annual", day_count="30E/360",
              interest_only_years=2, annual_rate=None, step_rates=[(5, None)]),
        ]),
        # refused on purpose: interest-only years are for amortising series only, and a
        # step rate must start within the term
        ("refused-io-on-accumulating", "12-31", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=3, repayment="accumulating",
              interest="compound", interest_only_years=1, annual_rate=None),
        ]),
        ("refused-step-after-term", "12-31", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=3, repayment="bullet",
              annual_rate=None, step_rates=[(4, None)]),
        ]),
        # sculpted: each fiscal year pays its cash flow / one coverage k (the probes of the
        # amount run on 12-31 fiscal years, so each capacity also covers those)
        ("sculpted-annual-act365-growing", "12-31", [
            S(rng, "A", issue_date=D(2025, 3, 31), term_years=6, repayment="sculpted",
              day_count="ACT/365F", annual_rate=None, capacity=CAP_GROWING),
        ], CAP_GROWING),
        ("sculpted-monthly-actact-steps-modfol", "06-30", [
            S(rng, "A", issue_date=D(2025, 1, 31), term_years=4, repayment="sculpted",
              frequency="monthly", day_count="ACT/ACT", business_day="modified-following",
              annual_rate=None, step_rates=[(3, None)], capacity=CAP_BASE),
        ], CAP_BASE),
        ("sculpted-semiannual-30E-and-level-other-debt", "09-30", [
            S(rng, "A", issue_date=D(2024, 8, 31), maturity_date=D(2029, 5, 31),
              repayment="sculpted", frequency="semi-annual", day_count="30E/360",
              annual_rate=None, capacity=CAP_TABLE),
            S(rng, "B", issue_date=D(2025, 2, 28), term_years=3, repayment="level-payment",
              frequency="quarterly", annual_rate=None),
        ], CAP_TABLE),
        ("sculpted-quarterly-steep-interest-only", "12-31", [
            S(rng, "A", issue_date=D(2025, 12, 31), term_years=4, repayment="sculpted",
              frequency="quarterly", day_count="30/360", annual_rate="0.09",
              capacity=CAP_STEEP),
        ], CAP_STEEP),
    ]  # fmt: skip


#: the cash flows of the sculpted plans (by fiscal year from the first issue's)
CAP_GROWING = {"cash_flow": [Decimal(x) for x in ("9000", "41000.5", "43500", "45250.25", "47000", "49999.99", "52000", "53000")]}  # fmt: skip
CAP_BASE = {"cash_flow_base": Decimal("120000"), "cash_flow_growth": Decimal("0.0175"), "other_debt_service": [Decimal("15000.5")]}  # fmt: skip
CAP_TABLE = {"cash_flow": [Decimal(x) for x in ("30000", "61000", "64000.75", "59000", "70000", "72500", "75000")], "other_debt_service": [Decimal(x) for x in ("5000", "5000", "5000", "2500", "2500", "0", "0")], "first_fiscal_year": 2024}  # fmt: skip
CAP_STEEP = {"cash_flow": [Decimal(x) for x in ("1000", "2000", "60000", "70000", "80000")]}  # fmt: skip


@cache
def _checked() -> tuple[tuple, tuple]:
    rng = random.Random(SEED)
    good, bad = [], []
    for i, (name, fye, series, *capacity) in enumerate(_plans(rng)):
        data = _base(name, ("fr", "en")[i % 2], fye, series, *capacity)
        try:
            validate_data(data)
        except ScenarioError as exc:
            bad.append((name, str(exc)))
            continue
        good.append((name, data, data["scenario"]["language"]))
    return tuple(good), tuple(bad)


def scenarios() -> list[tuple[str, dict, str]]:
    """The valid seeded scenarios: (name, data for ``validate_data``, language)."""
    return list(_checked()[0])


def refused() -> list[tuple[str, str]]:
    """The plans bondkit refuses: (name, its messages)."""
    return list(_checked()[1])


def ties(data: dict) -> int:
    """Exact half-cent ties in the schedules of ``data`` (to report the adversarial reach)."""
    return sum(_ties(t) for t in validate_data(data).series_terms())


#: scenarios whose recalculated workbook differs from bondkit by a cent, found by
#: evaluating the schedule's formulas in binary floating point as the spreadsheet does and
#: keeping the amounts where that lands on the other side of a half cent than the exact
#: value; each: (name, data, lang, the cell and why)
def tie_regressions() -> list[tuple[str, dict, str]]:
    """Compound interest whose exact value is a half cent but whose floating-point value
    lies some hundred ulps below it (1 000 $ at 1.5 % compounded twice: 30.225, computed
    30.22499999999968): a plain ROUND(x, 2) showed a cent less in LibreOffice; the
    workbook now rounds to 9 decimals first."""
    series = [
        {
            "id": sid, "amount": Decimal(amount), "face_value": Decimal(500),
            "annual_rate": Decimal(rate), "issue_date": D(2025, 1, 31), "term_years": 2,
            "repayment": "accumulating", "interest": "compound",
        }
        for sid, amount, rate in (("A", 1_000, "0.015"), ("B", 5_000, "0.025"), ("C", 3_000, "0.035"))
    ]  # fmt: skip
    return [("tie-compound-exact-half-cents", _base("tie-compound-exact-half-cents", "en", "12-31", series), "en")]  # fmt: skip


def known_mismatches() -> list[tuple[str, dict, str, str]]:
    near_tie = {
        "id": "A", "amount": Decimal("489652.87"), "face_value": Decimal("0.01"),
        "annual_rate": Decimal("0.04431"), "issue_date": D(2024, 7, 1), "term_years": 2,
        "repayment": "bullet", "frequency": "annual", "day_count": "ACT/ACT",
    }  # fmt: skip
    return [
        (
            "mismatch-act-act-near-tie",
            _base("mismatch-act-act-near-tie", "fr", "12-31", [near_tie]),
            "fr",
            "B3.4!H10 =ROUND(ROUND(G10*F10*E10,9),2): the exact interest 489652.87 x 0.04431 "
            "x 66703/66795 = 21666.634999999986... is 1.4e-11 below a half cent, bondkit "
            "rounds it down to 21666.63; a spreadsheet in binary floating point cannot tell "
            "it from the half and shows 21666.64",
        ),
    ]
