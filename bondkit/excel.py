"""The scenario workbook: a summary sheet, then one sheet per booklet of the TIESS guide.

:func:`write_workbook` writes, with XlsxWriter, ten sheets in the scenario's language
(names in :data:`bondkit.labels.SHEETS`): Summary, B1 Overview, B2 Readiness, B3.1
Planning, B3.2 Design, B3.3 Issue, B3.4 Management, B3.5 Renewal-repayment, B4 Case
studies, B5 Glossary. Sheets whose content comes in a later version say so and show the
scenario inputs that concern them.

Layout: every sheet starts with its title (row 1) and the scenario name (row 2), both
kept visible by a frozen pane; sections follow, each a bold heading over a table or
key-value lines (label in column A, value in column B). Column widths come from the
content (long text wraps, with row heights set for it, since LibreOffice does not
re-fit them); every sheet prints one page wide, landscape when wide, with the sheet name
and page number in the footer. On B3.4 the schedule's header is frozen and repeated on
printed pages, the payment calendar is written in the schedule's own columns so that the
same header names it, and the debt service by fiscal year (pivoted by series) comes last
on a page of its own. On B1 and B3.2 the header of the long table at the bottom (what one
bond pays; the issuer's flows) is repeated on the printed pages that follow.

Rules this module keeps:

- every visible word comes from :mod:`bondkit.labels` or :mod:`bondkit.columns`;
- money is carried in cents and written as a number of currency units (cents / 100)
  with a currency format; rates with a percent format, dates as ``yyyy-mm-dd``;
- text a user typed (scenario, issuer, series names) is written with ``write_string``
  only, so a name starting with ``=`` stays text (and carries Excel's quote prefix);
- no finance here: figures come from the :class:`~bondkit.runner.Result` or from
  bondkit's public functions.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from bondkit import __version__
from bondkit.columns import COLUMNS, SCHEDULE_COLUMNS, label
from bondkit.conventions import to_cents
from bondkit.labels import (
    GLOSSARY,
    SHEETS,
    check_language,
    currency_symbol,
    money_text,
    percent_text,
    t,
)
from bondkit.metrics import bond_cash_flows
from bondkit.schedule import series_schedule

if TYPE_CHECKING:
    from bondkit.runner import Result
    from bondkit.terms import SeriesTerms

__all__ = ["write_workbook", "number_formats"]

# ---------------------------------------------------------------- layout constants

_TITLE_ROW, _SUBTITLE_ROW, _FIRST_ROW = 0, 1, 3
_MAX_WIDTH = 36.0  # characters; longer text wraps
_LABEL_WIDTH = 50.0  # the same for the labels of key-value lines
_CHARS_PER_WIDTH = 1.25  # characters of average text that fit in one unit of column width
_MIN_WIDTH = 6.0
_NOTE_CHARS = 110  # a long note is cut into lines of at most this many characters
_LINE_HEIGHT = 15.0  # points per line of 11-point text
_WIDE_SHEET = 100.0  # total column width (characters) above which a sheet prints landscape
_CHART_WIDTH_PX = 560
_USER_TEXT_RISK = ("=", "+", "-", "@")
_BLUE, _LIGHT, _RULE = "#1f4e79", "#dde7f0", "#8ea9c1"


def number_formats(lang: str, currency: str = "CAD") -> dict[str, str]:
    """Excel number format codes for ``lang``, by kind.

    Kinds: money, rate (percent, 2 to 4 decimals), date (``yyyy-mm-dd``), int (thousands
    separated), plain (a year, a seed), years (2 decimals), fraction (6 decimals).

    French codes start with the fr-CA locale tag (``[$-C0C]``) so LibreOffice shows
    ``1 234,56 $`` and ``2,25%`` whatever its own locale (a tag inside the currency
    bracket, ``#,##0.00 [$$-C0C]``, is ignored by LibreOffice for the separators); Excel
    shows the symbol where the code puts it and the separators of the reader's system.
    English codes use the en-CA currency tag ``[$$-1009]``.
    """
    sym = currency_symbol(currency)
    if lang == "fr":
        return {
            "money": f'[$-C0C]#,##0.00 "{sym}"',
            "rate": "[$-C0C]0.00##%",
            "date": "yyyy-mm-dd",
            "int": "[$-C0C]#,##0",
            "plain": "0",
            "years": "[$-C0C]0.00",
            "fraction": "[$-C0C]0.000000",
        }
    return {
        "money": f"[${sym}-1009]#,##0.00",
        "rate": "0.00##%",
        "date": "yyyy-mm-dd",
        "int": "#,##0",
        "plain": "0",
        "years": "0.00",
        "fraction": "0.000000",
    }


def _png_size(path: Path) -> tuple[int, int, float]:
    """Width and height in pixels and horizontal dpi (96 when absent) of a PNG file."""
    data = Path(path).read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    dpi = 96.0
    at = data.find(b"pHYs")
    if at > 0:
        ppu_x, _ppu_y, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
        if unit == 1 and ppu_x:
            dpi = ppu_x * 0.0254
    return width, height, dpi


def _px(width_chars: float) -> float:
    """Pixel width of a column ``width_chars`` wide (Calibri 11, as Excel computes it)."""
    return width_chars * 7 + 5


# ---------------------------------------------------------------- one sheet


class _Sheet:
    """A worksheet plus what its layout needs: column widths from content, wrapped rows."""

    def __init__(self, book: _Book, key: str, title_key: str) -> None:
        self.book, self.lang = book, book.lang
        self.ws = book.wb.add_worksheet(t(key, self.lang))
        self.widths: dict[int, float] = {}
        self.wrapped: list[tuple[int, int, str, bool]] = []  # row, col, text, bold
        self.span_chars = 0.0  # widest untracked text (titles, notes)
        self.extra_rows = 0  # rows covered by pictures, beyond the last cell
        self.extra_px = 0.0  # width covered by pictures
        self.last_row = 0
        self.last_col = 0
        self.header_row: int | None = None
        self._title(title_key)

    # -- primitives -----------------------------------------------------------
    def _track(self, row: int, col: int, chars: float) -> None:
        self.widths[col] = max(self.widths.get(col, _MIN_WIDTH), chars)
        self.last_row, self.last_col = max(self.last_row, row), max(self.last_col, col)

    def _touch(self, row: int, col: int) -> None:
        self.last_row, self.last_col = max(self.last_row, row), max(self.last_col, col)

    def text(
        self,
        row: int,
        col: int,
        s: str,
        kind: str = "text",
        track: bool = True,
        max_width: float = _MAX_WIDTH,
    ) -> None:
        """Any text, written as a string (never a formula); text wider than ``max_width`` wraps."""
        s = str(s)
        quote = s.startswith(_USER_TEXT_RISK)
        bold = kind in ("bold", "header", "total_text")
        chars = len(s) * (1.05 if bold else 1.0) / _CHARS_PER_WIDTH + 2
        wrap = track and chars > max_width
        self.ws.write_string(row, col, s, self.book.fmt(kind, wrap=wrap, quote=quote))
        if not track:
            self.span_chars = max(self.span_chars, len(s) * (1.4 if kind == "title" else 1.0))
            self._touch(row, col)
        elif wrap:
            longest = max((len(w) for w in s.split()), default=0) + 2
            self._track(row, col, max(longest, max_width))
            self.wrapped.append((row, col, s, bold))
        else:
            self._track(row, col, chars)

    def money(self, row: int, col: int, cents: int, total: bool = False) -> None:
        self.ws.write_number(row, col, int(cents) / 100, self.book.fmt("money", total=total))
        self._track(row, col, len(money_text(int(cents), self.lang, self.book.currency)) + 3)

    def rate(self, row: int, col: int, x: float | None, total: bool = False) -> None:
        if x is None:
            self.text(row, col, t("not_solvable", self.lang))
            return
        self.ws.write_number(row, col, float(x), self.book.fmt("rate", total=total))
        self._track(row, col, len(percent_text(x, self.lang, 4)) + 2)

    def date(self, row: int, col: int, d: Any, total: bool = False) -> None:
        if isinstance(d, dt.datetime):  # pandas Timestamps too
            d = d.date()
        self.ws.write_datetime(row, col, d, self.book.fmt("date", total=total))
        self._track(row, col, 12)

    def number(
        self, row: int, col: int, x: float | None, kind: str = "int", total: bool = False
    ) -> None:
        if x is None:
            self.text(row, col, t("not_applicable", self.lang))
            return
        self.ws.write_number(row, col, x, self.book.fmt(kind, total=total))
        digits = len(f"{abs(x):,.0f}") + {"int": 0, "plain": 0, "years": 3, "fraction": 7}[kind]
        self._track(row, col, digits + 3)

    def blank(self, row: int, col: int, total: bool = False) -> None:
        if total:
            self.ws.write_blank(row, col, None, self.book.fmt("text", total=True))
            self._touch(row, col)

    # -- blocks -----------------------------------------------------------------
    def _title(self, title_key: str) -> None:
        self.text(_TITLE_ROW, 0, t(title_key, self.lang), kind="title", track=False)
        self.ws.set_row(_TITLE_ROW, 21)
        sc = self.book.result.scenario
        self.text(_SUBTITLE_ROW, 0, sc.name, kind="subtitle", track=False)
        self.ws.freeze_panes(_SUBTITLE_ROW + 1, 0)

    def section(self, row: int, key: str) -> int:
        """A section heading; returns the next row."""
        self.text(row, 0, t(key, self.lang), kind="section", track=False)
        self.ws.set_row(row, 18)
        return row + 1

    def note(self, row: int, text: str, col: int = 0) -> int:
        """A paragraph cut into lines of plain text (overflowing to the right); returns the next row."""
        for line in textwrap.wrap(text, _NOTE_CHARS):
            self.text(row, col, line, kind="note", track=False)
            row += 1
        return row

    def header(
        self, row: int, col: int, labels: list[str], main: bool = False, repeat: bool = False
    ) -> int:
        """A bold header row; returns the next row.

        ``main``: the header frozen on screen and repeated on printed pages; ``repeat``:
        repeated on printed pages only (the header of a long table lower on the sheet,
        printed above it on the pages that follow).
        """
        for j, s in enumerate(labels):
            self.ws.write_string(row, col + j, s, self.book.fmt("header"))
            words = max((len(w) for w in s.split()), default=0)
            self._track(
                row, col + j, max(words * 1.05 + 2, min(len(s) * 1.05 / _CHARS_PER_WIDTH + 2, 16))
            )
            self.wrapped.append((row, col + j, s, True))
        if main or repeat:
            self.header_row = row
        if main:
            self.ws.freeze_panes(row + 1, 0)
        return row + 1

    def kv(self, row: int, key: str) -> int:
        """The label of a key-value line (column A); the caller writes the value in column B."""
        self.text(row, 0, t(key, self.lang), kind="bold", max_width=_LABEL_WIDTH)
        return row

    def picture(self, row: int, col: int, path: Path, x_offset: float = 0.0) -> tuple[float, float]:
        """Insert a PNG ``_CHART_WIDTH_PX`` wide; returns its displayed width and height in pixels."""
        width, height, dpi = _png_size(path)
        natural = width * 96.0 / dpi
        scale = _CHART_WIDTH_PX / natural
        shown_h = height * 96.0 / dpi * scale
        self.ws.insert_image(
            row,
            col,
            str(path),
            {"x_scale": scale, "y_scale": scale, "x_offset": x_offset, "object_position": 3},
        )
        self.extra_rows = max(self.extra_rows, row + math.ceil(shown_h / 20.0) + 1)
        self.extra_px = max(self.extra_px, x_offset + _CHART_WIDTH_PX)
        return _CHART_WIDTH_PX, shown_h

    # -- finishing ----------------------------------------------------------------
    def finish(self) -> None:
        """Column widths, heights of wrapped rows, print settings."""
        for col, width in self.widths.items():
            self.ws.set_column(col, col, round(width, 1))
        heights: dict[int, int] = {}
        for row, col, s, bold in self.wrapped:
            width = self.widths.get(col, _MIN_WIDTH)
            # bold text is wider; err on the side of one line too many (LibreOffice does not refit)
            per_line = (width - 1) * _CHARS_PER_WIDTH / (1.25 if bold else 1.0)
            lines = len(textwrap.wrap(s, max(int(per_line), 4))) or 1
            heights[row] = max(heights.get(row, 1), lines)
        for row, lines in heights.items():
            if lines > 1:
                self.ws.set_row(row, _LINE_HEIGHT * lines + 2)
        # the printed width must cover titles, notes and pictures that overflow the cells
        needed_px = max(_px(self.span_chars * 0.85), self.extra_px)
        total_px, last_col = 0.0, -1
        while total_px < needed_px or last_col < self.last_col:
            last_col += 1
            total_px += _px(self.widths.get(last_col, 8.43))
        last_row = max(self.last_row, self.extra_rows)
        ws = self.ws
        ws.print_area(0, 0, last_row, last_col)
        ws.set_paper(1)  # Letter, as in Canada
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&L&A&R&P / &N")
        if sum(self.widths.get(c, 8.43) for c in range(last_col + 1)) > _WIDE_SHEET:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if self.header_row is not None:
            ws.repeat_rows(self.header_row)


# ---------------------------------------------------------------- the workbook


class _Book:
    def __init__(self, result: Result, path: Path, lang: str) -> None:
        self.result, self.lang = result, lang
        self.currency = result.scenario.currency
        self.codes = number_formats(lang, self.currency)
        self.wb = xlsxwriter.Workbook(
            str(path),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        self._formats: dict[tuple, Any] = {}

    def fmt(self, kind: str, wrap: bool = False, quote: bool = False, total: bool = False):
        key = (kind, wrap, quote, total)
        if key not in self._formats:
            props: dict[str, Any] = {"valign": "top"}
            if kind in self.codes:
                props["num_format"] = self.codes[kind]
            if kind == "title":
                props.update(bold=True, font_size=14, font_color=_BLUE)
            elif kind == "subtitle":
                props.update(italic=True, font_color="#404040")
            elif kind == "section":
                props.update(bold=True, font_size=12, font_color=_BLUE)
            elif kind in ("header", "group"):
                props.update(
                    bold=True, bg_color=_LIGHT, bottom=1, bottom_color=_RULE, text_wrap=True
                )
                props["align"] = "center" if kind == "group" else "left"
            elif kind in ("bold", "total_text"):
                props.update(bold=True)
            elif kind == "note":
                props.update(italic=True, font_color="#404040")
            if kind in ("text", "bold", "header", "total_text"):
                # an indent keeps text clear of a right-aligned number in the column before;
                # Excel ignores an indent without a horizontal alignment
                props["indent"] = 1
                props.setdefault("align", "left")
            if total or kind == "total_text":
                props.update(bold=True, top=1, top_color=_RULE)
            if wrap:
                props["text_wrap"] = True
            if quote:
                props["quote_prefix"] = True
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, key: str, title_key: str) -> _Sheet:
        return _Sheet(self, key, title_key)


def write_workbook(
    result: Result,
    path: str | Path,
    lang: str | None = None,
    charts: dict[str, Path] | None = None,
) -> None:
    """Write the scenario workbook of ``result`` to ``path`` (``.xlsx``), in one go.

    Parameters
    ----------
    result : Result — what :func:`bondkit.runner.run` returned
    path : path of the file to write (replaced if it exists)
    lang : ``"fr"`` or ``"en"``; default: the scenario's language
    charts : chart name -> PNG path (as :func:`bondkit.charts.save_charts` returns),
        inserted on the summary sheet in that order; none when omitted
    """
    lang = check_language(lang or result.scenario.language)
    book = _Book(result, Path(path), lang)
    writers = {
        "sheet.summary": lambda s: _summary(s, charts or {}),
        "sheet.b1": _overview,
        "sheet.b2": _readiness,
        "sheet.b3_1": _planning,
        "sheet.b3_2": _design,
        "sheet.b3_3": _issue,
        "sheet.b3_4": _management,
        "sheet.b3_5": _renewal,
        "sheet.b4": _cases,
        "sheet.b5": _glossary,
    }
    for key in SHEETS:
        sheet = book.sheet(key, "title." + key.split(".", 1)[1])
        writers[key](sheet)
        sheet.finish()
    sc = result.scenario
    book.wb.set_properties(
        {"title": sc.name, "company": sc.issuer.name, "comments": sc.input_sha256 or ""}
    )
    # XlsxWriter keeps everything in memory until close(): an error above writes no file
    book.wb.close()


# ---------------------------------------------------------------- shared pieces


def _words(sheet: _Sheet, prefix: str, value: str | None) -> str:
    return t(f"{prefix}.{value}", sheet.lang) if value else t("not_applicable", sheet.lang)


def _step_rates_text(sheet: _Sheet, terms: SeriesTerms) -> str:
    if not terms.step_rates:
        return t("none", sheet.lang)
    return "; ".join(
        t("step_rate_item", sheet.lang).format(
            year=s.from_year, rate=percent_text(float(s.annual_rate), sheet.lang)
        )
        for s in terms.step_rates
    )


def _term_text(sheet: _Sheet, terms: SeriesTerms) -> str:
    if terms.term_years is not None:
        return t("years_n", sheet.lang).format(n=terms.term_years)
    return t("maturity_given", sheet.lang)


def _total_row(sheet: _Sheet, row: int, first_col: int, last_col: int, label_text: str) -> None:
    """Style a total row's cells (the caller writes the figures afterwards)."""
    for c in range(first_col, last_col + 1):
        sheet.blank(row, c, total=True)
    sheet.text(row, first_col, label_text, kind="total_text")


def _coming(sheet: _Sheet, row: int, key: str) -> int:
    row = sheet.section(row, "sec.coming")
    return sheet.note(row, t(key, sheet.lang)) + 1


def _series_table(sheet: _Sheet, row: int, columns: list[tuple[str, Any]]) -> int:
    """A table with one row per series: ``columns`` = (header label, writer(sheet, row, col, terms, result))."""
    row = sheet.header(row, 0, [h for h, _ in columns])
    for terms in sheet.book.result.series:
        for c, (_h, write) in enumerate(columns):
            write(sheet, row, c, terms)
        row += 1
    return row


# column writers for per-series tables
def _c_id(s, r, c, terms):
    s.text(r, c, terms.id)


def _c_amount(s, r, c, terms):
    s.money(r, c, terms.amount_cents)


def _c_face(s, r, c, terms):
    s.money(r, c, terms.face_value_cents)


def _c_bonds(s, r, c, terms):
    s.number(r, c, terms.bonds)


def _c_rate(s, r, c, terms):
    s.rate(r, c, float(terms.annual_rate))


def _c_issue(s, r, c, terms):
    s.date(r, c, terms.issue_date)


def _c_maturity(s, r, c, terms):
    s.date(r, c, terms.maturity)


def _c_repayment(s, r, c, terms):
    s.text(r, c, t(f"repayment_short.{terms.repayment}", s.lang))


def _c_frequency(s, r, c, terms):
    s.text(r, c, t(f"frequency.{terms.frequency}", s.lang))


def _c_day_count(s, r, c, terms):
    s.text(r, c, terms.day_count)


def _c_io(s, r, c, terms):
    s.number(r, c, terms.interest_only_years)


def _c_steps(s, r, c, terms):
    s.text(r, c, _step_rates_text(s, terms))


def _c_yield(s, r, c, terms):
    s.rate(r, c, s.book.result.series_results[terms.id].investor_yield)


def _totals(sheet: _Sheet, row: int, ncols: int, sums: dict[int, tuple[str, int]]) -> int:
    """A total row under a per-series table; ``sums`` = col -> ("money" | "int", value)."""
    _total_row(sheet, row, 0, ncols - 1, t("total", sheet.lang))
    for c, (kind, value) in sums.items():
        if kind == "money":
            sheet.money(row, c, value, total=True)
        else:
            sheet.number(row, c, value, total=True)
    return row + 1


# ---------------------------------------------------------------- Summary


def _summary(sheet: _Sheet, charts: dict[str, Path]) -> None:
    res, lang = sheet.book.result, sheet.lang
    sc = res.scenario
    row = sheet.section(_FIRST_ROW, "sec.key_figures")
    for key, write in (
        ("scenario", lambda r: sheet.text(r, 1, sc.name)),
        ("issuer", lambda r: sheet.text(r, 1, sc.issuer.name)),
        ("legal_form", lambda r: sheet.text(r, 1, t(f"legal_form.{sc.issuer.legal_form}", lang))),
        ("currency", lambda r: sheet.text(r, 1, sc.currency)),
        ("kf.series_count", lambda r: sheet.number(r, 1, len(res.series))),
        ("kf.total_principal", lambda r: sheet.money(r, 1, res.total_principal)),
        ("kf.total_interest", lambda r: sheet.money(r, 1, res.total_interest)),
        ("kf.max_debt_service", lambda r: sheet.money(r, 1, res.max_annual_debt_service)),
        ("kf.all_in_cost", lambda r: sheet.rate(r, 1, res.issuer_all_in_cost)),
        ("kf.upfront_costs", lambda r: sheet.money(r, 1, res.upfront_costs)),
        ("kf.annual_admin_total", lambda r: sheet.money(r, 1, res.annual_admin_total)),
        ("kf.first_issue", lambda r: sheet.date(r, 1, min(x.issue_date for x in res.series))),
        ("kf.last_maturity", lambda r: sheet.date(r, 1, max(x.maturity for x in res.series))),
    ):
        write(sheet.kv(row, key))
        row += 1

    row = sheet.section(row + 1, "sec.series")
    sr = res.series_results

    def _c_total_interest(s, r, c, terms):
        s.money(r, c, sr[terms.id].total_interest)

    def _c_wal(s, r, c, terms):
        s.number(r, c, sr[terms.id].weighted_average_life, "years")

    def _c_duration(s, r, c, terms):
        s.number(r, c, sr[terms.id].macaulay_duration, "years")

    columns = [
        (label("series", lang), _c_id),
        (t("col.repayment", lang), _c_repayment),
        (t("col.amount", lang), _c_amount),
        (t("col.bonds", lang), _c_bonds),
        (label("annual_rate", lang), _c_rate),
        (t("col.maturity", lang), _c_maturity),
        (t("col.investor_yield", lang), _c_yield),
        (t("col.total_interest", lang), _c_total_interest),
        (t("col.wal", lang), _c_wal),
        (t("col.duration", lang), _c_duration),
    ]
    row = _series_table(sheet, row, columns)
    row = _totals(
        sheet,
        row,
        len(columns),
        {
            2: ("money", res.total_principal),
            3: ("int", sum(x.bonds for x in res.series)),
            7: ("money", res.total_interest),
        },
    )
    if charts:
        row = sheet.section(row + 1, "sec.charts")
        x = 0.0
        for path in charts.values():
            w, _h = sheet.picture(row, 0, Path(path), x_offset=x)
            x += w + 16


# ---------------------------------------------------------------- B1 Overview


def _overview(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    series = res.series
    row = sheet.section(_FIRST_ROW, "sec.terms")
    row = sheet.header(row, 0, [label("series", lang)] + [s.id for s in series])
    fields = [
        ("col.amount", lambda r, c, s: sheet.money(r, c, s.amount_cents)),
        ("col.face_value", lambda r, c, s: sheet.money(r, c, s.face_value_cents)),
        ("col.bonds", lambda r, c, s: sheet.number(r, c, s.bonds)),
        (None, lambda r, c, s: sheet.rate(r, c, float(s.annual_rate))),
        ("col.issue_date", lambda r, c, s: sheet.date(r, c, s.issue_date)),
        ("col.term", lambda r, c, s: sheet.text(r, c, _term_text(sheet, s))),
        ("col.maturity", lambda r, c, s: sheet.date(r, c, s.maturity)),
        ("col.repayment", lambda r, c, s: sheet.text(r, c, t(f"repayment.{s.repayment}", lang))),
        (
            "col.interest_kind",
            lambda r, c, s: sheet.text(r, c, _words(sheet, "interest", s.interest)),
        ),
        ("col.frequency", lambda r, c, s: sheet.text(r, c, t(f"frequency.{s.frequency}", lang))),
        ("col.day_count", lambda r, c, s: sheet.text(r, c, t(f"daycount.{s.day_count}", lang))),
        (
            "col.business_day",
            lambda r, c, s: sheet.text(r, c, t(f"businessday.{s.business_day}", lang)),
        ),
        ("col.io_years", lambda r, c, s: sheet.number(r, c, s.interest_only_years)),
        ("col.step_rates", lambda r, c, s: sheet.text(r, c, _step_rates_text(sheet, s))),
    ]
    for key, write in fields:
        sheet.text(row, 0, t(key, lang) if key else label("annual_rate", lang), kind="bold")
        for c, terms in enumerate(series, start=1):
            write(row, c, terms)
        row += 1

    # simple vs compound, one bond held to maturity, value at each anniversary
    row = sheet.section(row + 1, "sec.simple_compound")
    row = sheet.note(row, t("sc.note", lang))
    headers = [
        label("series", lang),
        t("col.bond_year", lang),
        t("col.date", lang),
        t("col.simple_interest", lang),
        t("col.simple_value", lang),
        t("col.compound_interest", lang),
        t("col.compound_value", lang),
        t("col.difference", lang),
    ]
    row = sheet.header(row, 0, headers)
    for terms in series:
        for year, when, simple, compound in _simple_vs_compound(terms):
            sheet.text(row, 0, terms.id)
            sheet.number(row, 1, year)
            sheet.date(row, 2, when)
            sheet.money(row, 3, simple)
            sheet.money(row, 4, terms.face_value_cents + simple)
            sheet.money(row, 5, compound)
            sheet.money(row, 6, terms.face_value_cents + compound)
            sheet.money(row, 7, compound - simple)
            row += 1

    # the legal check that applies
    row = sheet.section(row + 1, "sec.legal")
    row = sheet.note(row, t("legal.rule", lang))
    issuer = res.scenario.issuer
    in_qc = str(issuer.jurisdiction).upper() == "QC"
    is_npo = issuer.legal_form == "npo"
    row = sheet.header(row, 0, [t("col.check", lang), t("col.status", lang)])
    for key, answer in (
        ("legal.cond_qc", "legal.yes" if in_qc else "legal.no"),
        ("legal.cond_npo", "legal.yes" if is_npo else "legal.no"),
        ("legal.cond_commission", "legal.to_confirm"),
    ):
        sheet.text(row, 0, t(key, lang))
        sheet.text(row, 1, t(answer, lang), kind="bold")
        row += 1
    row = sheet.note(
        row + 1, t("legal.applies" if in_qc and is_npo else "legal.does_not_apply", lang)
    )
    if is_npo:
        row = sheet.note(row, t("legal.bylaw", lang))
    row = sheet.note(row, t("legal.disclaimer", lang))

    # what one bond pays its holder, and when
    row = sheet.section(row + 1, "sec.one_bond")
    flows = {terms.id: bond_cash_flows(terms) for terms in series}
    for terms in series:
        f = flows[terms.id]
        received = f["amount"].iloc[1:]
        r = res.series_results[terms.id]
        sentence = t("one_bond.sentence", lang).format(
            series=terms.id,
            face=money_text(terms.face_value_cents, lang, sheet.book.currency),
            issue=terms.issue_date.isoformat(),
            count=len(received),
            total=money_text(int(received.sum()), lang, sheet.book.currency),
            last=f["date"].iloc[-1].date().isoformat(),
            yield_=percent_text(r.investor_yield, lang, 4),
        )
        row = sheet.note(row, sentence)
    row += 1
    top = row
    for k, terms in enumerate(series):
        col, r = 3 * k, top
        face = money_text(terms.face_value_cents, lang, sheet.book.currency)
        sheet.text(
            r,
            col,
            t("one_bond.header", lang).format(series=terms.id, face=face),
            kind="bold",
            track=False,
        )
        r = sheet.header(r + 1, col, [t("col.date", lang), t("col.amount", lang)], repeat=True)
        f = flows[terms.id]
        for d, amount in zip(f["date"], f["amount"], strict=True):
            sheet.date(r, col, d)
            sheet.money(r, col + 1, int(amount))
            r += 1
        _total_row(sheet, r, col, col + 1, t("flow.net", lang))
        sheet.money(r, col + 1, int(f["amount"].sum()), total=True)


def _simple_vs_compound(terms: SeriesTerms) -> list[tuple[int, dt.date, int, int]]:
    """(bond year, date, simple interest, compound interest) [cents] of one bond, at each anniversary.

    Each value is the schedule of one bond, accumulating with simple or compound interest
    (capitalised at the series frequency), over the first ``year`` bond years (the last
    line ends at the series maturity), as bondkit's schedule computes it.
    """
    one = replace(
        terms.with_amount(terms.face_value),
        repayment="accumulating",
        interest="simple",
        interest_only_years=0,
        business_day="unadjusted",
    )
    rows = []
    year = 1
    while True:
        horizon = replace(one, term_years=year, maturity_date=None)
        last = horizon.maturity >= terms.maturity
        if last:
            horizon = replace(one, term_years=None, maturity_date=terms.maturity)
        simple = int(series_schedule(horizon)["interest"].iloc[0])
        compound = int(series_schedule(replace(horizon, interest="compound"))["interest"].iloc[0])
        rows.append((year, horizon.maturity, simple, compound))
        if last:
            return rows
        year += 1


# ---------------------------------------------------------------- B2, B3.1, B3.3, B3.5, B4


def _readiness(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    issuer = res.scenario.issuer
    row = _coming(sheet, _FIRST_ROW, "coming.b2")
    row = sheet.section(row, "sec.inputs")
    for key, write in (
        ("legal_form", lambda r: sheet.text(r, 1, t(f"legal_form.{issuer.legal_form}", lang))),
        ("jurisdiction", lambda r: sheet.text(r, 1, issuer.jurisdiction)),
        ("fiscal_year_end", lambda r: sheet.text(r, 1, issuer.fiscal_year_end)),
        ("kf.total_principal", lambda r: sheet.money(r, 1, res.total_principal)),
        ("kf.max_debt_service", lambda r: sheet.money(r, 1, res.max_annual_debt_service)),
        ("kf.last_maturity", lambda r: sheet.date(r, 1, max(x.maturity for x in res.series))),
    ):
        write(sheet.kv(row, key))
        row += 1


def _planning(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    row = _coming(sheet, _FIRST_ROW, "coming.b3_1")
    row = sheet.section(row, "sec.inputs")
    for key, write in (
        ("kf.total_principal", lambda r: sheet.money(r, 1, res.total_principal)),
        ("kf.series_count", lambda r: sheet.number(r, 1, len(res.series))),
        ("kf.first_issue", lambda r: sheet.date(r, 1, min(x.issue_date for x in res.series))),
        ("kf.last_maturity", lambda r: sheet.date(r, 1, max(x.maturity for x in res.series))),
        ("kf.upfront_costs", lambda r: sheet.money(r, 1, res.upfront_costs)),
    ):
        write(sheet.kv(row, key))
        row += 1
    row += 1
    columns = [
        (label("series", lang), _c_id),
        (t("col.issue_date", lang), _c_issue),
        (t("col.amount", lang), _c_amount),
        (t("col.maturity", lang), _c_maturity),
    ]
    row = _series_table(sheet, row, columns)
    _totals(sheet, row, len(columns), {2: ("money", res.total_principal)})


def _issue(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    row = _coming(sheet, _FIRST_ROW, "coming.b3_3")
    row = sheet.section(row, "sec.inputs")
    columns = [
        (label("series", lang), _c_id),
        (t("col.face_value", lang), _c_face),
        (t("col.bonds", lang), _c_bonds),
        (t("col.amount", lang), _c_amount),
        (t("col.issue_date", lang), _c_issue),
    ]
    row = _series_table(sheet, row, columns)
    _totals(
        sheet,
        row,
        len(columns),
        {2: ("int", sum(x.bonds for x in res.series)), 3: ("money", res.total_principal)},
    )


def _renewal(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    row = _coming(sheet, _FIRST_ROW, "coming.b3_5")
    row = sheet.section(row, "sec.maturities")
    last_rows = {sid: g.iloc[-1] for sid, g in res.schedule.groupby("series", sort=False)}

    def _c_last_date(s, r, c, terms):
        s.date(r, c, last_rows[terms.id]["date"])

    def _c_final_principal(s, r, c, terms):
        s.money(r, c, int(last_rows[terms.id]["principal"]))

    def _c_final_payment(s, r, c, terms):
        s.money(r, c, int(last_rows[terms.id]["payment"]))

    columns = [
        (label("series", lang), _c_id),
        (t("col.maturity", lang), _c_maturity),
        (t("col.last_payment_date", lang), _c_last_date),
        (t("col.final_principal", lang), _c_final_principal),
        (t("col.final_payment", lang), _c_final_payment),
        (t("col.amount", lang), _c_amount),
    ]
    row = _series_table(sheet, row, columns)
    _totals(
        sheet,
        row,
        len(columns),
        {
            3: ("money", sum(int(x["principal"]) for x in last_rows.values())),
            4: ("money", sum(int(x["payment"]) for x in last_rows.values())),
            5: ("money", res.total_principal),
        },
    )


def _cases(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    row = _coming(sheet, _FIRST_ROW, "coming.b4")
    row = sheet.section(row, "sec.this_scenario")
    sheet.kv(row, "issuer")
    sheet.text(row, 1, res.scenario.issuer.name)
    row += 2
    columns = [
        (label("series", lang), _c_id),
        (t("col.amount", lang), _c_amount),
        (t("col.face_value", lang), _c_face),
        (t("col.bonds", lang), _c_bonds),
        (label("annual_rate", lang), _c_rate),
        (t("col.issue_date", lang), _c_issue),
        (t("col.maturity", lang), _c_maturity),
        (t("col.repayment", lang), _c_repayment),
        (t("col.frequency", lang), _c_frequency),
        (t("col.investor_yield", lang), _c_yield),
    ]
    _series_table(sheet, row, columns)


# ---------------------------------------------------------------- B3.2 Design


def _design(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    costs = res.costs
    row = sheet.section(_FIRST_ROW, "sec.issue_terms")
    columns = [
        (label("series", lang), _c_id),
        (t("col.repayment", lang), _c_repayment),
        (t("col.amount", lang), _c_amount),
        (t("col.face_value", lang), _c_face),
        (t("col.bonds", lang), _c_bonds),
        (label("annual_rate", lang), _c_rate),
        (t("col.issue_date", lang), _c_issue),
        (t("col.maturity", lang), _c_maturity),
        (t("col.frequency", lang), _c_frequency),
        (t("col.day_count", lang), _c_day_count),
        (t("col.io_years", lang), _c_io),
        (t("col.step_rates", lang), _c_steps),
        (t("col.investor_yield", lang), _c_yield),
    ]
    row = _series_table(sheet, row, columns)
    row = _totals(
        sheet,
        row,
        len(columns),
        {2: ("money", res.total_principal), 4: ("int", sum(x.bonds for x in res.series))},
    )

    row = sheet.section(row + 1, "sec.costs")
    for key, write in (
        ("costs.upfront", lambda r: sheet.money(r, 1, to_cents(costs.upfront))),
        ("costs.upfront_rate", lambda r: sheet.rate(r, 1, float(costs.upfront_rate))),
        ("costs.upfront_total", lambda r: sheet.money(r, 1, res.upfront_costs)),
        ("costs.annual_admin", lambda r: sheet.money(r, 1, to_cents(costs.annual_admin))),
        ("kf.annual_admin_total", lambda r: sheet.money(r, 1, res.annual_admin_total)),
    ):
        write(sheet.kv(row, key))
        row += 1

    row = sheet.section(row + 1, "sec.all_in")
    sheet.kv(row, "kf.all_in_cost")
    sheet.rate(row, 1, res.issuer_all_in_cost)
    row = sheet.note(row + 1, t("all_in.explain", lang))

    row = sheet.section(row + 1, "sec.issuer_flows")
    row = sheet.header(
        row,
        0,
        [t("col.date", lang), t("col.flow", lang), label("series", lang), t("col.amount", lang)],
        repeat=True,
    )
    flows = res.issuer_flows
    for d, kind, sid, amount in zip(
        flows["date"], flows["kind"], flows["series"], flows["amount"], strict=True
    ):
        sheet.date(row, 0, d)
        sheet.text(row, 1, t(f"flow.{kind}", lang))
        sheet.text(row, 2, sid)
        sheet.money(row, 3, int(amount))
        row += 1
    _total_row(sheet, row, 0, 3, t("flow.net", lang))
    sheet.money(row, 3, int(flows["amount"].sum()), total=True)
    _coming(sheet, row + 2, "coming.b3_2")


# ---------------------------------------------------------------- B3.4 Management


def _management(sheet: _Sheet) -> None:
    """Schedule (frozen, print-repeated header), the calendar in the same columns, then fiscal years.

    The payment calendar sits in the schedule's own columns (series, payment date,
    interest, principal, payment), so the header frozen on screen and repeated on printed
    pages names its columns too. The debt service by fiscal year, pivoted by series,
    comes last and starts on a new printed page.
    """
    res, lang = sheet.book.result, sheet.lang
    sched = res.schedule
    summed = ("interest", "principal", "payment")
    col = {key: j for j, key in enumerate(SCHEDULE_COLUMNS)}
    ncols = len(SCHEDULE_COLUMNS)

    row = sheet.section(_FIRST_ROW, "sec.schedule")
    header_row = row
    row = sheet.header(row, 0, [label(k, lang) for k in SCHEDULE_COLUMNS], main=True)
    for sid, own in sched.groupby("series", sort=False):
        for rec in own.itertuples(index=False):
            for c, key in enumerate(SCHEDULE_COLUMNS):
                value = getattr(rec, key)
                unit = COLUMNS[key].unit
                if unit == "text":
                    sheet.text(row, c, str(value))
                elif unit == "date":
                    sheet.date(row, c, value)
                elif unit == "cents":
                    sheet.money(row, c, int(value))
                elif unit == "fraction":
                    sheet.rate(row, c, float(value))
                elif unit == "years":
                    sheet.number(row, c, float(value), "fraction")
                else:
                    sheet.number(row, c, int(value))
            row += 1
        _total_row(sheet, row, 0, ncols - 1, str(sid))
        sheet.text(row, col["period"], t("total", lang), kind="total_text")
        for key in summed:
            sheet.money(row, col[key], int(own[key].sum()), total=True)
        row += 1
    if len(res.series) > 1:
        _total_row(sheet, row, 0, ncols - 1, t("all_series", lang))
        sheet.text(row, col["period"], t("total", lang), kind="total_text")
        for key in summed:
            sheet.money(row, col[key], int(sched[key].sum()), total=True)
        row += 1
    sheet.ws.autofilter(header_row, 0, row - 1, ncols - 1)

    # payment calendar, in the schedule's columns
    row += 1
    sheet.ws.set_h_pagebreaks([row])
    breaks = [row]
    row = sheet.section(row, "sec.calendar")
    names = {"series": t("col.series_paying", lang), "date": label("date", lang)}
    names.update({key: label(key, lang) for key in summed})
    for c, key in enumerate(SCHEDULE_COLUMNS):
        if key in names:
            sheet.header(row, c, [names[key]])
        else:
            sheet.ws.write_blank(row, c, None, sheet.book.fmt("header"))
    row += 1
    paying = (
        sched[sched["payment"] != 0]
        .groupby("date", sort=True)["series"]
        .agg(lambda s: ", ".join(dict.fromkeys(s)))
    )
    cal = res.payments_by_date
    for rec in cal.itertuples(index=False):
        sheet.text(row, col["series"], paying.get(rec.date, ""))
        sheet.date(row, col["date"], rec.date)
        for key in summed:
            sheet.money(row, col[key], int(getattr(rec, key)))
        row += 1
    _total_row(sheet, row, 0, ncols - 1, t("total", lang))
    for key in summed:
        sheet.money(row, col[key], int(cal[key].sum()), total=True)
    row += 2

    # debt service by fiscal year: each series, then all series
    breaks.append(row)
    sheet.ws.set_h_pagebreaks(breaks)
    row = sheet.section(row, "sec.fiscal")
    fb, fiscal = res.fiscal_by_series, res.fiscal
    ids = [s.id for s in res.series]
    group_row = row
    header_fmt = sheet.book.fmt("group")
    for k, sid in enumerate(ids):
        first = 1 + 3 * k
        sheet.ws.merge_range(
            group_row,
            first,
            group_row,
            first + 2,
            t("series_n", lang).format(series=sid),
            header_fmt,
        )
    total_first = 1 + 3 * len(ids)
    sheet.ws.merge_range(
        group_row, total_first, group_row, total_first + 3, t("all_series", lang), header_fmt
    )
    sheet.ws.write_blank(group_row, 0, None, header_fmt)
    sub = [label("fiscal_year", lang)]
    for _sid in ids:
        sub += [label(key, lang) for key in summed]
    sub += [label(key, lang) for key in ("interest", "principal", "debt_service", "outstanding")]
    row = sheet.header(group_row + 1, 0, sub)
    by_key = fb.set_index(["fiscal_year", "series"])
    for rec in fiscal.itertuples(index=False):
        year = int(rec.fiscal_year)
        sheet.number(row, 0, year, "plain")
        for k, sid in enumerate(ids):
            line = by_key.loc[(year, sid)]
            for j, key in enumerate(summed):
                sheet.money(row, 1 + 3 * k + j, int(line[key]))
        for j, key in enumerate(("interest", "principal", "debt_service", "outstanding")):
            sheet.money(row, total_first + j, int(getattr(rec, key)))
        row += 1
    _total_row(sheet, row, 0, total_first + 3, t("total", lang))
    for k, sid in enumerate(ids):
        own = fb[fb["series"] == sid]
        for j, key in enumerate(summed):
            sheet.money(row, 1 + 3 * k + j, int(own[key].sum()), total=True)
    for j, key in enumerate(("interest", "principal", "debt_service")):
        sheet.money(row, total_first + j, int(fiscal[key].sum()), total=True)
    _coming(sheet, row + 2, "coming.b3_4")


# ---------------------------------------------------------------- B5 Glossary


def _glossary(sheet: _Sheet) -> None:
    res, lang = sheet.book.result, sheet.lang
    other = "en" if lang == "fr" else "fr"
    sc = res.scenario
    row = sheet.section(_FIRST_ROW, "sec.glossary")
    row = sheet.header(
        row,
        0,
        [t(f"col.lang_{lang}", lang), t(f"col.lang_{other}", lang), t("col.definition", lang)],
    )
    for entry in GLOSSARY:
        sheet.text(row, 0, t(f"gloss.{entry}", lang), kind="bold")
        sheet.text(row, 1, t(f"gloss.{entry}", other))
        sheet.text(row, 2, t(f"glossdef.{entry}", lang))
        row += 1

    row = sheet.section(row + 1, "sec.conventions")
    row = sheet.header(row, 0, [t("col.item", lang), t("col.value", lang)])
    for key, value in (
        ("conv.money", t("conv.money_value", lang).format(currency=sc.currency)),
        ("conv.rounding", t("conv.rounding_value", lang)),
        ("conv.dates", t("conv.dates_value", lang)),
        ("conv.interest", t("conv.interest_value", lang)),
        ("conv.rates", t("conv.rates_value", lang)),
        ("conv.fiscal", t("conv.fiscal_value", lang).format(fye=sc.issuer.fiscal_year_end)),
        ("conv.outstanding", t("conv.outstanding_value", lang)),
    ):
        sheet.kv(row, key)
        sheet.text(row, 1, value)
        row += 1
    sheet.kv(row, "conv.seed")
    sheet.number(row, 1, int(sc.seed), "plain")
    sheet.kv(row + 1, "conv.version")
    sheet.text(row + 1, 1, __version__)
    sheet.kv(row + 2, "conv.sha")
    sheet.text(row + 2, 1, sc.input_sha256 or t("not_applicable", lang))
    row += 4
    columns = [
        (label("series", lang), _c_id),
        (
            t("col.day_count", lang),
            lambda s, r, c, x: s.text(r, c, t(f"daycount.{x.day_count}", lang)),
        ),
        (t("col.frequency", lang), _c_frequency),
        (
            t("col.business_day", lang),
            lambda s, r, c, x: s.text(r, c, t(f"businessday.{x.business_day}", lang)),
        ),
    ]
    _series_table(sheet, row, columns)
