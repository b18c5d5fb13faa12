"""bondkit.report.tables: the schedule as the contract's CSV and JSON, and as a table.

The contract (/work/shared/scenario-format.md, ``bondkit schedule``): header exactly
``series,period,date,opening_balance,interest,principal,payment,closing_balance``, dates
ISO, amounts with 2 decimals and no thousands separator, lines ending in ``\\n``; JSON: an
array of objects with the same keys, amounts as numbers. Expected rows are written by hand;
sums are checked with ``decimal`` against the schedule's integer cents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bondkit.cli import main
from bondkit.core.schedule import issue_schedule
from bondkit.core.terms import SeriesTerms
from bondkit.report.tables import schedule_csv, schedule_json, schedule_records, schedule_table
from bondkit.scenario import list_examples, load_example

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
EXAMPLES = list_examples()
HEADER = "series,period,date,opening_balance,interest,principal,payment,closing_balance"
KEYS = HEADER.split(",")
MONEY = ["opening_balance", "interest", "principal", "payment", "closing_balance"]
AMOUNT = re.compile(r"^\d+\.\d\d$")  # two decimals, no separator, never negative here
ISO = re.compile(r"^\d{4}-\d\d-\d\d$")


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def schedules():
    """The schedule of every example (every series, in cents)."""
    return {name: issue_schedule(load_example(name).series_terms()) for name in EXAMPLES}


# ---------------------------------------------------------------- by hand


def test_level_principal_csv_by_hand():
    # 100,000 $ over 4 years at 5 %, yearly: 25,000 $ of principal a year, interest on the
    # balance (5,000, 3,750, 2,500, 1,250 $)
    s = SeriesTerms("B", 100_000, 1_000, 0.05, dt.date(2027, 1, 15), term_years=4,
                    repayment="level-principal")  # fmt: skip
    assert schedule_csv(issue_schedule([s])) == (
        HEADER + "\n"
        "B,1,2028-01-15,100000.00,5000.00,25000.00,30000.00,75000.00\n"
        "B,2,2029-01-15,75000.00,3750.00,25000.00,28750.00,50000.00\n"
        "B,3,2030-01-15,50000.00,2500.00,25000.00,27500.00,25000.00\n"
        "B,4,2031-01-15,25000.00,1250.00,25000.00,26250.00,0.00\n"
    )


def test_cents_and_large_amounts_by_hand():
    # 12,345,678.90 $ at 4 % for one year: 493,827.156 $ -> 493,827.16 $ (half up)
    s = SeriesTerms("C", Decimal("12345678.90"), Decimal("0.10"), 0.04, dt.date(2026, 3, 2),
                    term_years=1)  # fmt: skip
    df = issue_schedule([s])
    assert schedule_csv(df) == (
        HEADER + "\nC,1,2027-03-02,12345678.90,493827.16,12345678.90,12839506.06,0.00\n"
    )
    table = schedule_table(df).splitlines()
    assert table[2].split() == [
        "C", "1", "2027-03-02", "12,345,678.90", "493,827.16", "12,345,678.90",
        "12,839,506.06", "0.00",
    ]  # fmt: skip
    [record] = json.loads(schedule_json(df))
    assert record == {
        "series": "C",
        "period": 1,
        "date": "2027-03-02",
        "opening_balance": 12345678.9,
        "interest": 493827.16,
        "principal": 12345678.9,
        "payment": 12839506.06,
        "closing_balance": 0.0,
    }


def test_small_amounts_keep_two_decimals():
    # 99.95 $ at 3 %, half-yearly 30/360: 1.49925 $ -> 1.50 $ a period
    s = SeriesTerms("D", Decimal("99.95"), Decimal("0.05"), 0.03, dt.date(2027, 1, 31),
                    term_years=1, frequency="semi-annual")  # fmt: skip
    assert schedule_csv(issue_schedule([s])).splitlines()[1:] == [
        "D,1,2027-07-31,99.95,1.50,0.00,1.50,99.95",
        "D,2,2028-01-31,99.95,1.50,99.95,101.45,0.00",
    ]


# ---------------------------------------------------------------- every example


@pytest.mark.parametrize("name", EXAMPLES)
def test_csv_follows_the_contract(schedules, name):
    df = schedules[name]
    text = schedule_csv(df)
    assert text.endswith("\n") and "\r" not in text
    lines = text.split("\n")
    assert lines[0] == HEADER
    assert lines[-1] == ""  # the last line ends in \n too
    rows = rows_of(text)
    assert len(rows) == len(df)
    for row, (_, src) in zip(rows, df.iterrows(), strict=True):
        assert list(row) == KEYS
        assert row["series"] == src["series"]
        assert int(row["period"]) == src["period"]
        assert ISO.match(row["date"]) and row["date"] == src["date"].date().isoformat()
        for key in MONEY:
            assert AMOUNT.match(row[key]), (key, row[key])
            assert Decimal(row[key]) * 100 == int(src[key]), key
        assert Decimal(row["interest"]) + Decimal(row["principal"]) == Decimal(row["payment"])


@pytest.mark.parametrize("name", EXAMPLES)
def test_csv_payments_add_up_to_the_cent(schedules, name):
    df = schedules[name]
    rows = rows_of(schedule_csv(df))
    for key in ("interest", "principal", "payment"):
        total = sum(Decimal(r[key]) for r in rows)
        assert total == Decimal(int(df[key].sum())) / 100, key
    # and the principal is the series amounts written in the file
    for sc_terms in load_example(name).series_terms():
        repaid = sum(Decimal(r["principal"]) for r in rows if r["series"] == sc_terms.id)
        assert repaid == sc_terms.amount


@pytest.mark.parametrize("name", EXAMPLES)
def test_json_has_the_csv_values(schedules, name):
    df = schedules[name]
    text = schedule_json(df)
    assert text.endswith("\n")
    records = json.loads(text)
    assert records == schedule_records(df)
    rows = rows_of(schedule_csv(df))
    assert len(records) == len(rows)
    for rec, row in zip(records, rows, strict=True):
        assert list(rec) == KEYS
        assert rec["series"] == row["series"] and rec["date"] == row["date"]
        assert type(rec["period"]) is int and rec["period"] == int(row["period"])
        for key in MONEY:
            assert isinstance(rec[key], float), key
            assert Decimal(repr(rec[key])) == Decimal(row[key]), key


@pytest.mark.parametrize("name", EXAMPLES)
def test_table_has_the_csv_values_with_separators(schedules, name):
    df = schedules[name]
    lines = schedule_table(df).split("\n")
    assert lines[-1] == ""
    header, rule, *body = lines[:-1]
    assert header.split() == KEYS
    assert set(rule.replace(" ", "")) == {"-"}
    rows = rows_of(schedule_csv(df))
    assert len(body) == len(rows)
    for line, row in zip(body, rows, strict=True):
        cells = line.split()
        assert cells[:3] == [row["series"], row["period"], row["date"]]
        for cell, key in zip(cells[3:], MONEY, strict=True):
            assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", cell), cell
            assert cell.replace(",", "") == row[key]


def test_cli_schedule_csv_is_the_contract_csv(schedules):
    name = "solar-coop-multi-series"  # three series, quarterly, business days
    outcome = CliRunner().invoke(
        main, ["schedule", str(SCENARIOS / f"{name}.toml"), "--format", "csv"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output == schedule_csv(schedules[name])
    assert [r["series"] for r in rows_of(outcome.output)][:1] == ["A-3y"]


# ---------------------------------------------------------------- any schedule


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    repayment=st.sampled_from(["bullet", "accumulating", "level-payment", "level-principal"]),
    frequency=st.sampled_from(["annual", "semi-annual", "quarterly", "monthly"]),
    day_count=st.sampled_from(["30/360", "30E/360", "ACT/365F", "ACT/ACT"]),
    face_cents=st.integers(min_value=1, max_value=200_000),
    bonds=st.integers(min_value=1, max_value=2_000),
    rate_bp=st.integers(min_value=0, max_value=1_500),
    years=st.integers(min_value=1, max_value=10),
    issue=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
)
def test_csv_sums_to_the_schedule_cents_for_any_terms(
    repayment, frequency, day_count, face_cents, bonds, rate_bp, years, issue
):
    face = Decimal(face_cents) / 100
    s = SeriesTerms("S", face * bonds, face, Decimal(rate_bp) / 10_000, issue,
                    term_years=years, repayment=repayment, frequency=frequency,
                    day_count=day_count,
                    interest="compound" if repayment == "accumulating" else None)  # fmt: skip
    df = issue_schedule([s])
    text = schedule_csv(df)
    assert text.startswith(HEADER + "\n") and text.endswith("\n")
    rows = rows_of(text)
    assert all(AMOUNT.match(r[k]) for r in rows for k in MONEY)
    assert sum(Decimal(r["payment"]) for r in rows) == Decimal(int(df["payment"].sum())) / 100
    assert sum(Decimal(r["principal"]) for r in rows) == face * bonds


# ---------------------------------------------------------------- text cells


@pytest.mark.parametrize("sid", ["-A", "=B", "+C", "@D"])
def test_csv_text_that_a_spreadsheet_would_compute_starts_with_a_quote(sid):
    s = SeriesTerms(sid, 1_000, 100, 0.04, dt.date(2027, 1, 15), term_years=1)
    assert schedule_csv(issue_schedule([s])).splitlines()[1] == (
        f"'{sid},1,2028-01-15,1000.00,40.00,1000.00,1040.00,0.00"
    )


def test_csv_plain_text_is_unchanged():
    s = SeriesTerms("A-1_x", 1_000, 100, 0.04, dt.date(2027, 1, 15), term_years=1)
    assert schedule_csv(issue_schedule([s])).splitlines()[1].startswith("A-1_x,1,")


def test_json_series_is_the_id_as_written():
    sc = load_example("solar-coop-multi-series").with_changes({"series[1].id": "-A", "offer": None})
    records = json.loads(schedule_json(issue_schedule(sc.series_terms())))
    assert records[0]["series"] == "-A"
