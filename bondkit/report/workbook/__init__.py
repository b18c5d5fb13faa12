"""The scenario workbook: a summary sheet, then one sheet per booklet of the TIESS guide.

:func:`write_workbook` writes, with XlsxWriter, ten sheets in the scenario's language
(names in :data:`bondkit.labels.SHEETS`): Summary, B1 Overview, B2 Readiness, B3.1
Planning, B3.2 Design, B3.3 Issue, B3.4 Management, B3.5 Renewal-repayment, B4 Case
studies, B5 Glossary. Sheets whose content comes in a later version say so and show the
scenario inputs that concern them.

With a subscription campaign (``result.campaign``), B3.3 holds the campaign: its terms
(with the number of simulated campaigns and the seed), the funnel, the expected path by
week, the simulated distribution of outcomes, the allocation of the median campaign, the
costs, the median campaign beside the planned issue, the rule findings and the two
campaign charts; B2 (and the Summary) hold the community-capacity rows of the readiness
grid, each with its value, its threshold (:data:`READINESS_THRESHOLDS`) and a status shown
as a word and a colour.

With a capacity analysis (``result.capacity``), B3.4 gains a block after the debt service
by fiscal year: coverage by fiscal year (with the coverage chart), the maturity-year test,
the sinking fund and the reserve when set, the largest issue the cash flow can carry.
With a risk analysis (``result.risk``), B3.5 gains the maturity wall, every renewal and
redemption assumption (with the number of simulated paths and the seed), the shortfall
and the recommended reserve, the principal paid out by fiscal year and the fan chart.
Either one adds the financial-capacity rows to B2 and the Summary (lowest coverage,
coverage of each maturity year, chance of a shortfall, reserve covered), and key figures
to the Summary.

Layout: every sheet starts with its title (row 1) and the scenario name (row 2), both
kept visible by a frozen pane; sections follow, each a bold heading over a table or
key-value lines (label in column A, value in column B). Column widths come from the
content (long text wraps, with row heights set for it, since LibreOffice does not
re-fit them); every sheet prints one page wide, landscape when wide, with the sheet name
and page number in the footer. On B3.4 the schedule's header is frozen and repeated on
printed pages, the payment calendar is written in the schedule's own columns so that the
same header names it, and the debt service by fiscal year (pivoted by series) comes on a
page of its own, then the capacity block (two printed pages); its key-value labels run
over empty cells instead of widening the schedule's columns. On B1 and B3.2 the header of the long table at the bottom (what one
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from bondkit import __version__
from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.core.conventions import exact, fiscal_year, periods_per_year, round_half_up, to_cents
from bondkit.core.metrics import bond_cash_flows
from bondkit.core.schedule import accrual_pieces, level_amounts, periods
from bondkit.data.references import ReferenceIssue, reference_issues
from bondkit.data.rules import rule_set
from bondkit.labels import (
    GLOSSARY,
    LABELS,
    SHEETS,
    check_language,
    currency_symbol,
    money_text,
    number_text,
    percent_short,
    percent_text,
    t,
)
from bondkit.runner.readiness import (
    READINESS_THRESHOLDS,
    STATUS_COLOURS,
    STATUSES,
    community_rows,
    financial_rows,
    finding_parts,
    readiness_status,
)

if TYPE_CHECKING:
    from bondkit.core.terms import SeriesTerms
    from bondkit.data.rules import Finding, RuleSet
    from bondkit.runner import Result

__all__ = [
    "write_workbook",
    "write_comparison_workbook",
    "option_tag",
    "OPTION_SHEETS",
    "number_formats",
    "READINESS_THRESHOLDS",
    "STATUSES",
    "readiness_status",
]

# ---------------------------------------------------------------- layout constants

_TITLE_ROW, _SUBTITLE_ROW, _FIRST_ROW = 0, 1, 3
_MAX_WIDTH = 36.0  # characters; longer text wraps
_LABEL_WIDTH = 50.0  # the same for the labels of key-value lines
_CHARS_PER_WIDTH = 1.25  # characters of average text that fit in one unit of column width
#: the same when counting the lines of wrapped text: LibreOffice breaks lines at words and
#: its Carlito is wider than the estimate, so a row is given a line too many, never too few
_WRAP_CHARS_PER_WIDTH = 1.05
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
    separated), plain (a year, a seed), years (2 decimals), fraction (6 decimals), decimal
    (an expected count of people: thousands separated, 1 decimal), ratio (a coverage
    ratio: 2 decimals).

    French codes start with the fr-CA locale tag (``[$-C0C]``) so LibreOffice shows
    ``1 234,56 $`` and ``2,25%`` whatever its own locale (a tag inside the currency
    bracket, ``#,##0.00 [$$-C0C]``, is ignored by LibreOffice for the separators); Excel
    shows the symbol where the code puts it and the separators of the reader's system.
    English codes use the en-CA currency tag ``[$$-1009]``. Money cells hold currency
    units (not cents) and rate cells fractions (0.04 shows as 4.00%).

    >>> en = number_formats("en")
    >>> en["money"], en["rate"], en["date"]
    ('[$$-1009]#,##0.00', '0.00##%', 'yyyy-mm-dd')
    >>> number_formats("fr")["money"]
    '[$-C0C]#,##0.00 "$"'
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
            "decimal": "[$-C0C]#,##0.0",
            "ratio": "[$-C0C]0.00",
        }
    return {
        "money": f"[${sym}-1009]#,##0.00",
        "rate": "0.00##%",
        "date": "yyyy-mm-dd",
        "int": "#,##0",
        "plain": "0",
        "years": "0.00",
        "fraction": "0.000000",
        "decimal": "#,##0.0",
        "ratio": "0.00",
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

    def __init__(self, book: _Book, key: str, title_key: str, subtitle: str | None = None) -> None:
        self.book, self.lang = book, book.lang
        self.subtitle = book.result.scenario.name if subtitle is None else subtitle
        self.ws = book.wb.add_worksheet(book.sheet_name(key))
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
        # bold runs wider than 5 %: a 55-character bold label did not fit 50 units in LibreOffice
        chars = len(s) * (1.12 if bold else 1.0) / _CHARS_PER_WIDTH + 2
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

    def overflow(self, row: int, col: int, s: str, kind: str = "text") -> None:
        """Text that runs over the empty cells on its right: its column keeps its width,
        and the printed width covers where the text ends."""
        self.text(row, col, s, kind=kind, track=False)
        offset = sum(self.widths.get(c, 8.43) for c in range(col)) / 0.85
        self.span_chars = max(self.span_chars, offset + len(s) * (1.12 if kind == "bold" else 1.0))

    def money(self, row: int, col: int, cents: int, total: bool = False) -> None:
        self.ws.write_number(row, col, int(cents) / 100, self.book.fmt("money", total=total))
        self._track(row, col, len(money_text(int(cents), self.lang, self.book.currency)) + 3)

    def formula(
        self,
        row: int,
        col: int,
        formula: str,
        value: float,
        kind: str = "money",
        total: bool = False,
    ) -> None:
        """A formula with its computed value cached beside it (what bondkit's Python core
        found), so a reader that does not recalculate shows the number; ``value`` is in
        cents for ``kind="money"``. Formulas are built by bondkit from cell references,
        names and numbers only, never from user text."""
        fmt = self.book.fmt(kind, total=total)
        if kind == "money":
            self.ws.write_formula(row, col, formula, fmt, int(value) / 100)
            self._track(row, col, len(money_text(int(value), self.lang, self.book.currency)) + 3)
        elif kind == "rate":
            self.ws.write_formula(row, col, formula, fmt, float(value))
            self._track(row, col, len(percent_text(float(value), self.lang, 4)) + 2)
        else:
            self.ws.write_formula(row, col, formula, fmt, value)
            self._track(row, col, len(f"{abs(value):,.0f}") + 3)

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
        extra = {"int": 0, "plain": 0, "years": 3, "fraction": 7, "decimal": 2, "ratio": 3}[kind]
        digits = len(f"{abs(x):,.0f}") + extra
        self._track(row, col, digits + 3)

    def status(self, row: int, col: int, status: str, word: str | None = None) -> None:
        """A readiness status: its word (or ``word``), bold, on its colour."""
        s = t(f"status.{status}", self.lang) if word is None else word
        self.ws.write_string(row, col, s, self.book.fmt(f"status_{status}"))
        self._track(row, col, len(s) * 1.05 / _CHARS_PER_WIDTH + 4)

    def blank(self, row: int, col: int, total: bool = False) -> None:
        if total:
            self.ws.write_blank(row, col, None, self.book.fmt("text", total=True))
            self._touch(row, col)

    # -- blocks -----------------------------------------------------------------
    def _title(self, title_key: str) -> None:
        self.text(_TITLE_ROW, 0, t(title_key, self.lang), kind="title", track=False)
        self.ws.set_row(_TITLE_ROW, 21)
        self.text(_SUBTITLE_ROW, 0, self.subtitle, kind="subtitle", track=False)
        self.ws.freeze_panes(_SUBTITLE_ROW + 1, 0)

    def section(self, row: int, key: str, **fields: Any) -> int:
        """A section heading (a template filled with ``fields``); returns the next row."""
        text = t(key, self.lang)
        self.text(row, 0, text.format(**fields) if fields else text, kind="section", track=False)
        self.ws.set_row(row, 18)
        return row + 1

    def note(self, row: int, text: str, col: int = 0, chars: int = _NOTE_CHARS) -> int:
        """A paragraph cut into lines of plain text (overflowing to the right); returns the next row.

        Lines hold at most ``chars`` characters (see :meth:`wide`)."""
        for line in textwrap.wrap(text, chars):
            self.text(row, col, line, kind="note", track=False)
            row += 1
        return row

    def wide(self) -> int:
        """Characters a note line may hold on a sheet whose tables are already wide: as many
        as the columns written so far hold (at least ``_NOTE_CHARS``, at most 170)."""
        units = sum(self.widths.get(c, 8.43) for c in range(self.last_col + 1))
        return max(_NOTE_CHARS, min(170, int(units * 1.05)))

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
            per_line = (width - 1) * _WRAP_CHARS_PER_WIDTH / (1.25 if bold else 1.0)
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
    """One scenario's sheets in an XlsxWriter workbook: its own, or a comparison's shared
    one, where ``prefix`` (an option's tag and a space) starts its sheet names and
    ``tag`` + ``_`` its defined names."""

    def __init__(
        self,
        result: Result,
        path: Path | None,
        lang: str,
        wb: Any = None,
        prefix: str = "",
        formats: dict[tuple, Any] | None = None,
    ) -> None:
        self.result, self.lang, self.prefix = result, lang, prefix
        self.currency = result.scenario.currency
        self.codes = number_formats(lang, self.currency)
        self.wb = wb if wb is not None else _new_workbook(path)
        self._formats: dict[tuple, Any] = {} if formats is None else formats
        #: (series id, period) -> 0-based row of that schedule line on B3.4
        self.schedule_rows: dict[tuple[str, int], int] = {}
        #: series id -> the defined names of its amount and rate cells on B3.2
        tag = prefix.strip() + "_" if prefix.strip() else ""
        self.names: dict[str, tuple[str, str]] = {
            terms.id: (
                f"{tag}{t('name.amount', lang)}_{k}",
                f"{tag}{t('name.rate', lang)}_{k}",
            )
            for k, terms in enumerate(result.series, start=1)
        }

    def sheet_name(self, key: str) -> str:
        """The name of sheet ``key`` (a label key) in this workbook."""
        return self.prefix + t(key, self.lang)

    def fmt(self, kind: str, wrap: bool = False, quote: bool = False, total: bool = False):
        key = (self.currency, kind, wrap, quote, total)
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
            elif kind == "block":
                props.update(bold=True, font_size=13, font_color=_BLUE, bottom=2)
                props["bottom_color"] = _BLUE
            elif kind in ("header", "group"):
                props.update(
                    bold=True, bg_color=_LIGHT, bottom=1, bottom_color=_RULE, text_wrap=True
                )
                props["align"] = "center" if kind == "group" else "left"
            elif kind in ("bold", "total_text"):
                props.update(bold=True)
            elif kind == "note":
                props.update(italic=True, font_color="#404040")
            elif kind.startswith("status_"):
                fill, ink = STATUS_COLOURS[kind.removeprefix("status_")]
                props.update(bold=True, bg_color=fill, font_color=ink, align="center", border=1)
                props["border_color"] = "#ffffff"
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

    def sheet(self, key: str, title_key: str, subtitle: str | None = None) -> _Sheet:
        return _Sheet(self, key, title_key, subtitle)


def _new_workbook(path: Path | None) -> Any:
    # user text stays text: nothing is turned into a formula, a number or a link
    return xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )


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
    charts : chart name -> PNG path (as :func:`bondkit.report.charts.save_charts` returns),
        inserted on the summary sheet in that order, two by row; the campaign charts
        (``"campaign"``, ``"raised"``) also on B3.3, the coverage chart (``"coverage"``)
        on B3.4 and the redemption fan (``"redemptions"``) on B3.5; none when omitted

    Money is written in currency units, rates as fractions with a percent format. The
    starter scenario (a co-op's 100,000 $ 5-year bullet at 4 %), in English; the amount
    and rate of series 1 are the named inputs of the model:

    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_workbook(result, Path(folder) / "coop.xlsx", lang="en")
    ...     book = load_workbook(Path(folder) / "coop.xlsx")
    >>> book.sheetnames[:3], len(book.sheetnames)
    (['Summary', 'B1 Overview', 'B2 Readiness'], 10)
    >>> sorted(book.defined_names)
    ['Amount_1', 'Rate_1']
    """
    lang = check_language(lang or result.scenario.language)
    book = _Book(result, Path(path), lang)
    writers = {
        "sheet.summary": lambda s: _summary(s, charts or {}),
        "sheet.b1": _overview,
        "sheet.b2": _readiness,
        "sheet.b3_1": _planning,
        "sheet.b3_2": _design,
        "sheet.b3_3": lambda s: _issue(s, charts or {}),
        "sheet.b3_4": lambda s: _management(s, charts or {}),
        "sheet.b3_5": lambda s: _renewal(s, charts or {}),
        "sheet.b4": _cases,
        "sheet.b5": _glossary,
    }
    sheets = {key: book.sheet(key, "title." + key.split(".", 1)[1]) for key in SHEETS}
    # B3.4 first: the formulas of B3.2 refer to the rows of its schedule
    for key in sorted(SHEETS, key=lambda k: k != "sheet.b3_4"):
        writers[key](sheets[key])
    for sheet in sheets.values():
        sheet.finish()
    sc = result.scenario
    book.wb.set_properties(
        {"title": sc.name, "company": sc.issuer.name, "comments": sc.input_sha256 or ""}
    )
    # XlsxWriter keeps everything in memory until close(): an error above writes no file
    book.wb.close()


#: each option's sheets in a comparison workbook, in order
OPTION_SHEETS: tuple[str, ...] = ("sheet.summary", "sheet.b3_2", "sheet.b3_4")


def write_comparison_workbook(
    results: list[Result],
    names: list[str],
    figures: list[list[tuple[str, float | str, str]]],
    path: str | Path,
    lang: str,
) -> list[str]:
    """The advisor's workbook: the options side by side, then each option's key sheets.

    The first sheet (``cmp.sheet``) is the main view: one row per option with its currency,
    seed and ``figures`` (per option: (label, value, kind) with kind ``money`` in currency
    units, ``pct`` (a fraction shown as a percentage) or ``times`` (a ratio); a text value
    is written as it is), then the
    case-study table of B4 with every option beside the public reference issues. Each
    option then gets :data:`OPTION_SHEETS` under its tag (``A``, ``B``... by
    :func:`option_tag`), with the schedules as formulas on its own named cells
    (``A_Amount_1``...). Returns the tags.

    The co-op's 100,000 $ 5-year bullet at 4 % beside the same at 5 %, with their total
    interest (5 x 4,000 $ and 5 x 5,000 $, in currency units):

    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> at_5 = run(starter_scenario().with_changes(annual_rate=0.05))
    >>> figures = [[("Total interest", 20_000.0, "money")], [("Total interest", 25_000.0, "money")]]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     tags = write_comparison_workbook([result, at_5], ["4 %", "5 %"], figures,
    ...                                      Path(folder) / "options.xlsx", "en")
    ...     book = load_workbook(Path(folder) / "options.xlsx")
    >>> tags, book.sheetnames[:3]
    (['A', 'B'], ['Comparison', 'A Summary', 'A B3.2 Design'])
    >>> sorted(book.defined_names)
    ['A_Amount_1', 'A_Rate_1', 'B_Amount_1', 'B_Rate_1']
    """
    lang = check_language(lang)
    wb = _new_workbook(Path(path))
    formats: dict[tuple, Any] = {}
    tags = [option_tag(k) for k in range(len(results))]
    main = _Book(results[0], None, lang, wb=wb, formats=formats)
    sheet = main.sheet(
        "cmp.sheet", "cmp.title", subtitle=t("cmp.subtitle", lang).format(n=len(results))
    )
    row = sheet.section(_FIRST_ROW, "cmp.sec.options")
    labels = [label_text for label_text, _v, _k in figures[0]] if figures else []
    heads = [t("cmp.option", lang), t("cmp.currency", lang), t("cmp.seed", lang), *labels]
    row = sheet.header(row, 0, [*heads, t("cmp.sheets", lang)], main=True)
    for k, (res, name) in enumerate(zip(results, names, strict=True)):
        option = _Book(res, None, lang, wb=wb, formats=formats)
        sheet.text(row, 0, str(name), kind="bold")
        sheet.text(row, 1, res.scenario.currency)
        sheet.number(row, 2, res.scenario.seed, "plain")
        for j, (_label, value, kind) in enumerate(figures[k]):
            c = 3 + j
            if isinstance(value, str):  # a figure that does not apply, in words
                sheet.text(row, c, value)
            elif kind == "money":
                sheet.ws.write_number(row, c, float(value), option.fmt("money"))
                cents = round_half_up(exact(float(value)) * 100)
                sheet._track(row, c, len(money_text(cents, lang, res.scenario.currency)) + 3)
            elif kind == "pct":
                sheet.rate(row, c, float(value))
            else:  # "times"
                sheet.number(row, c, float(value), "ratio")
        sheet.text(row, 3 + len(labels), t("cmp.sheets_of", lang).format(tag=tags[k]))
        row += 1
    row = sheet.note(row + 1, t("cmp.note.missing", lang))
    row = sheet.note(row, t("cmp.note.seed", lang).format(seed=t("cmp.seed", lang)))
    row = sheet.note(row, t("cmp.note.sheets", lang))
    row = sheet.section(row + 1, "ref.sec.table")
    named = [
        (res, f"{tags[k]} — {name}")
        for k, (res, name) in enumerate(zip(results, names, strict=True))
    ]
    _cases_table(sheet, row, named)
    for k, res in enumerate(results):
        book = _Book(res, None, lang, wb=wb, prefix=f"{tags[k]} ", formats=formats)
        writers = {
            "sheet.summary": lambda s: _summary(s, {}),
            "sheet.b3_2": _design,
            "sheet.b3_4": lambda s: _management(s, {}),
        }
        sheets = {key: book.sheet(key, "title." + key.split(".", 1)[1]) for key in OPTION_SHEETS}
        for key in sorted(OPTION_SHEETS, key=lambda k: k != "sheet.b3_4"):
            writers[key](sheets[key])
        for s in sheets.values():
            s.finish()
    sheet.finish()
    wb.close()
    return tags


def option_tag(k: int) -> str:
    """The tag of option ``k`` (from 0) in a comparison workbook: A, B, ..., Z, AA, AB...

    >>> option_tag(0), option_tag(25), option_tag(26)
    ('A', 'Z', 'AA')
    """
    return xl_col_to_name(k)


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


def _coming(sheet: _Sheet, row: int, key: str, hints: tuple[str, ...] = ()) -> int:
    """What later versions will add, then ``hints`` (label keys): what the scenario can add."""
    row = sheet.section(row, "sec.coming")
    row = sheet.note(row, t(key, sheet.lang))
    for hint in hints:
        row = sheet.note(row, t(hint, sheet.lang))
    return row + 1


def _expected(x: float) -> int:
    """An expectation in cents (a float) as whole cents, half up."""
    return round_half_up(exact(float(x)))


def _block(sheet: _Sheet, row: int, text: str, ncols: int) -> int:
    """The heading of a block of sections: larger, ruled across ``ncols`` columns; next row."""
    sheet.text(row, 0, text, kind="block", track=False)
    for c in range(1, ncols):
        sheet.ws.write_blank(row, c, None, sheet.book.fmt("block"))
    sheet.ws.set_row(row, 21)
    return row + 1


def _kv_lines(sheet: _Sheet, row: int, lines: list[tuple[str, Any]]) -> int:
    """Key-value lines whose labels run over the empty cells on their right; next row.

    On sheets whose column A belongs to a table (B3.4, B3.5) a long label must not widen
    it: the label is written untracked, and every value of the block goes in the first
    column right of the longest label, from the widths known so far (widths only grow).
    ``lines`` = (label text, writer(row, col)).
    """
    need = max(len(text) * 1.12 / _CHARS_PER_WIDTH + 3 for text, _ in lines)
    col, total = 0, 0.0
    while total < need:
        total += sheet.widths.get(col, 8.43)
        col += 1
    for text, write in lines:
        sheet.overflow(row, 0, text, kind="bold")
        write(row, col)
        row += 1
    return row


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
        *_financial_figures(sheet),
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
    if res.capacity is not None or res.risk is not None:
        row = sheet.section(row + 1, "sec.financial")
        row = _readiness_grid(
            sheet, row, thresholds=False, rows=financial_rows(sheet.book.result, sheet.lang)
        )
    if res.campaign is not None:
        row = sheet.section(row + 1, "sec.community")
        row = _readiness_grid(sheet, row, thresholds=False)
    if charts:
        if len(charts) > 2:  # two rows of pictures: together on a page of their own
            sheet.ws.set_h_pagebreaks([row + 1])
        row = sheet.section(row + 1, "sec.charts")
        _pictures(sheet, row, list(charts.values()))


def _financial_figures(sheet: _Sheet) -> list[tuple[str, Any]]:
    """Key figures of the capacity and risk analyses, when the run has them."""
    res, lang = sheet.book.result, sheet.lang
    lines: list[tuple[str, Any]] = []
    if res.capacity is not None:
        dscr = res.capacity.min_dscr
        lines.append(("kf.min_dscr", lambda r: sheet.number(r, 1, dscr, "ratio")))
    if res.risk is not None:
        risk = res.risk

        def _p_shortfall(r: int) -> None:
            if risk.p_shortfall is None:
                sheet.text(r, 1, t("not_applicable", lang))
            else:
                sheet.rate(r, 1, risk.p_shortfall)

        lines += [
            ("kf.recommended_reserve", lambda r: sheet.money(r, 1, risk.recommended_reserve)),
            ("kf.p_shortfall", _p_shortfall),
        ]
    return lines


def _pictures(sheet: _Sheet, row: int, paths: list[Path], per_row: int = 2) -> int:
    """Charts side by side, ``per_row`` to a row of pictures; returns the row below them."""
    for i in range(0, len(paths), per_row):
        x, tallest = 0.0, 0.0
        for path in paths[i : i + per_row]:
            w, h = sheet.picture(row, 0, Path(path), x_offset=x)
            x, tallest = x + w + 16, max(tallest, h)
        row += math.ceil(tallest / 20.0) + 1
    return row


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
        table = sheet.book.result.series_results[terms.id].simple_vs_compound
        for year, when, simple, compound in table.itertuples(index=False):
            year, simple, compound = int(year), int(simple), int(compound)
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


# ---------------------------------------------------------------- B2, B3.1, B3.3, B3.5, B4


def _readiness(sheet: _Sheet) -> None:
    """The readiness grid: financial capacity (with [capacity] or [risk]), community capacity
    (with a campaign), then what is still to come and the scenario inputs."""
    res, lang = sheet.book.result, sheet.lang
    issuer = res.scenario.issuer
    financial = res.capacity is not None or res.risk is not None
    words = {k: t(f"status.{k}", lang) for k in (*STATUSES, "na")}
    row = _FIRST_ROW
    if financial:
        row = sheet.section(row, "sec.financial")
        row = _readiness_grid(sheet, row, rows=financial_rows(sheet.book.result, sheet.lang))
        row += 1
        if res.campaign is None:  # the campaign's note names the status words otherwise
            row = sheet.note(row, t("ready.words", lang).format(**words))
        if res.capacity is not None:
            row = sheet.note(row, t("ready.fin_note", lang).format(sheet=t("sheet.b3_4", lang)))
        if res.risk is not None:
            sim = res.risk.simulation
            row = sheet.note(
                row,
                t("ready.risk_note", lang).format(
                    n=number_text(sim.paths, lang), seed=sim.seed, sheet=t("sheet.b3_5", lang)
                ),
            )
        row += 1
    if res.campaign is not None:
        row = sheet.section(row, "sec.community")
        row = _readiness_grid(sheet, row)
        sim = res.campaign.simulation
        row = sheet.note(
            row + 1,
            t("ready.note", lang).format(
                **{k: t(f"status.{k}", lang) for k in STATUSES},
                n=number_text(sim.n, lang),
                seed=sim.seed,
                sheet=t("sheet.b3_3", lang),
            ),
        )
        row += 1
    hints = tuple(
        key
        for key, missing in (
            ("hint.capacity", res.capacity is None),
            ("hint.risk", res.risk is None),
            ("hint.campaign", res.campaign is None),
        )
        if missing
    )
    # with rows in the grid, only the organisational answers are still to come
    has_rows = financial or res.campaign is not None
    row = _coming(sheet, row, "coming.b2_campaign" if has_rows else "coming.b2", hints)
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
    """With ``[planning]``: the need as sources and uses of funds with the gap, the timeline,
    the pre-issue budget beside ``[costs]``; without it, what the table would add. Then the
    scenario inputs."""
    res, lang = sheet.book.result, sheet.lang
    plan = res.scenario.planning_terms()
    if plan is None:
        row = _coming(sheet, _FIRST_ROW, "coming.b3_1", ("hint.b3_1",))
    else:
        row = _plan_stack(sheet, _FIRST_ROW)
        row = _plan_timeline(sheet, row)
        row = _plan_budget(sheet, row)
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


def _plan_stack(sheet: _Sheet, row: int) -> int:
    """Uses (columns A-B) beside sources (D-G: the bond issue first), their totals, then the
    gap with its status (OK when the sources cover the uses, else Risk); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan, bond = res.scenario.planning_terms(), res.total_principal
    row = sheet.section(row, "sec.plan_stack")
    sheet.header(row, 0, [t("plan.col.use", lang), t("col.amount", lang)])
    row = sheet.header(
        row,
        3,
        [
            t("plan.col.source", lang),
            t("plan.col.kind", lang),
            t("col.amount", lang),
            t("plan.col.share", lang),
        ],
    )
    sources = [(t("plan.bond_issue", lang), t("plan.kind.issue", lang), bond)]
    sources += [(s.item, t(f"plan.kind.{s.kind}", lang), s.amount_cents) for s in plan.sources]
    shares = plan.source_shares(bond)
    for i in range(max(len(plan.uses), len(sources))):
        lines = 1
        if i < len(plan.uses):
            lines = _plan_text(sheet, row + i, 0, plan.uses[i].item)
            sheet.money(row + i, 1, plan.uses[i].amount_cents)
        elif i == 0:
            sheet.text(row, 0, t("plan.none", lang), kind="note")
        if i < len(sources):
            item, kind, cents = sources[i]
            lines = max(lines, _plan_text(sheet, row + i, 3, item))
            sheet.text(row + i, 4, kind)
            sheet._track(row + i, 4, len(kind) + 4)  # a short word: never cut, never wrapped
            sheet.money(row + i, 5, cents)
            sheet.rate(row + i, 6, shares[i])
        _plan_height(sheet, row + i, lines)
    row += max(len(plan.uses), len(sources))
    _total_row(sheet, row, 0, 1, t("plan.total_uses", lang))
    sheet.money(row, 1, plan.total_uses_cents, total=True)
    _total_row(sheet, row, 3, 6, t("plan.total_sources", lang))
    sheet.money(row, 5, plan.total_sources_cents(bond), total=True)
    sheet.rate(row, 6, sum(shares), total=True)
    row += 2
    gap = plan.gap_cents(bond)
    sheet.kv(row, "plan.gap")
    sheet.money(row, 1, gap)
    sheet.status(row, 2, "ok" if gap <= 0 else "risk")
    amount = money_text(abs(gap), lang, sheet.book.currency)
    if gap > 0:
        finding = t("plan.gap_short", lang).format(amount=amount)
    elif gap < 0:
        finding = t("plan.gap_surplus", lang).format(amount=amount)
    else:
        finding = t("plan.gap_covered", lang)
    row = sheet.note(row + 1, finding)
    row = sheet.note(row, t("plan.stack_note", lang))
    return row + 1


def _plan_timeline(sheet: _Sheet, row: int) -> int:
    """The milestones with the campaign window and the issue dates of the scenario, sorted
    by date (on one date: the milestones first, as written); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan = res.scenario.planning_terms()
    events = [(m.date, m.item, "plan.origin.planning") for m in plan.milestones]
    campaign = res.scenario.campaign_terms()
    if campaign is not None:
        events.append((campaign.opens, t("plan.auto.opens", lang), "plan.origin.scenario"))
        events.append((campaign.closes, t("plan.auto.closes", lang), "plan.origin.scenario"))
    issues: dict[dt.date, list[str]] = {}
    for terms in res.series:
        issues.setdefault(terms.issue_date, []).append(terms.id)
    for day, ids in issues.items():
        key = "plan.auto.issue_one" if len(ids) == 1 else "plan.auto.issue_many"
        events.append((day, t(key, lang).format(ids=", ".join(ids)), "plan.origin.scenario"))
    events.sort(key=lambda event: event[0])  # stable: milestones before the added dates
    row = sheet.section(row, "sec.plan_timeline")
    row = sheet.header(
        row, 0, [t("plan.col.milestone", lang), t("col.date", lang), t("plan.col.origin", lang)]
    )
    for day, item, origin in events:
        _plan_height(sheet, row, _plan_text(sheet, row, 0, item))
        sheet.date(row, 1, day)
        sheet.text(row, 2, t(origin, lang))
        row += 1
    note = "plan.timeline_note" if campaign is not None else "plan.timeline_note_issue"
    row = sheet.note(row + 1, t(note, lang))
    return row + 1


def _plan_budget(sheet: _Sheet, row: int) -> int:
    """The pre-issue budget, totalled, beside the upfront costs of ``[costs]`` (the budget
    does not feed the cost model); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan = res.scenario.planning_terms()
    row = sheet.section(row, "sec.plan_budget")
    row = sheet.header(row, 0, [t("plan.col.budget_item", lang), t("col.amount", lang)])
    for entry in plan.budget:
        _plan_height(sheet, row, _plan_text(sheet, row, 0, entry.item))
        sheet.money(row, 1, entry.amount_cents)
        row += 1
    if not plan.budget:
        sheet.text(row, 0, t("plan.none", lang), kind="note")
        row += 1
    budget, upfront = plan.total_budget_cents, res.upfront_costs
    _total_row(sheet, row, 0, 1, t("plan.total_budget", lang))
    sheet.money(row, 1, budget, total=True)
    row += 2
    sheet.kv(row, "plan.upfront")
    sheet.money(row, 1, upfront)
    sheet.kv(row + 1, "plan.budget_minus_upfront")
    sheet.money(row + 1, 1, budget - upfront)
    row += 2
    if plan.budget:
        if budget == upfront:
            row = sheet.note(row, t("plan.budget_same", lang))
        else:
            cur = sheet.book.currency
            row = sheet.note(
                row,
                t("plan.budget_differs", lang).format(
                    budget=money_text(budget, lang, cur), upfront=money_text(upfront, lang, cur)
                ),
            )
    row = sheet.note(
        row,
        t("plan.budget_note", lang).format(
            sheet=t("sheet.b3_2", lang), campaign_sheet=t("sheet.b3_3", lang)
        ),
    )
    return row + 1


#: characters of plan text that surely fit on one line of a column _MAX_WIDTH wide in
#: LibreOffice and Excel; longer text is wrapped and its row given a line per this many
_PLAN_LINE = 26


def _plan_text(sheet: _Sheet, row: int, col: int, s: str) -> int:
    """Text of the plan (user text included), through the text primitive; text longer than
    ``_PLAN_LINE`` wraps. Returns the lines its row should allow."""
    if len(s) <= _PLAN_LINE:
        sheet.text(row, col, s)
        return 1
    sheet.text(row, col, s, max_width=_PLAN_LINE / _CHARS_PER_WIDTH)
    return math.ceil(len(s) / _PLAN_LINE)


def _plan_height(sheet: _Sheet, row: int, lines: int) -> None:
    """A row tall enough for ``lines`` lines: where the sheet's own estimate (made when it
    finishes, with more characters on a line) expects one line, this height stays."""
    if lines > 1:
        sheet.ws.set_row(row, _LINE_HEIGHT * lines + 2)


def _issue(sheet: _Sheet, charts: dict[str, Path]) -> None:
    res, lang = sheet.book.result, sheet.lang
    if res.campaign is not None:
        _campaign(sheet, [charts[k] for k in ("campaign", "raised") if k in charts])
        return
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


def _renewal(sheet: _Sheet, charts: dict[str, Path]) -> None:
    """Maturities of each series; with a risk analysis, the maturity wall, the assumptions,
    the simulated principal paid out by fiscal year, the shortfall and the reserve."""
    res, lang = sheet.book.result, sheet.lang
    row = _FIRST_ROW
    if res.risk is None:
        row = _coming(sheet, row, "coming.b3_5", ("hint.b3_5",))
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
    row = _totals(
        sheet,
        row,
        len(columns),
        {
            3: ("money", sum(int(x["principal"]) for x in last_rows.values())),
            4: ("money", sum(int(x["payment"]) for x in last_rows.values())),
            5: ("money", res.total_principal),
        },
    )
    if res.risk is not None:
        _risk(sheet, row, charts.get("redemptions"))


def _risk(sheet: _Sheet, row: int, chart: Path | None) -> None:
    """B3.5 with a risk analysis: the maturity wall (planned), the renewal and redemption
    assumptions with the size and seed of the simulation, the principal paid out by fiscal
    year (simulated), the shortfall and the recommended reserve, the fan chart."""
    res, lang = sheet.book.result, sheet.lang
    risk = res.risk
    terms, sim, table = risk.terms, risk.simulation, risk.table
    currency = sheet.book.currency
    simulated = {"n": number_text(sim.paths, lang), "seed": sim.seed}

    def words(text: str):
        return lambda r, c: sheet.overflow(r, c, text)

    def share(x: float):
        return lambda r, c: sheet.rate(r, c, float(x))

    def count(x: int, kind: str = "int"):
        return lambda r, c: sheet.number(r, c, int(x), kind)

    # the maturity wall: principal falling due by fiscal year and series, as planned
    row = sheet.section(row + 1, "sec.wall")
    ids = [x.id for x in res.series]
    row = sheet.header(
        row,
        0,
        [label("fiscal_year", lang)]
        + [t("series_n", lang).format(series=sid) for sid in ids]
        + [t("total", lang)],
    )
    principal = res.fiscal_by_series.set_index(["fiscal_year", "series"])["principal"]
    for rec in res.fiscal.itertuples(index=False):
        year = int(rec.fiscal_year)
        sheet.number(row, 0, year, "plain")
        for k, sid in enumerate(ids, start=1):
            sheet.money(row, k, int(principal.get((year, sid), 0)))
        sheet.money(row, len(ids) + 1, int(rec.principal))
        row += 1
    _total_row(sheet, row, 0, len(ids) + 1, t("total", lang))
    for k, sid in enumerate(ids, start=1):
        sheet.money(row, k, int(principal.xs(sid, level="series").sum()), total=True)
    sheet.money(row, len(ids) + 1, int(res.fiscal["principal"].sum()), total=True)
    row += 1

    # the assumptions, every one in words, with the size and seed of the simulation; the
    # assumptions and the simulated results each start a printed page
    breaks = [row + 1]
    row = sheet.section(row + 1, "sec.risk_terms")
    lines: list[tuple[str, Any]] = [
        (t("risk.annual_probability", lang), share(terms.annual_probability))
    ]
    if terms.segment_probability:
        lines += [
            (t("risk.segment", lang).format(segment=name), share(p))
            for name, p in terms.segment_probability
        ]
    else:
        lines.append((t("risk.by_segment", lang), words(t("risk.same_for_all", lang))))

    if risk.holders_from_register:
        holdings = t("risk.from_register", lang)
    else:
        holdings = t("risk.equal", lang).format(
            amount=money_text(to_cents(terms.holding), lang, currency)
        )
    lines += [
        (t("risk.lock_in", lang), count(terms.lock_in_years)),
        (t("risk.notice", lang), count(terms.notice_months)),
        (
            t("risk.annual_cap", lang),
            words(t("risk.no_cap", lang)) if terms.annual_cap is None else share(terms.annual_cap),
        ),
    ]
    if terms.annual_cap is not None:
        cap_cents = math.floor(terms.annual_cap * sim.issued)
        lines.append((t("risk.cap_amount", lang), lambda r, c: sheet.money(r, c, cap_cents)))
    lines += [
        (t("risk.stress_probability", lang), share(terms.stress_probability)),
        (t("risk.stress_annual_probability", lang), share(terms.stress_annual_probability)),
        (t("risk.renewal_rate", lang), share(terms.renewal_rate)),
        (t("risk.shortfall_level", lang), share(terms.shortfall_level)),
        (t("risk.holders", lang), count(len(risk.holders.amount))),
        (t("risk.holdings", lang), words(holdings)),
        (t("risk.paths", lang), count(sim.paths)),
        (t("risk.seed", lang), count(sim.seed, "plain")),
    ]
    row = _kv_lines(sheet, row, lines)
    row = sheet.note(row, t("risk.terms_note", lang), chars=sheet.wide())
    row = sheet.note(row, t("risk.simulated_note", lang).format(**simulated), chars=sheet.wide())

    # the shortfall over the whole life and the recommended reserve
    row = sheet.section(row + 1, "sec.risk_overall", **simulated)

    def _p(r: int, c: int) -> None:
        if risk.p_shortfall is None:
            sheet.overflow(r, c, t("risk.p_unknown", lang))
        else:
            sheet.rate(r, c, risk.p_shortfall)

    row = _kv_lines(
        sheet,
        row,
        [
            (t("risk.p_shortfall", lang), _p),
            (
                t("risk.recommended_reserve", lang),
                lambda r, c: sheet.money(r, c, risk.recommended_reserve),
            ),
        ],
    )
    level = percent_short(terms.shortfall_level, lang)
    if risk.p_shortfall is None or res.capacity is None:
        sentence = t("risk.reserve_sentence_no_cash", lang).format(level=level)
    else:
        minimum = money_text(to_cents(res.capacity.terms.minimum_cash), lang, currency)
        sentence = t("risk.reserve_sentence", lang).format(level=level, minimum=minimum)
    row = sheet.note(row, sentence, chars=sheet.wide())

    # principal paid out by fiscal year, simulated; on a new printed page
    breaks.append(row + 1)
    row = sheet.section(row + 1, "sec.risk_results", **simulated)
    row = sheet.note(row, t("risk.need_note", lang), chars=sheet.wide())
    columns = [
        ("planned_principal", "col.planned_principal"),
        ("expected_early", "col.exp_early"),
        ("expected_maturity", "col.exp_maturity"),
        ("expected_renewed", "col.exp_renewed"),
        ("expected_outflow", "col.exp_outflow"),
        ("need_p50", "col.need_p50"),
        ("need_p95", "col.need_p95"),
        ("need_p99", "col.need_p99"),
    ]
    with_p = "p_shortfall" in table.columns
    heads = [label("fiscal_year", lang)] + [t(k, lang) for _, k in columns]
    row = sheet.header(row, 0, heads + ([t("col.p_shortfall", lang)] if with_p else []))
    for rec in table.to_dict("records"):
        sheet.number(row, 0, int(rec["fiscal_year"]), "plain")
        for c, (key, _) in enumerate(columns, start=1):
            sheet.money(row, c, _expected(rec[key]))
        if with_p:
            sheet.rate(row, len(columns) + 1, float(rec["p_shortfall"]))
        row += 1
    _total_row(sheet, row, 0, len(columns) + (1 if with_p else 0), t("total", lang))
    for c, (key, _) in enumerate(columns[:5], start=1):
        sheet.money(row, c, _expected(table[key].sum()), total=True)
    row += 1

    if chart is not None:
        _pictures(sheet, row + 1, [chart])
    sheet.ws.set_h_pagebreaks(breaks)


def _cases(sheet: _Sheet) -> None:
    """B4: this scenario (first row) beside the public reference issues, their sources and
    the Québec market figures; then how to set it beside other options (bondkit compare)."""
    res = sheet.book.result
    row = sheet.kv(_FIRST_ROW, "issuer")
    sheet.text(row, 1, res.scenario.issuer.name)
    row = sheet.section(row + 2, "ref.sec.table")
    row = _cases_table(sheet, row, [(sheet.book.result, None)])
    row = sheet.section(row + 1, "sec.compare_hint")
    sheet.note(row, t("hint.b4", sheet.lang), chars=sheet.wide())


def _cases_table(sheet: _Sheet, row: int, scenarios: list[tuple[Result, str | None]]) -> int:
    """The case-study table: the scenarios (result, name), then the public reference
    issues, their note, sources and the Québec market figures; the next row."""
    lang = sheet.lang
    keys = [k for k in LABELS if k.startswith("ref.col.")]
    row = sheet.header(row, 0, [t(k, lang) for k in keys], repeat=True)
    col = {k: j for j, k in enumerate(keys)}
    for k, (res, name) in enumerate(scenarios):
        _case_scenario_row(sheet, row + k, col, res, name)
    row += len(scenarios) - 1
    for ref in reference_issues():
        row += 1
        _case_reference_row(sheet, row, col, ref)
    row = sheet.note(row + 2, t("ref.note", lang), chars=sheet.wide())
    row = sheet.section(row + 1, "ref.sec.sources")
    for ref in reference_issues():
        line = t("ref.source_line", lang).format(issue=ref.issuer, year=ref.year, source=ref.source)
        row = sheet.note(row, line, chars=sheet.wide())
    row = sheet.section(row + 1, "ref.sec.market")
    return sheet.note(row, t("ref.market", lang), chars=sheet.wide())


def _dollars_text(dollars: float, lang: str, currency: str) -> str:
    """Whole dollars as text without cents (``500 $``, ``$500``); cents when there are some."""
    cents = round(dollars * 100)
    if cents % 100:
        return money_text(cents, lang, currency)
    return money_text(cents, lang, currency).replace(
        number_text(cents / 100, lang, 2), number_text(cents / 100, lang, 0)
    )


def _case_scenario_row(
    sheet: _Sheet, row: int, col: dict[str, int], res: Result | None = None, name: str | None = None
) -> None:
    """A row of the B4 table for a scenario (this one by default), from its Result; ``name``
    replaces the issuer's name (an option of a comparison)."""
    res = sheet.book.result if res is None else res
    lang = sheet.lang
    sc, series = res.scenario, res.series
    cur = sc.currency
    sheet.text(row, col["ref.col.issue"], sc.issuer.name if name is None else name, kind="bold")
    sheet.text(row, col["ref.col.place"], sc.issuer.jurisdiction)
    sheet.number(row, col["ref.col.year"], min(x.issue_date for x in series).year, kind="plain")
    sheet.money(row, col["ref.col.amount"], res.total_principal)
    sheet.text(row, col["ref.col.amount_kind"], t("ref.amount.planned", lang))
    bonds = [f"{x.bonds} × {_dollars_text(x.face_value_cents / 100, lang, cur)}" for x in series]
    sheet.text(row, col["ref.col.bonds"], "; ".join(bonds))
    rates = list(dict.fromkeys(float(x.annual_rate) for x in series))
    if len(rates) == 1 and not any(x.step_rates for x in series):
        sheet.rate(row, col["ref.col.rate"], rates[0])
    else:
        texts = [
            _step_rates_text(sheet, x)
            if x.step_rates
            else percent_short(float(x.annual_rate), lang)
            for x in series
        ]
        sheet.text(row, col["ref.col.rate"], "; ".join(dict.fromkeys(texts)))
    terms = dict.fromkeys(_term_text(sheet, x) for x in series)
    sheet.text(row, col["ref.col.term"], "; ".join(terms))
    payments = dict.fromkeys(t(f"repayment.{x.repayment}", lang) for x in series)
    sheet.text(row, col["ref.col.payment"], "; ".join(payments))
    if res.campaign is not None:
        sim = res.campaign.simulation
        sheet.money(row, col["ref.col.expected_raise"], _cents(float(sim.community.mean()) / 100))
        sheet.rate(row, col["ref.col.p_minimum"], res.campaign.summary()["p_minimum_reached"])


def _case_reference_row(sheet: _Sheet, row: int, col: dict[str, int], ref: ReferenceIssue) -> None:
    """One public reference issue; an unpublished fact leaves its cell empty."""
    lang = sheet.lang
    approx = set(ref.approximate)

    def about(text: str, fact: str) -> str:
        return t("ref.approx", lang).format(value=text) if fact in approx else text

    def typical(text: str) -> str:
        return t("ref.typical", lang).format(value=text) if ref.typical else text

    sheet.text(row, col["ref.col.issue"], ref.issuer)
    place = ", ".join(p for p in (ref.city, ref.province) if p)
    if place:
        sheet.text(row, col["ref.col.place"], place)
    if ref.year.isdigit():
        sheet.number(row, col["ref.col.year"], int(ref.year), kind="plain")
    else:
        sheet.text(row, col["ref.col.year"], ref.year)
    same = ref.target == ref.raised
    for value, kind in (
        (ref.raised, "ref.amount.target_reached" if same else "ref.amount.raised"),
        (ref.target, "ref.amount.target"),
        (ref.amount, "ref.amount.stated"),
    ):
        if value is not None:
            sheet.money(row, col["ref.col.amount"], value * 100)
            sheet.text(row, col["ref.col.amount_kind"], t(kind, lang))
            break
    if ref.bonds is not None and ref.face_value is not None:
        face = _dollars_text(ref.face_value, lang, "CAD")
        sheet.text(row, col["ref.col.bonds"], f"{number_text(ref.bonds, lang)} × {face}")
    if ref.rate is not None:
        sheet.rate(row, col["ref.col.rate"], ref.rate)
    elif ref.rate_min is not None and ref.rate_max is not None:
        low, high = percent_short(ref.rate_min, lang), percent_short(ref.rate_max, lang)
        sheet.text(
            row, col["ref.col.rate"], typical(t("ref.range", lang).format(low=low, high=high))
        )
    if ref.term_years is not None:
        sheet.text(row, col["ref.col.term"], t("years_n", lang).format(n=ref.term_years))
    elif ref.term_years_min is not None and ref.term_years_max is not None:
        span = t("ref.range", lang).format(low=ref.term_years_min, high=ref.term_years_max)
        sheet.text(row, col["ref.col.term"], typical(t("years_n", lang).format(n=span)))
    if ref.payment is not None:
        sheet.text(row, col["ref.col.payment"], t(f"ref.payment.{ref.payment}", lang))
    if ref.investors is not None:
        if "investors" in approx:
            sheet.text(
                row, col["ref.col.investors"], about(number_text(ref.investors, lang), "investors")
            )
        else:
            sheet.number(row, col["ref.col.investors"], ref.investors)
    if ref.campaign_days is not None:
        length = t("ref.days_n", lang).format(n=ref.campaign_days)
        sheet.text(row, col["ref.col.campaign"], about(length, "campaign"))
    elif ref.campaign_months is not None:
        months = number_text(ref.campaign_months, lang, 0 if ref.campaign_months % 1 == 0 else 1)
        length = t("ref.months_n", lang).format(n=months)
        sheet.text(row, col["ref.col.campaign"], about(length, "campaign"))
    notes = []
    if ref.tiess_pilot:
        notes.append(t("ref.tiess_pilot", lang))
    if ref.secured:
        notes.append(t("ref.secured", lang))
    if ref.early_redemption is False:
        notes.append(t("ref.no_early_redemption", lang))
    if ref.transferable_after_years is not None:
        notes.append(t("ref.transferable_after", lang).format(n=ref.transferable_after_years))
    if ref.note(lang):
        notes.append(ref.note(lang))
    if notes:
        sheet.text(row, col["ref.col.notes"], " ".join(notes))


# ---------------------------------------------------------------- the campaign: B2 grid, B3.3


def _cents(x: float) -> int:
    """An expectation in currency units as whole cents (half up), as the summary rounds it."""
    return round_half_up(exact(float(x)) * 100)


def _finding_sentence(sheet: _Sheet, finding: Finding, rules: RuleSet) -> str:
    """The sentence that tells a rule finding (``Finding.message()`` in the sheet's language)."""
    _criterion, limit, value = finding_parts(sheet.book.result, sheet.lang, finding, rules)
    key = f"finding.{finding.rule}" if f"finding.{finding.rule}" in LABELS else "finding.other"
    return t(key, sheet.lang).format(rule=finding.rule, limit=limit, value=value)


def _readiness_grid(
    sheet: _Sheet,
    row: int,
    thresholds: bool = True,
    rows: list[tuple[str, str, Any, str, str]] | None = None,
) -> int:
    """A readiness table (the community-capacity rows unless ``rows`` are given); next row.

    Columns: criterion, value, threshold (unless ``thresholds`` is false, as on the
    Summary, which points to B2 for them), status.
    """
    lang = sheet.lang
    keys = ["col.criterion", "col.value"] + (["col.threshold"] if thresholds else [])
    row = sheet.header(row, 0, [t(k, lang) for k in keys + ["col.readiness"]])
    for criterion, kind, value, threshold, status in (
        community_rows(sheet.book.result, sheet.lang) if rows is None else rows
    ):
        # bold text runs wider than the estimate: wrap criteria before the label width
        sheet.text(row, 0, criterion, kind="bold", max_width=_LABEL_WIDTH - 10)
        if kind == "money":
            sheet.money(row, 1, value)
        elif kind == "rate":
            sheet.rate(row, 1, value)
        elif kind == "ratio":
            sheet.number(row, 1, value, "ratio")
        else:
            sheet.text(row, 1, value)
        if thresholds:
            sheet.text(row, 2, threshold, max_width=_LABEL_WIDTH)
        sheet.status(row, 3 if thresholds else 2, status)
        row += 1
    return row


def _campaign(sheet: _Sheet, charts: list[Path]) -> None:
    """B3.3 with a campaign: terms, funnel, expected path, outcomes, allocation, costs, rules."""
    res, lang = sheet.book.result, sheet.lang
    camp = res.campaign
    terms, sim, summary = camp.terms, camp.simulation, camp.summary()
    rules = rule_set(terms.rule_set)
    simulated = {"n": number_text(sim.n, lang), "seed": sim.seed}

    # the campaign terms, with the size and seed of the simulation
    row = sheet.section(_FIRST_ROW, "sec.campaign_terms")

    def words(r: int, text: str, col: int = 1) -> None:
        # text beside a figure column: it overflows into the empty cells on its right
        sheet.text(r, col, text, track=False)

    def _min_subscription(r: int) -> None:
        if terms.min_subscription is None:
            words(r, t("camp.one_bond", lang))
        else:
            sheet.money(r, 1, to_cents(terms.min_subscription))

    def _max_per_investor(r: int) -> None:
        if terms.max_per_investor is not None:
            sheet.money(r, 1, to_cents(terms.max_per_investor))
        elif rules.max_per_investor is not None:
            sheet.money(r, 1, to_cents(rules.max_per_investor))
            words(r, t("camp.from_rules", lang), col=2)
        else:
            words(r, t("camp.no_limit", lang))

    lines: list[tuple[str, Any]] = [
        ("camp.opens", lambda r: sheet.date(r, 1, terms.opens)),
        ("camp.closes", lambda r: sheet.date(r, 1, terms.closes)),
        ("camp.days", lambda r: sheet.number(r, 1, terms.days)),
        ("camp.minimum", lambda r: sheet.money(r, 1, sim.minimum)),
        ("camp.target", lambda r: sheet.money(r, 1, sim.target)),
        ("camp.cap", lambda r: sheet.money(r, 1, sim.cap)),
        ("camp.allocation", lambda r: words(r, t(f"allocation.{terms.allocation}", lang))),
        ("camp.rule_set", lambda r: words(r, rules.title(lang))),
        ("camp.min_subscription", _min_subscription),
        ("camp.max_per_investor", _max_per_investor),
        (
            "camp.interest_start",
            lambda r: words(r, t(f"interest_start.{terms.interest_start}", lang)),
        ),
    ]
    if terms.match is not None:
        lines += [
            ("camp.match", lambda r: sheet.money(r, 1, to_cents(terms.match.max_amount))),
            ("camp.match_ratio", lambda r: sheet.number(r, 1, float(terms.match.ratio), "years")),
        ]
    if terms.underwriter is not None:
        lines.append(
            (
                "camp.underwriter",
                lambda r: sheet.money(r, 1, to_cents(terms.underwriter.max_amount)),
            )
        )
    lines += [
        ("camp.simulations", lambda r: sheet.number(r, 1, sim.n)),
        ("camp.seed", lambda r: sheet.number(r, 1, sim.seed, "plain")),
    ]
    for key, write in lines:
        write(sheet.kv(row, key))
        row += 1
    row = sheet.note(row, t("camp.simulated_note", lang).format(**simulated))

    # the funnel of each segment (expectations)
    row = sheet.section(row + 1, "sec.funnel")
    row = sheet.note(row, t("funnel.note", lang))
    row = sheet.header(
        row,
        0,
        [
            t(k, lang)
            for k in (
                "col.segment",
                "col.people",
                "col.reached",
                "col.supporting",
                "col.exp_subscribers",
                "col.p_subscribe",
                "col.avg_ticket",
                "col.exp_demand",
            )
        ],
    )
    fun = camp.funnel
    for rec in fun.itertuples(index=False):
        sheet.text(row, 0, str(rec.segment))
        sheet.number(row, 1, int(rec.people))
        sheet.number(row, 2, float(rec.reached), "decimal")
        sheet.number(row, 3, float(rec.supporting), "decimal")
        sheet.number(row, 4, float(rec.subscribers), "decimal")
        sheet.rate(row, 5, float(rec.p_subscribe))
        sheet.money(row, 6, _cents(rec.average_ticket))
        sheet.money(row, 7, _cents(rec.demand))
        row += 1
    _total_row(sheet, row, 0, 7, t("total", lang))
    people, subscribers = int(fun["people"].sum()), camp.expected_subscribers
    sheet.number(row, 1, people, total=True)
    sheet.number(row, 2, float(fun["reached"].sum()), "decimal", total=True)
    sheet.number(row, 3, float(fun["supporting"].sum()), "decimal", total=True)
    sheet.number(row, 4, subscribers, "decimal", total=True)
    sheet.rate(row, 5, subscribers / people if people else None, total=True)
    if subscribers:
        sheet.money(row, 6, _cents(camp.expected_demand / subscribers), total=True)
    sheet.money(row, 7, _cents(camp.expected_demand), total=True)
    row += 1

    # the expected path by week, all segments and series together, on a new printed page
    breaks = [row + 1]
    row = sheet.section(row + 1, "sec.path")
    path = (
        camp.expected_path.groupby(["week", "week_start"], sort=True)[["subscribers", "amount"]]
        .sum()
        .reset_index()
    )
    row = sheet.header(
        row,
        0,
        [
            t(k, lang)
            for k in (
                "col.week",
                "col.week_start",
                "col.exp_subscribers",
                "col.exp_amount",
                "col.cumulative",
            )
        ],
    )
    cumulative = 0.0
    for rec in path.itertuples(index=False):
        cumulative += float(rec.amount)
        sheet.text(row, 0, t("week_n", lang).format(n=int(rec.week)))
        sheet.date(row, 1, rec.week_start)
        sheet.number(row, 2, float(rec.subscribers), "decimal")
        sheet.money(row, 3, _cents(rec.amount))
        sheet.money(row, 4, _cents(cumulative))
        row += 1
    _total_row(sheet, row, 0, 4, t("total", lang))
    sheet.number(row, 2, float(path["subscribers"].sum()), "decimal", total=True)
    sheet.money(row, 3, _cents(path["amount"].sum()), total=True)
    row += 1

    # the distribution of outcomes over the simulated campaigns, with the charts, on a new page
    breaks.append(row + 1)
    row = sheet.section(row + 1, "sec.outcomes", **simulated)
    row = sheet.header(row, 0, [t("col.percentile", lang), t("col.raised", lang)])
    for q in ("p05", "p25", "p50", "p75", "p95"):
        sheet.text(row, 0, t(f"pct.{q}", lang))
        sheet.money(row, 1, _cents(summary[f"raised_{q}"]))
        row += 1
    row += 1
    outcomes: list[tuple[str, Any]] = [
        ("out.mean", lambda r: sheet.money(r, 1, _cents(summary["expected_raised"]))),
        ("out.p_minimum", lambda r: sheet.rate(r, 1, summary["p_minimum_reached"])),
        (
            "out.p_minimum_community",
            lambda r: sheet.rate(r, 1, summary["p_minimum_reached_by_community"]),
        ),
        ("out.p_target", lambda r: sheet.rate(r, 1, summary["p_target_reached"])),
        ("out.p_cap", lambda r: sheet.rate(r, 1, summary["p_cap_reached"])),
        (
            "out.days_to_minimum",
            lambda r: sheet.number(r, 1, summary["median_days_to_minimum"], "decimal"),
        ),
        ("out.subscribers", lambda r: sheet.number(r, 1, summary["subscribers_p50"], "decimal")),
    ]
    if terms.match is not None:
        outcomes.append(
            ("out.match", lambda r: sheet.money(r, 1, _cents(summary["expected_match"])))
        )
    if terms.underwriter is not None:
        outcomes += [
            (
                "out.underwriter",
                lambda r: sheet.money(r, 1, _cents(summary["expected_underwriter"])),
            ),
            ("out.p_underwriter", lambda r: sheet.rate(r, 1, summary["p_underwriter_called"])),
        ]
    for key, write in outcomes:
        write(sheet.kv(row, key))
        row += 1
    row = sheet.note(row, t("out.note", lang))
    if charts:
        row = sheet.section(row + 1, "sec.charts")
        row = _pictures(sheet, row, charts)

    # allocation in the median campaign, by series: a new page
    breaks.append(row + 1)
    sheet.ws.set_h_pagebreaks(breaks)
    row = sheet.section(row + 1, "sec.allocation")
    row = sheet.note(row, t("alloc.note", lang))
    row = sheet.header(
        row,
        0,
        [label("series", lang)]
        + [
            t(k, lang)
            for k in (
                "col.applications",
                "col.allotted",
                "col.demanded",
                "col.allocated",
                "col.refunded",
            )
        ],
    )
    reg = sim.register
    for terms_ in res.series:
        own = reg[reg["series"] == terms_.id]
        sheet.text(row, 0, terms_.id)
        sheet.number(row, 1, len(own))
        sheet.number(row, 2, int((own["amount"] > 0).sum()))
        for c, key in enumerate(("demanded", "amount", "refunded"), start=3):
            sheet.money(row, c, int(own[key].sum()))
        row += 1
    _total_row(sheet, row, 0, 5, t("total", lang))
    sheet.number(row, 1, len(reg), total=True)
    sheet.number(row, 2, int((reg["amount"] > 0).sum()), total=True)
    for c, key in enumerate(("demanded", "amount", "refunded"), start=3):
        sheet.money(row, c, int(reg[key].sum()), total=True)
    row += 1

    # campaign costs: inputs, then the expected and simulated costs
    row = sheet.section(row + 1, "sec.campaign_costs")
    c = terms.costs
    per_dollar = summary["cost_per_dollar_raised"]
    for key, write in (
        ("ccost.fixed", lambda r: sheet.money(r, 1, to_cents(c.fixed))),
        ("ccost.staff_hours", lambda r: sheet.number(r, 1, float(c.staff_hours), "decimal")),
        ("ccost.hourly_cost", lambda r: sheet.money(r, 1, to_cents(c.hourly_cost))),
        ("ccost.per_subscriber", lambda r: sheet.money(r, 1, to_cents(c.per_subscriber))),
        ("ccost.fee_rate", lambda r: sheet.rate(r, 1, float(c.payment_fee_rate))),
        ("ccost.commission", lambda r: sheet.rate(r, 1, float(c.commission_rate))),
        ("ccost.expected", lambda r: sheet.money(r, 1, camp.expected_cost)),
        ("ccost.mean", lambda r: sheet.money(r, 1, _cents(summary["campaign_cost"]))),
        ("ccost.median", lambda r: sheet.money(r, 1, camp.median_cost)),
        ("ccost.per_dollar", lambda r: sheet.rate(r, 1, per_dollar)),
    ):
        write(sheet.kv(row, key))
        row += 1

    # the median campaign beside the planned issue
    row = sheet.section(row + 1, "sec.median_vs_plan")
    row = sheet.header(
        row, 0, [t("col.item", lang), t("col.planned", lang), t("col.median_campaign", lang)]
    )
    raised = {s.id: s.amount_cents for s in camp.median_series}
    m = sim.median_path
    for terms_ in res.series:
        sheet.text(row, 0, t("series_n", lang).format(series=terms_.id), kind="bold")
        sheet.money(row, 1, terms_.amount_cents)
        sheet.money(row, 2, raised.get(terms_.id, 0))
        row += 1
    for key, cents in (("mvp.match", sim.match[m]), ("mvp.underwriter", sim.underwriter[m])):
        sheet.text(row, 0, t(key, lang), kind="bold")
        sheet.text(row, 1, t("not_applicable", lang))
        sheet.money(row, 2, int(cents))
        row += 1
    for key, planned, median, kind in (
        ("mvp.total", res.total_principal, sum(raised.values()), "money"),
        ("col.total_interest", res.total_interest, camp.median_total_interest, "money"),
        ("mvp.campaign_cost", None, camp.median_cost, "money"),
        ("kf.all_in_cost", res.issuer_all_in_cost, camp.median_all_in_cost, "rate"),
    ):
        sheet.text(row, 0, t(key, lang), kind="bold")
        if kind == "rate":
            sheet.rate(row, 1, planned)
            sheet.rate(row, 2, median)
        else:
            if planned is None:
                sheet.text(row, 1, t("not_applicable", lang))
            else:
                sheet.money(row, 1, planned)
            sheet.money(row, 2, median)
        row += 1
    row = sheet.note(row, t("mvp.note", lang))

    # the rule set and what in the scenario breaks it
    row = sheet.section(row + 1, "sec.rules", title=rules.title(lang))
    if rules.name == "none":
        row = sheet.note(row, t("rules.none_checked", lang))
    elif not camp.findings:
        sheet.text(row, 0, t("rules.respected", lang), kind="bold", max_width=_LABEL_WIDTH)
        sheet.status(row, 1, "ok")
        row += 1
    for finding in camp.findings:
        sheet.text(row, 0, _finding_sentence(sheet, finding, rules), max_width=_LABEL_WIDTH)
        sheet.status(row, 1, "risk")
        row += 1
    sheet.note(row, t("legal.disclaimer", lang))


# ---------------------------------------------------------------- B3.2 Design


def _design(sheet: _Sheet) -> None:
    """Issue terms (the model's named inputs: amount and rate of each series), costs, the
    all-in cost and the issuer's dated flows, whose proceeds and debt service are formulas
    on the inputs and on B3.4's schedule."""
    book = sheet.book
    res, lang = book.result, sheet.lang
    costs = res.costs
    row = sheet.section(_FIRST_ROW, "sec.issue_terms")
    row = sheet.note(row, t("model.note_b3_2", lang).format(sheet=book.sheet_name("sheet.b3_4")))
    quoted = quote_sheetname(sheet.ws.name)

    def _c_bonds_formula(s, r, c, terms):
        s.formula(r, c, f"=INT({_cell(r, 2)}/{_cell(r, 3)})", terms.bonds, "int")

    def _c_names(s, r, c, terms):
        amount_name, rate_name = book.names[terms.id]
        book.wb.define_name(amount_name, f"={quoted}!{_cell(r, 2, True)}")
        book.wb.define_name(rate_name, f"={quoted}!{_cell(r, 5, True)}")
        s.text(r, c, f"{amount_name}, {rate_name}")

    columns = [
        (label("series", lang), _c_id),
        (t("col.repayment", lang), _c_repayment),
        (t("col.amount", lang), _c_amount),
        (t("col.face_value", lang), _c_face),
        (t("col.bonds", lang), _c_bonds_formula),
        (label("annual_rate", lang), _c_rate),
        (t("col.issue_date", lang), _c_issue),
        (t("col.maturity", lang), _c_maturity),
        (t("col.frequency", lang), _c_frequency),
        (t("col.day_count", lang), _c_day_count),
        (t("col.io_years", lang), _c_io),
        (t("col.step_rates", lang), _c_steps),
        (t("col.investor_yield", lang), _c_yield),
        (t("col.formula_name", lang), _c_names),
    ]
    first = row + 1
    row = _series_table(sheet, row, columns)
    _total_row(sheet, row, 0, len(columns) - 1, t("total", lang))
    total_amount = _cell(row, 2)
    for c, value, kind in (
        (2, res.total_principal, "money"),
        (4, sum(x.bonds for x in res.series), "int"),
    ):
        sheet.formula(
            row, c, f"=SUM({_cell(first, c)}:{_cell(row - 1, c)})", value, kind, total=True
        )
    row += 1

    row = sheet.section(row + 1, "sec.costs")
    at = {}
    for key, write in (
        ("costs.upfront", lambda r: sheet.money(r, 1, to_cents(costs.upfront))),
        ("costs.upfront_rate", lambda r: sheet.rate(r, 1, float(costs.upfront_rate))),
        (
            "costs.upfront_total",
            lambda r: sheet.formula(
                r,
                1,
                f"={_cell(at['costs.upfront'], 1)}"
                "+" + _round_cents(_cell(at["costs.upfront_rate"], 1) + "*" + total_amount),
                res.upfront_costs,
            ),
        ),
        ("costs.annual_admin", lambda r: sheet.money(r, 1, to_cents(costs.annual_admin))),
        ("kf.annual_admin_total", lambda r: sheet.money(r, 1, res.annual_admin_total)),
    ):
        at[key] = row
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
    schedule_sheet = quote_sheetname(book.sheet_name("sheet.b3_4"))
    paid = {  # (series, payment date) -> the schedule's payment cell on B3.4
        (sid, d): book.schedule_rows[(sid, int(period))]
        for sid, d, period in zip(
            res.schedule["series"], res.schedule["date"], res.schedule["period"], strict=True
        )
    }
    pay_col = SCHEDULE_COLUMNS.index("payment")
    flows_first = row
    for d, kind, sid, amount in zip(
        flows["date"], flows["kind"], flows["series"], flows["amount"], strict=True
    ):
        sheet.date(row, 0, d)
        sheet.text(row, 1, t(f"flow.{kind}", lang))
        sheet.text(row, 2, sid)
        if kind == "proceeds":
            sheet.formula(row, 3, f"={book.names[sid][0]}", int(amount))
        elif kind == "debt_service":
            ref = f"{schedule_sheet}!{_cell(paid[(sid, d)], pay_col, True)}"
            sheet.formula(row, 3, f"=-{ref}", int(amount))
        elif kind == "upfront_costs":
            sheet.formula(row, 3, f"=-{_cell(at['costs.upfront_total'], 1, True)}", int(amount))
        else:
            sheet.money(row, 3, int(amount))
        row += 1
    _total_row(sheet, row, 0, 3, t("flow.net", lang))
    sheet.formula(
        row,
        3,
        f"=SUM({_cell(flows_first, 3)}:{_cell(row - 1, 3)})",
        int(flows["amount"].sum()),
        total=True,
    )


# ---------------------------------------------------------------- B3.4 Management


def _management(sheet: _Sheet, charts: dict[str, Path]) -> None:
    """Schedule (frozen, print-repeated header), the calendar in the same columns, then fiscal years.

    The schedule, the calendar and the debt service by fiscal year are formulas on the
    named amount and rate cells of B3.2 (see :func:`_schedule`), each with bondkit's own
    value cached. The payment calendar sits in the schedule's own columns (series,
    payment date, interest, principal, payment), so the header frozen on screen and
    repeated on printed pages names its columns too. The debt service by fiscal year,
    pivoted by series, starts on a new printed page, with two native charts (debt service,
    principal outstanding) that follow the formulas. With a capacity analysis, the
    capacity block follows on a new printed page (see :func:`_capacity`).
    """
    res, lang = sheet.book.result, sheet.lang
    sched = res.schedule
    summed = ("interest", "principal", "payment")
    col = {key: j for j, key in enumerate(SCHEDULE_COLUMNS)}
    ncols = len(SCHEDULE_COLUMNS)

    row = sheet.section(_FIRST_ROW, "sec.schedule")
    row = sheet.note(
        row, t("model.note_b3_4", lang).format(sheet=sheet.book.sheet_name("sheet.b3_2"))
    )
    header_row = row
    extra = [label("fiscal_year", lang), t("col.level", lang)]
    row = sheet.header(row, 0, [label(k, lang) for k in SCHEDULE_COLUMNS] + extra, main=True)
    first, row = row, _schedule(sheet, row)
    last = row - 1
    sheet.ws.autofilter(header_row, 0, last, ncols + 1)

    def rng(key: str | int) -> str:
        c = col[key] if isinstance(key, str) else key
        return f"{_cell(first, c, True)}:{_cell(last, c, True)}"

    # payment calendar, in the schedule's columns: SUMIFS over the schedule by date
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
    cal_first = row
    for rec in cal.itertuples(index=False):
        sheet.text(row, col["series"], paying.get(rec.date, ""))
        sheet.date(row, col["date"], rec.date)
        when = _cell(row, col["date"])
        for key in summed:
            sheet.formula(
                row,
                col[key],
                f"=SUMIFS({rng(key)},{rng('date')},{when})",
                int(getattr(rec, key)),
            )
        row += 1
    _total_row(sheet, row, 0, ncols - 1, t("total", lang))
    for key in summed:
        sheet.formula(
            row,
            col[key],
            f"=SUM({_cell(cal_first, col[key])}:{_cell(row - 1, col[key])})",
            int(cal[key].sum()),
            total=True,
        )
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
        first_col = 1 + 3 * k
        sheet.ws.merge_range(
            group_row,
            first_col,
            group_row,
            first_col + 2,
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
    fy = rng(ncols)  # the schedule's fiscal-year column
    series_cell = {  # the schedule's first cell naming each series (no user text in formulas)
        sid: _cell(sheet.book.schedule_rows[(sid, 1)], col["series"], True) for sid in ids
    }
    issued = {  # fiscal year each series is issued in, for the principal outstanding
        x.id: fiscal_year(x.issue_date, res.scenario.issuer.fiscal_year_end) for x in res.series
    }
    fiscal_first = row
    for rec in fiscal.itertuples(index=False):
        year = int(rec.fiscal_year)
        here = _cell(row, 0)
        sheet.number(row, 0, year, "plain")
        for k, sid in enumerate(ids):
            line = by_key.loc[(year, sid)]
            for j, key in enumerate(summed):
                sheet.formula(
                    row,
                    1 + 3 * k + j,
                    f"=SUMIFS({rng(key)},{rng('series')},{series_cell[sid]},{fy},{here})",
                    int(line[key]),
                )
        ti, tp = _cell(row, total_first), _cell(row, total_first + 1)
        sheet.formula(row, total_first, f"=SUMIFS({rng('interest')},{fy},{here})", rec.interest)
        sheet.formula(
            row, total_first + 1, f"=SUMIFS({rng('principal')},{fy},{here})", rec.principal
        )
        sheet.formula(row, total_first + 2, f"={ti}+{tp}", rec.debt_service)
        amounts = "+".join(sheet.book.names[sid][0] for sid in ids if issued[sid] <= year) or "0"
        sheet.formula(
            row,
            total_first + 3,
            f'={amounts}-SUMIFS({rng("principal")},{fy},"<="&{here})',
            rec.outstanding,
        )
        row += 1
    fiscal_last = row - 1
    _total_row(sheet, row, 0, total_first + 3, t("total", lang))
    for k, sid in enumerate(ids):
        own = fb[fb["series"] == sid]
        for j, key in enumerate(summed):
            c = 1 + 3 * k + j
            sheet.formula(
                row,
                c,
                f"=SUM({_cell(fiscal_first, c)}:{_cell(fiscal_last, c)})",
                int(own[key].sum()),
                total=True,
            )
    for j, key in enumerate(("interest", "principal", "debt_service")):
        c = total_first + j
        sheet.formula(
            row,
            c,
            f"=SUM({_cell(fiscal_first, c)}:{_cell(fiscal_last, c)})",
            int(fiscal[key].sum()),
            total=True,
        )
    row = _native_charts(sheet, row + 2, (fiscal_first, fiscal_last), total_first)
    if res.capacity is None:
        _coming(sheet, row, "coming.b3_4", ("hint.b3_4",))
        return
    breaks.append(row)
    sheet.ws.set_h_pagebreaks(breaks)
    _capacity(sheet, row, ncols, charts.get("coverage"), breaks)


def _cell(row: int, col: int, absolute: bool = False) -> str:
    """An A1 reference (``$A$1`` when ``absolute``)."""
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def _stepped(terms: SeriesTerms, d: dt.date) -> bool:
    """Whether a step rate is in force on ``d`` (the rate is then not the named base rate)."""
    return any(d >= terms.year_start(s.from_year) for s in terms.step_rates)


def _schedule(sheet: _Sheet, row: int) -> int:
    """The schedule of every series as formulas on the named cells of B3.2; the next row.

    Per line: the rate is the series' named rate (a value where a step rate is in force);
    the opening balance is the named amount, then the previous closing balance; interest
    is ``ROUND(opening x rate x year fraction, 2)``; the level payment
    ``ROUND(PMT(rate / payments a year, periods left, -opening), 2)`` where amortisation
    starts or a step rate starts, else the line above's (a level instalment:
    ``ROUND(opening / periods left, 2)``); principal is the level payment minus interest,
    clipped to [0, opening], or the instalment clipped to the opening; the last line repays
    the opening balance. An accumulating series' one line pays its interest from the
    product (compound) or the sum (simple) of its pieces. Each series ends with a total
    line, and several series with a line of all of them. Dates, year fractions and fiscal
    years are values: they follow the day count and business days. Every rounding to the
    cent is written ``ROUND(ROUND(x, 9), 2)`` (see :func:`_round_cents`).
    """
    book, lang = sheet.book, sheet.lang
    res = book.result
    sched = res.schedule
    col = {key: j for j, key in enumerate(SCHEDULE_COLUMNS)}
    ncols = len(SCHEDULE_COLUMNS)
    fy_col, level_col = ncols, ncols + 1
    fye = res.scenario.issuer.fiscal_year_end
    summed = ("interest", "principal", "payment")
    total_rows = []
    for terms in res.series:
        own = sched[sched["series"] == terms.id]
        amount_name, rate_name = book.names[terms.id]
        levels = level_amounts(terms, own)
        accumulating = terms.repayment == "accumulating"
        n, ppy = len(own), periods_per_year(terms.frequency)
        p = periods(terms)
        first = row
        for k, rec in enumerate(own.itertuples(index=False)):
            book.schedule_rows[(terms.id, int(rec.period))] = row

            def c(key: str, r: int = row) -> str:
                return _cell(r, col[key])

            sheet.text(row, col["series"], terms.id)
            sheet.number(row, col["period"], int(rec.period))
            sheet.date(row, col["accrual_start"], rec.accrual_start)
            sheet.date(row, col["date"], rec.date)
            sheet.number(row, col["year_fraction"], float(rec.year_fraction), "fraction")
            if _stepped(terms, rec.accrual_start.date()):
                sheet.rate(row, col["annual_rate"], float(rec.annual_rate))
            else:
                sheet.formula(
                    row, col["annual_rate"], f"={rate_name}", float(rec.annual_rate), "rate"
                )
            opening = f"={amount_name}" if k == 0 else f"={c('closing_balance', row - 1)}"
            sheet.formula(row, col["opening_balance"], opening, rec.opening_balance)
            if accumulating:
                interest = _accumulated_formula(terms, c("opening_balance"), c("annual_rate"))
            else:
                interest = "=" + _round_cents(
                    "*".join(c(k) for k in ("opening_balance", "annual_rate", "year_fraction"))
                )
            sheet.formula(row, col["interest"], interest, rec.interest)
            level = _cell(row, level_col)
            if levels[k] is not None:
                if k == p.first_amortising or (
                    terms.repayment == "level-payment" and p.step_starts[k]
                ):
                    if terms.repayment == "level-payment":
                        pmt = f"PMT({c('annual_rate')}/{ppy},{n - k},-{c('opening_balance')})"
                        f = "=" + _round_cents(pmt)
                    else:
                        f = "=" + _round_cents(f"{c('opening_balance')}/{n - k}")
                else:
                    f = f"={_cell(row - 1, level_col)}"
                sheet.formula(row, level_col, f, levels[k])
            if k == n - 1:
                principal = f"={c('opening_balance')}"
            elif levels[k] is None:
                principal = None
            elif terms.repayment == "level-payment":
                principal = f"=MIN(MAX({level}-{c('interest')},0),{c('opening_balance')})"
            else:
                principal = f"=MIN({level},{c('opening_balance')})"
            if principal is None:
                sheet.money(row, col["principal"], int(rec.principal))
            else:
                sheet.formula(row, col["principal"], principal, rec.principal)
            sheet.formula(row, col["payment"], f"={c('interest')}+{c('principal')}", rec.payment)
            sheet.formula(
                row,
                col["closing_balance"],
                f"={c('opening_balance')}-{c('principal')}",
                rec.closing_balance,
            )
            sheet.number(row, fy_col, fiscal_year(rec.date.date(), fye), "plain")
            row += 1
        _total_row(sheet, row, 0, ncols - 1, str(terms.id))
        sheet.text(row, col["period"], t("total", lang), kind="total_text")
        for key in summed:
            sheet.formula(
                row,
                col[key],
                f"=SUM({_cell(first, col[key])}:{_cell(row - 1, col[key])})",
                int(own[key].sum()),
                total=True,
            )
        total_rows.append(row)
        row += 1
    if len(res.series) > 1:
        _total_row(sheet, row, 0, ncols - 1, t("all_series", lang))
        sheet.text(row, col["period"], t("total", lang), kind="total_text")
        for key in summed:
            cells = "+".join(_cell(r, col[key]) for r in total_rows)
            sheet.formula(row, col[key], f"={cells}", int(sched[key].sum()), total=True)
        row += 1
    return row


def _accumulated_formula(terms: SeriesTerms, opening: str, rate: str) -> str:
    """The interest of an accumulating series' one line: compound, the opening times the
    product of (1 + rate x fraction) over its periods, less the opening; simple, the
    opening times the sum of rate x fraction over its bond years; rounded to the cent.
    ``rate`` is the cell of the named base rate, used where no step rate is in force."""
    parts = []
    for start, r, yf in accrual_pieces(terms):
        here = repr(float(r)) if _stepped(terms, start) else rate
        parts.append(f"{here}*{float(yf)!r}")
    if terms.interest == "compound":
        growth = "*".join(f"(1+{x})" for x in parts)
        return "=" + _round_cents(f"{opening}*{growth}-{opening}")
    return "=" + _round_cents(f"{opening}*(" + "+".join(parts) + ")")


def _round_cents(expr: str) -> str:
    """``expr`` rounded half up to the cent as a spreadsheet can: first to 9 decimals, so
    that a value the exact decimal puts on a half cent but binary floating point leaves a
    few hundred ulps below it (1 000 $ at 1.5 % compounded twice: 30.225, computed
    30.22499999999968) rounds up as bondkit's exact arithmetic does."""
    return f"ROUND(ROUND({expr},9),2)"


def _native_charts(sheet: _Sheet, row: int, years: tuple[int, int], total_first: int) -> int:
    """Two Excel charts over the fiscal-year table (so they follow its formulas): debt
    service (interest and principal, stacked) and principal outstanding; the next row."""
    book, lang = sheet.book, sheet.lang
    name = sheet.ws.name
    first, last = years
    cats = [name, first, 0, last, 0]
    money_code = book.codes["money"]
    debt = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    for j, key, colour in ((0, "interest", "#8ea9c1"), (1, "principal", _BLUE)):
        debt.add_series(
            {
                "name": label(key, lang),
                "categories": cats,
                "values": [name, first, total_first + j, last, total_first + j],
                "fill": {"color": colour},
                "gap": 60,
            }
        )
    balance = book.wb.add_chart({"type": "line"})
    balance.add_series(
        {
            "name": label("outstanding", lang),
            "categories": cats,
            "values": [name, first, total_first + 3, last, total_first + 3],
            "line": {"color": _BLUE, "width": 2.25},
            "marker": {"type": "circle", "size": 5, "fill": {"color": _BLUE}},
        }
    )
    for chart, title in ((debt, "xchart.debt_service"), (balance, "xchart.outstanding")):
        chart.set_title({"name": t(title, lang), "name_font": {"size": 12, "bold": True}})
        chart.set_x_axis({"name": label("fiscal_year", lang), "num_format": "0"})
        chart.set_y_axis(
            {
                "num_format": money_code,
                "major_gridlines": {"visible": True, "line": {"color": "#d9d9d9"}},
            }
        )
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 520, "height": 300})
    row = sheet.section(row, "sec.native_charts")
    sheet.ws.insert_chart(row, 0, debt, {"object_position": 3})
    sheet.ws.insert_chart(row, 0, balance, {"x_offset": 540, "object_position": 3})
    sheet.extra_rows = max(sheet.extra_rows, row + 16)
    sheet.extra_px = max(sheet.extra_px, 1060)
    return row + 17


def _capacity(sheet: _Sheet, row: int, ncols: int, chart: Path | None, breaks: list[int]) -> None:
    """B3.4's capacity block: inputs, coverage by fiscal year (with the chart), the
    maturity-year test, the sinking fund and the reserve when set, the largest issue.
    ``breaks``: the sheet's printed page breaks so far (one more before the maturity test).

    Below the schedule, whose header stays frozen: each table has its own header, and
    key-value labels run over empty cells rather than widening the schedule's columns.
    """
    res, lang = sheet.book.result, sheet.lang
    cap = res.capacity
    terms, table = cap.terms, cap.table
    currency = sheet.book.currency

    def words(text: str):
        return lambda r, c: sheet.overflow(r, c, text)

    row = _block(sheet, row, t("sec.capacity", lang), ncols)
    if terms.cash_flow:
        source = t("cap.cf_table", lang)
    elif terms.cash_flow_growth == 0:
        source = t("cap.cf_flat", lang).format(
            base=money_text(to_cents(terms.cash_flow_base), lang, currency)
        )
    else:
        source = t("cap.cf_growth", lang).format(
            base=money_text(to_cents(terms.cash_flow_base), lang, currency),
            growth=percent_short(float(terms.cash_flow_growth), lang),
        )
    threshold = float(terms.coverage_threshold)
    row = _kv_lines(
        sheet,
        row + 1,
        [
            (t("cap.cash_flow", lang), words(source)),
            (t("cap.threshold", lang), lambda r, c: sheet.number(r, c, threshold, "ratio")),
            (
                t("cap.opening_cash", lang),
                lambda r, c: sheet.money(r, c, to_cents(terms.opening_cash)),
            ),
            (
                t("cap.minimum_cash", lang),
                lambda r, c: sheet.money(r, c, to_cents(terms.minimum_cash)),
            ),
        ],
    )

    # coverage by fiscal year
    row = sheet.section(row + 1, "sec.coverage")
    row = sheet.note(row, t("cap.note", lang), chars=sheet.wide())
    money_cols = ("cash_flow", "debt_service", "other_debt_service", "total_debt_service")
    row = sheet.header(
        row,
        0,
        [label("fiscal_year", lang)]
        + [
            t(k, lang)
            for k in (
                "col.cash_flow",
                "col.issue_ds",
                "col.other_ds",
                "col.total_ds",
                "col.coverage",
                "col.readiness",
                "col.cash_end",
            )
        ],
    )
    watch_at = min(float(READINESS_THRESHOLDS["min_coverage"][1]), threshold)
    for rec in table.itertuples(index=False):
        sheet.number(row, 0, int(rec.fiscal_year), "plain")
        for c, key in enumerate(money_cols, start=1):
            sheet.money(row, c, int(getattr(rec, key)))
        coverage = float(rec.coverage)
        if not math.isnan(coverage):  # no debt service: no ratio, an empty cell
            sheet.number(row, 5, coverage, "ratio")
        if rec.no_capacity:
            sheet.status(row, 6, "risk", t("cap.no_capacity", lang))
        elif rec.below_threshold:
            status = "watch" if coverage >= watch_at else "risk"
            sheet.status(row, 6, status, t("cap.below", lang))
        sheet.money(row, 7, int(rec.cash_end))
        row += 1
    _total_row(sheet, row, 0, 7, t("total", lang))
    for c, key in enumerate(money_cols, start=1):
        sheet.money(row, c, int(table[key].sum()), total=True)
    below = cap.years_below_threshold
    row = _kv_lines(
        sheet,
        row + 2,
        [
            (t("cap.min_dscr", lang), lambda r, c: sheet.number(r, c, cap.min_dscr, "ratio")),
            (t("cap.avg_dscr", lang), lambda r, c: sheet.number(r, c, cap.average_dscr, "ratio")),
            (
                t("cap.years_below", lang),
                words(", ".join(str(y) for y in below) if below else t("none", lang)),
            ),
        ],
    )
    if chart is not None:
        row = _pictures(sheet, row + 1, [chart])

    # the maturity-year test of bullet and accumulating series, then the sinking fund, the
    # reserve and the sizing: on a new printed page
    row += 1
    sheet.ws.set_h_pagebreaks([*breaks, row])
    row = sheet.section(row, "sec.maturity_test")
    mats = cap.maturities
    if mats.empty:
        row = sheet.note(row, t("mat.none", lang), chars=sheet.wide())
    else:
        row = sheet.note(row, t("mat.note", lang), chars=sheet.wide())
        row = sheet.header(
            row,
            0,
            [label("fiscal_year", lang)]
            + [
                t(k, lang)
                for k in (
                    "col.due",
                    "col.cash_start",
                    "col.sinking_fund",
                    "col.cash_flow_net",
                    "col.maturity_coverage",
                )
            ],
        )
        for rec in mats.itertuples(index=False):
            sheet.number(row, 0, int(rec.fiscal_year), "plain")
            for c, key in enumerate(("due", "cash_start", "sinking_fund", "cash_flow"), start=1):
                sheet.money(row, c, int(getattr(rec, key)))
            if not math.isnan(float(rec.coverage)):
                sheet.number(row, 5, float(rec.coverage), "ratio")
            row += 1

    # the sinking fund, when the scenario sets one
    if terms.sinking_fund is not None:
        row = sheet.section(row + 1, "sec.sinking")
        rate = float(terms.sinking_fund.rate)
        row = _kv_lines(sheet, row, [(t("sink.rate", lang), lambda r, c: sheet.rate(r, c, rate))])
        row = sheet.note(row, t("sink.note", lang), chars=sheet.wide())
        row = sheet.header(
            row,
            0,
            [label("fiscal_year", lang)]
            + [t(k, lang) for k in ("col.deposit", "col.withdrawal", "col.fund_balance")],
        )
        keys = ("sinking_deposit", "sinking_withdrawal", "sinking_balance")
        for rec in table.itertuples(index=False):
            sheet.number(row, 0, int(rec.fiscal_year), "plain")
            for c, key in enumerate(keys, start=1):
                sheet.money(row, c, int(getattr(rec, key)))
            row += 1
        _total_row(sheet, row, 0, 3, t("total", lang))
        for c, key in enumerate(keys[:2], start=1):
            sheet.money(row, c, int(table[key].sum()), total=True)
        row += 1

    # the reserve, when the scenario sets one
    if terms.reserve is not None:
        row = sheet.section(row + 1, "sec.reserve")
        target = t(f"res.{terms.reserve.target}", lang).format(months=terms.reserve.months)
        minimum = to_cents(terms.minimum_cash)
        row = _kv_lines(
            sheet,
            row,
            [
                (t("res.target", lang), words(target)),
                (t("cap.minimum_cash", lang), lambda r, c: sheet.money(r, c, minimum)),
            ],
        )
        row = sheet.note(row, t("res.note", lang), chars=sheet.wide())
        row = sheet.header(
            row,
            0,
            [label("fiscal_year", lang)]
            + [
                t(k, lang)
                for k in ("col.reserve_target", "col.cash_required", "col.cash_end", "col.covered")
            ],
        )
        for rec in table.itertuples(index=False):
            sheet.number(row, 0, int(rec.fiscal_year), "plain")
            sheet.money(row, 1, int(rec.reserve_target))
            sheet.money(row, 2, minimum + int(rec.reserve_target))
            sheet.money(row, 3, int(rec.cash_end))
            covered = bool(rec.reserve_covered)
            sheet.status(
                row, 4, "ok" if covered else "risk", t("word.yes" if covered else "word.no", lang)
            )
            row += 1

    # the largest issue the cash flow can carry
    row = sheet.section(row + 1, "sec.sizing")
    none = cap.years_without_capacity
    row = _kv_lines(
        sheet,
        row,
        [
            (t("size.level", lang), lambda r, c: sheet.money(r, c, cap.max_debt_level_payment)),
            (t("size.sculpted", lang), lambda r, c: sheet.money(r, c, cap.max_debt_sculpted)),
            (t("size.rate", lang), lambda r, c: sheet.rate(r, c, cap.sizing_rate)),
            (t("size.years", lang), lambda r, c: sheet.number(r, c, cap.sizing_years)),
            (
                t("size.no_capacity", lang),
                words(", ".join(str(y) for y in none) if none else t("none", lang)),
            ),
        ],
    )
    sheet.note(row, t("size.note", lang), chars=sheet.wide())


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
