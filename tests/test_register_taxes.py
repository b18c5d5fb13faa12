"""Every February (issue #14): the tax engine's golden cases, worked out by hand in the
comments (30/360 bond basis: days = 360 x years + 30 x months + days, the 31st of a
month counted as such when the start is before the 30th), then a property over random
registers: over the life of every holding, the lines add up to the interest it earned.

Expected amounts are computed here by hand (or with Fraction arithmetic written in the
test), never by the code under test; money is in cents, rounded half up.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from bondkit.data.tax_rules import CANADA, UNITED_KINGDOM, UNITED_STATES, next_business_day
from bondkit.register import Posting, Register, RegisterError
from bondkit.scenario import parse_scenario

D = dt.date


def sin(prefix: int) -> str:
    """A valid SIN (Luhn) from 8 digits: the check digit that makes the sum end in 0."""
    digits = f"{prefix:08d}"
    total = 0
    for i, c in enumerate(digits):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def scenario(series: str, opens: str, closes: str, start: str = "issue-date"):
    text = (
        '[scenario]\nname = "Tax test"\nlanguage = "en"\n[issuer]\nname = "Coop"\n'
        + series
        + f"""
[campaign]
opens = {opens}
closes = {closes}
minimum = 100
target = 1_000
interest_start = "{start}"
[[campaign.segments]]
name = "Members"
people = 100
reached = 0.5
supporting = 0.5
conversion = 0.1
ticket_median = 1_000
ticket_spread = 0.5
"""
    )
    return parse_scenario(text)


def series(sid, issue, years, rate, repayment, face=1_000, amount=100_000, **more) -> str:
    lines = [
        "[[series]]",
        f'id = "{sid}"',
        f"amount = {amount}",
        f"face_value = {face}",
        f"annual_rate = {rate}",
        f"issue_date = {issue}",
        f"term_years = {years}",
        f'repayment = "{repayment}"',
    ]
    lines += [f'{k} = "{v}"' for k, v in more.items()]
    return "\n".join(lines) + "\n"


def lines_of(ty, holder=None):
    df = ty.lines if holder is None else ty.lines[ty.lines["holder_id"] == holder]
    return [(r.on.date().isoformat(), r.kind, int(r.amount_cents), r.note) for r in df.itertuples()]


def row(ty, holder):
    return ty.by_holder.set_index("holder_id").loc[holder]


# ---------------------------------------------------------------- CRA's October 29 example


def test_cra_october_29_example(tmp_path):
    # A 5-year compound series at 3 %, annual, 30/360, issued October 29 2021 (year 1); one
    # holding of 10 bonds of 1,000 $ (1,000,000 cents), redeemed on April 7 2025 (year 5)
    # with all the interest accrued to that day. CRA: slips for the interest accrued to
    # October 28 of years 2, 3, 4 and to April 7 of year 5.
    #   2022-10-28: Oct 29 2021 -> Oct 28 2022 = 360 + 0 + (28 - 29) = 359 days:
    #     1,000,000 x 3 % x 359/360 = 29,916.67 -> 29,917
    #   2023-10-28: a full year (x 1.03), then 359/360 of the next:
    #     1,000,000 x (1.03 x (1 + 0.03 x 359/360) - 1) = 60,814.17 -> 60,814; less 29,917
    #     already reported: 30,897
    #   2024-10-28: 1,000,000 x (1.03^2 x (1 + 0.03 x 359/360) - 1) = 92,638.59 -> 92,639;
    #     less 60,814: 31,825
    #   2025-04-07: Oct 29 2024 -> Apr 7 2025 = 360 - 180 + (7 - 29) = 158 days:
    #     1,000,000 x (1.03^3 x (1 + 0.03 x 158/360) - 1) = 107,114.57 -> 107,115 paid;
    #     less 92,639 reported: 14,476
    sc = scenario(
        series("A", "2021-10-29", 5, "0.03", "accumulating", interest="compound"),
        "2021-09-01",
        "2021-10-29",
    )
    with Register.create(tmp_path / "cra.db", sc) as reg:
        h = reg.add_subscription(
            name="Lucie",
            sin=sin(4645428),
            series="A",
            bonds=10,
            subscribed_on="2021-10-01",
            reason="form",
        )
        reg.record(
            "interest_accrued", "2025-04-07", [Posting(h, interest_cents=107_115)], reason="r"
        )
        reg.record(
            "early_redemption",
            "2025-04-07",
            [Posting(h, bonds=-10, principal_cents=-1_000_000, interest_cents=-107_115, cash_cents=-1_107_115)],
            reason="redeemed",
        )  # fmt: skip
        years = {y: reg.tax_year(y) for y in range(2021, 2027)}
    assert lines_of(years[2021]) == []  # no anniversary day in year 1
    assert lines_of(years[2022]) == [("2022-10-28", "accrued_12_4", 29_917, "anniversary")]
    assert lines_of(years[2023]) == [("2023-10-28", "accrued_12_4", 30_897, "anniversary")]
    assert lines_of(years[2024]) == [("2024-10-28", "accrued_12_4", 31_825, "anniversary")]
    assert lines_of(years[2025]) == [("2025-04-07", "interest_paid", 14_476, "redemption")]
    assert lines_of(years[2026]) == []
    assert [bool(row(years[y], 1)["issued_t5"]) for y in range(2022, 2026)] == [True] * 4
    # year 1: a statement only (the holding was held), no slip
    assert years[2021].statements["holding_id"].tolist() == [1]
    assert not years[2021].by_holder["issued_t5"].any()
    # what was reported adds up to what was paid, once
    assert 29_917 + 30_897 + 31_825 + 14_476 == 107_115


# ---------------------------------------------------------------- a series issued January 1


@pytest.fixture(scope="module")
def january(tmp_path_factory):
    """A compound 5-year series at 4 %, annual, 30/360, issued 2026-01-01: its anniversary
    is December 31 (Jan 1 -> Dec 31 is 360 + 30 x 11 + 30 = 360 days on 30/360: a full
    year each time). Five holders of 5 bonds of 1,000 $ (500,000 cents each):

    1 Alice (SIN), held to maturity; 2 Bruno (SIN), redeemed early at a penalty on
    2028-06-30; 3 Chloé (SIN), dies 2027-07-01 (her estate is holder 6); 4 Coop X, a
    corporation (no SIN); 5 Denis, joint with Eva, no SIN. Maturity 2031-01-01 paid."""
    tmp = tmp_path_factory.mktemp("january")
    sc = scenario(
        series("A", "2026-01-01", 5, "0.04", "accumulating", interest="compound"),
        "2025-10-01",
        "2025-12-31",
    )
    reg = Register.create(tmp / "jan.db", sc)
    reg.add_subscriptions(
        [
            {"name": "Alice", "sin": sin(4645428), "series": "A", "bonds": 5, "subscribed_on": "2025-12-01"},
            {"name": "Bruno", "sin": sin(13013013), "series": "A", "bonds": 5, "subscribed_on": "2025-12-01"},
            {"name": "Chloé", "sin": sin(27272727), "series": "A", "bonds": 5, "subscribed_on": "2025-12-01"},
            {"name": "Coop X", "kind": "corporation", "series": "A", "bonds": 5, "subscribed_on": "2025-12-01"},
            {"name": "Denis", "co_holder": "Eva", "series": "A", "bonds": 5, "subscribed_on": "2025-12-01"},
        ],
        reason="forms",
    )  # fmt: skip
    reg.estate(3, on="2027-07-01", reason="death notice")
    # Bruno's early redemption pays 300 $ of interest (the issuer's penalty): less than the
    # 408 $ already reported for 2026 and 2027
    reg.record("interest_accrued", "2028-06-30", [Posting(2, interest_cents=30_000)], reason="r")
    reg.record(
        "early_redemption",
        "2028-06-30",
        [Posting(2, bonds=-5, principal_cents=-500_000, interest_cents=-30_000, cash_cents=-530_000)],
        reason="redeemed at a penalty",
    )  # fmt: skip
    reg.pay("2031-01-01", reason="maturity")
    years = {y: reg.tax_year(y) for y in range(2025, 2032)}
    reg.close()
    return years


def test_a_compound_bond_issued_january_1_gives_one_slip_a_year(january):
    # 500,000 x (1.04^n - 1) on December 31 of each year n = 1..5:
    #   20,000; 40,800; 62,432; 84,929.28 -> 84,929; 108,326.45 -> 108,326
    # reported each year: the difference: 20,000; 20,800; 21,632; 22,497; 23,397
    expected = {2026: 20_000, 2027: 20_800, 2028: 21_632, 2029: 22_497, 2030: 23_397}
    for year, cents in expected.items():
        assert lines_of(january[year], 1) == [
            (f"{year}-12-31", "accrued_12_4", cents, "anniversary")
        ]
        assert row(january[year], 1)["t5_cents"] == cents and row(january[year], 1)["issued_t5"]
    # at maturity the run pays 108,326 (the calendar's amount): all of it already reported
    assert lines_of(january[2031], 1) == [("2031-01-01", "interest_paid", 0, "maturity")]
    assert not row(january[2031], 1)["issued_t5"]
    st = january[2031].statements.set_index("holding_id").loc[1]
    assert st["interest_paid_cents"] == 108_326 and st["principal_outstanding_cents"] == 0
    assert sum(expected.values()) == 108_326
    # the statement of 2027: 208 $ reported, the whole 5,000 $ outstanding, next payment at
    # maturity: 5,000 $ + 1,083.26 $
    st = january[2027].statements.set_index("holding_id").loc[1]
    assert st["interest_accrued_reported_cents"] == 20_800 and st["interest_paid_cents"] == 0
    assert st["principal_outstanding_cents"] == 500_000
    assert st["next_payment_on"] == pd.Timestamp("2031-01-01")
    assert st["next_payment_cents"] == 608_326


def test_an_early_redemption_at_a_penalty_never_gives_a_negative_slip(january):
    # Bruno: 20,000 (2026) + 20,800 (2027) = 40,800 reported; the redemption pays 30,000:
    # 30,000 - 40,800 = -10,800 -> a line of 0, and a penalty line of 10,800 (s. 20(21))
    assert lines_of(january[2028], 2) == [
        ("2028-06-30", "interest_paid", 0, "redemption"),
        ("2028-06-30", "penalty", 10_800, "s20_21"),
    ]
    r = row(january[2028], 2)
    assert r["reportable_cents"] == 0 and not r["issued_t5"] and r["penalty_cents"] == 10_800
    assert any(
        w.key == "tax.warn.penalty" and ("holders", "2") in w.fields for w in january[2028].warnings
    )
    assert 2 not in set(january[2029].by_holder["holder_id"])  # nothing held after
    # over its life: 20,000 + 20,800 + 0 - 10,800 = 30,000, the interest paid
    assert 20_000 + 20_800 - 10_800 == 30_000


def test_a_death_and_an_estate(january):
    # Chloé reported 20,000 for 2026; she dies 2027-07-01: Jan 1 -> Jul 1 2027 is 180 days:
    # 500,000 x (1.04 x 1.02 - 1) = 30,400 accrued, 10,400 more, reported to her (to the
    # day of death); her estate (holder 6) from then: 40,800 - 30,400 = 10,400 on Dec 31
    assert lines_of(january[2027], 3) == [("2027-07-01", "accrued_12_4", 10_400, "estate")]
    assert lines_of(january[2027], 6) == [("2027-12-31", "accrued_12_4", 10_400, "anniversary")]
    assert lines_of(january[2028], 6) == [("2028-12-31", "accrued_12_4", 21_632, "anniversary")]
    estate = row(january[2027], 6)
    assert estate["estate"] and estate["missing_sin"] and estate["issued_t5"]
    assert not row(january[2027], 3)["estate"] and not row(january[2027], 3)["missing_sin"]
    assert 3 not in set(january[2028].by_holder["holder_id"])


def test_a_corporation_gets_no_accrual_slip_and_is_flagged(january):
    # Coop X: no 12(4) line; at maturity the whole 108,326 paid is reported then
    for year in range(2026, 2031):
        assert lines_of(january[year], 4) == []
        assert row(january[year], 4)["corporation"] and not row(january[year], 4)["issued_t5"]
    assert lines_of(january[2031], 4) == [("2031-01-01", "interest_paid", 108_326, "maturity")]
    assert row(january[2031], 4)["issued_t5"] and row(january[2031], 4)["issued_rl3"]
    warn = [w for w in january[2026].warnings if w.key == "tax.warn.corporation"]
    assert warn and dict(warn[0].fields)["holders"] == "4"


def test_joint_holders_and_a_missing_sin(january):
    # Denis and Eva: one holding, one slip, flagged joint; no SIN: the warning names holder
    # 5 (the corporation, 4, has no SIN either but no slip in 2026)
    r = row(january[2026], 5)
    assert r["joint"] and r["missing_sin"] and r["issued_t5"] and r["t5_cents"] == 20_000
    warn = [w for w in january[2026].warnings if w.key == "tax.warn.missing_sin"]
    assert dict(warn[0].fields)["holders"] == "5"
    assert "holders 5" in str(warn[0]) and "Denis" not in str(warn[0])
    assert row(january[2026], 4)["missing_sin"]


def test_deadline_and_electronic_filing(january):
    # tax year 2026: February 28 2027 is a Sunday -> Monday March 1 2027
    assert D(2027, 2, 28).weekday() == 6
    assert january[2026].deadline == D(2027, 3, 1) == CANADA.due_date(2026)
    assert CANADA.due_date(2027) == D(2028, 2, 29)  # a Tuesday, leap year
    assert next_business_day(D(2026, 2, 28)) == D(2026, 3, 2)
    # 4 slips of each type in 2026 (holders 1, 2, 3, 5): paper allowed
    assert january[2026].electronic == {"t5": False, "rl3": False}
    assert january[2026].period == (D(2026, 1, 1), D(2026, 12, 31))


# ---------------------------------------------------------------- paid yearly, small amounts


@pytest.fixture(scope="module")
def bullet(tmp_path_factory):
    """Series A: bullet, 4 %, annual, 30/360, 3 years from 2026-03-02, bonds of 1,000 $;
    series B: bullet, 5 %, bonds of 500 $. Holders: 1 Émile, 5 bonds of A (200 $ a year);
    2 Fanny, 1 bond of A (40 $ a year); 3 Gilles, two holdings of 1 bond of B (25 $ + 25 $);
    4 Hélène, joint with Ivan, 2 bonds of A; 5, 6, 7: 2 bonds of A each (80 $)."""
    tmp = tmp_path_factory.mktemp("bullet")
    sc = scenario(
        series("A", "2026-03-02", 3, "0.04", "bullet")
        + series("B", "2026-03-02", 3, "0.05", "bullet", face=500, amount=10_000),
        "2026-01-05",
        "2026-03-02",
    )
    reg = Register.create(tmp / "bullet.db", sc)
    on = "2026-02-01"
    reg.add_subscriptions(
        [
            {"name": "Émile", "sin": sin(4645428), "series": "A", "bonds": 5, "subscribed_on": on},
            {"name": "Fanny", "sin": sin(13013013), "series": "A", "bonds": 1, "subscribed_on": on},
            {"name": "Gilles", "sin": sin(27272727), "series": "B", "bonds": 1, "subscribed_on": on},
            {"name": "Hélène", "co_holder": "Ivan", "sin": sin(31313131), "series": "A", "bonds": 2, "subscribed_on": on},
            *({"name": f"H{i}", "sin": sin(40000000 + i), "series": "A", "bonds": 2, "subscribed_on": on} for i in range(3)),
        ],
        reason="forms",
    )  # fmt: skip
    reg.add_subscription(holder_id=3, series="B", bonds=1, subscribed_on=on, reason="form")
    for day in ("2027-03-02", "2028-03-02", "2029-03-02"):
        reg.pay(day, reason="run")
    years = {y: reg.tax_year(y) for y in (2026, 2027, 2029)}
    years["US"] = reg.tax_year(2027, "US")
    years["UK"] = reg.tax_year(2026, "UK")
    reg.close()
    return years


def test_a_bullet_paying_yearly(bullet):
    # 5,000 $ x 4 % = 200 $ paid on March 2 of 2027, 2028, 2029 (with the principal in 2029)
    assert lines_of(bullet[2026], 1) == []
    st = bullet[2026].statements.set_index("holding_id").loc[1]
    assert (
        st["next_payment_on"] == pd.Timestamp("2027-03-02") and st["next_payment_cents"] == 20_000
    )
    assert st["mode"] == "paid" and st["principal_outstanding_cents"] == 500_000
    assert lines_of(bullet[2027], 1) == [("2027-03-02", "interest_paid", 20_000, "paid")]
    assert row(bullet[2027], 1)["issued_t5"]
    st = bullet[2029].statements.set_index("holding_id").loc[1]
    assert st["interest_paid_cents"] == 20_000 and st["principal_outstanding_cents"] == 0
    assert pd.isna(st["next_payment_on"]) and st["next_payment_cents"] == 0


def test_below_50_dollars_a_statement_only_and_the_threshold_per_recipient(bullet):
    # Fanny: 1,000 $ x 4 % = 40 $ < 50 $: her statement, no slip
    assert not row(bullet[2027], 2)["issued_t5"] and not row(bullet[2027], 2)["issued_rl3"]
    assert row(bullet[2027], 2)["t5_cents"] == 4_000
    assert 2 in set(bullet[2027].statements["holder_id"])
    # Gilles: two holdings of 500 $ x 5 % = 25 $ each: 50 $ for the recipient: a slip
    assert row(bullet[2027], 3)["t5_cents"] == 5_000 and row(bullet[2027], 3)["issued_t5"]
    assert len(lines_of(bullet[2027], 3)) == 2


def test_joint_holders_get_one_slip_and_six_slips_must_be_filed_electronically(bullet):
    assert row(bullet[2027], 4)["joint"] and len(lines_of(bullet[2027], 4)) == 1
    # slips in 2027: holders 1, 3, 4, 5, 6, 7 = 6 > 5: electronic filing for both types
    assert int(bullet[2027].by_holder["issued_t5"].sum()) == 6
    assert bullet[2027].electronic == {"t5": True, "rl3": True}
    assert not bullet[2027].warnings or all(
        w.key not in ("tax.warn.missing_sin", "tax.warn.corporation") for w in bullet[2027].warnings
    )


def test_other_countries(bullet):
    # US: 1099-INT from 10 $: Fanny's 40 $ is reported; due January 31 2028, a Monday
    us = bullet["US"]
    assert D(2028, 1, 31).weekday() == 0
    assert us.deadline == D(2028, 1, 31) and row(us, 2)["issued_f1099_int"]
    assert not row(us, 1)["non_resident"]  # no country known: not flagged
    # UK: the tax year 6 April 2026 - 5 April 2027 holds the payments of March 2 2027;
    # return within 3 months: 5 July 2027; threshold £250 (practice): 200 < 250
    uk = bullet["UK"]
    assert uk.period == (D(2026, 4, 6), D(2027, 4, 5)) and uk.deadline == D(2027, 7, 5)
    assert row(uk, 1)["uk_return_cents"] == 20_000 and not row(uk, 1)["issued_uk_return"]
    assert any(w.key == "tax.warn.to_confirm" for w in uk.warnings)
    assert UNITED_KINGDOM.slip("uk_return").threshold_cents == 25_000
    assert UNITED_STATES.slip("f1099_int").modes == ("paid",)


# ---------------------------------------------------------------- bought mid-year


def test_a_simple_bond_bought_mid_year_accrues_from_its_subscription(tmp_path):
    # Simple interest, 3 %, 30/360, issued 2026-03-02; the subscription-date rule: holder 1
    # buys 10 bonds of 500 $ (5,000 $: 150 $ a year) on 2026-07-15, holder 2 at the issue.
    # Anniversary days: March 1. Holder 1 to 2027-03-01: Jul 15 2026 -> Mar 1 2027 is
    # 360 - 120 + (1 - 15) = 226 days: 150 x 226/360 = 94.1666 -> 94.17 $ (9,417);
    # to 2028-03-01: the first bond year from Jul 15 to Mar 2 2027 (227 days) and 359 days
    # of the next: 150 x 586/360 = 244.1666 -> 244.17 $, so 24,417 - 9,417 = 15,000 more.
    # Holder 2 from the issue: 150 x 359/360 = 149.58 $ (14,958) to 2027-03-01.
    sc = scenario(
        series("A", "2026-03-02", 5, "0.03", "accumulating", face=500, interest="simple"),
        "2026-01-05",
        "2026-03-02",
        start="subscription-date",
    )
    with Register.create(tmp_path / "mid.db", sc) as reg:
        reg.add_subscription(
            name="Late", series="A", bonds=10, subscribed_on="2026-07-15", reason="f"
        )
        reg.add_subscription(
            name="Early", series="A", bonds=10, subscribed_on="2026-03-02", reason="f"
        )
        y26, y27, y28 = (reg.tax_year(y) for y in (2026, 2027, 2028))
    assert lines_of(y26) == []  # no anniversary day in 2026: statements only
    assert sorted(y26.statements["holding_id"]) == [1, 2]
    assert lines_of(y27, 1) == [("2027-03-01", "accrued_12_4", 9_417, "anniversary")]
    assert lines_of(y28, 1) == [("2028-03-01", "accrued_12_4", 15_000, "anniversary")]
    assert lines_of(y27, 2) == [("2027-03-01", "accrued_12_4", 14_958, "anniversary")]


def test_an_unknown_country_or_year_is_refused(tmp_path):
    sc = scenario(series("A", "2026-03-02", 3, "0.04", "bullet"), "2026-01-05", "2026-03-02")
    with Register.create(tmp_path / "r.db", sc) as reg:
        with pytest.raises(RegisterError, match="no tax rules for country FR"):
            reg.tax_year(2026, "FR")
        with pytest.raises(RegisterError, match="not a tax year"):
            reg.tax_year("2026")  # type: ignore[arg-type]
        assert reg.tax_year(2026).by_holder.empty


# ---------------------------------------------------------------- property: random registers


def _random_register(path, seed: int) -> Register:
    """Three series issued on different days (a bullet on ACT/365F, a compound accumulating
    series paid semi-annually on 30/360, a simple one on ACT/ACT), renewal series for the
    first two, random holders (persons, corporations, countries, SINs or not), then in
    date order: transfers, deaths, early redemptions (some at a penalty, some recorded
    wrong and corrected), renewals at maturity and every payment run."""
    from bondkit.core.schedule import periods
    from bondkit.register import store
    from bondkit.register.redemptions import accrued_for

    rng = random.Random(seed)
    sc = scenario(
        series("A", "2026-03-02", 4, "0.035", "bullet", face=100, day_count="ACT/365F")
        + series("B", "2026-06-15", 5, "0.045", "accumulating", face=100, interest="compound", frequency="semi-annual")
        + series("C", "2026-10-29", 4, "0.03", "accumulating", face=250, interest="simple", day_count="ACT/ACT"),
        "2026-01-05",
        "2026-03-02",
        start=rng.choice(["issue-date", "subscription-date"]),
    )  # fmt: skip
    reg = Register.create(path, sc)
    reg.add_renewal_series("A", "A2", annual_rate="0.03", term_years=2, reason="offer")
    reg.add_renewal_series("B", "B2", annual_rate="0.05", term_years=2, reason="offer")
    rows = []
    for i in range(rng.randint(12, 20)):
        rows.append(
            {
                "name": f"H{i}",
                "sin": sin(10_000_000 + i) if rng.random() < 0.7 else None,
                "kind": "corporation" if rng.random() < 0.2 else "person",
                "country": rng.choice([None, None, "CA", "FR"]),
                "series": rng.choice("ABC"),
                "bonds": rng.randint(1, 30),
                "subscribed_on": D(2026, 1, 5) + dt.timedelta(days=rng.randrange(57)),
            }
        )
    reg.add_subscriptions(
        [{k: v for k, v in r.items() if v is not None} for r in rows], reason="forms"
    )
    terms = {t.id: t for t in reg.series_terms()}
    raw = {r["series_id"]: r for r in reg._read(store.read_series)}
    actions = []  # (date, order, what, argument)
    for t in terms.values():
        ends = periods(t).end
        for d in ends[-1:] if t.repayment == "accumulating" else ends:
            actions.append((d, 2, "pay", None))
    for sid, into in (("A", "A2"), ("B", "B2")):
        actions.append((terms[sid].maturity, 1, "renew", (sid, into)))
    for _ in range(rng.randint(6, 14)):
        d = D(2026, 3, 2) + dt.timedelta(days=rng.randrange(4 * 365))
        actions.append(
            (d, 0, rng.choice(["transfer", "transfer", "redeem", "redeem", "estate"]), None)
        )
    for d, _order, what, arg in sorted(actions, key=lambda a: (a[0], a[1])):
        held = reg.holdings()
        held = held[held["bonds"] > 0]
        try:
            if what == "pay":
                reg.pay(d, reason="run")
            elif what == "renew":
                sid, into = arg
                mine = held[held["series_id"] == sid]
                picked = [int(h) for h in mine["holding_id"] if rng.random() < 0.5]
                if picked:
                    some = {
                        picked[0]: max(
                            1, int(mine.set_index("holding_id").loc[picked[0], "bonds"]) // 2
                        )
                    }
                    reg.renew(picked, into, bonds=some, reason="renewal")
            elif held.empty:
                continue
            elif what == "transfer":
                h = held.sample(1, random_state=rng.randrange(10**6)).iloc[0]
                k = rng.randint(1, int(h["bonds"]))
                kind = "corporation" if rng.random() < 0.3 else "person"
                reg.transfer(
                    int(h["holding_id"]), k, on=d, to={"name": f"T{d}", "kind": kind}, reason="sale"
                )
            elif what == "estate":
                h = held.sample(1, random_state=rng.randrange(10**6)).iloc[0]
                reg.estate(int(h["holder_id"]), on=d, reason="death")
            else:  # an early redemption, at a penalty half the time
                h = held.sample(1, random_state=rng.randrange(10**6)).iloc[0]
                hid, n = int(h["holding_id"]), int(h["bonds"])
                k = rng.randint(1, n)
                principal = (
                    int(h["principal_cents"]) if k == n else int(h["principal_cents"]) * k // n
                )
                start = h["interest_start"].date()
                due = accrued_for(raw[h["series_id"]], start, k, d)
                paid = due if rng.random() < 0.5 else int(due * rng.uniform(0.2, 0.9))
                if paid:
                    reg.record(
                        "interest_accrued", d, [Posting(hid, interest_cents=paid)], reason="r"
                    )
                wrong = paid // 2 if rng.random() < 0.3 else paid

                def post(i, hid=hid, k=k, principal=principal):
                    cash = -(principal + i)
                    return [
                        Posting(
                            hid,
                            bonds=-k,
                            principal_cents=-principal,
                            interest_cents=-i,
                            cash_cents=cash,
                        )
                    ]

                event = reg.record("early_redemption", d, post(wrong), reason="redeemed")
                if wrong != paid:
                    reg.correct(event, reason="typed the wrong interest",
                                replacement=("early_redemption", d, post(paid)))  # fmt: skip
        except RegisterError:
            continue
    return reg


def _earned(reg: Register) -> tuple[dict[int, int], dict[int, int]]:
    """Interest paid and credited by family (a holding and those its bonds went to by
    transfers and estates, named by the first), from the ledger: interest paid events,
    the interest of early redemptions, the interest rolled into renewals."""
    ev = reg.events()
    cancelled = set(ev["reverses"].dropna().astype(int))
    ev = ev[(ev["kind"] != "correction") & ~ev["event_id"].isin(cancelled)]
    interest = ev[ev["kind"].isin(["interest_paid", "early_redemption", "renewal"])]
    interest = interest[interest["interest_cents"] < 0]
    hold = reg.holdings().set_index("holding_id")
    family = {}
    for hid, r in hold.iterrows():
        root = hid
        while pd.notna(hold.loc[root, "origin_holding_id"]) and hold.loc[int(hold.loc[root, "origin_holding_id"]), "series_id"] == r["series_id"]:  # fmt: skip
            root = int(hold.loc[root, "origin_holding_id"])
        family[hid] = root
    earned: dict[int, int] = {}
    for hid, cents in zip(interest["holding_id"], interest["interest_cents"], strict=True):
        earned[family[hid]] = earned.get(family[hid], 0) - int(cents)
    return earned, family


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_over_its_life_a_holding_reports_exactly_the_interest_it_earned(tmp_path, seed):
    reg = _random_register(tmp_path / f"r{seed}.db", seed)
    try:
        assert reg.check().ok
        years = {y: reg.tax_year(y) for y in range(2026, 2035)}
        us = pd.concat([reg.tax_year(y, "US").lines for y in range(2026, 2035)])
        holders = reg.holders().set_index("holder_id")
        earned, family = _earned(reg)
    finally:
        reg.close()
    lines = pd.concat([ty.lines for ty in years.values()], ignore_index=True)
    # every line in its year, never negative, none twice (one per holding, day and kind)
    for y, ty in years.items():
        assert (ty.lines["on"].dt.year == y).all()
    assert (lines["amount_cents"] >= 0).all()
    assert not lines.duplicated(["holding_id", "on", "kind"]).any()
    for frame, sign in ((lines, lines["kind"].map(lambda k: -1 if k == "penalty" else 1)), (us, 1)):
        net = (frame["amount_cents"] * sign).groupby(frame["holding_id"].map(family)).sum()
        got = {int(k): int(v) for k, v in net.items() if v}
        assert got == {k: v for k, v in earned.items() if v}, seed
    assert sum(earned.values()) > 0
    # a year's amounts per holder are its lines'; flags follow the holders' rows
    for ty in years.values():
        by = ty.by_holder.set_index("holder_id")
        assert (by["reportable_cents"] >= 0).all()
        assert (by["t5_cents"] == by["reportable_cents"]).all()
        assert (by["issued_t5"] == (by["t5_cents"] >= 5_000)).all()
        country = holders["country"].reindex(by.index)
        assert (by["non_resident"] == (country == "FR")).all()
        assert (by["corporation"] == (holders["kind"].reindex(by.index) == "corporation")).all()
        corp = by.index[by["corporation"]]
        assert not ty.lines[
            ty.lines["holder_id"].isin(corp) & (ty.lines["kind"] == "accrued_12_4")
        ].shape[0]
