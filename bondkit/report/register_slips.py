"""The data of the tax slips of a year (issue #14), per recipient and box, as XLSX and CSV,
for the person (or the accountant) who files them.

- **Canada**: one file pair per slip type: the T5 (box 13, interest from Canadian
  sources) and the RL-3 (box D). One row per recipient whose slip is issued (the
  :class:`~bondkit.register.taxes.TaxYear` decides: 50 $ or more, 12(4) accrual included,
  none for a corporation's accrual): the report code, the recipient type (1 individual, 2
  joint, 3 corporation, 4 trust or estate: the codes of the T5 guide), the name split into
  last name / first name / initial and cut to the form's lengths (a joint holder's name in
  the second recipient's fields; a corporation's or an estate's name, "Estate of ..." /
  "Succession de ..." as the register holds it, in the name lines of an entity), the
  address split into lines, city, province and postal code, the country code, the SIN
  (``000000000`` when the register has none: the tax year warns whom to ask) and the amount
  of the box.
- **United Kingdom**: the annual return of interest paid (name, address, amount);
  **United States**: the 1099-INT data (name, address, TIN, box 1), with a flag for
  accrual bonds, which belong on Form 1099-OID.

Each XLSX has a second sheet, and the summary CSV a row per slip type, with the totals:
the number of slips, the total of the box, the deadline and whether electronic filing is
required. **Report codes**: the first time, every slip is an original (O; R on an RL-3);
once slips are recorded as filed (:meth:`~bondkit.register.Register.file_slips`), a later
run writes only the slips a correction of the year changed: amended (A) with the new
amount, cancelled (C; D on an RL-3) as filed, and new originals (see
:mod:`bondkit.register.filings`); the codes are the rules' data. No XML for the tax
authorities' filing services.

The slips need the SIN, so these files hold it (with names and addresses): readable by
their owner only (mode 0600), written together
(:func:`bondkit.report.fileset.write_file_set`). Text stays text: a leading apostrophe in
the CSV, a string with Excel's quote prefix in the XLSX. The words are labels
(``taxdoc.*``), in ``lang``; vocabulary codes (report code, recipient type, ``yes`` in
the data) are as the forms want them.

>>> split_name("Marie-Ève de la Fontaine")
('de la Fontaine', 'Marie-Ève', '')
>>> split_name("Tremblay, Lucie Anne")
('Tremblay', 'Lucie', 'A')
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.errors import Message
from bondkit.labels import t
from bondkit.report.fileset import write_file_set
from bondkit.report.register_files import FILE_MODE, Money
from bondkit.report.register_statements import (
    csv_text,
    period_tag,
    slip_label,
    slip_types,
    write_private,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "SlipSummary",
    "DEFAULT_CODES",
    "report_codes",
    "SlipFiles",
    "NameLimits",
    "name_limits",
    "split_name",
    "split_address",
    "slip_rows",
    "summary_rows",
    "write_slips",
]

#: the SIN written when the register has none (the T5 guide's rule)
NO_SIN = "000000000"
#: recipient types of the T5 and RL-3: individual, joint, corporation, trust (an estate)
RECIPIENT_TYPES = {"person": 1, "joint": 2, "corporation": 3, "estate": 4}
#: the report codes of a slip type whose rules are not at hand: original, amended, cancelled
DEFAULT_CODES = ("O", "A", "C")
#: the changes a slip can be (:data:`bondkit.register.filings.CHANGES`), in the codes' order
_CHANGES = ("original", "amended", "cancelled")
#: words of a family name that belong to it: "de la Fontaine", "van der Berg"
_PARTICLES = {"de", "du", "des", "la", "le", "d'", "van", "von", "der", "den", "di", "da", "del"}
#: two-letter country codes to the three-letter ones of the slips
_COUNTRY3 = {"CA": "CAN", "US": "USA", "GB": "GBR", "FR": "FRA", "BE": "BEL", "CH": "CHE"}
_PROVINCES = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
_POSTAL = re.compile(r"\b([A-Za-z]\d[A-Za-z])[ -]?(\d[A-Za-z]\d)\b")
_PROVINCE = re.compile(rf"(?:^|[\s,(])({_PROVINCES})(?=$|[\s,)])")
_ZIP = re.compile(r"\b([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\b")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class NameLimits:
    """The lengths of a slip's fields [characters]: last name, first name, initial, each
    name line of an entity, each address line, city."""

    last: int = 20
    first: int = 12
    initial: int = 1
    entity: int = 30
    address: int = 30
    city: int = 28


@dataclass(frozen=True)
class SlipSummary:
    """The summary of one slip type: slips, total of the box [cents], deadline, whether
    electronic filing is required; how many slips are originals, amended and cancelled
    (``changes``), and how many filed before stand unchanged (not in the files)."""

    slip: str
    count: int
    total_cents: int
    deadline: dt.date
    electronic: bool
    changes: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0


@dataclass
class SlipFiles:
    """What :func:`write_slips` wrote: the paths, a summary per slip type, the warnings
    (by holder number) found while filling the forms' fields."""

    paths: list[Path]
    summaries: list[SlipSummary]
    warnings: list[Message] = field(default_factory=list)


def name_limits(rules: Any, slip: str) -> NameLimits:
    """The field lengths of ``slip`` from a country's tax rules (``TaxYear.rules``, a
    :class:`~bondkit.data.tax_rules.TaxRules`: the slip type's
    :class:`~bondkit.data.tax_rules.NameRule`); the address lengths, and every length of a
    slip the rules do not describe, are the T5's.

    >>> from bondkit.data.tax_rules import CANADA
    >>> name_limits(CANADA, "rl3")
    NameLimits(last=30, first=30, initial=1, entity=30, address=30, city=28)
    >>> name_limits(None, "t5").last
    20
    """
    try:
        rule = rules.slip(slip).names
    except (AttributeError, StopIteration):
        rule = None
    if rule is None:
        return NameLimits()
    return NameLimits(
        last=rule.surname, first=rule.given, initial=rule.initial, entity=rule.entity_line
    )


def split_name(name: str) -> tuple[str, str, str]:
    """A person's name as the slips want it: (last name, first name, initial).

    ``"Last, First Middle"`` is read as written; otherwise the last word is the family
    name, with the particles before it (``de``, ``van der``...), the first word the first
    name and the next word's first letter the initial. A name of one word is a last name.
    The register holds one name: check the slips of names it cannot split.

    >>> split_name("Lucie Tremblay"), split_name("Jean Paul Émile Côté"), split_name("Cher")
    (('Tremblay', 'Lucie', ''), ('Côté', 'Jean', 'P'), ('Cher', '', ''))
    """
    name = " ".join(name.split())
    if "," in name:
        last, _, given = (s.strip() for s in name.partition(","))
        words = given.split()
    else:
        words = name.split()
        if len(words) <= 1:
            return name, "", ""
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in _PARTICLES:
            cut -= 1
        last, words = " ".join(words[cut:]), words[:cut]
    first = words[0] if words else ""
    initial = words[1][0].upper() if len(words) > 1 else ""
    return last, first, initial


def split_address(address: str | None) -> tuple[dict[str, str], bool]:
    """A free-text address as the slips' fields (``line_1``, ``line_2``, ``city``,
    ``province``, ``postal_code``), and whether it split cleanly (a postal code or ZIP
    code found, and a city).

    Lines are separated by line breaks or commas: the first is line 1, the last (less its
    province and postal code) the city, the ones between line 2.

    >>> split_address("12 rue des Pins, app. 3, Montréal QC H2X 1Y4")
    ({'line_1': '12 rue des Pins', 'line_2': 'app. 3', 'city': 'Montréal', 'province': 'QC', 'postal_code': 'H2X 1Y4'}, True)
    >>> split_address("999 rue Introuvable")[1]
    False
    """
    out = {"line_1": "", "line_2": "", "city": "", "province": "", "postal_code": ""}
    text = (address or "").strip()
    found = _POSTAL.search(text)
    if found:
        out["postal_code"] = f"{found[1]} {found[2]}".upper()
        text = text[: found.start()] + text[found.end() :]
    else:
        zip_code = _ZIP.search(text)
        if zip_code:
            out["province"], out["postal_code"] = zip_code[1], zip_code[2]
            text = text[: zip_code.start()] + text[zip_code.end() :]
    if not out["province"]:
        provinces = list(_PROVINCE.finditer(text))
        if provinces:
            p = provinces[-1]
            out["province"] = p[1]
            text = text[: p.start(1)] + text[p.end(1) :]
    parts = [p.strip(" ,()") for p in re.split(r"[\n,]", text)]
    parts = [p for p in parts if p]
    if parts:
        out["line_1"] = parts[0]
    if len(parts) > 1:
        out["city"] = parts[-1]
        out["line_2"] = ", ".join(parts[1:-1])
    return out, bool(out["postal_code"] and out["city"])


# ---------------------------------------------------------------- rows


def _na(value: Any) -> bool:
    return value is None or value != value or str(value) in ("NaT", "<NA>")


def _text(value: Any) -> str:
    return "" if _na(value) else str(value)


def _int(value: Any) -> int:
    return 0 if _na(value) else int(value)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return value.date() if hasattr(value, "date") else dt.date.fromisoformat(str(value)[:10])


def _cut(text: str, limit: int) -> tuple[str, bool]:
    return text[:limit].rstrip(), len(text) > limit


def _lines(text: str, limit: int) -> tuple[str, str, bool]:
    """Two lines of at most ``limit`` characters, cut between words when it can."""
    if len(text) <= limit:
        return text, "", False
    head = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    rest = text[len(head) :].strip()
    second, cut = _cut(rest, limit)
    return head.rstrip(), second, cut


def _ca_row(holder: dict[str, Any], limits: NameLimits) -> tuple[list[Any], bool, bool]:
    """The name, address, country and SIN cells of a Canadian slip; whether something was
    cut, whether the address split cleanly."""
    name, co_holder, kind = (
        _text(holder.get("name")),
        _text(holder.get("co_holder")),
        _text(holder.get("kind")),
    )
    cut = False
    person = ["", "", ""]
    second = ["", "", ""]
    entity = ["", ""]
    if kind in ("corporation", "estate"):
        rtype = RECIPIENT_TYPES[kind]
        entity[0], entity[1], cut = _lines(name, limits.entity)
    else:
        rtype = RECIPIENT_TYPES["joint" if co_holder else "person"]
        for target, who in ((person, name), (second, co_holder)):
            if not who:
                continue
            for i, (part, limit) in enumerate(
                zip(split_name(who), (limits.last, limits.first, limits.initial), strict=True)
            ):
                target[i], shortened = _cut(part, limit)
                cut = cut or shortened
    address, clean = split_address(_text(holder.get("address")))
    cells = []
    for key in ("line_1", "line_2"):
        value, shortened = _cut(address[key], limits.address)
        cells.append(value)
        cut = cut or shortened
    city, shortened = _cut(address["city"], limits.city)
    country = _text(holder.get("country")).upper() or "CA"
    sin = "".join(ch for ch in _text(holder.get("sin")) if ch.isdigit())
    row = [
        rtype,
        *person,
        *second,
        *entity,
        *cells,
        city,
        address["province"],
        address["postal_code"],
        _COUNTRY3.get(country, country),
        sin if len(sin) == 9 else NO_SIN,
    ]
    return row, cut or shortened, clean


_CA_HEAD = (
    "holder",
    "report_code",
    "recipient_type",
    "last_name",
    "first_name",
    "initial",
    "last_name_2",
    "first_name_2",
    "initial_2",
    "entity_1",
    "entity_2",
    "line_1",
    "line_2",
    "city",
    "province",
    "postal_code",
    "country",
    "sin",
)


def report_codes(tax_year: Any, slip: str) -> tuple[str, str, str]:
    """The report codes of ``slip`` (original, amended, cancelled) in ``tax_year``'s rules.

    >>> from bondkit.data.tax_rules import CANADA
    >>> report_codes(type("TaxYear", (), {"rules": CANADA}), "rl3")
    ('R', 'A', 'D')
    """
    rules = getattr(tax_year, "rules", None)
    if rules is None:
        return DEFAULT_CODES
    return rules.slip(slip).codes


def _to_file(tax_year: Any, slip: str, changes: pd.DataFrame | None) -> list[tuple[int, str, int]]:
    """(holder, code, amount) of each slip to file, by holder: every slip issued as an
    original, or the ``changes`` of a year filed before."""
    codes = report_codes(tax_year, slip)
    if changes is None:
        by_holder = tax_year.by_holder
        issued = by_holder[by_holder[f"issued_{slip}"].fillna(False).astype(bool)]
        return [
            (_int(r["holder_id"]), codes[0], _int(r.get(f"{slip}_cents")))
            for r in issued.sort_values("holder_id").to_dict("records")
        ]
    rules = getattr(tax_year, "rules", None)
    zero = rules is not None and rules.slip(slip).cancelled_amount == "zero"
    out = []
    for r in changes.sort_values("holder_id").to_dict("records"):
        change = str(r["change"])
        amount = _int(r["amount_cents"])
        if change == "cancelled":
            amount = 0 if zero else _int(r["filed_cents"])
        out.append((_int(r["holder_id"]), codes[_CHANGES.index(change)], amount))
    return out


def slip_rows(
    tax_year: Any,
    holders: pd.DataFrame,
    slip: str,
    lang: str,
    changes: pd.DataFrame | None = None,
) -> tuple[list[list[Any]], list[Message]]:
    """The rows of one slip type: a header in ``lang``, then one row per slip to file (by
    holder number): every recipient whose slip is issued, as originals, or the
    ``changes`` of a year filed before (:func:`bondkit.register.filings.slip_changes`:
    amended, cancelled, new originals, with their report codes); and the warnings found
    (by holder number: a name or address cut to the form, an address that did not split).

    ``holders`` is ``reg.holders(include_sin=True)``: a slip needs the SIN.

    >>> import pandas as pd
    >>> ty = type("TaxYear", (), {"country": "CA", "rules": None, "by_holder": pd.DataFrame(
    ...     {"holder_id": [1, 2], "t5_cents": [12345, 4000], "issued_t5": [True, False]})})
    >>> holders = pd.DataFrame({"holder_id": [1, 2], "name": ["Lucie Tremblay", "X"],
    ...     "co_holder": [None, None], "kind": ["person", "person"], "sin": [None, None],
    ...     "address": ["1 rue A, Québec QC G1R 2B5", ""], "country": ["CA", "CA"]})
    >>> rows, warnings = slip_rows(ty, holders, "t5", "en")
    >>> rows[1], warnings
    ([1, 'O', 1, 'Tremblay', 'Lucie', '', '', '', '', '', '', '1 rue A', '', 'Québec', 'QC', 'G1R 2B5', 'CAN', '000000000', 12345], [])
    """
    country = str(getattr(tax_year, "country", "CA")).upper()
    people = {_int(r["holder_id"]): r for r in holders.to_dict("records")}
    warnings: list[Message] = []
    if country == "CA":
        head = [t(f"taxdoc.col.{k}", lang) for k in _CA_HEAD]
        head.append(slip_label(slip, lang, "box"))
        limits = name_limits(getattr(tax_year, "rules", None), slip)
    else:
        head = [t(f"taxdoc.col.{k}", lang) for k in ("holder", "report_code", "name", "address")]
        head += [t("taxdoc.col.tin", lang)] if country == "US" else []
        head.append(slip_label(slip, lang, "box"))
        head += [t("taxdoc.col.oid", lang)] if country == "US" else []
        accrual = _accrual_holders(tax_year)
    out: list[list[Any]] = [head]
    for hid, code, cents in _to_file(tax_year, slip, changes):
        holder = people.get(hid, {})
        amount = Money(cents)
        if country == "CA":
            cells, cut, clean = _ca_row(holder, limits)
            if cut:
                warnings.append(Message("taxdoc.warn.shortened", holder=hid))
            if not clean:
                warnings.append(Message("taxdoc.warn.address", holder=hid))
            out.append([hid, code, *cells, amount])
            continue
        name, co_holder = _text(holder.get("name")), _text(holder.get("co_holder"))
        shown = (
            t("taxdoc.st.joint", lang).format(name=name, co_holder=co_holder) if co_holder else name
        )
        cells = [hid, code, shown, _text(holder.get("address"))]
        if country == "US":
            tin = "".join(ch for ch in _text(holder.get("sin")) if ch.isdigit())
            flag = t("taxdoc.yes" if hid in accrual else "taxdoc.no", lang)
            out.append([*cells, tin, amount, flag])
        else:
            out.append([*cells, amount])
    return out, warnings


def _accrual_holders(tax_year: Any) -> set[int]:
    """Holders with an accumulating holding in the period (1099-OID in the US)."""
    by = tax_year.by_holder
    if "accumulating" in by:
        return {_int(h) for h in by.loc[by["accumulating"].astype(bool), "holder_id"].tolist()}
    frame = getattr(tax_year, "statements", None)
    if frame is None or not len(frame) or "mode" not in frame:
        return set()
    return {_int(h) for h in frame.loc[frame["mode"] == "accumulating", "holder_id"].tolist()}


def _electronic(tax_year: Any, slip: str) -> bool:
    flags = dict(getattr(tax_year, "electronic", None) or {})
    norm = {"".join(ch for ch in str(k).lower() if ch.isalnum()): bool(v) for k, v in flags.items()}
    return norm.get("".join(ch for ch in slip.lower() if ch.isalnum()), False)


def _deadline(tax_year: Any, slip: str) -> dt.date:
    deadline = tax_year.deadline
    if isinstance(deadline, dict):  # one deadline per slip type
        deadline = deadline.get(slip, next(iter(deadline.values())))
    return _day(deadline)


def summary_rows(
    summaries: list[SlipSummary], *, issuer: str, period: tuple[dt.date, dt.date], lang: str
) -> list[list[Any]]:
    """The summary table: a header in ``lang``, then per slip type its name, the tax year,
    the period, the number of slips, the total of the box (cents), the deadline and
    whether electronic filing is required (yes / no).

    >>> s = SlipSummary("t5", 7, 123456, dt.date(2028, 2, 29), True)
    >>> summary_rows([s], issuer="Coop", period=(dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ...              lang="en")[1]
    ['T5 slip', '2027', '2027-01-01 to 2027-12-31', 7, 123456, datetime.date(2028, 2, 29), 'yes', 'Coop', 0, 0, 0, 0]
    """
    keys = ("slip", "year", "period", "count", "total", "deadline", "electronic", "issuer")
    keys += ("n_original", "n_amended", "n_cancelled", "n_unchanged")
    out: list[list[Any]] = [[t(f"taxdoc.col.{k}", lang) for k in keys]]
    start, end = (_day(d) for d in period)
    span = t("taxdoc.period", lang).format(start=start.isoformat(), end=end.isoformat())
    for s in summaries:
        out.append(
            [
                slip_label(s.slip, lang),
                period_tag(period),
                span,
                s.count,
                Money(s.total_cents),
                s.deadline,
                t("taxdoc.yes" if s.electronic else "taxdoc.no", lang),
                issuer,
                *(s.changes.get(c, 0) for c in _CHANGES),
                s.unchanged,
            ]
        )
    return out


# ---------------------------------------------------------------- the files


def _xlsx(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> None:
    """A workbook of tables (first row: headers): money as numbers with 2 decimals, dates
    as dates, text as strings (quote prefix when it starts like a formula), never a
    formula; a frozen header row and column widths."""
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), options)
    try:
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        money = book.add_format({"num_format": "#,##0.00"})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        quoted = book.add_format({"quote_prefix": True})
        for name, rows in sheets:
            sheet = book.add_worksheet(name)
            widths = [min(max(len(str(h)), 8), 24) for h in rows[0]]
            for c, header in enumerate(rows[0]):
                sheet.write_string(0, c, str(header), head)
            for r, row in enumerate(rows[1:], start=1):
                for c, value in enumerate(row):
                    if isinstance(value, Money):
                        sheet.write_number(r, c, int(value) / 100, money)
                        text = f"{int(value) / 100:,.2f}"
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                        text = "2000-01-01"
                    elif isinstance(value, bool) or not isinstance(value, int | str):
                        text = "" if value is None else str(value)
                        if text:
                            sheet.write_string(r, c, text)
                    elif isinstance(value, int):
                        sheet.write_number(r, c, value)
                        text = str(value)
                    else:
                        text = value
                        if value.startswith(_FORMULA_START):
                            sheet.write_string(r, c, value, quoted)
                        elif value:
                            sheet.write_string(r, c, value)
                    widths[c] = max(widths[c], min(len(text), 48))
            for c, width in enumerate(widths):
                sheet.set_column(c, c, width + 2)
            sheet.freeze_panes(1, 0)
    finally:
        book.close()
    os.chmod(path, FILE_MODE)


def _counts(changes: Any, made: list[str], codes: tuple[str, str, str]) -> dict[str, int]:
    """How many slips of each change were written (all originals without ``changes``)."""
    if changes is None:
        return {"original": len(made)}
    return {c: int((changes["change"] == c).sum()) for c in _CHANGES}


def _file_tag(slip: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in slip.lower()).strip("-")


def write_slips(
    tax_year: Any,
    holders: pd.DataFrame,
    issue: dict[str, Any],
    out_dir: str | os.PathLike,
    *,
    stem: str,
    lang: str,
    run: Any | None = None,
) -> SlipFiles:
    """Write the slip data of ``tax_year`` into ``out_dir``: per slip type
    ``<stem>-<slip>-<year>.csv`` and ``.xlsx`` (the slips, and a summary sheet), and
    ``<stem>-slips-<year>-<country>-summary.csv``; together (the previous slips of the same
    year and country replaced whole), mode 0600. Headers in ``lang``.

    ``run`` (:class:`bondkit.register.filings.SlipRun`) says which slips to file: every
    slip issued the first time; once slips of the year were filed, the changes only, in
    files named ``...-<year>-after-<day last filed>`` (the originals' files are kept).

    ``holders`` is ``reg.holders(include_sin=True)``: **the files hold the SINs**.

    >>> import tempfile, pandas as pd
    >>> ty = type("TaxYear", (), {"country": "CA", "rules": None,
    ...     "period": (dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ...     "deadline": dt.date(2028, 2, 29), "electronic": {"t5": False},
    ...     "by_holder": pd.DataFrame({"holder_id": [1], "t5_cents": [5000], "issued_t5": [True]})})
    >>> holders = pd.DataFrame({"holder_id": [1], "name": ["Lucie Tremblay"], "kind": ["person"],
    ...     "sin": ["046454286"], "address": ["1 rue A, Québec QC G1R 2B5"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_slips(ty, holders, {"issuer": "Coop"}, tmp, stem="a", lang="en")
    ...     names = [p.name for p in files.paths]
    >>> names, files.summaries[0].count, files.summaries[0].total_cents
    (['a-slips-2027-ca-summary.csv', 'a-t5-2027.csv', 'a-t5-2027.xlsx'], 1, 5000)
    """
    tag = period_tag(tax_year.period)
    filed = list(getattr(run, "filed_on", None) or [])
    if filed:  # the changes after a filing: beside the files filed, never over them
        tag = f"{tag}-after-{max(filed).isoformat()}"
    country = str(getattr(tax_year, "country", "CA")).lower()
    issuer = str(issue.get("issuer") or issue.get("name") or "")
    tables: list[tuple[str, list[list[Any]]]] = []
    summaries: list[SlipSummary] = []
    warnings: list[Message] = []
    for slip in slip_types(tax_year.by_holder):
        changes = None if run is None else run.changes.get(slip)
        rows, found = slip_rows(tax_year, holders, slip, lang, changes)
        warnings += [w for w in found if w not in warnings]  # once, whatever the slips
        total = sum(int(r[-2] if country == "us" else r[-1]) for r in rows[1:])
        codes = report_codes(tax_year, slip)
        made = [r[1] for r in rows[1:]]
        summaries.append(
            SlipSummary(
                slip,
                len(rows) - 1,
                total,
                _deadline(tax_year, slip),
                _electronic(tax_year, slip),
                _counts(changes, made, codes),
                0 if run is None else int(run.unchanged.get(slip, 0)),
            )
        )
        tables.append((slip, rows))
    period = (_day(tax_year.period[0]), _day(tax_year.period[1]))
    summary = summary_rows(summaries, issuer=issuer, period=period, lang=lang)
    name = f"{stem}-slips-{tag}-{country}"

    def fill(folder: Path) -> None:
        write_private(folder / f"{name}-summary.csv", csv_text(summary).encode("utf-8-sig"))
        for slip, rows in tables:
            base = f"{stem}-{_file_tag(slip)}-{tag}"
            write_private(folder / f"{base}.csv", csv_text(rows).encode("utf-8-sig"))
            one = [summary[0], summary[1 + [s for s, _ in tables].index(slip)]]
            _xlsx(
                folder / f"{base}.xlsx",
                [(t("taxdoc.sheet.slips", lang), rows), (t("taxdoc.sheet.summary", lang), one)],
            )

    paths = write_file_set(out_dir, name, fill)
    return SlipFiles(paths, summaries, warnings)
