"""The register at a glance: what is owed by series, who holds it (counted, never named),
the redemption requests waiting and the next payment (``bondkit register show``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bondkit.register import intake, store
from bondkit.register.store import RegisterError

__all__ = ["OverviewMixin"]


class OverviewMixin:
    """:meth:`overview`, for :class:`~bondkit.register.Register`."""

    _read: Any

    def overview(self, as_of: dt.date | str | None = None) -> dict[str, Any]:
        """The register on ``as_of`` (default: today) in numbers: the issue, the last
        event recorded (when, by whom), and for each series its bonds, bonds held,
        principal outstanding, interest accrued and unpaid, holders and maturity (cents);
        the holders by kind; the redemption requests waiting (how many, their bonds, how
        many are to be paid that day); the next payment date of each series, on or after
        ``as_of``, with what its holdings are owed then (their calendars). No name,
        address or SIN.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         _ = reg.add_subscription(name="Lucie Tremblay", series="A", bonds=3,
        ...                                  subscribed_on="2016-07-15", reason="form")
        ...         o = reg.overview("2017-01-05")
        >>> o["series"][0]["bonds_held"], o["series"][0]["principal_cents"], o["holders"]
        (3, 300000, {'person': 1, 'corporation': 0, 'estate': 0})
        """
        when = intake.as_date(as_of) if as_of is not None else dt.date.today()
        if when is None:
            from bondkit.errors import Message, Problem

            raise RegisterError(
                Message("reg.err.refused"), [Problem("as_of", Message("msg.date"), str(as_of))]
            )
        queue = self.redemption_queue(when)  # type: ignore[attr-defined]
        out: dict[str, Any] = self._read(lambda conn: _counts(conn))
        out["as_of"] = when.isoformat()
        out["requests"] = {
            "waiting": len(queue),
            "bonds": int(queue["bonds"].sum()),
            "to_pay": int(queue["status"].isin(["to pay", "part"]).sum()),
        }
        out["next_payments"] = []
        import pandas as pd

        cal = self.calendars()  # type: ignore[attr-defined]
        ahead = cal[cal["due_on"] >= pd.Timestamp(when)]
        for sid, rows in ahead.groupby("series_id", sort=False):
            first = rows["due_on"].min()
            due = rows[rows["due_on"] == first]
            out["next_payments"].append(
                {
                    "series_id": sid,
                    "date": first.date().isoformat(),
                    "total_cents": int(due["total_cents"].sum()),
                    "holdings": int(due["holding_id"].nunique()),
                }
            )
        return out


def _counts(conn: Any) -> dict[str, Any]:
    issue = store.read_issue(conn)
    series = store.read_series(conn)
    totals = {t["series_id"]: t for t in store.read_series_totals(conn)}
    holders_by_series = dict(
        conn.execute(
            "SELECT h.series_id, COUNT(DISTINCT h.holder_id) FROM holdings h "
            "JOIN holding_balances b ON b.holding_id = h.holding_id WHERE b.bonds > 0 "
            "GROUP BY h.series_id"
        ).fetchall()
    )
    kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM holders GROUP BY kind").fetchall())
    last = conn.execute(
        "SELECT recorded_at, recorded_by FROM events ORDER BY event_id DESC LIMIT 1"
    ).fetchone()
    return {
        "name": issue["name"],
        "currency": issue["currency"],
        "last_recorded": {"at": last[0], "by": last[1]} if last else None,
        "series": [
            {
                "series_id": s["series_id"],
                "bonds": s["bonds"],
                "bonds_held": totals.get(s["series_id"], {}).get("bonds", 0),
                "principal_cents": totals.get(s["series_id"], {}).get("principal_cents", 0),
                "interest_cents": totals.get(s["series_id"], {}).get("interest_cents", 0),
                "holders": holders_by_series.get(s["series_id"], 0),
                "maturity": s["maturity"],
            }
            for s in series
        ],
        "holders": {k: kinds.get(k, 0) for k in ("person", "corporation", "estate")},
    }
