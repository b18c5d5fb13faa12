"""The register of one issue: :class:`Register`, opened from its SQLite file.

Every write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``): all of it is
recorded, or nothing. The tables come back as DataFrames (money in integer cents, dates
as datetime64); holders' SINs only when asked.

>>> import tempfile, pathlib
>>> from bondkit.scenario import load_example
>>> tmp = tempfile.TemporaryDirectory()
>>> path = pathlib.Path(tmp.name) / "costumier.db"
>>> reg = Register.create(path, load_example("grand-costumier-2016"), by="Lucie")
>>> holding = reg.add_subscription(name="Café du Coin", series="A", bonds=2,
...                                subscribed_on="2016-07-15", reason="paper form",
...                                by="Lucie")
>>> reg.holdings()[["holding_id", "series_id", "bonds", "principal_cents"]]
   holding_id series_id  bonds  principal_cents
0           1         A      2           200000
>>> reg.check().ok
True
>>> reg.close(); tmp.cleanup()
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.errors import Message, Problem
from bondkit.register import intake, store
from bondkit.register.calendar import PaymentsMixin
from bondkit.register.check import CheckReport, check_register
from bondkit.register.filings import TaxesMixin
from bondkit.register.importing import ImportMixin
from bondkit.register.ledger import (
    AMOUNTS,
    EVENT_KINDS,
    Posting,
    reversal,
    shape_problems,
    timestamp,
)
from bondkit.register.moves import MovesMixin
from bondkit.register.overview import OverviewMixin
from bondkit.register.recording import recorder, stamp
from bondkit.register.redemptions import RedemptionsMixin
from bondkit.register.renewals import RenewalsMixin
from bondkit.register.schema import SCHEMA_VERSION  # noqa: F401 (the examples use it)
from bondkit.register.store import RegisterError
from bondkit.register.terms import issue_row, series_rows, series_terms

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from bondkit.core.terms import SeriesTerms
    from bondkit.scenario import Scenario

__all__ = ["Register"]

#: the date columns of the DataFrames
_DATES = (
    "issue_date",
    "maturity",
    "maturity_date",
    "subscribed_on",
    "interest_start",
    "occurred_on",
)


class Register(
    MovesMixin,
    RedemptionsMixin,
    OverviewMixin,
    PaymentsMixin,
    ImportMixin,
    RenewalsMixin,
    TaxesMixin,
):
    """The register of one issue, kept in the SQLite file ``path``.

    Opening a register made by an earlier bondkit upgrades it first, in one transaction
    (``upgraded_from`` tells from which schema version; equal to ``version`` when nothing
    was done). A file that is not a register, or one from a newer bondkit, raises
    :class:`~bondkit.register.store.RegisterError` and is left unchanged.
    """

    def __init__(self, path: str | os.PathLike, *, upgrade: bool = True) -> None:
        self.path = Path(path)
        self._conn, self.upgraded_from = store.open_register(path, upgrade=upgrade)

    # -- creating, closing ------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike,
        scenario: Scenario | str | os.PathLike,
        *,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> Register:
        """Create the register of an issue from its scenario (a validated
        :class:`~bondkit.scenario.Scenario` or the path of its file): the issue's rules,
        its series' terms, no holder yet. Never over an existing file; the file is
        readable by its owner only.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     reg = Register.create(pathlib.Path(tmp) / "solar.db",
        ...                           load_example("solar-coop-multi-series"), by="Lucie")
        ...     ids = list(reg.series()["series_id"])
        ...     reg.close()
        >>> ids
        ['A-3y', 'B-5y', 'C-7y']
        """
        from bondkit import __version__

        if not hasattr(scenario, "series_terms"):
            from bondkit.scenario import load_scenario

            scenario = load_scenario(scenario)  # type: ignore[arg-type]
        at, who = timestamp(now), recorder(by)
        issue = issue_row(scenario, at, who, __version__)  # type: ignore[arg-type]
        series = series_rows(scenario)  # type: ignore[arg-type]

        def fill(conn: Any) -> None:
            store.insert_row(conn, "issue", issue)
            for row in series:
                store.insert_row(conn, "series", row)

        store.create(path, fill, created_at=at)
        return cls(path)

    def close(self) -> None:
        """Close the file (the register object cannot be used afterwards).

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     reg = Register.create(pathlib.Path(tmp) / "a.db", load_example("grand-costumier-2016"))
        ...     reg.close()
        """
        self._conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Register({str(self.path)!r}, schema {self.version})"

    # -- reading ----------------------------------------------------------------------
    def _read(self, fn: Any, *args: Any) -> Any:
        if self._conn.in_transaction:  # read inside a write of this register: its state
            return fn(self._conn, *args)
        with store.sqlite_errors(self.path), store.transaction(self._conn, write=False):
            return fn(self._conn, *args)

    @property
    def version(self) -> int:
        """The schema version of the file (:data:`~bondkit.register.schema.SCHEMA_VERSION`
        once opened with ``upgrade``).

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         print(reg.version == SCHEMA_VERSION)
        True
        """
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def issue(self) -> dict[str, Any]:
        """The issue's row: name, issuer, currency, language, the interest-start rule, the
        redemption rules, the campaign's dates and limits, where the terms came from.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         issue = reg.issue
        >>> issue["name"], issue["interest_start"], issue["currency"]
        ('Le Grand Costumier 2016', 'issue-date', 'CAD')
        """
        return self._read(store.read_issue)

    def series_terms(self) -> list[SeriesTerms]:
        """The terms of every series, as the scenario gave them.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("solar-coop-multi-series")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db", sc) as reg:
        ...         print(reg.series_terms() == sc.series_terms())
        True
        """
        return [series_terms(row) for row in self._read(store.read_series)]

    def series(self) -> pd.DataFrame:
        """One row per series: its terms (amounts in cents, the rate as written) and the
        bonds, principal, interest and cash its holdings hold (the stored running totals).

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("solar-coop-multi-series")) as reg:
        ...         df = reg.series()
        >>> df[["series_id", "amount_cents", "bonds", "bonds_held"]]
          series_id  amount_cents  bonds  bonds_held
        0      A-3y      10000000    200           0
        1      B-5y      15000000    150           0
        2      C-7y      25000000    250           0
        """
        terms, totals = self._read(lambda c: (store.read_series(c), store.read_series_totals(c)))
        held = {t["series_id"]: t for t in totals}
        rows = []
        for row in terms:
            t = held.get(row["series_id"], {})
            rows.append(
                {
                    **row,
                    "bonds_held": t.get("bonds", 0),
                    "principal_held_cents": t.get("principal_cents", 0),
                    "interest_owed_cents": t.get("interest_cents", 0),
                    "cash_cents": t.get("cash_cents", 0),
                }
            )
        return _frame(
            rows,
            list(terms[0])
            + ["bonds_held", "principal_held_cents", "interest_owed_cents", "cash_cents"],
        )

    def holders(self, include_sin: bool = False) -> pd.DataFrame:
        """The holders: number, name, address, e-mail (personal data; the SIN column only
        with ``include_sin=True``), the language of their letters (none: the issue's),
        ``person``, ``corporation`` or ``estate``, a joint holder's name, the country of
        residence (none: not known), how they are paid, and for an estate whose it is.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         _ = reg.add_subscription(name="Café du Coin", sin="046 454 286", series="A",
        ...                                  bonds=1, subscribed_on="2016-07-15", reason="form")
        ...         print(list(reg.holders().columns))
        ...         print(reg.holders(include_sin=True)["sin"].tolist())
        ['holder_id', 'name', 'address', 'email', 'language', 'kind', 'co_holder', 'country', 'payment_method', 'estate_of', 'created_at']
        ['046454286']
        """
        rows = self._read(store.read_holders, include_sin)
        cols = [
            "holder_id",
            "name",
            "address",
            "email",
            *(["sin"] if include_sin else []),
            "language",
            "kind",
            "co_holder",
            "country",
            "payment_method",
            "estate_of",
            "created_at",
        ]
        return _frame(rows, cols)

    def holdings(self) -> pd.DataFrame:
        """The holdings with their balances, summed from the ledger: bonds, principal owed,
        interest accrued and unpaid, net cash (+ received by the issuer), in cents.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         print(reg.holdings().empty)
        True
        """
        cols = [
            "holding_id",
            "holder_id",
            "series_id",
            "subscribed_on",
            "interest_start",
            "origin_holding_id",
            *AMOUNTS,
        ]
        return _frame(self._read(store.read_holdings), cols)

    def events(self) -> pd.DataFrame:
        """The ledger: one row per posting, with its event (kind, the date it happened,
        when it was recorded, by whom, why, the event it reverses) and the holding, series
        and holder it concerns.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         _ = reg.add_subscription(name="Café du Coin", series="A", bonds=1,
        ...                                  subscribed_on="2016-07-15", reason="form", by="Lucie")
        ...         df = reg.events()
        >>> df[["event_id", "kind", "recorded_by", "reason", "holding_id", "bonds"]]
           event_id          kind recorded_by reason  holding_id  bonds
        0         1  subscription       Lucie   form           1      1
        """
        cols = [
            "event_id",
            "kind",
            "occurred_on",
            "recorded_at",
            "recorded_by",
            "reason",
            "reverses",
            "posting_id",
            "holding_id",
            "series_id",
            "holder_id",
            *AMOUNTS,
        ]
        return _frame(self._read(store.read_ledger), cols)

    def check(self) -> CheckReport:
        """Recompute the register from scratch and reconcile it (see
        :mod:`bondkit.register.check`), on one consistent snapshot.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         print(reg.check().ok)
        True
        """
        return self._read(check_register)

    def digest(self) -> str:
        """SHA-256 of everything the register holds (see :func:`store.digest`): two
        registers with the same digest hold the same rows.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         print(len(reg.digest()))
        64
        """
        return self._read(store.digest)

    def backup(self, to: str | os.PathLike) -> Path:
        """A consistent copy of the register at ``to`` (never over an existing file; mode
        0600), even while other commands use it. The copy holds the same personal data.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         copy = reg.backup(pathlib.Path(tmp) / "copy.db")
        ...         with Register(copy) as again:
        ...             print(again.digest() == reg.digest())
        True
        """
        store.backup(self._conn, self.path, to)
        return Path(to)

    # -- writing ----------------------------------------------------------------------
    def _write(self, fn: Any) -> Any:
        with store.sqlite_errors(self.path), store.transaction(self._conn):
            return fn(self._conn)

    def add_subscriptions(
        self,
        rows: Iterable[Mapping[str, Any]],
        *,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[int]:
        """Record subscriptions, all in one transaction; the new holdings' numbers.

        Each row is a mapping: a new holder (``name``, and ``address``, ``email``, ``sin``
        if known) or an existing one (``holder_id``), then ``series``, ``bonds`` (whole)
        and ``subscribed_on`` (a date, or ISO text). Every row is checked first; with any
        problem, :class:`RegisterError` lists them all and nothing is recorded. ``reason``
        says why (the form, the import), ``by`` who records (default: ``BONDKIT_USER``,
        else the system user), ``now`` when (default: now; for tests and replays).

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         try:
        ...             reg.add_subscriptions([
        ...                 {"name": "Café du Coin", "series": "A", "bonds": 2,
        ...                  "subscribed_on": "2016-07-15"},
        ...                 {"name": "Lucie Tremblay", "series": "A", "bonds": 30,
        ...                  "subscribed_on": "2016-07-16"}], reason="forms")
        ...         except RegisterError as err:
        ...             print(err)
        ...         print(len(reg.holdings()))
        nothing was recorded:
        series[A]: 32 bonds asked, but only 20 of the 20 bonds of the series are left
        0
        """
        who, at, why = stamp(by, now, reason)
        rows = list(rows)

        def write(conn: Any) -> list[int]:
            issue = store.read_issue(conn)
            series = {row["series_id"]: row for row in store.read_series(conn)}
            checked, problems = intake.subscriptions(
                rows,
                series,
                store.bonds_held(conn),
                issue["interest_start"],
                lambda holder: store.holder_exists(conn, holder),
            )
            if problems:
                raise RegisterError(Message("reg.err.refused"), problems)
            holdings = []
            for s in checked:
                holder = s.holder_id
                if holder is None:
                    holder = store.insert_row(
                        conn,
                        "holders",
                        {
                            "name": s.name,
                            "address": s.address,
                            "email": s.email,
                            "sin": s.sin,
                            "language": s.language,
                            "kind": s.kind,
                            "co_holder": s.co_holder,
                            "country": s.country,
                            "payment_method": s.payment_method,
                            "created_at": at,
                        },
                    )
                holding = store.insert_row(
                    conn,
                    "holdings",
                    {
                        "holder_id": holder,
                        "series_id": s.series,
                        "subscribed_on": s.subscribed_on.isoformat(),
                        "interest_start": s.interest_start.isoformat(),
                        "created_at": at,
                    },
                )
                face = series[s.series]["face_value_cents"]
                self._event(
                    conn,
                    "subscription",
                    s.subscribed_on,
                    [Posting(holding, bonds=s.bonds, principal_cents=s.bonds * face)],
                    at,
                    who,
                    why,
                )
                holdings.append(holding)
            return holdings

        return self._write(write)

    def add_subscription(
        self,
        *,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
        **row: Any,
    ) -> int:
        """Record one subscription (the keys of :meth:`add_subscriptions`); its holding.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         print(reg.add_subscription(name="Café du Coin", series="A", bonds=1,
        ...                                    subscribed_on="2016-07-15", reason="form"))
        1
        """
        return self.add_subscriptions([row], reason=reason, by=by, now=now)[0]

    def record(
        self,
        kind: str,
        occurred_on: dt.date | str,
        postings: Sequence[Posting],
        *,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> int:
        """Record one event of ``kind`` that happened on ``occurred_on``, moving
        ``postings``; its number. Checked first: the rules of its kind, holdings that
        exist, a transfer within one series, no balance of bonds, principal or interest
        below zero afterwards. (Subscriptions go through :meth:`add_subscriptions`,
        corrections through :meth:`correct`.)

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         h = reg.add_subscription(name="Café du Coin", series="A", bonds=1,
        ...                                  subscribed_on="2016-07-15", reason="form")
        ...         _ = reg.record("payment_received", "2016-07-20",
        ...                        [Posting(h, cash_cents=100000)], reason="cheque 112")
        ...         print(reg.holdings().loc[0, "cash_cents"])
        100000
        """
        who, at, why = stamp(by, now, reason)
        on = intake.as_date(occurred_on)
        if on is None:
            raise RegisterError(
                Message("reg.err.refused"),
                [Problem("occurred_on", Message("msg.date"), str(occurred_on))],
            )
        if kind in ("subscription", "correction"):
            raise RegisterError(Message("reg.err.use", kind=kind))
        return self._write(
            lambda conn: self._checked_event(conn, kind, on, list(postings), at, who, why)
        )

    def correct(
        self,
        event_id: int,
        *,
        reason: str,
        replacement: tuple[str, dt.date | str, Sequence[Posting]] | None = None,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[int, int | None]:
        """Put a recorded event right, in one transaction: a correction that posts its
        exact opposite on the same date (the event itself stays), then, if given, the
        ``replacement`` event (kind, date, postings). The numbers of the correction and the
        replacement. A correction that would leave a balance below zero (interest accrued
        reversed after it was paid) is refused: correct the later event first.

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         h = reg.add_subscription(name="Café du Coin", series="A", bonds=1,
        ...                                  subscribed_on="2016-07-15", reason="form")
        ...         paid = reg.record("payment_received", "2016-07-20",
        ...                           [Posting(h, cash_cents=10000)], reason="cheque 112")
        ...         print(reg.correct(paid, reason="typed 100 $ for 1 000 $", replacement=(
        ...             "payment_received", "2016-07-20", [Posting(h, cash_cents=100000)])))
        ...         print(reg.holdings().loc[0, "cash_cents"], len(reg.events()))
        (3, 4)
        100000 4
        """
        who, at, why = stamp(by, now, reason)
        if replacement is not None:
            kind, occurred, postings = replacement
            on = intake.as_date(occurred)
            if on is None or kind in ("subscription", "correction"):
                raise RegisterError(Message("reg.err.replacement"))

        def write(conn: Any) -> tuple[int, int | None]:
            target = store.read_event(conn, event_id) if isinstance(event_id, int) else None
            if target is None:
                raise RegisterError(
                    Message("reg.err.no_event"),
                    [Problem("event_id", Message("reg.err.no_event"), str(event_id))],
                )
            if target["kind"] == "correction":
                raise RegisterError(Message("reg.err.correct_correction", n=event_id))
            if conn.execute("SELECT 1 FROM events WHERE reverses = ?", (event_id,)).fetchone():
                raise RegisterError(Message("reg.err.corrected", n=event_id))
            opposite = reversal(Posting.from_row(r) for r in store.read_postings(conn, event_id))
            on_target = dt.date.fromisoformat(target["occurred_on"])
            fixed = self._checked_event(
                conn, "correction", on_target, opposite, at, who, why, reverses=event_id
            )
            new = None
            if replacement is not None:
                new = self._checked_event(conn, kind, on, list(postings), at, who, why)
            return fixed, new

        return self._write(write)

    def _checked_event(
        self,
        conn: Any,
        kind: str,
        on: dt.date,
        postings: list[Posting],
        at: str,
        who: str,
        why: str,
        reverses: int | None = None,
    ) -> int:
        """Record an event once it passes its kind's rules (a correction: its target's
        opposite, built by :meth:`correct`) and leaves no balance of bonds, principal or
        interest below zero; else :class:`RegisterError` with every problem."""
        problems = (
            [] if reverses else [Problem("postings", m) for m in shape_problems(kind, postings)]
        )
        holdings = {}
        for i, p in enumerate(postings, start=1):
            row = store.read_holding(conn, p.holding_id)
            if row is None:
                problems.append(
                    Problem(
                        f"postings[{i}].holding_id",
                        Message("reg.err.no_holding"),
                        str(p.holding_id),
                    )
                )
            holdings[p.holding_id] = row
        found = [h for h in holdings.values() if h is not None]
        if kind in ("transfer", "estate_transfer") and len({h["series_id"] for h in found}) > 1:
            problems.append(Problem("postings", Message("reg.check.one_series")))
        if not problems:
            after = store.read_balances(conn, list(holdings))
            for p in postings:
                after[p.holding_id] = tuple(
                    a + b for a, b in zip(after[p.holding_id], p.amounts(), strict=True)
                )
            for hid, values in after.items():
                for name, value in zip(AMOUNTS[:3], values[:3], strict=True):
                    if value < 0:
                        problems.append(
                            Problem(
                                f"holdings[{hid}]",
                                Message("reg.check.negative", amount=name, value=value),
                            )
                        )
        if problems:
            raise RegisterError(Message("reg.err.refused"), problems)
        return self._event(conn, kind, on, postings, at, who, why, reverses)

    @staticmethod
    def _event(
        conn: Any,
        kind: str,
        on: dt.date,
        postings: Sequence[Posting],
        at: str,
        who: str,
        why: str,
        reverses: int | None = None,
    ) -> int:
        assert kind in EVENT_KINDS
        event = store.insert_row(
            conn,
            "events",
            {
                "kind": kind,
                "occurred_on": on.isoformat(),
                "recorded_at": at,
                "recorded_by": who,
                "reason": why,
                "reverses": reverses,
            },
        )
        store.insert_postings(conn, event, [(p.holding_id, *p.amounts()) for p in postings])
        return event


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    for col in _DATES:
        if col in df.columns:
            df[col] = pd.to_datetime(df[col], format="%Y-%m-%d").astype("datetime64[s]")
    for col in (*AMOUNTS, "holding_id", "holder_id", "event_id", "posting_id"):
        if col in df.columns and not df.empty:
            df[col] = df[col].astype("int64")
    for col in ("reverses", "origin_holding_id", "estate_of", "run_id"):  # a number, or none
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df
