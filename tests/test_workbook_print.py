"""Printing the workbooks: a readable scale, each header over its own table, no label cut.

Every sheet of the example workbooks (the four examples in French and in English, a
comparison of three of them, a sweep) prints one page wide at a readable scale, computed
here from the file as Excel and LibreOffice compute a fit to the width (the widths of the
printed columns against the printable width of the page), or over several pages wide at a
fixed readable scale; a header is repeated on printed pages only where its table owns the
rest of the sheet; LibreOffice's PDF of the Summary shows every key-figure label whole and
inside its column, in French and in English (one ``soffice`` call for all the PDFs).
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from bondkit.labels import t
from bondkit.report.charts import save_charts
from bondkit.report.workbook import write_workbook
from bondkit.report.workbook.kit import heading
from bondkit.report.workbook.printing import PRINT_FLOOR
from bondkit.runner import run
from bondkit.scenario import load_example, validate_data
from bondkit.studies.comparison import write_comparison
from bondkit.studies.sweeps import parse_vary, sweep, write_sweep

EXAMPLES = ["cinema-du-parc-2016", "solar-coop-multi-series", "building-purchase-2010",
            "grand-costumier-2016"]  # fmt: skip
LANGS = ("fr", "en")
#: the Summary, the reader's first page, prints at nearly full size
SUMMARY_FLOOR = 85
#: the fill of a header row (the booklets' and the sweep's)
HEADER_FILLS = {"FFDDE7F0", "FFDDE7F1"}
LETTER = (8.5 * 72, 11 * 72)  # points, portrait


# ---------------------------------------------------------------- the workbooks


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """name -> (workbook, language): the examples with their charts in both languages, a
    comparison of three examples and a sweep in both languages, a scenario of six series,
    one of ten years of monthly payments."""
    folder = tmp_path_factory.mktemp("print")
    out: dict[str, tuple[Path, str]] = {}
    results = {name: run(load_example(name)) for name in EXAMPLES}
    for name, result in results.items():
        pngs = save_charts(result, folder / "charts", name, formats="png")
        for lang in LANGS:
            path = folder / f"{name}-{lang}.xlsx"
            write_workbook(result, path, lang=lang, charts=pngs)
            out[f"{name}-{lang}"] = (path, lang)
    options = [results[name] for name in EXAMPLES[:3]]
    costumier = load_example("grand-costumier-2016")
    table = sweep(costumier, [parse_vary("annual_rate=0.02,0.03,0.04"), parse_vary("term_years=5,7")])  # fmt: skip
    for lang in LANGS:
        written = write_comparison(options, EXAMPLES[:3], folder / f"compare-{lang}", lang)
        out[f"compare-{lang}"] = (written["workbook"], lang)
        written = write_sweep(table, folder / f"sweep-{lang}", lang=lang, seed=costumier.seed)
        out[f"sweep-{lang}"] = (written["workbook"], lang)
    # six series: the debt service by fiscal year is 23 columns wide
    data = load_example("solar-coop-multi-series").to_data()
    data["series"] = [dict(data["series"][k % 3], id=f"S{k + 1}") for k in range(6)]
    for renewal in data.get("offer", {}).get("renewals", []):  # the renewal of A-3y: S1's
        renewal["series"] = "S1"
    path = folder / "six-series-fr.xlsx"
    write_workbook(run(validate_data(data)), path, lang="fr")
    out["six-series-fr"] = (path, "fr")
    # 120 monthly payments: the schedule, the issuer's flows and one bond's run over pages
    monthly = costumier.with_changes(
        frequency="monthly", term_years=10, repayment="level-payment", capacity=None, risk=None
    )
    path = folder / "monthly-en.xlsx"
    write_workbook(run(monthly), path, lang="en")
    out["monthly-en"] = (path, "en")
    return out


def _column_points(width: float) -> float:
    """Printed width of a column of ``width`` (as stored in the file, padding included),
    as Excel lays it out for Calibri 11: whole pixels of 7 a character, 96 a inch."""
    return math.trunc((256 * width + math.trunc(128 / 7)) / 256 * 7) * 0.75


def _widths(ws) -> dict[int, float]:
    default = ws.sheet_format.defaultColWidth or 8.43
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.min and dim.width:
            for c in range(dim.min, (dim.max or dim.min) + 1):
                widths[c] = dim.width
    return {"default": default, **widths}


def _area(ws) -> tuple[int, int, int, int]:
    """The print area's first column, first row, last column, last row (1-based)."""
    area = ws.print_area
    assert area, f"{ws.title} has no print area"
    area = area[0] if isinstance(area, list) else area
    c1, r1, c2, r2 = range_boundaries(area.split("!")[-1].replace("$", ""))
    return c1 or 1, r1 or 1, c2 or ws.max_column, r2 or ws.max_row


def _printable(ws) -> float:
    """Points between the side margins of the page (Letter, as in Canada)."""
    assert ws.page_setup.paperSize in (1, "1"), ws.title
    width = LETTER[1] if ws.page_setup.orientation == "landscape" else LETTER[0]
    return width - 72 * (ws.page_margins.left + ws.page_margins.right)


def _points(ws, first: int, last: int) -> float:
    widths = _widths(ws)
    return sum(_column_points(widths.get(c, widths["default"])) for c in range(first, last + 1))


def _fit_scale(ws) -> int:
    """The scale, in percent, at which Excel and LibreOffice print the print area one page
    wide (they never enlarge it)."""
    c1, _r1, c2, _r2 = _area(ws)
    return min(100, math.floor(100 * _printable(ws) / _points(ws, c1, c2)))


def _sheets(books, names=None):
    for name, (path, _lang) in books.items():
        if names is None or name in names:
            yield from ((name, ws) for ws in openpyxl.load_workbook(path).worksheets)


# ---------------------------------------------------------------- scale


def test_every_sheet_prints_at_a_readable_scale(books):
    """One page wide at the floor or more; or, too wide for that, at a fixed scale of the
    floor or more over pages each starting at a column that fits there."""
    low = []
    for name, ws in _sheets(books):
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
            scale = _fit_scale(ws)
        else:
            scale = ws.page_setup.scale
            c1, _r1, c2, _r2 = _area(ws)
            starts = [c1, *(b.id + 1 for b in ws.col_breaks.brk), c2 + 1]
            repeat = _points(ws, 1, 1) if ws.print_title_cols == "$A:$A" else 0.0
            for k, (a, b) in enumerate(zip(starts, starts[1:], strict=False)):
                band = _points(ws, a, b - 1) + (repeat if k else 0.0)
                assert band * scale / 100 <= _printable(ws), (name, ws.title, a, b)
        if scale < PRINT_FLOOR * 100:
            low.append((name, ws.title, scale))
    assert not low, f"printed below {PRINT_FLOOR:.0%}: {low}"


def test_the_summary_prints_at_nearly_full_size(books):
    """The first page a reader sees: a few columns wide, its charts within them."""
    small = [
        (name, ws.title, _fit_scale(ws))
        for name, ws in _sheets(books)
        if ws.title.endswith((t("sheet.summary", "fr"), t("sheet.summary", "en")))
        and _fit_scale(ws) < SUMMARY_FLOOR
    ]
    assert not small, small


def test_a_sheet_too_wide_prints_over_pages_not_below_the_floor(books):
    """Six series: B3.4's debt service by fiscal year is 23 columns; the sheet prints at a
    readable scale over two pages wide, the series (or year) column repeated."""
    path, lang = books["six-series-fr"]
    ws = openpyxl.load_workbook(path)[t("sheet.b3_4", lang)]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale >= PRINT_FLOOR * 100 and ws.col_breaks.brk
    assert ws.print_title_cols == "$A:$A" and ws.page_setup.pageOrder == "overThenDown"
    assert _fit_scale(ws) < PRINT_FLOOR * 100  # one page wide would be below the floor


# ---------------------------------------------------------------- repeated headers


def _header_rows(ws) -> set[int]:
    c1, r1, c2, r2 = _area(ws)
    rows = set()
    for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
        for cell in row:
            if cell.fill.fgColor.rgb in HEADER_FILLS and cell.font.b:
                rows.add(cell.row)
    return rows


def test_a_header_is_repeated_only_over_its_own_table(books):
    """A header printed again on the pages that follow only where its table owns the rest
    of the sheet (no other table below it, whose pages it would head) and runs over more
    than one page (not above the notes that follow a table printed whole)."""
    repeated = {}
    for name, ws in _sheets(books):
        if not ws.print_title_rows:
            continue
        first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
        headers = _header_rows(ws)
        assert first == last and first in headers, (name, ws.title, ws.print_title_rows)
        below = sorted(r for r in headers if r > first + 1)  # a header of two rows is one
        assert not below, (name, ws.title, first, below)
        repeated.setdefault(name, set()).add(ws.title)
    # B3.4: the schedule's header stays off the calendar, fiscal-year and capacity tables,
    # even when the schedule runs over pages
    assert not any(t("sheet.b3_4", books[n][1]) in titles for n, titles in repeated.items())
    # ten years of monthly payments: the issuer's flows and one bond's flows, the last
    # tables of their sheets, run over pages under their header
    assert repeated["monthly-en"] == {t("sheet.b3_2", "en"), t("sheet.b1", "en")}
    for lang in LANGS:
        # the case studies fit on a page: their header is not printed again above the sources
        assert t("sheet.b4", lang) not in repeated.get(f"cinema-du-parc-2016-{lang}", set())
        # a comparison gives them a sheet of their own (issue #15): it fits a page too
        assert t("sheet.b4", lang) not in repeated.get(f"compare-{lang}", set())


# ---------------------------------------------------------------- labels, in LibreOffice's PDF


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        if name == "soffice":
            exe = shutil.which("libreoffice")
    if exe is None:
        why = f"{name} is not installed: the printed labels are NOT verified"
        if os.environ.get("BONDKIT_REQUIRE_LO") == "1":
            pytest.fail(why + " (BONDKIT_REQUIRE_LO=1)")
        pytest.skip(why)
    return exe


@pytest.fixture(scope="module")
def pdfs(books, tmp_path_factory) -> dict[str, Path]:
    """name -> PDF of the workbook, by LibreOffice: every one in a single soffice call."""
    soffice, _ = _tool("soffice"), _tool("pdftotext")
    out = tmp_path_factory.mktemp("pdf")
    names = [f"{e}-{lang}" for e in ("cinema-du-parc-2016", "solar-coop-multi-series") for lang in LANGS]  # fmt: skip
    profile = out / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), *(str(books[n][0]) for n in names)],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    pdfs = {n: out / f"{books[n][0].stem}.pdf" for n in names}
    missing = [n for n, p in pdfs.items() if not p.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return pdfs


_WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')


def _pages(pdf: Path) -> list[tuple[float, list[tuple[float, float, float, str]]]]:
    """Each page: its height and its words (xMin, yMin, xMax, text)."""
    text = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', text, re.S):  # fmt: skip
        words = [(float(a), float(b), float(c), html.unescape(w)) for a, b, c, _d, w in _WORD.findall(body)]  # fmt: skip
        pages.append((float(height), words))
    return pages


def _sheet_pages(pdf: Path, sheet: str):
    """The words of the pages of ``sheet``: its name is the footer's left part."""
    for height, words in _pages(pdf):
        footer = [w for w in words if w[1] > height - 0.6 * 72 and w[0] < 300]
        if " ".join(w[3] for w in sorted(footer)) == sheet:
            yield [w for w in words if w not in footer]


def _key_figure_labels(path: Path, lang: str) -> list[str]:
    """The labels of the Summary's key figures, as written (column A under its heading)."""
    ws = openpyxl.load_workbook(path)[t("sheet.summary", lang)]
    column = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    first = column.index(t("sec.key_figures", lang)) + 1
    last = column.index(t("sec.series", lang))
    return [v for v in column[first:last] if v]


def _tokens(s: str) -> list[str]:
    return s.replace("\u00a0", " ").split()


@pytest.mark.parametrize("name", [f"{e}-{lang}" for e in ("cinema-du-parc-2016", "solar-coop-multi-series") for lang in LANGS])  # fmt: skip
def test_libreoffice_prints_every_key_figure_label_whole(books, pdfs, name):
    """Every word of every key-figure label of the Summary is in the PDF's text, in order,
    and ends before column B (LibreOffice clips a label at the next cell: the words it
    hides are not in the PDF, a word it cuts runs past the column's edge); no ####."""
    path, lang = books[name]
    pages = list(_sheet_pages(pdfs[name], t("sheet.summary", lang)))
    assert pages, f"no page of {t('sheet.summary', lang)} in the PDF"
    assert not any("###" in w[3] for words in pages for w in words)
    # column B's left edge: where the series table's second header starts
    left = min(w[0] for words in pages for w in words)
    series, repayment = (_tokens(heading(k, lang))[0] for k in ("series", "col.repayment"))
    edge = None
    for words in pages:
        for w in words:
            if w[3] == repayment and any(
                v[3] == series and abs(v[1] - w[1]) < 1 and v[0] < left + 20 for v in words
            ):
                edge = w[0]
    assert edge is not None, "the series table's header is not in the PDF"
    # the words that start in column A, in reading order; a word LibreOffice broke after
    # its hyphen at the end of a line is one word again
    stream: list[tuple[str, float]] = []
    for words in pages:
        for _x0, _y, x1, word in sorted((w for w in words if w[0] < edge), key=lambda w: (round(w[1]), w[0])):  # fmt: skip
            if stream and stream[-1][0].endswith("-") and word[:1].islower():
                stream[-1] = (stream[-1][0] + word, max(stream[-1][1], x1))
            else:
                stream.append((word, x1))
    texts = [w for w, _x in stream]
    cut = []
    for label in _key_figure_labels(path, lang):
        want = _tokens(label)
        at = next(
            (i for i in range(len(texts)) if texts[i : i + len(want)] == want), None
        )  # fmt: skip
        if at is None:
            cut.append((label, "not whole in the PDF's text"))
        elif max(x for _w, x in stream[at : at + len(want)]) > edge:
            cut.append((label, "runs past column A"))
    assert not cut, f"{name}: {cut}"
