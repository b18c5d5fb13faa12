"""Early redemption requests, their queue under the annual cap, and their payment (issue
#13; booklet 3, moment 4 "Gestion").

The rules are the issue's, from its scenario's ``[risk]`` table, and the same ones the
redemption-risk model simulates (:mod:`bondkit.models.risk`):

- **lock-in**: no request before ``lock_in_years`` after the series' issue date;
- **notice**: a request is due ``notice_months`` after it is made, at the series' maturity
  if that comes first (it is then repaid with the others by the payment run of maturity);
- **annual cap**: the principal redeemed early in one fiscal year of the issuer is at most
  ``annual_cap`` x the principal issued (rounded down to the cent); requests wait, oldest
  first (asked on, then number). Decided: the request that does not fit is paid in the
  whole bonds that fit, its other bonds wait as a new request in its place (asked on the
  same day), and the queue stops there, so that no later request passes an earlier one.

A redemption pays the bonds' principal (their share of the holding's, in proportion, all
of it with all the bonds) and the interest accrued to the day of redemption (for an
accumulating series, all interest since issue, capitalised), recorded as an
``interest_accrued`` event and an ``early_redemption`` event; the request gets its outcome
(``redeemed``, ``withdrawn`` or ``refused``), never changed afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bondkit.errors import Message, Problem
from bondkit.labels import t
from bondkit.register import intake, store
from bondkit.register.ledger import Posting
from bondkit.register.recording import is_whole, stamp
from bondkit.register.store import RegisterError
from bondkit.register.store import redemptions as sql
from bondkit.register.terms import series_terms

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["RedemptionsMixin", "QUEUE_COLUMNS", "accrued_for"]

#: the columns of :meth:`RedemptionsMixin.redemption_queue`
QUEUE_COLUMNS = [
    "request_id",
    "holding_id",
    "holder_id",
    "series_id",
    "bonds",
    "asked_on",
    "due_on",
    "status",
    "principal_cents",
    "interest_cents",
    "total_cents",
]


def accrued_for(series: dict[str, Any], interest_start: dt.date, bonds: int, at: dt.date) -> int:
    """Interest accrued and unpaid on ``bonds`` bonds of a series at ``at`` [cents]: the
    bonds as a series of their own (their face value times their number, the series'
    terms), from the holding's interest start when ``at`` falls in its first period and
    the holding started earning interest after the period began.

    Two 1,000 $ bonds at 2 % (30/360, annual from 2016-09-01), half a year in: 20.00 $;
    a holding whose interest started on 2016-12-01, at 2017-03-01: 2,000 x 0.02 x 90/360:

    >>> row = {"series_id": "A", "amount_cents": 2000000, "face_value_cents": 100000,
    ...        "bonds": 20, "annual_rate": "0.02", "issue_date": "2016-09-01",
    ...        "maturity": "2021-09-01", "term_years": 5, "maturity_date": None,
    ...        "repayment": "bullet", "interest": None, "frequency": "annual",
    ...        "day_count": "30/360", "interest_only_years": 0, "business_day": "unadjusted",
    ...        "step_rates": "[]", "sculpt_cash_flow": "[]", "fiscal_year_end": "12-31"}
    >>> accrued_for(row, dt.date(2016, 9, 1), 2, dt.date(2017, 3, 1))
    2000
    >>> accrued_for(row, dt.date(2016, 12, 1), 2, dt.date(2017, 3, 1))
    1000
    """
    from bondkit.core.conventions import round_half_up, year_fraction
    from bondkit.core.metrics import accrued_interest
    from bondkit.core.schedule import periods

    terms = series_terms(series)
    face = Decimal(series["face_value_cents"]) / 100
    mine = replace(terms, amount=face * bonds)
    first_end = periods(mine).end[0]
    if interest_start > mine.issue_date and at < first_end and mine.repayment != "accumulating":
        if at <= interest_start:
            return 0
        yf = year_fraction(interest_start, at, mine.day_count)
        return round_half_up(Fraction(mine.amount_cents) * Fraction(str(mine.annual_rate)) * yf)
    return accrued_interest(mine, at)


class RedemptionsMixin:
    """Early redemption requests, for :class:`~bondkit.register.Register`."""

    _conn: Any
    _write: Any
    _read: Any
    _checked_event: Any

    def request_redemption(
        self,
        holding_id: int,
        bonds: int,
        *,
        asked_on: dt.date | str,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> int:
        """Record a holder's request to redeem ``bonds`` bonds of a holding early, made on
        ``asked_on``; its number. Refused (every problem, nothing recorded): no such
        holding, not whole bonds, more bonds than held less those already asked, a date
        inside the lock-in, before the subscription or not before maturity.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:  # lock-in 2 years, from 2026-03-02
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("solar-coop-multi-series")) as reg:
        ...         h = reg.add_subscription(name="Lucie Tremblay", series="B-5y", bonds=2,
        ...                                  subscribed_on="2026-02-01", reason="form")
        ...         try:
        ...             reg.request_redemption(h, 1, asked_on="2027-06-01", reason="letter")
        ...         except RegisterError as err:
        ...             print(err)
        nothing was recorded:
        asked_on: is inside the lock-in: no request before 2028-03-02 (you wrote 2027-06-01)
        """
        who, at, why = stamp(by, now, reason)
        when = intake.as_date(asked_on)

        def write(conn: Any) -> int:
            from bondkit.core.conventions import add_years

            holding = store.read_holding(conn, holding_id) if is_whole(holding_id) else None
            if holding is None:
                raise RegisterError(
                    Message("reg.err.refused"),
                    [Problem("holding", Message("reg.err.no_holding"), str(holding_id))],
                )
            problems = []
            held = store.read_balances(conn, [holding_id])[holding_id][0]
            asked = sum(
                r["bonds"] for r in sql.pending_requests(conn) if r["holding_id"] == holding_id
            )
            if not is_whole(bonds):
                problems.append(Problem("bonds", Message("msg.whole"), str(bonds)))
            elif bonds <= 0:
                problems.append(Problem("bonds", Message("msg.positive"), str(bonds)))
            elif bonds > held - asked:
                problems.append(
                    Problem(
                        "bonds",
                        Message("reg.redeem.too_many", held=held, asked=asked),
                        str(bonds),
                    )
                )
            series = _series(conn, holding["series_id"])
            lock = store.read_issue(conn)["lock_in_years"] or 0
            opens = add_years(dt.date.fromisoformat(series["issue_date"]), lock)
            if when is None:
                problems.append(Problem("asked_on", Message("msg.date"), str(asked_on)))
            elif when < dt.date.fromisoformat(holding["subscribed_on"]):
                problems.append(
                    Problem(
                        "asked_on",
                        Message("reg.move.before", date=holding["subscribed_on"]),
                        when.isoformat(),
                    )
                )
            elif when < opens:
                problems.append(
                    Problem(
                        "asked_on",
                        Message("reg.redeem.lock_in", date=opens.isoformat()),
                        when.isoformat(),
                    )
                )
            elif when >= dt.date.fromisoformat(series["maturity"]):
                problems.append(
                    Problem(
                        "asked_on",
                        Message("reg.err.after_maturity", maturity=series["maturity"]),
                        when.isoformat(),
                    )
                )
            if problems:
                raise RegisterError(Message("reg.err.refused"), problems)
            assert when is not None
            return store.insert_row(
                conn,
                "redemption_requests",
                {
                    "holding_id": holding_id,
                    "bonds": bonds,
                    "asked_on": when.isoformat(),
                    "reason": why,
                    "recorded_at": at,
                    "recorded_by": who,
                },
            )

        return self._write(write)

    def withdraw_request(
        self,
        request_id: int,
        *,
        on: dt.date | str,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        """Record that a holder withdrew a request still waiting (its outcome ``withdrawn``).

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("solar-coop-multi-series")) as reg:
        ...         h = reg.add_subscription(name="Lucie Tremblay", series="B-5y", bonds=2,
        ...                                  subscribed_on="2026-02-01", reason="form")
        ...         n = reg.request_redemption(h, 1, asked_on="2028-06-01", reason="letter")
        ...         reg.withdraw_request(n, on="2028-07-01", reason="changed their mind")
        ...         print(len(reg.redemption_queue("2028-07-01")))
        0
        """
        who, at, why = stamp(by, now, reason)
        when = intake.as_date(on)

        def write(conn: Any) -> None:
            row = sql.request_row(conn, request_id) if is_whole(request_id) else None
            if row is None or row["outcome"] is not None or when is None:
                key = "reg.redeem.no_request" if row is None else "reg.redeem.decided"
                if row is not None and row["outcome"] is None:
                    key = "msg.date"
                value = str(on) if key == "msg.date" else str(request_id)
                raise RegisterError(
                    Message("reg.err.refused"), [Problem("request", Message(key), value)]
                )
            store.insert_row(
                conn,
                "request_outcomes",
                {
                    "request_id": request_id,
                    "outcome": "withdrawn",
                    "decided_on": when.isoformat(),
                    "reason": why,
                    "recorded_at": at,
                    "recorded_by": who,
                },
            )

        self._write(write)

    def redemption_queue(self, as_of: dt.date | str) -> pd.DataFrame:
        """The requests waiting on ``as_of``, oldest first, with when each is due, what it
        would be paid that day (principal, interest accrued, total, cents) and its status:
        ``to pay`` (due, and within the cap left in the fiscal year), ``part`` (due, and
        only the bonds shown fit under the cap: they are paid, the others wait as a new
        request in the same place), ``notice`` (not due yet), ``cap`` (due, waiting for room
        under the annual cap), ``maturity`` (due at the series' maturity: repaid then with
        the others)."""
        when = _date(as_of)
        return self._read(lambda conn: _frame(_queue(conn, when)))

    def redeem(
        self,
        on: dt.date | str,
        *,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[int]:
        """Pay, on ``on``, every request of :meth:`redemption_queue` whose status that day
        is ``to pay`` or ``part``: for each, an ``interest_accrued`` event (when interest is due) and
        an ``early_redemption`` event, and its outcome ``redeemed``, all in one
        transaction. Returns the requests paid (none: nothing is recorded)."""
        who, at, why = stamp(by, now, reason)
        when = _date(on)

        def write(conn: Any) -> list[int]:
            paid = []
            language = store.read_issue(conn)["language"]
            for row in _queue(conn, when):
                if row["status"] not in ("to pay", "part"):
                    continue
                hid, interest = row["holding_id"], row["interest_cents"]
                if interest:
                    self._checked_event(
                        conn,
                        "interest_accrued",
                        when,
                        [Posting(hid, interest_cents=interest)],
                        at,
                        who,
                        why,
                    )
                event = self._checked_event(
                    conn,
                    "early_redemption",
                    when,
                    [
                        Posting(
                            hid,
                            bonds=-row["bonds"],
                            principal_cents=-row["principal_cents"],
                            interest_cents=-interest,
                            cash_cents=-row["total_cents"],
                        )
                    ],
                    at,
                    who,
                    why,
                )
                store.insert_row(
                    conn,
                    "request_outcomes",
                    {
                        "request_id": row["request_id"],
                        "outcome": "redeemed",
                        "decided_on": when.isoformat(),
                        "event_id": event,
                        "reason": why,
                        "recorded_at": at,
                        "recorded_by": who,
                    },
                )
                if row["status"] == "part":  # the bonds left wait, in the same place
                    asked = sql.request_row(conn, row["request_id"])
                    assert asked is not None
                    store.insert_row(
                        conn,
                        "redemption_requests",
                        {
                            "holding_id": row["holding_id"],
                            "bonds": asked["bonds"] - row["bonds"],
                            "asked_on": asked["asked_on"],
                            "reason": t("reg.redeem.rest", language).format(n=row["request_id"]),
                            "recorded_at": at,
                            "recorded_by": who,
                        },
                    )
                paid.append(row["request_id"])
            return paid

        return self._write(write)


def _date(value: Any) -> dt.date:
    when = intake.as_date(value)
    if when is None:
        raise RegisterError(
            Message("reg.err.refused"), [Problem("date", Message("msg.date"), str(value))]
        )
    return when


def _series(conn: Any, series_id: str) -> dict[str, Any]:
    return next(s for s in store.read_series(conn) if s["series_id"] == series_id)


def _queue(conn: Any, when: dt.date) -> list[dict[str, Any]]:
    """The pending requests on ``when``, with what each would be paid and its status."""
    from bondkit.core.conventions import add_months, fiscal_year

    issue = store.read_issue(conn)
    notice = issue["notice_months"] or 0
    fye = issue["fiscal_year_end"]
    room = None
    if issue["annual_cap"] is not None:
        fy = fiscal_year(when, fye)
        start = _fy_start(fy, fye)
        cap = int(Fraction(issue["annual_cap"]) * sql.issued_cents(conn))  # down to the cent
        room = cap - sql.redeemed_principal(conn, start.isoformat(), when.isoformat())
    series = {s["series_id"]: s for s in store.read_series(conn)}
    left: dict[int, list[int]] = {}  # holding -> [bonds, principal] not yet taken by the queue
    blocked = False
    out = []
    for r in sql.pending_requests(conn):
        s = series[r["series_id"]]
        maturity = dt.date.fromisoformat(s["maturity"])
        due = min(add_months(dt.date.fromisoformat(r["asked_on"]), notice), maturity)
        held, principal = left.setdefault(r["holding_id"], [r["held"], r["principal_cents"]])
        k = min(r["bonds"], held)
        share = principal if k == held else principal * k // held if held else 0
        interest = 0
        if due <= when < maturity and k:
            interest = accrued_for(s, dt.date.fromisoformat(r["interest_start"]), k, when)
        if due >= maturity:
            status = "maturity"
        elif when < due:
            status = "notice"
        elif blocked or k == 0 or (room is not None and room <= 0):
            status, blocked = "cap", True
        else:
            status = "to pay"
            if room is not None and share > room:
                # the bonds that fit in what the cap leaves: paid now, the rest waits
                fit = max(b for b in range(k + 1) if principal * b // held <= room)
                if fit == 0:
                    status, blocked = "cap", True
                else:
                    k, share, status, blocked = fit, principal * fit // held, "part", True
                    interest = accrued_for(s, dt.date.fromisoformat(r["interest_start"]), k, when)
            if status != "cap":
                if room is not None:
                    room -= share
                left[r["holding_id"]] = [held - k, principal - share]
        out.append(
            {
                "request_id": r["request_id"],
                "holding_id": r["holding_id"],
                "holder_id": r["holder_id"],
                "series_id": r["series_id"],
                "bonds": k,
                "asked_on": r["asked_on"],
                "due_on": due.isoformat(),
                "status": status,
                "principal_cents": share,
                "interest_cents": interest,
                "total_cents": share + interest,
            }
        )
    return out


def _fy_start(fy: int, fiscal_year_end: str) -> dt.date:
    """The first day of fiscal year ``fy`` (named by the calendar year it ends in).

    >>> _fy_start(2028, "12-31"), _fy_start(2028, "03-31"), _fy_start(2029, "02-29")
    (datetime.date(2028, 1, 1), datetime.date(2027, 4, 1), datetime.date(2028, 3, 1))
    """
    import calendar

    from bondkit.core.conventions import parse_month_day

    month, day = parse_month_day(fiscal_year_end)
    year = fy - 1
    end_before = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return end_before + dt.timedelta(days=1)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=QUEUE_COLUMNS)
    for col in ("asked_on", "due_on"):
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d").astype("datetime64[s]")
    return df
