"""The annual statements of the holders (issue #14): one printable HTML file per holder, in
the holder's language, and one CSV for mail merge.

Each statement names the issuer and the issue, the holder (number, name, joint holder,
address), then one row per holding: its series, the interest mode in words (paid each
period, or accumulating with the interest reported every year: Income Tax Act s. 12(4) in
Canada), the interest paid and the interest accrued and reported in the period, the
principal outstanding at its end and the next payment; then whether each tax slip of the
country will be issued. The figures are those of a
:class:`~bondkit.register.taxes.TaxYear` (``reg.tax_year(year, country)``): its
``statements`` (one row per holding) and ``by_holder`` (one row per holder, with an
``issued_<slip>`` column and a ``<slip>_cents`` amount for each slip type).

The HTML is self-contained (inline CSS with print rules for Letter and A4, no script, no
external resource), accessible (``lang`` attribute, headings, a table with a caption and
header cells), and every text that comes from the register is HTML-escaped: a name
``<script>`` stays text. Words come from :data:`bondkit.labels.LABELS` (``taxdoc.*``).

Files are named by holder number, never by name: ``<stem>-statements-<year>.csv`` and
``<stem>-statements-<year>/holder-<n>.html``, written together
(:func:`bondkit.report.fileset.write_file_set`), readable by their owner only (mode 0600).
A SIN is never read here, so never written.

>>> import datetime as dt
>>> date_text(dt.date(2028, 2, 1), "fr"), date_text(dt.date(2027, 12, 31), "en")
('1er février 2028', 'December 31, 2027')
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import cents_to_str
from bondkit.labels import LABELS, money_text, t
from bondkit.report.fileset import write_file_set
from bondkit.report.register_files import FILE_MODE, Money
from bondkit.report.tables import spreadsheet_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "StatementFiles",
    "date_text",
    "period_tag",
    "slip_types",
    "slip_label",
    "statement_html",
    "statement_file",
    "mail_merge_rows",
    "csv_text",
    "write_private",
    "write_statements",
]

#: the mail-merge CSV's columns (label keys after "taxdoc.col."), before the slips
_MERGE_HEAD = (
    "holder",
    "name",
    "co_holder",
    "address",
    "email",
    "language",
    "paid",
    "accrued",
    "reportable",
    "principal",
)

_NUM = ' class="num"'
_CSS = """
@page { margin: 16mm 15mm; }
* { box-sizing: border-box; }
html { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
       font-size: 10.5pt; color: #1a1a1a; background: #fff; }
body { max-width: 182mm; margin: 0 auto; padding: 10mm 6mm; line-height: 1.45; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm;
         border-bottom: 2px solid #1f4e79; padding-bottom: 4mm; margin-bottom: 6mm; }
.issuer { font-size: 13pt; font-weight: bold; color: #1f4e79; margin: 0; }
.issue { margin: 1mm 0 0; color: #444; }
h1 { font-size: 15pt; margin: 0; text-align: right; color: #1f4e79; }
.holder-no { text-align: right; margin: 1mm 0 0; color: #444; }
h2 { font-size: 11.5pt; color: #1f4e79; margin: 7mm 0 2mm; }
.recipient { margin: 0 0 4mm; }
.recipient h2 { font-size: 9pt; font-weight: normal; color: #555; margin: 0 0 1mm;
                text-transform: uppercase; letter-spacing: 0.04em; }
.recipient p { margin: 0; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin-top: 2mm; }
caption { text-align: left; font-size: 9pt; color: #555; padding-bottom: 1.5mm; }
th, td { border-bottom: 1px solid #c9d3de; padding: 1.6mm 1.8mm; vertical-align: top;
         text-align: left; }
thead th { background: #e8eef5; border-bottom: 1.5px solid #1f4e79; font-weight: bold; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
col.c-holding { width: 9%; } col.c-series { width: 11%; } col.c-mode { width: 23%; }
col.c-money { width: 12.5%; } col.c-next { width: 19.5%; }
tfoot th, tfoot td { font-weight: bold; border-top: 1.5px solid #1f4e79; border-bottom: none; }
.slips { padding-left: 5mm; margin: 0; }
.slips li { margin: 1mm 0; }
.note { font-size: 9.5pt; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #c9d3de; font-size: 8.5pt;
         color: #555; }
thead { display: table-header-group; }
tr, li, .recipient { break-inside: avoid; page-break-inside: avoid; }
h2 { break-after: avoid; page-break-after: avoid; }
@media print {
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; }
}
"""


@dataclass(frozen=True)
class StatementFiles:
    """What :func:`write_statements` wrote: the paths (the CSV first), the holders by
    language of their statement, and the holdings listed."""

    paths: list[Path]
    languages: dict[str, int]
    holdings: int

    @property
    def csv(self) -> Path:
        """The mail-merge CSV.

        >>> StatementFiles([Path("a.csv"), Path("s/holder-1.html")], {"fr": 1}, 1).csv.name
        'a.csv'
        """
        return self.paths[0]


def date_text(day: dt.date, lang: str) -> str:
    """A date written for a reader of ``lang`` (``1er février 2028``, ``February 1, 2028``).

    >>> date_text(dt.date(2027, 10, 28), "fr"), date_text(dt.date(2027, 10, 28), "en")
    ('28 octobre 2027', 'October 28, 2027')
    """
    month = t("taxdoc.months", lang).split("|")[day.month - 1]
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return t("taxdoc.date", lang).format(month=month, day=number, year=day.year)


def period_tag(period: tuple[dt.date, dt.date]) -> str:
    """The year of a tax period as files and titles name it: ``2027`` for a calendar
    year, ``2027-28`` for a period across two years (the UK's, 6 April to 5 April).

    >>> period_tag((dt.date(2027, 1, 1), dt.date(2027, 12, 31)))
    '2027'
    >>> period_tag((dt.date(2027, 4, 6), dt.date(2028, 4, 5)))
    '2027-28'
    """
    start, end = (_date(d) for d in period)
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year % 100:02d}"


def slip_types(by_holder: pd.DataFrame) -> list[str]:
    """The slip types of a tax year, from its ``issued_<slip>`` columns, in their order.

    >>> import pandas as pd
    >>> slip_types(pd.DataFrame(columns=["holder_id", "t5_cents", "issued_t5", "issued_rl3"]))
    ['t5', 'rl3']
    """
    return [c[len("issued_") :] for c in by_holder.columns if str(c).startswith("issued_")]


def _slip_key(slip: str) -> str:
    """The label suffix of a slip type: t5, rl3, uk or us."""
    s = "".join(ch for ch in slip.lower() if ch.isalnum())
    if "1099" in s or s.startswith("us"):
        return "us"
    if s.startswith(("uk", "gb", "return", "hmrc")):
        return "uk"
    return s


def slip_label(slip: str, lang: str, kind: str = "slip") -> str:
    """The name of a slip type in ``lang`` (``kind="box"``: the box its amount goes in);
    an unknown type is shown as its code in capitals.

    >>> slip_label("rl3", "fr"), slip_label("t5", "en", "box"), slip_label("xyz", "en")
    ('Relevé 3', 'Box 13: interest from Canadian sources', 'XYZ')
    """
    key = f"taxdoc.{kind}.{_slip_key(slip)}"
    return t(key, lang) if key in LABELS else slip.upper()


# ---------------------------------------------------------------- small readers


def _na(value: Any) -> bool:
    return value is None or value != value or str(value) in ("NaT", "<NA>")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _int(value: Any) -> int:
    return 0 if _na(value) else int(value)


def _text(value: Any) -> str:
    return "" if _na(value) else str(value)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return df.to_dict("records") if df is not None and len(df) else []


def _paid(holding: dict[str, Any]) -> int:
    """Interest paid in cash or credited (rolled into a renewal) in the period [cents]."""
    return _int(holding.get("interest_paid_cents")) + _int(holding.get("interest_credited_cents"))


def _language(holder: dict[str, Any], issue: dict[str, Any]) -> str:
    lang = _text(holder.get("language")) or _text(issue.get("language")) or "en"
    return lang if lang in ("en", "fr") else "en"


# ---------------------------------------------------------------- one statement


def _slips_of(row: dict[str, Any], slips: list[str]) -> list[tuple[str, bool, int]]:
    return [(s, bool(_int(row.get(f"issued_{s}"))), _int(row.get(f"{s}_cents"))) for s in slips]


def statement_html(
    holder: dict[str, Any],
    holdings: list[dict[str, Any]],
    slips: list[tuple[str, bool, int]],
    *,
    issue: dict[str, Any],
    period: tuple[dt.date, dt.date],
    country: str,
    lang: str,
    prepared_on: dt.date,
) -> str:
    """One holder's statement as a self-contained HTML page in ``lang``.

    ``holder`` is a row of :meth:`~bondkit.register.Register.holders`, ``holdings`` its
    rows of ``TaxYear.statements``, ``slips`` (slip type, issued, amount in cents) for each
    slip type. Every text from the register is escaped.

    >>> page = statement_html({"holder_id": 7, "name": "<script>x</script>", "address": None},
    ...     [{"holding_id": 3, "series_id": "A", "mode": "paid", "interest_paid_cents": 4000,
    ...       "interest_accrued_reported_cents": 0, "principal_outstanding_cents": 200000,
    ...       "next_payment_on": dt.date(2028, 3, 2), "next_payment_cents": 4000}],
    ...     [("t5", False, 4000)], issue={"issuer": "Coop & fils", "name": "Émission 2026",
    ...     "currency": "CAD"}, period=(dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ...     country="CA", lang="fr", prepared_on=dt.date(2028, 2, 1))
    >>> '<html lang="fr">' in page, "<script>" in page, "&lt;script&gt;x" in page
    (True, False, True)
    >>> "Coop &amp; fils" in page, "Versés à chaque échéance" in page, "2\\xa0000,00\\xa0$" in page
    (True, True, True)
    """
    e = html.escape
    currency = _text(issue.get("currency")) or "CAD"
    start, end = (_date(d) for d in period)
    tag = period_tag((start, end))
    holder_id = _int(holder.get("holder_id"))
    issuer = _text(issue.get("issuer")) or _text(issue.get("name"))

    def money(cents: int) -> str:
        return e(money_text(cents, lang, currency))

    name = _text(holder.get("name"))
    co_holder = _text(holder.get("co_holder"))
    shown = t("taxdoc.st.joint", lang).format(name=name, co_holder=co_holder) if co_holder else name
    address = "".join(
        f"<br>{e(line.strip())}"
        for line in _text(holder.get("address")).splitlines()
        if line.strip()
    )
    end_text = date_text(end, lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>"
        + e(t("taxdoc.st.doc_title", lang).format(issuer=issuer, year=tag, holder=holder_id))
        + "</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<div><p class="issuer">{e(issuer)}</p>',
        f'<p class="issue">{e(t("taxdoc.st.issue_line", lang).format(issue=_text(issue.get("name"))))}</p></div>',
        f"<div><h1>{e(t('taxdoc.st.title', lang).format(year=tag))}</h1>",
        f'<p class="holder-no">{e(t("taxdoc.st.holder_no", lang).format(holder=holder_id))}</p></div>',
        "</header>",
        "<main>",
        '<section class="recipient" aria-labelledby="to">',
        f'<h2 id="to">{e(t("taxdoc.st.prepared_for", lang))}</h2>',
        f"<p><strong>{e(shown)}</strong>{address}</p>",
        "</section>",
        '<p class="note">'
        + e(t("taxdoc.st.intro", lang).format(start=date_text(start, lang), end=end_text))
        + "</p>",
        f"<h2>{e(t('taxdoc.st.holdings', lang))}</h2>",
    ]
    if holdings:
        out += _holdings_table(
            holdings, lang=lang, tag=tag, end=end, country=country, currency=currency
        )
    else:
        out.append(f"<p>{e(t('taxdoc.st.none', lang))}</p>")
    out.append(f"<h2>{e(t('taxdoc.st.slips', lang).format(year=tag))}</h2>")
    out.append('<ul class="slips">')
    for slip, issued, cents in slips:
        label = slip_label(slip, lang)
        # the UK's return goes to the tax authority only: no slip to the holder
        yes, no = (
            ("return_yes", "return_no") if _slip_key(slip) == "uk" else ("slip_yes", "slip_no")
        )
        if issued:
            text = t(f"taxdoc.st.{yes}", lang).format(
                slip=label, amount=money_text(cents, lang, currency)
            )
        else:
            text = t(f"taxdoc.st.{no}", lang).format(slip=label, year=tag)
        out.append(f"<li>{e(text)}</li>")
    out.append("</ul>")
    out.append(f'<p class="note">{e(t("taxdoc.st.report", lang))}</p>')
    if country == "CA" and any(h.get("mode") == "accumulating" for h in holdings):
        out.append(f'<p class="note">{e(t("taxdoc.st.accrual", lang))}</p>')
    footer = t("taxdoc.st.footer", lang).format(date=date_text(prepared_on, lang), issuer=issuer)
    out += ["</main>", f"<footer><p>{e(footer)}</p></footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _holdings_table(
    holdings: list[dict[str, Any]],
    *,
    lang: str,
    tag: str,
    end: dt.date,
    country: str,
    currency: str,
) -> list[str]:
    e = html.escape

    def money(cents: int) -> str:
        return e(money_text(cents, lang, currency))

    heads = [
        t("taxdoc.col.holding", lang),
        t("taxdoc.col.series", lang),
        t("taxdoc.col.mode", lang),
        t("taxdoc.col.paid", lang),
        t("taxdoc.col.accrued", lang),
        t("taxdoc.col.principal", lang),
        t("taxdoc.col.next", lang),
    ]
    numeric = (False, False, False, True, True, True, False)
    caption = t("taxdoc.st.caption", lang).format(year=tag, end=date_text(end, lang))
    cols = ("holding", "series", "mode", "money", "money", "money", "next")
    out = ["<table>", f"<caption>{e(caption)}</caption>", "<colgroup>"]
    out += [f'<col class="c-{c}">' for c in cols]
    out.append("</colgroup><thead><tr>")
    out += [
        f'<th scope="col"{_NUM if num else ""}>{e(h)}</th>'
        for h, num in zip(heads, numeric, strict=True)
    ]
    out.append("</tr></thead>")
    accumulating = "taxdoc.mode.accumulating_ca" if country == "CA" else "taxdoc.mode.accumulating"
    sums = [0, 0, 0]
    body = []
    for h in holdings:
        paid = _paid(h)
        accrued = _int(h.get("interest_accrued_reported_cents"))
        principal = _int(h.get("principal_outstanding_cents"))
        sums = [sums[0] + paid, sums[1] + accrued, sums[2] + principal]
        mode = t(accumulating if h.get("mode") == "accumulating" else "taxdoc.mode.paid", lang)
        if _na(h.get("next_payment_on")):
            nxt = e(t("taxdoc.st.no_next", lang))
        else:
            nxt = e(
                t("taxdoc.st.next", lang).format(
                    amount=money_text(_int(h.get("next_payment_cents")), lang, currency),
                    date=date_text(_date(h["next_payment_on"]), lang),
                )
            )
        body.append(
            "<tr>"
            f'<th scope="row">{_int(h.get("holding_id"))}</th>'
            f"<td>{e(_text(h.get('series_id')))}</td>"
            f"<td>{e(mode)}</td>"
            f'<td class="num">{money(paid)}</td>'
            f'<td class="num">{money(accrued)}</td>'
            f'<td class="num">{money(principal)}</td>'
            f"<td>{nxt}</td>"
            "</tr>"
        )
    out.append("<tbody>")
    out += body
    out.append("</tbody>")
    if len(holdings) > 1:
        out.append(
            f'<tfoot><tr><th scope="row" colspan="3">{e(t("taxdoc.st.total", lang))}</th>'
            + "".join(f'<td class="num">{money(s)}</td>' for s in sums)
            + "<td></td></tr></tfoot>"
        )
    out.append("</table>")
    return out


# ---------------------------------------------------------------- every holder's files


def _holder_ids(tax_year: Any) -> list[int]:
    ids = {_int(v) for v in tax_year.by_holder["holder_id"].tolist()}
    ids |= {_int(v) for v in tax_year.statements["holder_id"].tolist()}
    return sorted(ids)


def _by_holder(df: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in _records(df):
        out.setdefault(_int(row["holder_id"]), []).append(row)
    return out


def statement_file(stem: str, tag: str, holder_id: int) -> str:
    """The path of a holder's statement inside the output folder: by number, never by name.

    >>> statement_file("solar", "2027", 12)
    'solar-statements-2027/holder-12.html'
    """
    return f"{stem}-statements-{tag}/holder-{int(holder_id)}.html"


def mail_merge_rows(
    tax_year: Any,
    holders: pd.DataFrame,
    issue: dict[str, Any],
    lang: str,
    *,
    stem: str | None = None,
) -> list[list[Any]]:
    """The mail-merge table: a header in ``lang``, then one row per holder with a statement:
    number, name, joint holder, address, e-mail, the language of the statement (``fr`` or
    ``en``), the interest paid, accrued and reported, reported in all, the principal
    outstanding at the period's end (:class:`~bondkit.report.register_files.Money`, in
    cents), whether each slip is issued (yes / no in ``lang``) and, with ``stem``, the
    statement's file.

    >>> import pandas as pd
    >>> ty = type("TaxYear", (), {"period": (dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ...     "by_holder": pd.DataFrame({"holder_id": [1], "reportable_cents": [4000],
    ...                                "t5_cents": [4000], "issued_t5": [False]}),
    ...     "statements": pd.DataFrame({"holder_id": [1], "interest_paid_cents": [4000],
    ...         "interest_accrued_reported_cents": [0], "principal_outstanding_cents": [200000]})})
    >>> holders = pd.DataFrame({"holder_id": [1], "name": ["Lucie"], "co_holder": [None],
    ...     "address": ["1 rue A"], "email": [None], "language": [None]})
    >>> rows = mail_merge_rows(ty, holders, {"language": "fr"}, "en", stem="a")
    >>> rows[0][-2:], rows[1]
    (['T5 slip: slip issued', 'Statement file'], [1, 'Lucie', '', '1 rue A', '', 'fr', 4000, 0, 4000, 200000, 'no', 'a-statements-2027/holder-1.html'])
    """
    slips = slip_types(tax_year.by_holder)
    tag = period_tag(tax_year.period)
    people = {_int(r["holder_id"]): r for r in _records(holders)}
    sums = {_int(r["holder_id"]): r for r in _records(tax_year.by_holder)}
    rows = _by_holder(tax_year.statements)
    head = [t(f"taxdoc.col.{k}", lang) for k in _MERGE_HEAD]
    head += [t("taxdoc.col.issued", lang).format(slip=slip_label(s, lang)) for s in slips]
    out: list[list[Any]] = [head + ([t("taxdoc.col.file", lang)] if stem else [])]
    for hid in _holder_ids(tax_year):
        person = people.get(hid, {})
        mine = rows.get(hid, [])
        total = sums.get(hid, {})
        out.append(
            [
                hid,
                _text(person.get("name")),
                _text(person.get("co_holder")),
                _text(person.get("address")),
                _text(person.get("email")),
                _language(person, issue),
                Money(sum(_paid(h) for h in mine)),
                Money(sum(_int(h.get("interest_accrued_reported_cents")) for h in mine)),
                Money(_int(total.get("reportable_cents"))),
                Money(sum(_int(h.get("principal_outstanding_cents")) for h in mine)),
                *(
                    t("taxdoc.yes" if issued else "taxdoc.no", lang)
                    for _, issued, _ in _slips_of(total, slips)
                ),
                *([statement_file(stem, tag, hid)] if stem else []),
            ]
        )
    return out


def csv_text(rows: list[list[Any]]) -> str:
    """CSV text of cells (``int``, ``str``, :class:`~bondkit.report.register_files.Money`
    in cents, ``datetime.date``, None): money with 2 decimals and a dot, dates ISO, text
    kept as text for a spreadsheet (:func:`~bondkit.report.tables.spreadsheet_text`).

    >>> csv_text([["a", Money(150), dt.date(2028, 2, 29), None, "=1+1"]])
    "a,1.50,2028-02-29,,'=1+1\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return cents_to_str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return spreadsheet_text(value)
    return str(value)


def write_private(path: Path, data: bytes) -> None:
    """Write a new file readable and writable by its owner only (mode 0600, whatever the
    umask); an existing file is refused.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_private(Path(tmp) / "a.txt", b"1")
    ...     oct((Path(tmp) / "a.txt").stat().st_mode & 0o777)
    '0o600'
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, FILE_MODE)


def write_statements(
    tax_year: Any,
    holders: pd.DataFrame,
    issue: dict[str, Any],
    out_dir: str | os.PathLike,
    *,
    stem: str,
    lang: str,
    prepared_on: dt.date | None = None,
) -> StatementFiles:
    """Write every holder's statement (in the holder's language, else the issue's) and the
    mail-merge CSV (headers in ``lang``) into ``out_dir``, together (all or nothing; the
    previous statements of the same period replaced whole), mode 0600.

    ``tax_year`` is ``reg.tax_year(year, country)``; ``holders`` is ``reg.holders()``
    (no SIN: none is needed); ``issue`` is ``reg.issue``.

    >>> import tempfile, pandas as pd
    >>> ty = type("TaxYear", (), {"period": (dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ...     "country": "CA", "by_holder": pd.DataFrame({"holder_id": [4], "reportable_cents": [0]}),
    ...     "statements": pd.DataFrame(columns=["holder_id", "holding_id"])})
    >>> holders = pd.DataFrame({"holder_id": [4], "name": ["Lucie"], "language": ["en"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_statements(ty, holders, {"issuer": "Coop", "name": "2026"}, tmp,
    ...                              stem="solar", lang="fr")
    ...     names = [str(p.relative_to(tmp)) for p in files.paths]
    >>> names, files.languages
    (['solar-statements-2027.csv', 'solar-statements-2027/holder-4.html'], {'en': 1})
    """
    prepared_on = prepared_on or dt.date.today()
    tag = period_tag(tax_year.period)
    country = str(getattr(tax_year, "country", "CA"))
    slips = slip_types(tax_year.by_holder)
    people = {_int(r["holder_id"]): r for r in _records(holders)}
    sums = {_int(r["holder_id"]): r for r in _records(tax_year.by_holder)}
    rows = _by_holder(tax_year.statements)
    merge = mail_merge_rows(tax_year, holders, issue, lang, stem=stem)
    languages: dict[str, int] = {}
    pages: list[tuple[str, str]] = []
    for hid in _holder_ids(tax_year):
        person = {"holder_id": hid, **people.get(hid, {})}
        holder_lang = _language(person, issue)
        languages[holder_lang] = languages.get(holder_lang, 0) + 1
        page = statement_html(
            person,
            sorted(rows.get(hid, []), key=lambda h: _int(h.get("holding_id"))),
            _slips_of(sums.get(hid, {}), slips),
            issue=issue,
            period=tax_year.period,
            country=country,
            lang=holder_lang,
            prepared_on=prepared_on,
        )
        pages.append((statement_file(stem, tag, hid), page))
    name = f"{stem}-statements-{tag}"

    def fill(folder: Path) -> None:
        write_private(folder / f"{name}.csv", csv_text(merge).encode("utf-8-sig"))
        (folder / name).mkdir(mode=0o700)
        for rel, page in pages:
            write_private(folder / rel, page.encode("utf-8"))

    write_file_set(out_dir, name, fill)
    ordered = [Path(out_dir) / f"{name}.csv", *(Path(out_dir) / rel for rel, _ in pages)]
    return StatementFiles(ordered, languages, len(tax_year.statements))
