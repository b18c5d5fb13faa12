"""The Word kit of the investor kit: a document's page, styles and blocks, in python-docx.

The words come from the caller (:mod:`bondkit.report.investor_kit`, through
:data:`bondkit.labels.LABELS`); this module holds only Word's own vocabulary (style names,
XML elements) and the layout: a Letter or A4 page with 2 cm margins, Arial (Liberation
Sans in LibreOffice, same widths), headings kept with what follows them, tables with a
shaded header repeated on every page and rows that never split, a shaded box for the
warnings, a highlighted mark for the parts the enterprise completes, and a footer with
the page number.

Every text is written as a run of text: python-docx evaluates nothing, and the only
fields of the document (the page number and the page count) are built here from
constants, never from a text given by the caller.

>>> doc = new_document("letter")
>>> heading(doc, "The bonds offered", 1).style.name
'Heading 1'
>>> t = table(doc, ["Date", "Amount"], [["2027-02-01", "20.00"]], widths=[4, 3], right=[1])
>>> [c.text for c in t.rows[1].cells]
['2027-02-01', '20.00']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

__all__ = [
    "TITLE",
    "SUBTITLE",
    "new_document",
    "heading",
    "paragraph",
    "bullets",
    "table",
    "key_values",
    "box",
    "note",
    "footer",
    "page_break",
    "cell_texts",
]

#: the font of the document: Arial, which LibreOffice draws with Liberation Sans (the same
#: widths), so that the PDF made here and the document opened in Word break lines alike
FONT = "Arial"
#: dark blue of the headings and of the tables' header (the workbook's)
BLUE = RGBColor(0x1F, 0x4E, 0x79)
_HEADER_FILL = "DCE6F1"
_TOTAL_FILL = "F2F2F2"
_BOX_FILL = "FFF4E5"
_BOX_LINE = "C55A11"
_GRID_LINE = "A6A6A6"
#: paper sizes (width, height) [cm]
PAPERS = {"letter": (21.59, 27.94), "a4": (21.0, 29.7)}
MARGIN_CM = 2.0
_STYLE_NORMAL = "Normal"
#: the styles of the document's title and of the line under it
TITLE = "Title"
SUBTITLE = "Subtitle"
_STYLE_TITLE, _STYLE_SUBTITLE = TITLE, SUBTITLE
_STYLE_BULLET = "List Bullet"
_STYLE_FOOTER = "Footer"
_HEADINGS = {1: ("Heading 1", 14, 14), 2: ("Heading 2", 11.5, 10)}
_FIELD = re.compile(r"(\{page\}|\{pages\})")


def new_document(paper: str = "letter", language: str = "en-CA") -> Any:
    """A new document on ``paper`` (``letter`` or ``a4``): margins, fonts, heading styles,
    and the ``language`` of its text (``fr-CA``: the spelling checker of a word processor
    follows it).

    >>> doc = new_document("a4", "fr")
    >>> round(doc.sections[0].page_width.cm, 1), doc.styles["Normal"].font.name
    (21.0, 'Arial')
    """
    doc = Document()
    width, height = PAPERS[paper]
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(width), Cm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.footer_distance = Cm(1.0)
    normal = doc.styles[_STYLE_NORMAL]
    _font(normal, 10)
    lang = OxmlElement("w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language)
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before in _HEADINGS.values():
        style = doc.styles[name]
        _font(style, size, bold=True, colour=BLUE)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    _font(doc.styles[_STYLE_TITLE], 22, bold=True, colour=BLUE)
    doc.styles[_STYLE_TITLE].paragraph_format.space_after = Pt(2)
    _font(doc.styles[_STYLE_SUBTITLE], 12, colour=BLUE)
    doc.styles[_STYLE_SUBTITLE].paragraph_format.space_after = Pt(10)
    _font(doc.styles[_STYLE_BULLET], 10)
    doc.styles[_STYLE_BULLET].paragraph_format.space_after = Pt(3)
    _font(doc.styles[_STYLE_FOOTER], 8, colour=RGBColor(0x59, 0x59, 0x59))
    # the default template's Title has a border under it, its Footer centre and right tab
    # stops for a narrower page: the footer sets its own
    for name, element in ((_STYLE_TITLE, "w:pBdr"), (_STYLE_FOOTER, "w:tabs")):
        ppr = doc.styles[name].element.find(qn("w:pPr"))
        for found in ppr.findall(qn(element)) if ppr is not None else ():
            ppr.remove(found)
    return doc


def _font(style: Any, size: float, bold: bool = False, colour: RGBColor | None = None) -> None:
    font = style.font
    font.name, font.size, font.bold = FONT, Pt(size), bold
    font.italic = False
    if colour is not None:
        font.color.rgb = colour
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    spacing = rpr.find(qn("w:spacing"))
    if spacing is not None:
        rpr.remove(spacing)


def heading(doc: Any, text: str, level: int = 1) -> Any:
    """A heading of ``level`` (1 or 2), kept on the page of what follows it.

    >>> doc = new_document()
    >>> heading(doc, "Taxes", 2).paragraph_format.keep_with_next
    True
    """
    p = doc.add_paragraph(style=_HEADINGS[level][0])
    p.add_run(text)
    p.paragraph_format.keep_with_next = True
    return p


def paragraph(
    doc: Any,
    pieces: str | Sequence[tuple[str, str]],
    style: str | None = None,
    keep_with_next: bool = False,
) -> Any:
    """A paragraph of text: one string, or pieces ``(text, how)`` where ``how`` is
    ``""`` (plain), ``"bold"``, ``"italic"`` or ``"mark"`` (a part to complete,
    highlighted).

    >>> doc = new_document()
    >>> p = paragraph(doc, [("Purpose: ", "bold"), ("to complete", "mark")])
    >>> [r.bold for r in p.runs], p.runs[1].font.highlight_color is not None
    ([True, None], True)
    """
    p = doc.add_paragraph(style=style)
    add_runs(p, pieces)
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    return p


def add_runs(p: Any, pieces: str | Sequence[tuple[str, str]]) -> None:
    """Write ``pieces`` (see :func:`paragraph`) at the end of paragraph ``p``."""
    if isinstance(pieces, str):
        pieces = [(pieces, "")]
    for text, how in pieces:
        run = p.add_run(text)
        if how == "bold":
            run.bold = True
        elif how == "italic":
            run.italic = True
        elif how == "mark":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def bullets(doc: Any, items: Sequence[str | Sequence[tuple[str, str]]]) -> list[Any]:
    """One bulleted paragraph per item (a string or pieces, see :func:`paragraph`).

    >>> doc = new_document()
    >>> len(bullets(doc, ["You may lose money.", "There is no market."]))
    2
    """
    return [paragraph(doc, item, style=_STYLE_BULLET) for item in items]


def page_break(doc: Any) -> None:
    """Start a new page.

    >>> doc = new_document(); page_break(doc); len(doc.paragraphs)
    1
    """
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _borders(tbl: Any, colour: str, size: int = 4, inside: bool = True) -> None:
    tblpr = tbl._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    edges = ("top", "left", "bottom", "right") + (("insideH", "insideV") if inside else ())
    for edge in edges:
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), colour)
        borders.append(el)
    tblpr.append(borders)


def _cell_margins(tbl: Any, top: float = 0.05, side: float = 0.15) -> None:
    tblpr = tbl._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, cm in (("top", top), ("bottom", top), ("left", side), ("right", side)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(cm * 567)))  # twentieths of a point: 567 a centimetre
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _row_flag(row: Any, flag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(f"w:{flag}")
    trpr.append(el)


def _widths(tbl: Any, widths: Sequence[float]) -> None:
    tbl.autofit = False
    grid = tbl._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in tbl.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Cm(w)


def _write_cell(
    cell: Any, pieces: str | Sequence[tuple[str, str]], right: bool, bold: bool
) -> None:
    p = cell.paragraphs[0]
    add_runs(p, pieces)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if bold:
        for run in p.runs:
            run.bold = True


def table(
    doc: Any,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str | Sequence[tuple[str, str]]]],
    widths: Sequence[float],
    right: Sequence[int] = (),
    total: bool = False,
    keep_together: bool | None = None,
    size: float = 9.5,
) -> Any:
    """A table: a shaded ``header`` row (repeated on each page), ``rows`` of text (a cell
    may be pieces, see :func:`paragraph`), columns of ``widths`` [cm], the columns in
    ``right`` aligned right (amounts); ``total``: the last row is a total (bold, shaded).
    Rows never split across pages; ``keep_together`` (default: 20 rows or fewer) keeps
    the whole table on one page when it fits.

    >>> doc = new_document()
    >>> t = table(doc, ["Use", "Amount"], [["Seats", "95,000"], ["Total", "95,000"]],
    ...           widths=[8, 3], right=[1], total=True)
    >>> len(t.rows), t.rows[2].cells[0].paragraphs[0].runs[0].bold
    (3, True)
    """
    n_cols = len(widths)
    tbl = doc.add_table(rows=0, cols=n_cols)
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    _borders(tbl, _GRID_LINE)
    _cell_margins(tbl)
    all_rows = ([list(header)] if header is not None else []) + [list(r) for r in rows]
    for i, values in enumerate(all_rows):
        row = tbl.add_row()
        _row_flag(row, "cantSplit")
        is_header = header is not None and i == 0
        is_total = total and i == len(all_rows) - 1
        if is_header:
            _row_flag(row, "tblHeader")
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _write_cell(cell, value, right=j in right, bold=is_header or is_total)
            if is_header:
                _shade(cell, _HEADER_FILL)
            elif is_total:
                _shade(cell, _TOTAL_FILL)
    _widths(tbl, widths)
    _size(tbl, size)
    if keep_together is None:
        keep_together = len(all_rows) <= 20
    rows_to_keep = tbl.rows[:-1] if keep_together else tbl.rows[:1]
    for row in rows_to_keep:  # Word keeps a table together by keeping each row with the next
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    _space_after(doc)
    return tbl


def _size(tbl: Any, size: float) -> None:
    for row in tbl.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)


def _space_after(doc: Any) -> None:
    """A small empty paragraph after a table, so that the next text does not touch it."""
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.line_spacing = 0.6


def key_values(
    doc: Any, pairs: Sequence[tuple[str, str | Sequence[tuple[str, str]]]], widths=(6.0, 11.0)
) -> Any:
    """Label and value lines as a two-column table without a header, labels in bold.

    >>> doc = new_document()
    >>> len(key_values(doc, [("Issuer", "Cinéma du Parc"), ("Form", "Non-profit")]).rows)
    2
    """
    tbl = doc.add_table(rows=0, cols=2)
    _borders(tbl, "D9D9D9", inside=True)
    _cell_margins(tbl)
    for label_text, value in pairs:
        row = tbl.add_row()
        _row_flag(row, "cantSplit")
        _write_cell(row.cells[0], label_text, right=False, bold=True)
        _write_cell(row.cells[1], value, right=False, bold=False)
        _shade(row.cells[0], "F7F9FC")
    _widths(tbl, widths)
    _size(tbl, 9.5)
    for row in tbl.rows[:-1]:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    _space_after(doc)
    return tbl


def box(
    doc: Any, title: str, items: Sequence[str | Sequence[tuple[str, str]]], width: float = 17.0
) -> Any:
    """A shaded, outlined box: a bold ``title`` over one bulleted line per item (the
    warnings an offer must carry), kept on one page.

    >>> doc = new_document()
    >>> b = box(doc, "Before you invest", ["You may lose money."])
    >>> b.rows[0].cells[0].paragraphs[0].text
    'Before you invest'
    """
    tbl = doc.add_table(rows=1, cols=1)
    _borders(tbl, _BOX_LINE, size=12, inside=False)
    _cell_margins(tbl, top=0.15, side=0.3)
    cell = tbl.rows[0].cells[0]
    _shade(cell, _BOX_FILL)
    _row_flag(tbl.rows[0], "cantSplit")
    first = cell.paragraphs[0]
    run = first.add_run(title)
    run.bold, run.font.size = True, Pt(11.5)
    run.font.color.rgb = RGBColor(0x84, 0x3C, 0x0C)
    first.paragraph_format.space_after = Pt(4)
    for item in items:
        p = cell.add_paragraph(style=_STYLE_BULLET)
        add_runs(p, item)
        p.paragraph_format.space_after = Pt(3)
    _widths(tbl, [width])
    _space_after(doc)
    return tbl


def note(doc: Any, pieces: str | Sequence[tuple[str, str]], width: float = 17.0) -> Any:
    """A note in a light grey box (the draft's note to the enterprise).

    >>> doc = new_document()
    >>> note(doc, "Draft: to adapt.").rows[0].cells[0].text
    'Draft: to adapt.'
    """
    tbl = doc.add_table(rows=1, cols=1)
    _borders(tbl, "BFBFBF", size=4, inside=False)
    _cell_margins(tbl, top=0.1, side=0.25)
    cell = tbl.rows[0].cells[0]
    _shade(cell, "F2F2F2")
    _write_cell(cell, pieces, right=False, bold=False)
    _size(tbl, 9)
    _widths(tbl, [width])
    _space_after(doc)
    return tbl


def footer(doc: Any, left: str, pages: str) -> None:
    """The footer of every page: ``left`` (the issuer and the document), then ``pages``,
    a template whose ``{page}`` and ``{pages}`` become the page number and count.

    >>> doc = new_document()
    >>> footer(doc, "Cinéma du Parc — Investor kit", "Page {page} of {pages}")
    >>> doc.sections[0].footer.paragraphs[0].text
    'Cinéma du Parc — Investor kit\\tPage  of '
    """
    section = doc.sections[0]
    p = section.footer.paragraphs[0]
    p.style = doc.styles[_STYLE_FOOTER]
    p.paragraph_format.tab_stops.clear_all()
    usable = section.page_width - section.left_margin - section.right_margin
    from docx.enum.text import WD_TAB_ALIGNMENT

    p.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(left)
    p.add_run("\t")
    for piece in _FIELD.split(pages):
        if piece == "{page}":
            _field(p, "PAGE")
        elif piece == "{pages}":
            _field(p, "NUMPAGES")
        elif piece:
            p.add_run(piece)


def _field(p: Any, instruction: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``: constants of this module only)."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    p._p.append(fld)


def cell_texts(tbl: Any) -> list[list[str]]:
    """The text of every cell of a table, row by row (to read a document back).

    >>> doc = new_document()
    >>> cell_texts(table(doc, ["A", "B"], [["1", "2"]], widths=[2, 2]))
    [['A', 'B'], ['1', '2']]
    """
    return [[cell.text for cell in row.cells] for row in tbl.rows]
