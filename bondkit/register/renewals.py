"""Renewal at maturity: a holding's bonds roll into a new series with its own terms, linked
to the old one (issue #13; booklet 3, moment 5 "Renouvellement ou remboursement").

The issuer first offers a **renewal series** (:meth:`RenewalsMixin.add_renewal_series`):
the old series' terms with the changes offered (a new rate, term, face value...), issued
on the old series' maturity date, recorded as renewing it (``series.renews``). Then each
holder who accepts is renewed (:meth:`RenewalsMixin.renew`), on the maturity date, in
one transaction for all the holdings given:

- the last interest of the old series for the bonds renewed (that holding's calendar,
  :func:`bondkit.register.calendar.series_calendar`) is accrued; a bullet or amortising
  series pays it in cash that day, as the payment run would (the bonds renewed then no
  longer hold bonds on that day, so the run of maturity leaves them out); an accumulating
  series rolls it over with the principal: the interest is credited, not paid;
- what rolls over (principal owed, and the capitalised interest of an accumulating series)
  buys whole bonds of the new series; what is left below one bond is paid in cash (from
  the interest first);
- one ``renewal`` event moves it: the old holding gives its bonds, principal and interest,
  a new holding of the new series (subscribed and earning interest from the renewal date,
  naming the old holding as its origin) receives the new bonds at their face value.

Bonds not renewed are repaid by the payment run of maturity, as usual.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from bondkit.errors import Message, Problem
from bondkit.register import intake, store
from bondkit.register.ledger import Posting
from bondkit.register.recording import is_whole, stamp
from bondkit.register.store import RegisterError
from bondkit.register.terms import series_row, series_terms

__all__ = ["RenewalsMixin"]

#: the terms a renewal series may change from the series it renews
RENEWAL_TERMS = (
    "annual_rate",
    "term_years",
    "maturity_date",
    "face_value",
    "amount",
    "repayment",
    "interest",
    "frequency",
    "day_count",
)


class RenewalsMixin:
    """Renewal series and renewals, for :class:`~bondkit.register.Register`."""

    _conn: Any
    _write: Any
    _checked_event: Any

    def add_renewal_series(
        self,
        renews: str,
        series_id: str,
        *,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
        **changes: Any,
    ) -> str:
        """Offer a renewal series ``series_id`` for the holders of series ``renews``: its
        terms with ``changes`` (:data:`RENEWAL_TERMS`: ``annual_rate``, ``term_years`` or
        ``maturity_date``, ``face_value``, ``amount``, ``repayment``, ``interest``,
        ``frequency``, ``day_count``), issued on the old series' maturity date. The amount
        defaults to the old series' (the most that can renew). Returns its id.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         _ = reg.add_renewal_series("A", "A2", annual_rate="0.03", term_years=3,
        ...                                    reason="renewal offer")
        ...         s = reg.series().set_index("series_id").loc["A2"]
        >>> str(s["issue_date"].date()), str(s["maturity"].date()), s["annual_rate"], s["renews"]
        ('2021-09-01', '2024-09-01', '0.03', 'A')
        """
        stamp(by, now, reason)  # checked like every write's, though a series has no event
        unknown = [k for k in changes if k not in RENEWAL_TERMS]
        if unknown:
            raise RegisterError(
                Message("reg.err.refused"),
                [Problem(k, Message("msg.unknown_key")) for k in unknown],
            )

        def write(conn: Any) -> str:
            rows = store.read_series(conn)
            old = next((r for r in rows if r["series_id"] == renews), None)
            problems = []
            if old is None:
                problems.append(
                    Problem("renews", Message("msg.no_such_series", ids=_ids(rows)), str(renews))
                )
            if (
                not isinstance(series_id, str)
                or not series_id.strip()
                or not series_id.isprintable()
            ):
                problems.append(Problem("series_id", Message("reg.err.text"), str(series_id)))
            elif any(r["series_id"] == series_id for r in rows):
                problems.append(Problem("series_id", Message("reg.renew.exists"), series_id))
            if problems:
                raise RegisterError(Message("reg.err.refused"), problems)
            assert old is not None
            base = series_terms(old)
            values: dict[str, Any] = {
                "id": series_id,
                "issue_date": base.maturity,
                "step_rates": (),
                "sculpt_cash_flow": (),
                "interest_only_years": 0,
            }
            if "maturity_date" in changes:
                values["term_years"] = None
            if "term_years" in changes:
                values["maturity_date"] = None
            for key, value in changes.items():
                values[key] = (
                    Decimal(str(value)) if key in ("annual_rate", "face_value", "amount") else value
                )
            if values.get("repayment", base.repayment) != "accumulating":
                values.setdefault("interest", None if "repayment" in changes else base.interest)
            if "maturity_date" in values and isinstance(values["maturity_date"], str):
                values["maturity_date"] = intake.as_date(values["maturity_date"])
            face = values.get("face_value", base.face_value)
            if "amount" not in changes:  # the old amount, in whole bonds of the new face value
                values["amount"] = (base.amount // face) * face
            try:
                terms = dataclasses.replace(base, **values)
                row = series_row(terms, max(r["position"] for r in rows) + 1)
            except (ValueError, TypeError, ArithmeticError) as exc:
                raise RegisterError(
                    Message("reg.err.refused"),
                    [Problem("terms", Message("reg.renew.terms", reason=str(exc)))],
                ) from None
            store.insert_row(conn, "series", {**row, "renews": renews})
            return series_id

        return self._write(write)

    def renew(
        self,
        holdings: Iterable[int],
        into: str,
        *,
        reason: str,
        bonds: dict[int, int] | None = None,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[int]:
        """Renew ``holdings`` into the renewal series ``into`` on the old series' maturity
        date, all in one transaction (every bond of each holding, or ``bonds[holding]`` of
        them); the new holdings' numbers. Refused, with every problem and nothing recorded:
        no such holding or series, a series that does not renew the holding's, bonds no
        longer held (repaid by the run of maturity, redeemed, renewed), or too little to
        buy one bond of the new series.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:  # 2 % simple, all paid at maturity
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         h = reg.add_subscription(name="Lucie Tremblay", series="A", bonds=2,
        ...                                  subscribed_on="2016-07-15", reason="form")
        ...         _ = reg.add_renewal_series("A", "A2", annual_rate="0.03", term_years=3,
        ...                                    reason="offer")
        ...         [new] = reg.renew([h], "A2", reason="renewal form")
        ...         print(reg.holdings()[["series_id", "bonds", "principal_cents"]])
          series_id  bonds  principal_cents
        0         A      0                0
        1        A2      2           200000
        """
        who, at, why = stamp(by, now, reason)
        holdings = list(holdings)
        bonds = dict(bonds or {})

        def write(conn: Any) -> list[int]:
            rows = {r["series_id"]: r for r in store.read_series(conn)}
            target = rows.get(into) if isinstance(into, str) else None
            if target is None or target["renews"] is None:
                key = "msg.no_such_series" if target is None else "reg.renew.not_renewal"
                raise RegisterError(
                    Message("reg.err.refused"),
                    [Problem("into", Message(key, ids=_ids(rows.values())), str(into))],
                )
            old = rows[target["renews"]]
            on = dt.date.fromisoformat(old["maturity"])
            plans, problems = [], []
            for i, hid in enumerate(holdings, start=1):
                where = f"holdings[{i}]"
                h = store.read_holding(conn, hid) if is_whole(hid) else None
                if h is None:
                    problems.append(Problem(where, Message("reg.err.no_holding"), str(hid)))
                    continue
                if h["series_id"] != old["series_id"]:
                    problems.append(
                        Problem(
                            where,
                            Message("reg.renew.other_series", series=old["series_id"]),
                            str(hid),
                        )
                    )
                    continue
                held, principal, interest, _ = store.read_balances(conn, [hid])[hid]
                k = bonds.get(hid, held)
                if not is_whole(k) or k <= 0 or k > held:
                    problems.append(Problem(where, Message("reg.renew.bonds", held=held), str(k)))
                    continue
                plan = _plan(h, old, target, k, held, principal, interest)
                if plan is None:
                    problems.append(
                        Problem(
                            where,
                            Message("reg.renew.too_little", face=target["face_value_cents"]),
                            str(hid),
                        )
                    )
                    continue
                plans.append(plan)
            if problems:
                raise RegisterError(Message("reg.err.refused"), problems)
            new_holdings = []
            for p in plans:
                hid = p["holding_id"]
                if p["accrue"]:
                    self._checked_event(
                        conn,
                        "interest_accrued",
                        on,
                        [Posting(hid, interest_cents=p["accrue"])],
                        at,
                        who,
                        why,
                    )
                if p["pay_interest"]:
                    self._checked_event(
                        conn,
                        "interest_paid",
                        on,
                        [
                            Posting(
                                hid,
                                interest_cents=-p["pay_interest"],
                                cash_cents=-p["pay_interest"],
                            )
                        ],
                        at,
                        who,
                        why,
                    )
                if p["pay_principal"]:
                    self._checked_event(
                        conn,
                        "principal_repaid",
                        on,
                        [
                            Posting(
                                hid,
                                principal_cents=-p["pay_principal"],
                                cash_cents=-p["pay_principal"],
                            )
                        ],
                        at,
                        who,
                        why,
                    )
                new = store.insert_row(
                    conn,
                    "holdings",
                    {
                        "holder_id": p["holder_id"],
                        "series_id": into,
                        "subscribed_on": on.isoformat(),
                        "interest_start": target["issue_date"],
                        "origin_holding_id": hid,
                        "created_at": at,
                    },
                )
                self._checked_event(
                    conn,
                    "renewal",
                    on,
                    [
                        Posting(
                            hid,
                            bonds=-p["bonds"],
                            principal_cents=-p["roll_principal"],
                            interest_cents=-p["roll_interest"],
                        ),
                        Posting(
                            new,
                            bonds=p["new_bonds"],
                            principal_cents=p["new_bonds"] * target["face_value_cents"],
                        ),
                    ],
                    at,
                    who,
                    why,
                )
                new_holdings.append(new)
            return new_holdings

        return self._write(write)


def _ids(rows: Iterable[dict[str, Any]]) -> str:
    return ", ".join(r["series_id"] for r in rows)


def _plan(
    holding: dict[str, Any],
    old: dict[str, Any],
    target: dict[str, Any],
    k: int,
    held: int,
    principal: int,
    interest: int,
) -> dict[str, Any] | None:
    """What renewing ``k`` of the ``held`` bonds of a holding moves and pays [cents]."""
    import numpy as np

    from bondkit.register.calendar import series_calendar

    terms = series_terms(old)
    start = np.array([holding["interest_start"]], dtype="datetime64[D]")
    cal = series_calendar(terms, [k * old["face_value_cents"]], start)
    last = int(cal.interest[0, -1])  # the last interest of the bonds renewed
    share_p = principal if k == held else principal * k // held
    share_i = interest if k == held else interest * k // held
    accumulating = terms.repayment == "accumulating"
    owed_interest = share_i + last
    rolls = share_p + (owed_interest if accumulating else 0)
    face = target["face_value_cents"]
    new_bonds = rolls // face
    if new_bonds == 0:
        return None
    rest = rolls - new_bonds * face
    pay_interest = owed_interest if not accumulating else min(rest, owed_interest)
    pay_principal = rest - (pay_interest if accumulating else 0)
    return {
        "holding_id": holding["holding_id"],
        "holder_id": holding["holder_id"],
        "bonds": k,
        "accrue": last,
        "pay_interest": pay_interest,
        "pay_principal": pay_principal,
        "roll_principal": share_p - pay_principal,
        "roll_interest": owed_interest - pay_interest,
        "new_bonds": new_bonds,
    }
