"""Subscription lists into the register: CSV or XLSX files as form tools and spreadsheets
export them, and the simulated register of ``bondkit run`` (issue #13, "Getting the
holders in"). Reading the files, their headers, numbers and dates:
:mod:`bondkit.register.lists`. The rules here (docs/register.md, "Importing
subscriptions"):

- **Every row is checked** against the register and the rows above it, first come first
  served: its series (with the bonds left), whole bonds, the issue's minimum subscription
  (each row) and maximum per investor (a holder's rows and what they hold already), the
  subscription date inside the campaign and before maturity, the SIN's check digit, a
  payment date not before the subscription. One report lists every problem by row
  number, column and value (a personal value is never quoted).
- **Holders**: two rows are the same holder when they have the same SIN; when one of
  them has no SIN, when they have the same name and e-mail (case and spaces aside). A row
  with neither SIN nor e-mail is a holder of its own. The same rule finds holders already
  in the register (their details there are kept as they are).
- **Rows imported once**: a row's key is the SHA-256 of its holder (name, e-mail, SIN),
  series, bonds and subscription date, and of its occurrence among identical rows of the
  file; a row whose key is in the register is "already imported" (whatever file it came
  from). A row changed after its import is a new row: correct the register instead.
- **One transaction**: all the good rows or nothing; with ``keep_good`` the good rows and
  the bad ones handed back (never dropped silently).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bondkit.errors import Message, Problem
from bondkit.register import intake, store
from bondkit.register.ledger import Posting, operator, sin_digits, timestamp
from bondkit.register.lists import (
    PERSONAL,
    Table,
    date_orders,
    fold,
    header_key,
    match_columns,
    parse_date,
    parse_number,
    read_table,
)
from bondkit.register.store import RegisterError
from bondkit.register.store.imports import (
    holder_identities,
    imported_keys,
    insert_import_rows,
    principal_by_holder,
)

if TYPE_CHECKING:  # pragma: no cover
    import os

    import pandas as pd

__all__ = ["ParsedRow", "parse_row", "Rejected", "ImportReport", "ImportMixin"]

#: the register's key of each field checked by :func:`bondkit.register.intake.subscriptions`
_INTAKE = {"subscription_date": "subscribed_on", "payment_date": "paid_on", "amount": "bonds"}
_INTAKE.update({f: "name" for f in ("first_name", "last_name")})
#: the columns of each key of the register, in order of preference
_FROM_INTAKE = {"name": ("name", "first_name", "last_name"), "bonds": ("bonds", "amount"),
                "subscribed_on": ("subscription_date",)}  # fmt: skip
_LANGUAGES = {
    **dict.fromkeys(("fr", "francais", "french", "frca", "f"), "fr"),
    **dict.fromkeys(("en", "anglais", "english", "enca", "e"), "en"),
}
_KINDS = {
    **dict.fromkeys(("person", "personne", "particulier", "individu", "individual"), "person"),
    **dict.fromkeys(
        ("corporation", "organisme", "organisation", "organization", "entreprise", "company",
         "societe", "cooperative", "coop", "association", "osbl", "npo"),
        "corporation",
    ),
    **dict.fromkeys(("estate", "succession"), "estate"),
}  # fmt: skip
_COUNTRIES = {"canada": "CA", "france": "FR", "etatsunis": "US", "unitedstates": "US",
              "usa": "US", "belgique": "BE", "belgium": "BE", "suisse": "CH",
              "switzerland": "CH"}  # fmt: skip


@dataclass
class ParsedRow:
    """One row of the file, parsed: the values for the register, the problems found."""

    number: int
    cells: tuple[Any, ...]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    key: str | None = None


@dataclass(frozen=True)
class Rejected:
    """A row left out: its number, its cells as text, and its problems."""

    row: int
    cells: tuple[str, ...]
    problems: tuple[Problem, ...]


@dataclass
class ImportReport:
    """What an import did: rows read, holdings added (their numbers), rows already
    imported, rows rejected (with ``keep_good``), holders created and holders of the
    register who got new holdings, payments recorded, the columns used and ignored."""

    source: str
    sha256: str
    headers: tuple[str, ...]
    delimiter: str
    rows: int
    added: list[int]
    already: int
    rejected: list[Rejected]
    holders_new: int
    holders_existing: int
    payments: int
    columns: dict[str, str]
    ignored: list[str]
    dates: dict[str, str | None]


class _Holders:
    """Who is who (the module's matching rule): register holders by number, new ones by
    a negative number until they are written."""

    def __init__(self, identities: list[dict[str, Any]]) -> None:
        self.by_sin: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        self.sin_of: dict[int, str] = {}
        for r in identities:
            self.add(r["holder_id"], r["name"], r["email"], r["sin"])

    def add(self, holder: int, name: str | None, email: str | None, sin: str | None) -> None:
        if sin:
            self.by_sin.setdefault(sin, holder)
            self.sin_of.setdefault(holder, sin)
        if name and email:
            self.by_name.setdefault((fold(name), fold(email)), holder)

    def find(self, name: str | None, email: str | None, sin: str | None) -> int | None:
        if sin and sin in self.by_sin:
            return self.by_sin[sin]
        found = self.by_name.get((fold(name), fold(email))) if name and email else None
        if found is not None and not (sin and found in self.sin_of):
            return found
        return None


def parse_row(
    number: int,
    cells: tuple[Any, ...],
    headers: tuple[str, ...],
    columns: Mapping[str, int],
    orders: Mapping[str, str | None],
    series: Mapping[str, Mapping[str, Any]],
) -> ParsedRow:
    """The values of one row, each checked for its form (the register's checks follow):
    its series among ``series`` (id -> a row with ``face_value_cents``), its bonds (from
    the bonds or the amount, in whole bonds), its dates (``orders``: each date column's
    day/month order), its holder's details.

    >>> row = parse_row(2, ("Lucie", "A", "1 000,00 $", "20/11/2016"),
    ...                 ("Nom", "Série", "Montant", "Date"),
    ...                 {"name": 0, "series": 1, "amount": 2, "subscription_date": 3},
    ...                 {"subscription_date": "dmy"}, {"A": {"face_value_cents": 50_000}})
    >>> row.values["series"], row.values["bonds"], row.values["subscribed_on"], row.problems
    ('A', 2, datetime.date(2016, 11, 20), [])
    """
    row = ParsedRow(number, tuple(Table.text(c) for c in cells))
    v = row.values

    def cell(f: str) -> Any:
        return cells[columns[f]] if f in columns else None

    def text(f: str) -> str | None:
        t = Table.text(cell(f)).strip()
        return t or None

    def bad(f: str, what: Message) -> None:
        where = Message("reg.import.where", row=number, column=headers[columns[f]])
        quoted = None if f in PERSONAL else row.cells[columns[f]]
        row.problems.append(Problem(where, what, quoted))
        row.failed.add(_INTAKE.get(f, f))

    if "name" in columns and "first_name" in columns and "last_name" not in columns:
        v["name"] = " ".join(filter(None, (text("first_name"), text("name")))) or None
    elif "name" in columns:
        v["name"] = text("name")
    else:
        v["name"] = " ".join(filter(None, (text("first_name"), text("last_name")))) or None
    for f in ("address", "email", "co_holder", "payment_method"):
        v[f] = text(f)
    raw_sin = cell("sin")
    if isinstance(raw_sin, int | float) and float(raw_sin).is_integer():
        raw_sin = f"{int(raw_sin):09d}"  # a SIN Excel stored as a number lost its leading 0
    v["sin"] = None
    if Table.text(raw_sin).strip():
        v["sin"] = sin_digits(Table.text(raw_sin).strip())
        if v["sin"] is None:
            bad("sin", Message("reg.err.sin"))
    sid = text("series")
    if sid is not None:
        wanted = header_key(sid)
        bare = re.sub(r"^series?", "", wanted)
        v["series"] = next((s for s in series if s == sid or header_key(s) in (wanted, bare)), None)
        if v["series"] is None:
            bad("series", Message("msg.no_such_series", ids=", ".join(series)))
    face = series[v["series"]]["face_value_cents"] if v.get("series") else None
    if (t := text("bonds")) is not None:
        n = parse_number(t)
        if n is None:
            bad("bonds", Message("reg.import.number"))
        elif n != n.to_integral_value():
            bad("bonds", Message("msg.whole"))
        else:
            v["bonds"] = int(n)
    if (t := text("amount")) is not None:
        n = parse_number(t)
        cents = None if n is None else n * 100
        if cents is None:
            bad("amount", Message("reg.import.number"))
        elif cents != cents.to_integral_value():
            bad("amount", Message("reg.import.cents"))
        elif face is not None and int(cents) % face:
            bad("amount", Message("reg.import.whole_bonds", face=_money(face), series=v["series"]))
        elif face is not None and "bonds" in v and v["bonds"] * face != int(cents):
            bad("amount", Message("reg.import.disagree", bonds=v["bonds"], face=_money(face)))
        elif face is not None:
            v["bonds"] = int(cents) // face
        else:  # no series to tell its face value: the series' problem says it
            row.failed.add("bonds")
    for f, key in (("subscription_date", "subscribed_on"), ("payment_date", "paid_on")):
        if text(f) is not None:
            v[key] = parse_date(cell(f), orders.get(f))
            if v[key] is None:
                bad(f, Message("reg.import.date"))
    for f, known, key in (("language", _LANGUAGES, "reg.import.language"),
                          ("kind", _KINDS, "reg.import.kind"),
                          ("country", _COUNTRIES, "reg.import.country")):  # fmt: skip
        if (t := text(f)) is not None:
            found = known.get(header_key(t))
            if f == "country" and found is None and len(t) == 2 and t.isascii() and t.isalpha():
                found = t.upper()
            if found is None:
                bad(f, Message(key))
            v[f] = found
    if not row.failed & {"name", "series", "bonds", "subscribed_on", "sin"} and all(
        v.get(k) for k in ("series", "bonds", "subscribed_on")
    ):
        parts = [fold(v["name"]), fold(v["email"]), v["sin"] or "", v["series"], v["bonds"]]
        parts.append(v["subscribed_on"].isoformat())
        row.key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    return row


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class ImportMixin:
    """Subscription lists into the register, for :class:`~bondkit.register.Register`."""

    _write: Any
    _event: Any
    issue: Any

    def import_file(
        self,
        path: str | os.PathLike,
        *,
        reason: str | None = None,
        by: str | None = None,
        now: dt.datetime | None = None,
        mapping: Mapping[str, str] | None = None,
        sheet: str | None = None,
        dates: str | None = None,
        keep_good: bool = False,
        rejects: Callable[[ImportReport], None] | None = None,
    ) -> ImportReport:
        """Import the subscriptions of a CSV or XLSX file, all in one transaction (the
        module's rules for reading, headers, numbers, dates and holders).

        Every row is checked: its values, its series (which must have the bonds left),
        whole bonds, the issue's minimum subscription and maximum per investor (a
        holder's rows and what they hold already), the subscription date inside the
        campaign and before maturity, the SIN's check digit, a payment date not before
        the subscription. With any problem, :class:`RegisterError` lists every one (row,
        column, value; a personal value is never quoted) and nothing is imported; with
        ``keep_good`` the good rows are imported and the others returned in
        :attr:`ImportReport.rejected`, and ``rejects(report)``, when given, is called
        before the commit (if it fails, nothing is imported). A payment date also records
        the payment received (bonds x face value) on that date. ``reason`` defaults to
        "import of <file name>"; ``by`` and ``now`` as for
        :meth:`~bondkit.register.Register.add_subscriptions`.
        """
        if dates not in (None, "dmy", "mdy"):
            raise ValueError(f"dates must be 'dmy' or 'mdy', not {dates!r}")
        table = read_table(path, sheet)
        return self._import(table, mapping, dates, keep_good, rejects, reason, by, now)

    def import_simulated(
        self,
        frame: pd.DataFrame,
        *,
        reason: str | None = None,
        by: str | None = None,
        now: dt.datetime | None = None,
        source: str = "simulated register",
    ) -> ImportReport:
        """Import a simulated register (``Result.campaign_register``: ``subscriber``,
        ``series``, ``subscription_date``, ``amount`` in cents) through the same path as a
        file: pseudonymous holders (``S00001``...), no personal data. A subscriber the
        campaign's cap left with nothing is not a holder. Imported again, it adds nothing.
        """
        rows = []
        for number, r in enumerate(frame.itertuples(index=False), start=2):
            cents = int(r.amount)
            if cents > 0:
                on = r.subscription_date
                on = on.date() if hasattr(on, "date") else on
                rows.append((number, (str(r.subscriber), str(r.series), _money(cents), on)))
        sha = hashlib.sha256(repr(rows).encode()).hexdigest()
        headers = ("subscriber", "series", "amount", "subscription_date")
        table = Table(source, sha, headers, tuple(rows))
        return self._import(table, None, None, False, None, reason, by, now)

    def _import(
        self,
        table: Table,
        mapping: Mapping[str, str] | None,
        dates: str | None,
        keep_good: bool,
        rejects: Callable[[ImportReport], None] | None,
        reason: str | None,
        by: str | None,
        now: dt.datetime | None,
    ) -> ImportReport:
        try:
            who = operator(by)
        except ValueError:
            raise RegisterError(Message("reg.err.by")) from None
        at = timestamp(now)
        if reason is None:
            reason = Message("reg.import.reason", file=table.name).render(self.issue["language"])
        if not isinstance(reason, str) or not reason.strip() or not reason.strip().isprintable():
            raise RegisterError(Message("reg.err.reason"))
        why = reason.strip()
        columns, ignored, problems = match_columns(table.headers, mapping, table.name)
        orders, more = date_orders(table, columns, dates) if not problems else ({}, [])
        if problems or more:
            raise RegisterError(Message("reg.import.unusable", file=table.name), problems + more)

        def write(conn: Any) -> ImportReport:
            report = ImportReport(
                table.name, table.sha256, table.headers, table.delimiter, len(table.rows),
                [], 0, [], 0, 0, 0, {f: table.headers[i] for f, i in columns.items()},
                ignored, orders,
            )  # fmt: skip
            good, problems = self._check_rows(conn, table, columns, orders, report)
            if problems and not keep_good:
                rows = len({r.row for r in report.rejected})
                raise RegisterError(
                    Message("reg.import.refused", file=table.name, n=len(problems), rows=rows),
                    problems,
                )
            self._record(conn, table, good, report, at, who, why)
            if report.rejected and rejects is not None:
                rejects(report)
            return report

        return self._write(write)

    def _check_rows(
        self,
        conn: Any,
        table: Table,
        columns: Mapping[str, int],
        orders: Mapping[str, str | None],
        report: ImportReport,
    ) -> tuple[list[tuple[ParsedRow, intake.Subscription, int]], list[Problem]]:
        """Every row checked against the register and the rows before it (first come,
        first served for the bonds left and the limits); the good rows with their
        subscription and holder (negative: new), and every problem."""
        issue = store.read_issue(conn)
        series = {r["series_id"]: r for r in store.read_series(conn)}
        held = store.bonds_held(conn)
        holders = _Holders(holder_identities(conn))
        principal = principal_by_holder(conn)
        known = imported_keys(conn)
        opens, closes = issue["campaign_opens"], issue["campaign_closes"]
        least, most = issue["min_subscription_cents"], issue["max_per_investor_cents"]
        seen: dict[str, int] = {}
        good: list[tuple[ParsedRow, intake.Subscription, int]] = []
        problems: list[Problem] = []
        new = 0
        for number, cells in table.rows:
            row = parse_row(number, cells, table.headers, columns, orders, series)
            v = row.values
            if row.key is not None:
                seen[row.key] = seen.get(row.key, 0) + 1
                row.key = hashlib.sha256(f"{row.key}#{seen[row.key]}".encode()).hexdigest()
                if row.key in known:
                    report.already += 1
                    continue
            holder = holders.find(v["name"], v["email"], v["sin"])
            asked: dict[str, Any] = {k: v.get(k) for k in ("series", "bonds", "subscribed_on")}
            if holder is not None and holder > 0:
                asked["holder_id"] = holder
            else:
                asked.update({k: v.get(k) for k in ("name", "address", "email", "sin")})
                asked.update({k: v.get(k) for k in intake.HOLDER_DETAILS})
            sid = v.get("series")
            left = {sid: held.get(sid, 0)} if sid else {}
            checked, found = intake.subscriptions(
                [asked], series, left, issue["interest_start"], lambda _: True
            )
            for p in found:
                key = p.location.rpartition(".")[2] if "." in p.location else "bonds"
                if key in row.failed:
                    continue
                f = next((f for f in (*_FROM_INTAKE.get(key, ()), key) if f in columns), None)
                if f is None:  # pragma: no cover (every key the register checks has a column)
                    row.problems.append(Problem(Message("reg.import.row", row=number), p.what))
                    continue
                where = Message("reg.import.where", row=number, column=table.headers[columns[f]])
                quoted = None if f in PERSONAL else row.cells[columns[f]]
                what = p.what
                if key in ("series", "bonds", "subscribed_on") and v.get(key) is None:
                    what, quoted = Message("msg.missing"), None
                elif not p.location.startswith("subscriptions["):  # the series is full
                    quoted = None
                row.problems.append(Problem(where, what, quoted))
            if not row.problems and checked:
                self._limits(row, checked[0], series[sid], holder, principal, columns,
                             table.headers, (opens, closes, least, most))  # fmt: skip
            if row.problems:
                problems += row.problems
                report.rejected.append(Rejected(number, row.cells, tuple(row.problems)))
                continue
            sub = checked[0]
            if holder is None:
                new -= 1
                holder = new
                holders.add(holder, sub.name, sub.email, sub.sin)
            elif holder < 0 and sub.sin and holder not in holders.sin_of:
                holders.add(holder, None, None, sub.sin)
            cents = sub.bonds * series[sid]["face_value_cents"]
            principal[holder] = principal.get(holder, 0) + cents
            held[sid] = held.get(sid, 0) + sub.bonds
            good.append((row, sub, holder))
        return good, problems

    @staticmethod
    def _limits(
        row: ParsedRow,
        sub: intake.Subscription,
        terms: Mapping[str, Any],
        holder: int | None,
        principal: Mapping[int, int],
        columns: Mapping[str, int],
        headers: tuple[str, ...],
        rules: tuple[str | None, str | None, int | None, int | None],
    ) -> None:
        """The issue's rules for one good row: the campaign's dates, the minimum
        subscription, the maximum per investor, a payment not before the subscription."""
        opens, closes, least, most = rules
        cents = sub.bonds * terms["face_value_cents"]
        money = "amount" if "amount" in columns else "bonds"

        def bad(f: str, what: Message) -> None:
            where = Message("reg.import.where", row=row.number, column=headers[columns[f]])
            row.problems.append(Problem(where, what, row.cells[columns[f]]))

        on = sub.subscribed_on.isoformat()
        if (opens and on < opens) or (closes and on > closes):
            bad("subscription_date", Message("reg.import.campaign", opens=opens or "-",
                                             closes=closes or "-"))  # fmt: skip
        if least is not None and cents < least:
            bad(money, Message("reg.import.minimum", minimum=_money(least), amount=_money(cents)))
        total = cents + (principal.get(holder, 0) if holder is not None else 0)
        if most is not None and total > most:
            bad(money, Message("reg.import.maximum", maximum=_money(most), total=_money(total)))
        paid = row.values.get("paid_on")
        if paid is not None and paid < sub.subscribed_on:
            bad("payment_date", Message("reg.import.paid_before", date=on))

    def _record(
        self,
        conn: Any,
        table: Table,
        good: list[tuple[ParsedRow, intake.Subscription, int]],
        report: ImportReport,
        at: str,
        who: str,
        why: str,
    ) -> None:
        """Write the good rows: new holders (details filled from their later rows),
        holdings, subscription and payment events, and the imported rows' keys."""
        faces = {r["series_id"]: r["face_value_cents"] for r in store.read_series(conn)}
        details: dict[int, dict[str, Any]] = {}
        for _, sub, holder in good:
            if holder < 0:
                mine = details.setdefault(holder, {})
                for k in ("name", "address", "email", "sin", *intake.HOLDER_DETAILS):
                    if mine.get(k) is None or (k == "kind" and mine[k] == "person"):
                        mine[k] = getattr(sub, k)
        ids: dict[int, int] = {}
        existing: set[int] = set()
        imported = []
        for row, sub, holder in good:
            if holder < 0 and holder not in ids:
                ids[holder] = store.insert_row(
                    conn, "holders", {**details[holder], "created_at": at}
                )
            elif holder > 0:
                existing.add(holder)
            holding = store.insert_row(
                conn,
                "holdings",
                {
                    "holder_id": ids.get(holder, holder),
                    "series_id": sub.series,
                    "subscribed_on": sub.subscribed_on.isoformat(),
                    "interest_start": sub.interest_start.isoformat(),
                    "created_at": at,
                },
            )
            cents = sub.bonds * faces[sub.series]
            posting = Posting(holding, bonds=sub.bonds, principal_cents=cents)
            self._event(conn, "subscription", sub.subscribed_on, [posting], at, who, why)
            paid = row.values.get("paid_on")
            if paid is not None:
                cash = [Posting(holding, cash_cents=cents)]
                self._event(conn, "payment_received", paid, cash, at, who, why)
                report.payments += 1
            report.added.append(holding)
            imported.append((row.key, holding, table.name, table.sha256, row.number, at))
        insert_import_rows(conn, imported)
        report.holders_new, report.holders_existing = len(ids), len(existing)
