"""The subscriptions of a campaign under way, from a CSV or XLSX list (issue #16): read
with the register import's header matching and row checks
(:mod:`bondkit.register.lists`, :func:`bondkit.register.importing.parse_row`), for
``bondkit track``.

A row gives a subscription date, bonds or an amount (whole bonds of its series), its
series (not needed when the issue has one), and when known a status (paid, signed,
pledged, cancelled, in French or English; blank: paid) and a segment (one of the
scenario's ``[[campaign.segments]]`` names; blank: not known). Names, e-mails and SINs may
be in the file: they are not read. Every row is checked: a date after ``as_of``, before the
opening or after the close, an unknown series, status or segment, an amount not in whole
bonds; one report lists every problem by row, column and value, and nothing is computed
from a file with a problem. A file none of whose rows belongs to the issue (every row of
an unknown series or outside the campaign) is said to be another issue's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from bondkit.core.terms import CampaignTerms, SeriesTerms
from bondkit.errors import Message, Problem
from bondkit.models.tracking import STATUSES, Observed
from bondkit.register.importing import parse_row
from bondkit.register.lists import Table, date_orders, header_key, match_columns, read_table
from bondkit.register.store import RegisterError

if TYPE_CHECKING:  # pragma: no cover
    import os

__all__ = ["TRACK_ALIASES", "STATUS_WORDS", "status_of", "read_campaign_rows"]

#: the headers of the two columns a campaign list adds to a subscription list's
TRACK_ALIASES: Mapping[str, tuple[str, ...]] = {
    "status": ("status", "statut", "état", "state", "étape"),
    "segment": ("segment", "channel", "canal", "groupe", "group", "source", "provenance",
                "cercle"),
}  # fmt: skip
#: the words of each status, in English and French (matched by header_key)
STATUS_WORDS: Mapping[str, tuple[str, ...]] = {
    "paid": ("paid", "payé", "payée", "received", "reçu", "confirmed", "confirmé", "encaissé"),
    "signed": ("signed", "signé", "signée", "subscribed", "souscrit", "bulletin signé"),
    "pledged": ("pledged", "pledge", "promesse", "promis", "engagement", "intention",
                "intended"),
    "cancelled": ("cancelled", "canceled", "annulé", "annulée", "withdrawn", "retiré",
                  "refunded", "remboursé"),
}  # fmt: skip
_STATUS_INDEX = {header_key(w): s for s, ws in STATUS_WORDS.items() for w in (s, *ws)}
#: the fields of a campaign list that are read (the others, personal ones included, not)
_READ = ("series", "bonds", "amount", "subscription_date", "status", "segment")


def status_of(text: str) -> str | None:
    """The status a cell names (blank: paid), or None when it names none.

    >>> status_of("Payé"), status_of(" PROMESSE "), status_of(""), status_of("maybe")
    ('paid', 'pledged', 'paid', None)
    """
    if not text.strip():
        return "paid"
    return _STATUS_INDEX.get(header_key(text))


def read_campaign_rows(
    path: str | os.PathLike,
    terms: CampaignTerms,
    series: Sequence[SeriesTerms],
    as_of: dt.date,
    mapping: Mapping[str, str] | None = None,
    dates: str | None = None,
    sheet: str | None = None,
) -> Observed:
    """The rows of the list at ``path`` seen by ``as_of``, checked against the campaign
    ``terms`` and its ``series``; :class:`RegisterError` with every problem otherwise.

    >>> import tempfile, pathlib
    >>> from bondkit.core.terms import Segment
    >>> series = [SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 5, 1), term_years=5)]
    >>> seg = Segment("Membres", people=2_000, reached=0.8, conversion=0.05, ticket_median=1_000)
    >>> terms = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=50_000,
    ...                       target=80_000, segments=(seg,))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "souscriptions.csv"
    ...     _ = p.write_text("Date;Montant;Statut\\n13/03/2027;1 000 $;payé\\n"
    ...                      "15/03/2027;500 $;promesse\\n", encoding="utf-8")
    ...     seen = read_campaign_rows(p, terms, series, dt.date(2027, 3, 16))
    >>> seen.day.tolist(), seen.amount.tolist(), [STATUSES[s] for s in seen.status]
    ([12, 14], [100000, 50000], ['paid', 'pledged'])
    """
    table = read_table(path, sheet)
    required = (
        ("series", "bonds", "subscription_date")
        if len(series) > 1
        else ("bonds", "subscription_date")
    )
    columns, _ignored, problems = match_columns(
        table.headers, mapping, table.name, aliases=TRACK_ALIASES, required=required
    )
    if problems:
        raise RegisterError(Message("track.err.refused"), problems)
    columns = {f: i for f, i in columns.items() if f in _READ}
    orders, problems = date_orders(table, columns, dates)
    faces = {s.id: {"face_value_cents": s.face_value_cents} for s in series}
    index = {s.id: j for j, s in enumerate(series)}
    segments = {header_key(g.name): k for k, g in enumerate(terms.segments)}
    rows: list[tuple[int, int, int, int, int]] = []
    foreign = 0
    headers, body = table.headers, table.rows
    if "series" not in columns:  # one series: every row is of it
        columns["series"] = len(headers)
        headers = (*headers, "series")
        body = tuple((n, (*cells, series[0].id)) for n, cells in body)
    for number, cells in body:
        row = parse_row(number, cells, headers, columns, orders, faces)
        v = row.values
        found = list(row.problems)

        def where(f: str, number: int = number) -> Message:
            return Message("reg.import.where", row=number, column=headers[columns[f]])

        def text(f: str, cells: tuple[Any, ...] = cells) -> str:
            return Table.text(cells[columns[f]]).strip() if f in columns else ""

        for f, key in (("series", "series"), ("subscription_date", "subscribed_on")):
            if v.get(key) is None and not text(f):
                found.append(Problem(where(f), Message("msg.missing")))
        amount_field = "bonds" if "bonds" in columns else "amount"
        if v.get("bonds") is None and not text(amount_field):
            found.append(Problem(where(amount_field), Message("msg.missing")))
        elif v.get("bonds") is not None and v["bonds"] <= 0:
            found.append(Problem(where(amount_field), Message("msg.positive"), text(amount_field)))
        day = v.get("subscribed_on")
        outside = False
        if day is not None:
            for wrong, key, limit in (
                (day > as_of, "track.err.after_as_of", as_of),
                (day < terms.opens, "track.err.before_opening", terms.opens),
                (day > terms.closes, "track.err.after_close", terms.closes),
            ):
                if wrong:
                    outside = True
                    found.append(
                        Problem(
                            where("subscription_date"),
                            Message(key, date=limit),
                            text("subscription_date"),
                        )
                    )
                    break
        status = status_of(text("status"))
        if status is None:
            words = ", ".join(STATUSES)
            found.append(
                Problem(
                    where("status"), Message("track.err.status", statuses=words), text("status")
                )
            )
        segment = -1
        if text("segment"):
            segment = segments.get(header_key(text("segment")), -2)
            if segment == -2:
                names = ", ".join(g.name for g in terms.segments)
                found.append(
                    Problem(
                        where("segment"), Message("track.err.segment", names=names), text("segment")
                    )
                )
        if (text("series") and v.get("series") is None) or outside:
            foreign += 1
        problems += found
        if not found:
            sid = v["series"]
            rows.append((int((day - terms.opens).days), v["bonds"] * faces[sid]["face_value_cents"],
                         index[sid], segment, STATUSES.index(status)))  # fmt: skip
    if table.rows and foreign == len(table.rows):
        problems.insert(
            0,
            Problem(
                table.name,
                Message(
                    "track.err.other_issue",
                    series=", ".join(index),
                    opens=terms.opens,
                    closes=terms.closes,
                ),
            ),
        )
    if problems:
        raise RegisterError(Message("track.err.refused"), problems)
    a = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return Observed(as_of, a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4])
