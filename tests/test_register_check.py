"""The check's numpy screen misses nothing: on registers tampered with at random, it
reports exactly what checking every event one by one reports (issue #13: a full check of
10,000 holders under 2 s, measured by `make bench`)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

import bondkit.register.check as check
from bondkit.register import Posting, Register
from bondkit.scenario import load_example

AT = dt.datetime(2028, 1, 5, 12, tzinfo=dt.UTC)


def _register(path) -> Register:
    """Every kind of event: subscriptions in three series, payments received, a payment
    run, a transfer, an estate, a redemption, a correction."""
    reg = Register.create(path, load_example("solar-coop-multi-series"), by="Lucie", now=AT)
    rng = random.Random(3)
    for i in range(24):
        reg.add_subscription(
            name=f"H{i}",
            series=("A-3y", "B-5y", "C-7y")[i % 3],
            bonds=rng.randint(1, 4),
            subscribed_on="2026-02-01",
            reason="form",
            now=AT,
        )
    for h in (1, 2, 3):
        reg.record(
            "payment_received",
            "2026-02-10",
            [Posting(h, cash_cents=50_000)],
            reason="cheque",
            now=AT,
        )
    reg.pay("2026-06-02", reason="run", now=AT)
    reg.transfer(4, 1, on="2026-10-01", to={"name": "New"}, reason="sale", now=AT)
    reg.estate(5, on="2026-11-01", reason="death", now=AT)
    reg.request_redemption(8, 1, asked_on="2028-04-01", reason="letter", now=AT)
    reg.redeem("2028-10-02", reason="redemption", now=AT)
    wrong = reg.record(
        "payment_received", "2026-02-11", [Posting(6, cash_cents=10)], reason="typo", now=AT
    )
    reg.correct(wrong, reason="typo", now=AT)
    assert reg.check().ok
    return reg


def _every_event(ledger, series):
    return {int(e[0]) for e in ledger.events}


@pytest.mark.parametrize("seed", range(12))
def test_the_screen_reports_what_checking_every_event_reports(tmp_path, monkeypatch, seed):
    reg = _register(tmp_path / "r.db")
    conn = reg._conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DROP TRIGGER postings_no_update")
    conn.execute("DROP TRIGGER postings_no_delete")
    rng = random.Random(seed)
    n = conn.execute("SELECT MAX(posting_id) FROM postings").fetchone()[0]
    for _ in range(rng.randint(1, 4)):
        posting = rng.randint(1, n)
        what = rng.choice(("amount", "sign", "holding", "delete"))
        if what == "amount":
            column = rng.choice(("bonds", "principal_cents", "interest_cents", "cash_cents"))
            conn.execute(
                f"UPDATE postings SET {column} = {column} + ? WHERE posting_id = ?",
                (rng.choice((-1, 1, 100)), posting),
            )
        elif what == "sign":
            conn.execute(
                "UPDATE postings SET bonds = -bonds, principal_cents = -principal_cents, "
                "interest_cents = -interest_cents, cash_cents = -cash_cents "
                "WHERE posting_id = ?",
                (posting,),
            )
        elif what == "holding":
            conn.execute(
                "UPDATE postings SET holding_id = ? WHERE posting_id = ?",
                (rng.randint(1, 30), posting),
            )
        else:
            conn.execute("DELETE FROM postings WHERE posting_id = ?", (posting,))
    fast = [str(p) for p in reg.check().problems]
    monkeypatch.setattr(check, "_suspects", _every_event)
    slow = [str(p) for p in reg.check().problems]
    assert fast == slow
    assert slow  # the tampering was seen (a dropped guard at least)
    reg.close()
