"""Bonds that change hands: a transfer to another holder, and the holdings of a holder who
died moved to their estate (issue #13, booklet 3, moment 4 "Gestion").

A transfer is **one event** (``transfer``): the bonds leave the seller's holding and arrive
in a new holding of the buyer that keeps the original subscription date and interest
start and names the holding it came from (``origin_holding_id``), so the buyer's calendar
is the seller's and the history of each bond can be followed. The principal and any
interest accrued and unpaid move with the bonds, in proportion (all of it with all the
bonds; a share rounded down to the cent otherwise, the cent left staying with the
seller). No cash moves in the register: the price the buyer pays the seller is between
them. The interest of a period is paid to whoever holds the bonds on its payment date.

An estate gets a holder of its own (kind ``estate``, named "Estate of ..." / "Succession
de ..." in the holder's language, ``estate_of`` the holder), with the deceased's address,
e-mail, language, country and payment method (not the SIN); each holding that still holds bonds
moves to it by an ``estate_transfer`` event, all in one transaction.

>>> import tempfile, pathlib
>>> from bondkit.register import Register
>>> from bondkit.scenario import load_example
>>> tmp = tempfile.TemporaryDirectory()
>>> reg = Register.create(pathlib.Path(tmp.name) / "a.db", load_example("grand-costumier-2016"))
>>> h = reg.add_subscription(name="Lucie Tremblay", series="A", bonds=3,
...                          subscribed_on="2016-07-15", reason="form")
>>> event, new = reg.transfer(h, 1, on="2018-05-01", to={"name": "Marc Roy"}, reason="gift")
>>> reg.holdings()[["holding_id", "holder_id", "bonds", "subscribed_on", "origin_holding_id"]]
   holding_id  holder_id  bonds subscribed_on  origin_holding_id
0           1          1      2    2016-07-15               <NA>
1           2          2      1    2016-07-15                  1
>>> reg.close(); tmp.cleanup()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bondkit.errors import Message, Problem
from bondkit.labels import t
from bondkit.register import intake, store
from bondkit.register.ledger import Posting
from bondkit.register.recording import is_whole, stamp
from bondkit.register.store import RegisterError
from bondkit.register.store.moves import holdings_of, read_holder

__all__ = ["MovesMixin", "HOLDER_FIELDS"]

#: what may describe a new holder who receives bonds (as a subscription row does)
HOLDER_FIELDS: tuple[str, ...] = (
    "name",
    "address",
    "email",
    "language",
    "kind",
    "co_holder",
    "country",
    "payment_method",
)


def _new_holder(to: Any) -> tuple[dict[str, Any], list[Problem]]:
    """The row of a new holder described by ``to`` (checked as a subscription's), and the
    problems (personal values are never quoted)."""
    if not isinstance(to, Mapping):
        return {}, [Problem("to", Message("reg.err.row"))]
    problems = [
        Problem(f"to.{k}", Message("msg.unknown_key")) for k in to if k not in HOLDER_FIELDS
    ]
    row: dict[str, Any] = {}
    for key, required in (("name", True), ("address", False), ("email", False)):
        value, found = intake.personal_text(to, key, "to", required=required)
        row[key], problems = value, problems + found
    details, found = intake.holder_details(to, "to")
    return {**row, **details}, problems + found


class MovesMixin:
    """Transfers and estates, for :class:`~bondkit.register.Register`."""

    _conn: Any
    _write: Any
    _checked_event: Any

    def transfer(
        self,
        holding_id: int,
        bonds: int,
        *,
        on: dt.date | str,
        to_holder_id: int | None = None,
        to: Mapping[str, Any] | None = None,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[int, int]:
        """Move ``bonds`` bonds of holding ``holding_id`` to another holder on ``on``: an
        existing one (``to_holder_id``) or a new one (``to``: ``name`` and, if known,
        ``address``, ``email``, ``language``, ``kind``, ``co_holder``, ``country``,
        ``payment_method``). One ``transfer`` event, one transaction; returns the event's
        number and the new holding's.

        Refused, with every problem and nothing recorded: no such holding or holder, not
        whole bonds, more bonds than held, a date before the subscription or not before the
        series' maturity, a transfer to the holder who already holds them.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         h = reg.add_subscription(name="Lucie Tremblay", series="A", bonds=1,
        ...                                  subscribed_on="2016-07-15", reason="form")
        ...         try:
        ...             reg.transfer(h, 2, on="2016-06-01", to={"name": "Marc Roy"}, reason="sale")
        ...         except RegisterError as err:
        ...             print(err)
        nothing was recorded:
        bonds: 2 bonds asked, but the holding holds 1 (you wrote 2)
        on: must not be before the subscription, 2016-07-15 (you wrote 2016-06-01)
        """
        who, at, why = stamp(by, now, reason)
        when = intake.as_date(on)
        if (to_holder_id is None) == (to is None):
            raise RegisterError(Message("reg.move.to_one"))

        def write(conn: Any) -> tuple[int, int]:
            source = store.read_holding(conn, holding_id) if is_whole(holding_id) else None
            if source is None:
                raise RegisterError(
                    Message("reg.err.refused"),
                    [Problem("holding", Message("reg.err.no_holding"), str(holding_id))],
                )
            problems = []
            balance = store.read_balances(conn, [holding_id])[holding_id]
            held, principal, interest = balance[0], balance[1], balance[2]
            if not is_whole(bonds):
                problems.append(Problem("bonds", Message("msg.whole"), str(bonds)))
            elif bonds <= 0:
                problems.append(Problem("bonds", Message("msg.positive"), str(bonds)))
            elif bonds > held:
                problems.append(
                    Problem(
                        "bonds", Message("reg.move.too_many", asked=bonds, held=held), str(bonds)
                    )
                )
            problems += _date_problems(conn, source, when, on)
            receiver = None
            if to_holder_id is not None:
                if not is_whole(to_holder_id) or not store.holder_exists(conn, to_holder_id):
                    problems.append(
                        Problem("to_holder", Message("reg.err.no_holder"), str(to_holder_id))
                    )
                elif to_holder_id == source["holder_id"]:
                    problems.append(
                        Problem("to_holder", Message("reg.move.same_holder"), str(to_holder_id))
                    )
                receiver = to_holder_id
            else:
                row, found = _new_holder(to)
                problems += found
            if problems:
                raise RegisterError(Message("reg.err.refused"), problems)
            assert when is not None
            if receiver is None:
                receiver = store.insert_row(conn, "holders", {**row, "created_at": at})
            new = _holding_like(conn, source, receiver, at)
            share = (
                (principal, interest)
                if bonds == held
                else (
                    principal * bonds // held,
                    interest * bonds // held,
                )
            )
            postings = [
                Posting(
                    holding_id, bonds=-bonds, principal_cents=-share[0], interest_cents=-share[1]
                ),
                Posting(new, bonds=bonds, principal_cents=share[0], interest_cents=share[1]),
            ]
            event = self._checked_event(conn, "transfer", when, postings, at, who, why)
            return event, new

        return self._write(write)

    def estate(
        self,
        holder_id: int,
        *,
        on: dt.date | str,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[int, list[int]]:
        """Move every holding of holder ``holder_id`` that holds bonds to their estate, on
        ``on`` (the date of death, or the day the estate is known): a new holder "Estate of
        <name>" ("Succession de <name>" for a French-speaking holder, or in the issue's
        language when the holder's is not known), one ``estate_transfer`` event per
        holding, one transaction. Returns the estate's holder number and the events.

        Refused when the holder does not exist, is an estate, already has an estate, or
        holds no bond.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         _ = reg.add_subscription(name="Lucie Tremblay", series="A", bonds=2,
        ...                                  subscribed_on="2016-07-15", reason="form")
        ...         estate, events = reg.estate(1, on="2019-01-10", reason="death notice")
        ...         print(reg.holders().loc[1, "name"], reg.holdings()["bonds"].tolist())
        Succession de Lucie Tremblay [0, 2]
        """
        who, at, why = stamp(by, now, reason)
        when = intake.as_date(on)

        def write(conn: Any) -> tuple[int, list[int]]:
            holder = read_holder(conn, holder_id) if is_whole(holder_id) else None
            if holder is None:
                raise RegisterError(
                    Message("reg.err.refused"),
                    [Problem("holder", Message("reg.err.no_holder"), str(holder_id))],
                )
            problems = []
            if holder["kind"] == "estate":
                problems.append(Problem("holder", Message("reg.move.is_estate"), str(holder_id)))
            found = conn.execute(
                "SELECT holder_id FROM holders WHERE estate_of = ?", (holder_id,)
            ).fetchone()
            if found:
                problems.append(
                    Problem("holder", Message("reg.move.has_estate", n=found[0]), str(holder_id))
                )
            holdings = holdings_of(conn, holder_id)
            if not holdings:
                problems.append(Problem("holder", Message("reg.move.no_bonds"), str(holder_id)))
            for h in holdings:
                problems += _date_problems(conn, h, when, on)
            if problems:
                raise RegisterError(Message("reg.err.refused"), problems)
            assert when is not None
            lang = holder["language"] or store.read_issue(conn)["language"]
            estate = store.insert_row(
                conn,
                "holders",
                {
                    "name": t("reg.move.estate_name", lang).format(name=holder["name"]),
                    "address": holder["address"],
                    "email": holder["email"],
                    "language": holder["language"],
                    "kind": "estate",
                    "country": holder["country"],
                    "payment_method": holder["payment_method"],
                    "estate_of": holder_id,
                    "created_at": at,
                },
            )
            events = []
            for h in holdings:
                new = _holding_like(conn, h, estate, at)
                amounts = (h["bonds"], h["principal_cents"], h["interest_cents"])
                postings = [
                    Posting(h["holding_id"], *(-a for a in amounts)),
                    Posting(new, *amounts),
                ]
                events.append(
                    self._checked_event(conn, "estate_transfer", when, postings, at, who, why)
                )
            return estate, events

        return self._write(write)


def _date_problems(
    conn: Any, holding: Mapping[str, Any], when: dt.date | None, given: Any
) -> list[Problem]:
    """A date of a move: a date, not before the holding's subscription, before its series'
    maturity."""
    if when is None:
        return [Problem("on", Message("msg.date"), str(given))]
    if when < dt.date.fromisoformat(holding["subscribed_on"]):
        return [
            Problem(
                "on",
                Message("reg.move.before", date=holding["subscribed_on"]),
                when.isoformat(),
            )
        ]
    maturity = next(
        s["maturity"] for s in store.read_series(conn) if s["series_id"] == holding["series_id"]
    )
    if when >= dt.date.fromisoformat(maturity):
        return [
            Problem("on", Message("reg.err.after_maturity", maturity=maturity), when.isoformat())
        ]
    return []


def _holding_like(conn: Any, source: Mapping[str, Any], holder: int, at: str) -> int:
    """A new holding of ``holder`` in the same series as ``source``, keeping its
    subscription date and interest start, and naming it as its origin."""
    return store.insert_row(
        conn,
        "holdings",
        {
            "holder_id": holder,
            "series_id": source["series_id"],
            "subscribed_on": source["subscribed_on"],
            "interest_start": source["interest_start"],
            "origin_holding_id": source["holding_id"],
            "created_at": at,
        },
    )
