"""How a sheet prints: its scale, orientation and page breaks, on Letter paper.

A sheet prints one page wide (:func:`print_plan`): portrait when it fits a portrait page
at 90 % or more, else landscape, and never below :data:`PRINT_FLOOR` (11-point text at 6.6
points, the size of the dense tables of an annual report): a sheet that would have to
shrink further prints at a readable scale over more pages wide instead, each page
starting at a whole column, the first column repeated when it is a narrow key column.
Rows are kept together in blocks (a section, a row of pictures, a chart: :func:`page_breaks`):
a block that fits on a page never straddles two. The scale is computed as Excel and
LibreOffice compute a fit to the width, from the widths of the columns
(:func:`column_points`), so that a test can check it without printing.

:func:`set_up_printing` applies all of it to an XlsxWriter worksheet, with the print
area, the margins and a footer naming the sheet and the page: the booklets' sheets
(:meth:`bondkit.report.workbook.kit.Sheet.finish`) and the sweep's
(:mod:`bondkit.studies.sweeps`) use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PRINT_FLOOR",
    "PAGE_POINTS",
    "PrintPlan",
    "column_points",
    "print_plan",
    "page_breaks",
    "set_up_printing",
]

#: the smallest print scale: text of 11 points prints at 6.6 points or more, the size of
#: the dense tables of an annual report; a sheet that would shrink further prints over
#: more pages wide instead
PRINT_FLOOR = 0.60
#: a page of a sheet printed over several pages wide is filled to this share of its width
#: at most: LibreOffice lays columns out a little wider than Excel
_PAGE_SLACK = 0.92
#: a table's header is printed again on the pages it runs over when more than this share
#: of a page spills over
_SPILL = 0.25
#: a sheet prints portrait when it fits a portrait page at this scale or more
_PORTRAIT_FLOOR = 0.90
#: printable width of a Letter page (8.5 x 11 in) between margins of 0.5 in, in points:
#: portrait (False) and landscape (True)
PAGE_POINTS = {False: 612.0 - 72.0, True: 792.0 - 72.0}
#: printable height of the same between margins of 0.6 in (the footer sits in the bottom
#: one), in points
_PAGE_HEIGHT = {False: 792.0 - 86.4, True: 612.0 - 86.4}


def column_points(width: float) -> float:
    """Printed width in points of a column ``width`` characters wide, as Excel and
    LibreOffice lay it out (Calibri 11: 7 pixels a character and 5 of padding, whole pixels,
    96 pixels an inch); 8.43 is a column left at the default width.

    >>> column_points(8.43), column_points(10), column_points(0)
    (48.0, 56.25, 0.0)
    """
    if width <= 0:
        return 0.0
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return pixels * 0.75


@dataclass(frozen=True)
class PrintPlan:
    """How a sheet prints: ``landscape``; ``fit``: shrunk to one page wide, at ``scale``
    percent (as Excel and LibreOffice compute a fit to the width); else printed at the
    fixed ``scale`` over several pages wide, each starting at a column of ``breaks`` with
    the first column repeated when ``repeat_first``."""

    landscape: bool
    fit: bool
    scale: int
    breaks: tuple[int, ...] = ()
    repeat_first: bool = False


def _percent(x: float) -> int:
    return min(100, math.floor(x * 100 + 1e-9))


def print_plan(points: list[float]) -> PrintPlan:
    """The print settings of a sheet whose printed columns are ``points`` wide (points, from
    its first column): portrait when it fits a portrait page at 90 % or more; else one
    landscape page wide when that scale is at least :data:`PRINT_FLOOR`; else several
    landscape pages wide at the largest scale (at least the floor) that needs the fewest
    pages, each page starting at a whole column, the first column repeated on the pages
    after the first when it is a narrow key column (a series, a year: 120 points or less).

    >>> print_plan([100.0] * 5)  # 500 points: portrait, full size
    PrintPlan(landscape=False, fit=True, scale=100, breaks=(), repeat_first=False)
    >>> print_plan([100.0] * 9)  # 900 points: landscape at 80 %
    PrintPlan(landscape=True, fit=True, scale=80, breaks=(), repeat_first=False)
    >>> plan = print_plan([60.0] + [100.0] * 14)  # 1460 points: two pages at a readable scale
    >>> plan.fit, plan.scale >= PRINT_FLOOR * 100, len(plan.breaks) + 1, plan.repeat_first
    (False, True, 2, True)
    >>> plan.breaks, plan.scale  # page 2: the first column again, then the 9th on
    ((8,), 87)
    """
    total = sum(points)
    if total <= 0 or total * _PORTRAIT_FLOOR <= PAGE_POINTS[False]:
        return PrintPlan(False, True, _percent(PAGE_POINTS[False] / total) if total else 100)
    one = PAGE_POINTS[True] / total
    if one >= PRINT_FLOOR:
        return PrintPlan(True, True, _percent(one))
    repeat = points[0] <= 120.0
    best: tuple[int, int, tuple[int, ...]] | None = None  # (pages, -scale, breaks)
    for pct in range(100, int(PRINT_FLOOR * 100) - 1, -1):
        room = PAGE_POINTS[True] * _PAGE_SLACK * 100 / pct
        breaks, used = [], 0.0
        for c, w in enumerate(points):
            if used + w > room and used > (points[0] if repeat and breaks else 0.0):
                breaks.append(c)
                used = points[0] if repeat else 0.0
            used += w
        key = (len(breaks) + 1, -pct, tuple(breaks))
        if best is None or key < best:
            best = key
    assert best is not None
    return PrintPlan(True, False, -best[1], best[2], repeat)


def page_breaks(
    heights: list[float],
    starts: set[int],
    manual: set[int],
    room: float,
    repeated: tuple[int, float] | None = None,
) -> tuple[list[int], list[int]]:
    """The rows a printed page should start at, beyond the ``manual`` ones, so that no block
    is cut by a page when it fits on one, and the first row of every page (a manual break,
    one of those, or where a full page ends): ``heights`` of the rows (points, at the printed
    scale), ``starts`` the rows where a block starts (a section heading, a row of
    pictures; a block runs to the next start or manual break), ``room`` the height of a
    page; ``repeated`` = (row, height) of a header printed again at the top of every page
    after it. A block longer than a page starts on a new page only when less than a
    quarter of the current one is left; then it flows over the pages. A block under an
    eighth of a page (a title) stays on it; a block starting at most two rows below the
    previous one (a heading over its pictures or chart) is one with it.

    Rows of 10 points on pages of 60: blocks of 4, 3 and 3 rows; the second would be cut
    after its second row, so its page starts with it; a block of 7 rows (longer than a
    page) flows, unless less than a quarter of the page is left.

    >>> page_breaks([10.0] * 10, {0, 4, 7}, set(), 60.0)
    ([4], [0, 4])
    >>> page_breaks([10.0] * 10, {0, 3}, set(), 60.0)[0], page_breaks([10.0] * 10, {0, 5}, set(), 60.0)[0]
    ([], [5])
    """
    n = len(heights)
    kept: list[int] = []  # a start right under another (a heading, then its pictures) joins it
    for s in sorted(starts):
        if not kept or s - kept[-1] > 2:
            kept.append(s)
    starts = set(kept)
    ends = sorted({*starts, *manual, n})
    added: list[int] = []
    pages = [0]

    def top(r: int) -> float:  # the height taken at the top of a page starting at row r
        return repeated[1] if repeated is not None and r > repeated[0] else 0.0

    used = 0.0
    for r in range(n):
        if r in manual and r > 0:
            used = top(r)
            pages.append(r)
        elif r in starts and used > top(r) + room / 8:  # not under a mere title
            end = next(e for e in ends if e > r)
            size = sum(heights[r:end])
            if used + size > room and (size <= room - top(r) or room - used < room / 4):
                added.append(r)
                pages.append(r)
                used = top(r)
        if used + heights[r] > room and used > top(r):  # the page is full: the next one
            used = top(r)
            pages.append(r)
        used += heights[r]
    return added, pages


def set_up_printing(
    ws: Any,
    widths: dict[int, float],
    last_row: int,
    last_col: int,
    repeated: int | None = None,
    blocks: Iterable[int] = (),
) -> PrintPlan:
    """Print settings of worksheet ``ws`` whose columns are ``widths`` wide (characters;
    8.43 when absent): print area to (``last_row``, ``last_col``), Letter, margins, a
    footer with the sheet's name and the page, the :func:`print_plan`, page breaks that
    keep ``blocks`` (and the native charts) whole beside the sheet's own breaks
    (:func:`page_breaks`), and the header row ``repeated`` (the caller passes it only
    where its table owns the rest of the sheet) printed again on the pages after it when
    its table runs well over a page. Returns the plan.

    >>> import io, xlsxwriter
    >>> ws = xlsxwriter.Workbook(io.BytesIO()).add_worksheet("S")
    >>> set_up_printing(ws, {0: 20.0, 1: 12.0}, 40, 1)  # two narrow columns: portrait
    PrintPlan(landscape=False, fit=True, scale=100, breaks=(), repeat_first=False)
    """
    ws.print_area(0, 0, last_row, last_col)
    ws.set_paper(1)  # Letter, as in Canada
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&R&P / &N")
    plan = print_plan([column_points(widths.get(c, 8.43)) for c in range(last_col + 1)])
    if plan.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if plan.fit:
        ws.fit_to_pages(1, 0)
    else:  # a readable scale over several pages wide, each band of rows kept together
        ws.set_print_scale(plan.scale)
        ws.set_v_pagebreaks(list(plan.breaks))
        ws.print_across()
        if plan.repeat_first:
            ws.repeat_columns(0)
    scale = plan.scale / 100
    default = ws.default_row_height * 0.75  # XlsxWriter keeps heights in pixels
    heights = [
        (ws.row_sizes[r][0] * 0.75 if r in ws.row_sizes else default) * scale
        for r in range(last_row + 1)
    ]
    starts = set(blocks) | {entry[0] for entry in ws.charts}
    manual = set(ws.hbreaks)
    room = _PAGE_HEIGHT[plan.landscape] * _PAGE_SLACK
    added, pages = page_breaks(heights, starts, manual, room)
    if repeated is not None:  # the table runs to the next block: well over a page?
        end = min(r for r in (*starts, *manual, last_row + 1) if r > repeated + 1)
        inside = [p for p in pages if repeated < p < end]
        # LibreOffice prints a little smaller than Excel: a table that would spill a few rows
        # onto the next page prints whole, and a header repeated there would head notes
        if inside and sum(heights[inside[-1] : end]) > room * _SPILL:
            ws.repeat_rows(repeated)
            added, _ = page_breaks(heights, starts, manual, room, (repeated, heights[repeated]))
    if added:
        ws.set_h_pagebreaks(sorted(manual | set(added))[:1023])
    return plan
