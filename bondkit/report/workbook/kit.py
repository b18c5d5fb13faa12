"""The sheet kit of the workbook: layout constants, number formats, :class:`Sheet` and :class:`Book`.

Every booklet module writes its sheet through a :class:`Sheet`: typed cells (text, money
in cents, rates, dates, numbers, formulas with their cached value, readiness statuses) and
blocks (a section heading, a note, a table header, key-value lines, a total row, pictures).
The sheet keeps its layout as it goes: column widths from the content, the rows whose
wrapped text needs more height, the printed area; :meth:`Sheet.finish` applies them with
the print settings. A :class:`Book` holds one scenario's result, the XlsxWriter workbook
and its shared cell formats.

Layout: every sheet starts with its title (row 1) and the scenario name (row 2), both
kept visible by a frozen pane; sections follow, each a bold heading over a table or
key-value lines (label in column A, value in column B). Column widths come from the
content (long text wraps, with row heights set for it, since LibreOffice does not
re-fit them); the sheet name and page number are in the footer of every printed page.

Printing (:mod:`bondkit.report.workbook.printing`): a sheet prints one page wide,
portrait when it fits a portrait page at 90 % or more, else landscape, never below a
readable scale (else over more pages wide); a section or a row of pictures never
straddles two pages when it fits on one. The header of a table is repeated on the
printed pages only where that table owns the rest of the sheet (no other table below
it) and runs over more than one page, so that no page shows one table's header above
another table, or above the notes that follow a table printed whole.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from bondkit.columns import COLUMNS, label
from bondkit.labels import currency_symbol, money_text, percent_format, percent_text, t
from bondkit.report.chartkit import DPI, PIXELS
from bondkit.report.workbook.printing import set_up_printing
from bondkit.runner.readiness import STATUS_COLOURS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bondkit.runner import Result

__all__ = [
    "TITLE_ROW",
    "SUBTITLE_ROW",
    "FIRST_ROW",
    "LABEL_COL",
    "VALUE_COL",
    "MAX_WIDTH",
    "LABEL_WIDTH",
    "CHARS_PER_WIDTH",
    "LINE_HEIGHT",
    "BLUE",
    "INPUT_FILL",
    "INPUT_INK",
    "RUN_INK",
    "column_map",
    "heading",
    "number_formats",
    "Sheet",
    "Book",
    "new_workbook",
    "text_literal",
]

# ---------------------------------------------------------------- layout constants

TITLE_ROW, SUBTITLE_ROW, FIRST_ROW = 0, 1, 3
#: the columns of a key-value line: its label (column A), then its value (column B)
LABEL_COL, VALUE_COL = 0, 1
MAX_WIDTH = 36.0  # characters; longer text wraps
LABEL_WIDTH = 50.0  # the same for the labels of key-value lines
#: characters of average text that fit in one unit of column width: 1.25 fits most text
#: in Calibri, not all ("Members' preferred shares" lost its last letter in LibreOffice)
CHARS_PER_WIDTH = 1.18
#: bold text is wider by this (a 53-character bold label did not fit 50 units in
#: LibreOffice with a fallback font)
_BOLD = 1.18
#: the same when counting the lines of wrapped text: LibreOffice breaks lines at words and
#: its Carlito is wider than the estimate, so a row is given a line too many, never too few
_WRAP_CHARS_PER_WIDTH = 1.05
_MIN_WIDTH = 6.0
_NOTE_CHARS = 110  # a long note is cut into lines of at most this many characters
LINE_HEIGHT = 15.0  # points per line of 11-point text
#: the widest a header asks its column to be (characters); a longer header wraps, its
#: longest word whole
_HEADER_WIDTH = 12.0
#: the characters a money cell asks beyond its text (the text of a money cell is short
#: and its digits of even width: Excel and LibreOffice show it whole, never ####)
_MONEY_PAD = 2
_CHART_WIDTH_PX = 560  # a picture's width when it has the room
_MIN_CHART_PX = 440  # the narrowest a picture is made to fit beside another
_USER_TEXT_RISK = ("=", "+", "-", "@")
_HYPHENS = re.compile(r"\s+|(?<=-)")  # where a wrapped line may break
BLUE, _LIGHT, _RULE = "#1f4e79", "#dde7f0", "#8ea9c1"
#: the input style: blue ink on pale yellow, the convention of financial models for a cell
#: a reader may change (the legend on the Summary says so)
INPUT_FILL, INPUT_INK = "#fff2cc", "#0000c0"
#: the run-output style: grey italic, for a figure only a run of bondkit computes
RUN_INK = "#595959"


def column_map(keys: Iterable[str], first: int = 0) -> dict[str, int]:
    """The column of each key of a table whose columns are ``keys``, from column ``first``:
    a table's cells are written by key (``col["col.amount"]``), never by number.

    >>> column_map(("series", "col.amount"))
    {'series': 0, 'col.amount': 1}
    >>> column_map(("col.date", "col.amount"), first=3)
    {'col.date': 3, 'col.amount': 4}
    """
    return {key: first + j for j, key in enumerate(keys)}


def heading(key: str, lang: str) -> str:
    """The heading of a column by its key: a column of :data:`bondkit.columns.COLUMNS`
    (``"fiscal_year"``) or a label key (``"col.amount"``).

    >>> heading("fiscal_year", "en"), heading("col.amount", "en")
    ('Fiscal year', 'Amount')
    """
    return label(key, lang) if key in COLUMNS else t(key, lang)


def number_formats(lang: str, currency: str = "CAD") -> dict[str, str]:
    """Excel number format codes for ``lang``, by kind.

    Kinds: money, rate and percent (a fraction shown as a percentage with the decimals and
    the space before % of :func:`~bondkit.labels.percent_text`), date (``yyyy-mm-dd``), int (thousands
    separated), plain (a year, a seed), years (2 decimals), fraction (6 decimals), decimal
    (an expected count of people: thousands separated, 1 decimal), ratio (a coverage
    ratio: 2 decimals).

    French codes start with the fr-CA locale tag (``[$-C0C]``) so LibreOffice shows
    ``1 234,56 $`` and ``2,25 %`` whatever its own locale (a tag inside the currency
    bracket, ``#,##0.00 [$$-C0C]``, is ignored by LibreOffice for the separators); Excel
    shows the symbol where the code puts it and the separators of the reader's system.
    English codes use the en-CA currency tag ``[$$-1009]``. Money cells hold currency
    units (not cents) and rate cells fractions (0.04 shows as 4.00%, 4,00 % in French).

    >>> en = number_formats("en")
    >>> en["money"], en["rate"], en["date"]
    ('[$$-1009]#,##0.00', '0.00%', 'yyyy-mm-dd')
    >>> number_formats("fr")["money"], number_formats("fr")["rate"]
    ('[$-C0C]#,##0.00 "$"', '[$-C0C]0.00"\\xa0"%')
    """
    sym = currency_symbol(currency)
    if lang == "fr":
        return {
            "money": f'[$-C0C]#,##0.00 "{sym}"',
            "rate": f"[$-C0C]{percent_format(lang)}",
            "percent": f"[$-C0C]{percent_format(lang)}",
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
        "rate": percent_format(lang),
        "percent": percent_format(lang),
        "date": "yyyy-mm-dd",
        "int": "#,##0",
        "plain": "0",
        "years": "0.00",
        "fraction": "0.000000",
        "decimal": "#,##0.0",
        "ratio": "0.00",
    }


def _px(width_chars: float) -> float:
    """Pixel width of a column ``width_chars`` wide (Calibri 11, as Excel computes it)."""
    return width_chars * 7 + 5


# ---------------------------------------------------------------- one sheet


class Sheet:
    """A worksheet plus what its layout needs: column widths from content, wrapped rows."""

    def __init__(self, book: Book, key: str, title_key: str, subtitle: str | None = None) -> None:
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
        #: the header repeated on printed pages (see :meth:`header`), and every table's header
        self.header_row: int | None = None
        self.header_rows: set[int] = set()
        #: rows where a block starts (a section, a row of pictures): kept on one printed
        #: page when it fits (see :func:`page_breaks`)
        self.blocks: set[int] = set()
        self._title(title_key)

    # -- primitives -----------------------------------------------------------
    def fit(self, row: int, col: int, chars: float) -> None:
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
        max_width: float = MAX_WIDTH,
    ) -> None:
        """Any text, written as a string (never a formula); text wider than ``max_width`` wraps."""
        s = str(s)
        quote = s.startswith(_USER_TEXT_RISK)
        bold = kind in ("bold", "header", "total_text")
        chars = len(s) * (_BOLD if bold else 1.0) / CHARS_PER_WIDTH + 2
        wrap = track and chars > max_width
        self.ws.write_string(row, col, s, self.book.fmt(kind, wrap=wrap, quote=quote))
        if not track:
            self.span_chars = max(self.span_chars, len(s) * (1.4 if kind == "title" else 1.0))
            self._touch(row, col)
        elif wrap:
            # Excel and LibreOffice break wrapped lines at spaces and after hyphens
            longest = max((len(w) for w in _HYPHENS.split(s)), default=0) + 2
            self.fit(row, col, max(longest, max_width))
            self.wrapped.append((row, col, s, bold))
        else:
            self.fit(row, col, chars)

    def overflow(self, row: int, col: int, s: str, kind: str = "text") -> None:
        """Text that runs over the empty cells on its right: its column keeps its width,
        and the printed width covers where the text ends."""
        self.text(row, col, s, kind=kind, track=False)
        offset = sum(self.widths.get(c, 8.43) for c in range(col)) / 0.85
        self.span_chars = max(self.span_chars, offset + len(s) * (_BOLD if kind == "bold" else 1.0))

    def money(self, row: int, col: int, cents: int, total: bool = False) -> None:
        self.ws.write_number(row, col, int(cents) / 100, self.book.fmt("money", total=total))
        self.fit(row, col, len(money_text(int(cents), self.lang, self.book.currency)) + _MONEY_PAD)

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
            self.fit(
                row, col, len(money_text(int(value), self.lang, self.book.currency)) + _MONEY_PAD
            )
        elif kind == "rate":
            self.ws.write_formula(row, col, formula, fmt, float(value))
            self.fit(row, col, len(percent_text(float(value), self.lang, 4)) + 2)
        elif isinstance(value, str):  # an empty result ("") or words
            self.ws.write_formula(row, col, formula, fmt, value)
            self.fit(row, col, len(value) + 3)
        else:
            self.ws.write_formula(row, col, formula, fmt, value)
            self.fit(row, col, len(f"{abs(value):,.0f}") + 3)

    def input(
        self,
        row: int,
        col: int,
        kind: str,
        value: float,
        name: str | None = None,
        what: str | None = None,
    ) -> str:
        """An input cell (the input style): ``kind`` ``money`` (``value`` in cents), ``rate``
        or ``ratio``; defined as ``name`` when given. Registered in :attr:`Book.inputs`
        under ``what`` (words; default the name) with its value, for the Summary's check of
        the inputs the simulations used. Returns the cell's absolute reference."""
        fmt = self.book.fmt(kind, inp=True)
        number = int(value) / 100 if kind == "money" else float(value)
        self.ws.write_number(row, col, number, fmt)
        if kind == "money":
            self.fit(
                row, col, len(money_text(int(value), self.lang, self.book.currency)) + _MONEY_PAD
            )
        else:
            self.fit(row, col, len(percent_text(number, self.lang, 4)) + 2)
        ref = f"{quote_sheetname(self.ws.name)}!{xl_rowcol_to_cell(row, col, True, True)}"
        if name is not None:
            self.book.wb.define_name(name, "=" + ref)
        self.book.inputs.append((what or name or ref, name or ref, number, kind))
        return name or ref

    def live_status(self, row: int, col: int, formula: str, word: str, colours: dict[str, str]) -> None:  # fmt: skip
        """A status computed by ``formula`` (its cached result: ``word``), coloured by
        conditional formats on its word: ``colours`` maps each word the formula can give to
        a status colour (``ok``, ``watch``, ``risk``, ``na``), so the colour follows the
        formula when an input changes."""
        self.ws.write_formula(row, col, formula, self.book.fmt("status"), word)
        for w, status in colours.items():
            self.ws.conditional_format(
                row, col, row, col,
                {"type": "cell", "criteria": "==", "value": _text_literal(w),
                 "format": self.book.dxf(status)},
            )  # fmt: skip
        longest = max((len(w) for w in colours), default=4)
        self.fit(row, col, longest * 1.05 / CHARS_PER_WIDTH + 4)

    def ref(self, row: int, col: int) -> str:
        """The absolute reference of a cell of this sheet, from any sheet."""
        return f"{quote_sheetname(self.ws.name)}!{xl_rowcol_to_cell(row, col, True, True)}"

    def rate(self, row: int, col: int, x: float | None, total: bool = False) -> None:
        if x is None:
            self.text(row, col, t("not_solvable", self.lang))
            return
        self.ws.write_number(row, col, float(x), self.book.fmt("rate", total=total))
        self.fit(row, col, len(percent_text(x, self.lang, 4)) + 2)

    def date(self, row: int, col: int, d: Any, total: bool = False) -> None:
        if isinstance(d, dt.datetime):  # pandas Timestamps too
            d = d.date()
        self.ws.write_datetime(row, col, d, self.book.fmt("date", total=total))
        self.fit(row, col, 12)

    def number(
        self, row: int, col: int, x: float | None, kind: str = "int", total: bool = False
    ) -> None:
        if x is None:
            self.text(row, col, t("not_applicable", self.lang))
            return
        self.ws.write_number(row, col, x, self.book.fmt(kind, total=total))
        extra = {"int": 0, "plain": 0, "years": 3, "fraction": 7, "decimal": 2, "ratio": 3}[kind]
        digits = len(f"{abs(x):,.0f}") + extra
        self.fit(row, col, digits + 3)

    def seed(self, row: int, col: int, seed: int) -> None:
        """A random seed, exactly: a number up to 2**53 (every such integer is exact in a
        spreadsheet's binary floating point), text above it, so that a seed read back from
        the workbook reruns the same numbers.

        >>> from bondkit.runner import run
        >>> from bondkit.scenario import starter_scenario
        >>> sheet = Book(run(starter_scenario()), None, "en").sheet("sheet.b5", "title.b5")
        >>> sheet.seed(5, 1, 2016), sheet.seed(6, 1, 2**63 - 1)
        (None, None)
        """
        if 0 <= seed <= 2**53:
            self.number(row, col, int(seed), "plain")
        else:
            self.text(row, col, str(seed))

    def status(self, row: int, col: int, status: str, word: str | None = None) -> None:
        """A readiness status: its word (or ``word``), bold, on its colour."""
        s = t(f"status.{status}", self.lang) if word is None else word
        quote = s.startswith(_USER_TEXT_RISK)
        self.ws.write_string(row, col, s, self.book.fmt(f"status_{status}", quote=quote))
        self.fit(row, col, len(s) * 1.05 / CHARS_PER_WIDTH + 4)

    def blank(self, row: int, col: int, total: bool = False) -> None:
        if total:
            self.ws.write_blank(row, col, None, self.book.fmt("text", total=True))
            self._touch(row, col)

    # -- blocks -----------------------------------------------------------------
    def _title(self, title_key: str) -> None:
        self.text(TITLE_ROW, 0, t(title_key, self.lang), kind="title", track=False)
        self.ws.set_row(TITLE_ROW, 21)
        self.text(SUBTITLE_ROW, 0, self.subtitle, kind="subtitle", track=False)
        self.ws.freeze_panes(SUBTITLE_ROW + 1, 0)

    def section(self, row: int, key: str, **fields: Any) -> int:
        """A section heading (a template filled with ``fields``); returns the next row."""
        text = t(key, self.lang)
        self.text(row, 0, text.format(**fields) if fields else text, kind="section", track=False)
        self.blocks.add(row)
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
        """A bold header row; returns the next row. A header asks its column for at most
        ``_HEADER_WIDTH`` characters (its longest word whole): a longer one wraps.

        ``main``: the header frozen on screen and repeated on printed pages; ``repeat``:
        repeated on printed pages only (the header of a long table lower on the sheet,
        printed above it on the pages that follow). Either is repeated only where its
        table is the last on the sheet and runs over more than one page (see :meth:`finish`).
        """
        self.header_rows.add(row)
        for j, s in enumerate(labels):
            # a header may be user text (a series id as a column): never read as a formula
            quote = s.startswith(_USER_TEXT_RISK)
            self.ws.write_string(row, col + j, s, self.book.fmt("header", quote=quote))
            words = max((len(w) for w in s.split()), default=0)
            whole = len(s) * 1.05 / CHARS_PER_WIDTH + 2
            self.fit(row, col + j, max(words * 1.05 + 2, min(whole, _HEADER_WIDTH)))
            self.wrapped.append((row, col + j, s, True))
        if main or repeat:
            self.header_row = row
        if main:
            self.ws.freeze_panes(row + 1, 0)
        return row + 1

    def figure(self, row: int, col: int, kind: str, value: Any, missing: str) -> None:
        """A value of one of :data:`bondkit.columns.KINDS` (money in cents); None is written
        as the words of label ``missing``.

        >>> from bondkit.runner import run
        >>> from bondkit.scenario import starter_scenario
        >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
        >>> sheet = book.sheet("sheet.summary", "title.summary")
        >>> sheet.figure(5, 1, "money", 2_000_000, "not_applicable")  # cents: 20,000.00
        >>> sheet.figure(6, 1, "ratio", None, "not_applicable")
        >>> sheet.widths[1] > 6
        True
        """
        if value is None:
            self.text(row, col, t(missing, self.lang))
        elif kind == "money":
            self.money(row, col, value)
        elif kind == "rate":
            self.rate(row, col, value)
        elif kind == "ratio":
            self.number(row, col, value, "ratio")
        elif kind == "date":
            self.date(row, col, value)
        elif kind == "count":
            self.number(row, col, value)
        else:
            self.text(row, col, str(value))

    def kv(self, row: int, key: str, max_width: float = LABEL_WIDTH) -> int:
        """The label of a key-value line (column A), wrapped when wider than ``max_width``;
        the caller writes the value in column B (``VALUE_COL``)."""
        self.text(row, LABEL_COL, t(key, self.lang), kind="bold", max_width=max_width)
        return row

    def kv_lines(self, row: int, lines: list[tuple[str, Any]]) -> int:
        """Key-value lines whose labels run over the empty cells on their right; next row.

        On sheets whose column A belongs to a table (B3.4, B3.5) a long label must not widen
        it: the label is written untracked, and every value of the block goes in the first
        column right of the longest label, from the widths known so far (widths only grow).
        ``lines`` = (label text, writer(row, col)).
        """
        need = max(len(text) * _BOLD / CHARS_PER_WIDTH + 3 for text, _ in lines)
        col, total = 0, 0.0
        while total < need:
            total += self.widths.get(col, 8.43)
            col += 1
        for text, write in lines:
            self.overflow(row, LABEL_COL, text, kind="bold")
            write(row, col)
            row += 1
        return row

    def total_row(self, row: int, first_col: int, last_col: int, label_text: str) -> None:
        """Style a total row's cells (the caller writes the figures afterwards)."""
        for c in range(first_col, last_col + 1):
            self.blank(row, c, total=True)
        self.text(row, first_col, label_text, kind="total_text")

    def picture(
        self,
        row: int,
        col: int,
        path: Path,
        x_offset: float = 0.0,
        width_px: float = _CHART_WIDTH_PX,
    ) -> tuple[float, float]:
        """Place the chart drawn at ``path`` (a PNG of bondkit's size,
        :data:`~bondkit.report.chartkit.PIXELS` at its DPI) ``width_px`` wide; returns its
        displayed width and height in pixels. The file need not be drawn yet: the
        pictures go in when the workbook is closed (:meth:`Book.place_pictures`)."""
        width, height = PIXELS
        natural = width * 96.0 / DPI
        scale = width_px / natural
        shown_h = height * 96.0 / DPI * scale
        options = {"x_scale": scale, "y_scale": scale, "x_offset": x_offset, "object_position": 3}
        self.book.pictures.append((self.ws, row, col, str(path), options))
        self.extra_rows = max(self.extra_rows, row + math.ceil(shown_h / 20.0) + 1)
        self.extra_px = max(self.extra_px, x_offset + width_px)
        return width_px, shown_h

    def pictures(self, row: int, paths: list[Path], per_row: int = 2) -> int:
        """Charts side by side, ``per_row`` to a row of pictures; returns the row below them.

        Pictures side by side share the width of the columns written so far (each at most
        ``_CHART_WIDTH_PX`` and at least ``_MIN_CHART_PX`` pixels wide), so that they do
        not widen the printed page beyond the sheet's tables."""
        gap = 16.0
        width = float(_CHART_WIDTH_PX)
        if per_row > 1 and len(paths) > 1:
            room = sum(_px(self.widths.get(c, 8.43)) for c in range(self.last_col + 1))
            width = max(_MIN_CHART_PX, min(width, (room - gap * (per_row - 1)) / per_row))
        for i in range(0, len(paths), per_row):
            x, tallest = 0.0, 0.0
            if i > 0 or row - 1 not in self.blocks:  # the first row stays with its heading
                self.blocks.add(row)
            for path in paths[i : i + per_row]:
                w, h = self.picture(row, 0, Path(path), x_offset=x, width_px=width)
                x, tallest = x + w + gap, max(tallest, h)
            row += math.ceil(tallest / 20.0) + 1
        return row

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
                self.ws.set_row(row, LINE_HEIGHT * lines + 2)
        # the printed width must cover titles, notes, pictures and native charts that
        # overflow the cells
        needed_px = max(_px(self.span_chars * 0.85), self.extra_px, self._charts_px())
        total_px, last_col = 0.0, -1
        while total_px < needed_px or last_col < self.last_col:
            last_col += 1
            total_px += _px(self.widths.get(last_col, 8.43))
        # a header repeated on printed pages only where its table owns the rest of the sheet
        repeated = self.header_row
        if repeated is not None and max(self.header_rows) > repeated:
            repeated = None
        last_row = max(self.last_row, self.extra_rows)
        widths = {c: round(w, 1) for c, w in self.widths.items()}  # as set above
        set_up_printing(self.ws, widths, last_row, last_col, repeated, self.blocks)

    def _charts_px(self) -> float:
        """Pixels from column A to the right edge of the native charts of the sheet."""
        right = 0.0
        for row_col_chart in self.ws.charts:
            _row, col, chart, x_offset, _y, x_scale = row_col_chart[:6]
            left = sum(_px(self.widths.get(c, 8.43)) for c in range(col))
            right = max(right, left + x_offset + chart.width * x_scale)
        return right


# ---------------------------------------------------------------- the workbook


class Book:
    """One scenario's sheets in an XlsxWriter workbook: its own (written to ``path`` when
    closed; held in memory without a path, as in the examples), or a comparison's shared
    one ``wb``, where ``prefix`` (an option's tag and a space) starts its sheet names and
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
        if wb is None:
            wb = new_workbook(io.BytesIO() if path is None else path)
        self.wb = wb
        self._formats: dict[tuple, Any] = {} if formats is None else formats
        #: the charts placed, inserted when drawn: (worksheet, row, column, path, options)
        self.pictures: list[tuple[Any, int, int, str, dict]] = []
        #: (series id, period) -> 0-based row of that schedule line on B3.4
        self.schedule_rows: dict[tuple[str, int], int] = {}
        #: accumulating series' schedule lines whose interest cell waits for the accrual
        #: rows below the schedule: (row, series terms, interest in cents); see
        #: formulas.write_accrual
        self.accrual_lines: list[tuple[int, Any, int]] = []
        #: figure key -> the absolute reference of the cell that computes it (B3.4 and B3.2
        #: publish them; the Summary refers to them)
        self.refs: dict[str, str] = {}
        #: the inputs of the model: (words, name or reference, value written, kind)
        self.inputs: list[tuple[str, str, float, str]] = []
        #: series id -> the defined names of its amount and rate cells on B3.2
        tag = prefix.strip() + "_" if prefix.strip() else ""
        self.tag = tag
        self.names: dict[str, tuple[str, str]] = {
            terms.id: (
                f"{tag}{t('name.amount', lang)}_{k}",
                f"{tag}{t('name.rate', lang)}_{k}",
            )
            for k, terms in enumerate(result.series, start=1)
        }

    def name(self, key: str, suffix: Any = "") -> str:
        """The defined name of label ``key`` in this workbook's language (with the option's
        tag in a comparison, and ``_suffix`` when given), e.g. ``Flux_2027``."""
        return f"{self.tag}{t(key, self.lang)}" + (f"_{suffix}" if suffix != "" else "")

    def dxf(self, status: str):
        """The conditional format of a status: its fill and ink."""
        key = ("dxf", status)
        if key not in self._formats:
            fill, ink = STATUS_COLOURS[status]
            self._formats[key] = self.wb.add_format(
                {"bg_color": fill, "font_color": ink, "bold": True}
            )
        return self._formats[key]

    def sheet_name(self, key: str) -> str:
        """The name of sheet ``key`` (a label key) in this workbook."""
        return self.prefix + t(key, self.lang)

    def fmt(
        self,
        kind: str,
        wrap: bool = False,
        quote: bool = False,
        total: bool = False,
        inp: bool = False,
        run: bool = False,
    ):
        """The cell format of ``kind``; ``inp``: the input style, ``run``: a run output."""
        key = (self.currency, kind, wrap, quote, total, inp, run)
        if key not in self._formats:
            props: dict[str, Any] = {"valign": "top"}
            if kind in self.codes:
                props["num_format"] = self.codes[kind]
            if kind == "title":
                props.update(bold=True, font_size=14, font_color=BLUE)
            elif kind == "subtitle":
                props.update(italic=True, font_color="#404040")
            elif kind == "section":
                props.update(bold=True, font_size=12, font_color=BLUE)
            elif kind == "block":
                props.update(bold=True, font_size=13, font_color=BLUE, bottom=2)
                props["bottom_color"] = BLUE
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
            elif kind == "status":  # a live status: coloured by conditional formats
                props.update(bold=True, align="center", border=1)
                props["border_color"] = "#ffffff"
            elif kind == "banner":
                props.update(bold=True, font_color="#9c0006", font_size=12)
            if inp:
                props.update(bg_color=INPUT_FILL, font_color=INPUT_INK, border=1)
                props["border_color"] = "#bfbfbf"
            if run:
                props.update(italic=True, font_color=RUN_INK)
            if wrap:
                props["text_wrap"] = True
            if quote:
                props["quote_prefix"] = True
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, key: str, title_key: str, subtitle: str | None = None) -> Sheet:
        return Sheet(self, key, title_key, subtitle)

    def place_pictures(self) -> None:
        """Insert the charts placed so far, now drawn (XlsxWriter reads each file here)."""
        for ws, row, col, path, options in self.pictures:
            ws.insert_image(row, col, path, options)
        self.pictures.clear()


def _text_literal(s: str) -> str:
    """A text as a formula literal: in double quotes, inner quotes doubled.

    >>> print(_text_literal('Say "yes" now'))
    "Say ""yes"" now"
    """
    return '"' + s.replace('"', '""') + '"'


def text_literal(s: str) -> str:
    """A label (bondkit's own words, never user text) as a formula literal.

    >>> print(text_literal("Sous le seuil"))
    "Sous le seuil"
    """
    return _text_literal(s)


def new_workbook(path: Path | IO[bytes]) -> Any:
    """An XlsxWriter workbook writing to ``path`` (or to a binary file) when closed, where
    user text stays text: nothing is turned into a formula, a number or a link.

    >>> import io
    >>> wb = new_workbook(io.BytesIO())
    >>> wb.strings_to_formulas, wb.strings_to_numbers, wb.strings_to_urls
    (False, False, False)
    """
    return xlsxwriter.Workbook(
        str(path) if isinstance(path, Path) else path,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
