"""The advisor's comparison workbook: the options side by side with the case-study table,
then each option's Summary, B3.2 Design and B3.4 Management sheets under its tag (``A``,
``B``...), with the schedules as formulas on the option's own named cells.

The key table reads down, one column per option (headed by its tag and name, with a link
to its first sheet): the terms of each option, then the four questions of the Summary,
each with the option's status (word and colour) and its headline figures, then the seed.
The case-study table (every option beside the public reference issues) has a sheet of its
own, B4, so that its many narrow columns and the options' wide ones do not share widths.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from bondkit.core.conventions import exact, round_half_up
from bondkit.labels import check_language, money_text, percent_text, t
from bondkit.report.workbook.b3_2_design import write_design
from bondkit.report.workbook.b3_4_management import write_management
from bondkit.report.workbook.b4_cases import cases_table
from bondkit.report.workbook.book import writing_order
from bondkit.report.workbook.kit import (
    BLUE,
    FIRST_ROW,
    LINE_HEIGHT,
    Book,
    Sheet,
    new_workbook,
)
from bondkit.report.workbook.summary import write_summary

if TYPE_CHECKING:
    from bondkit.runner import Result

__all__ = ["write_comparison_workbook", "OPTION_SHEETS", "option_tag"]

#: each option's sheets in a comparison workbook, in order
OPTION_SHEETS: tuple[str, ...] = ("sheet.summary", "sheet.b3_2", "sheet.b3_4")
#: one block of the key table: (title, each option's status or None, lines), a line being
#: (label, kind, one value per option)
Block = tuple[str, list[str] | None, list[tuple[str, str, list[Any]]]]
_LABEL_WIDTH = 40.0  # characters of the key table's first column; longer labels wrap
_OPTION_WIDTH = 26.0  # characters of an option's column


def write_comparison_workbook(
    results: list[Result],
    names: list[str],
    blocks: list[Block],
    path: str | Path,
    lang: str,
) -> list[str]:
    """The advisor's workbook: the options side by side, then each option's key sheets.

    The first sheet (``cmp.sheet``) is the main view, a key table with one column per
    option: a header with the option's tag and name, a link to its first sheet, then the
    ``blocks`` (:data:`Block`: a title, with each option's status (``ok``, ``watch``,
    ``risk``, ``na``) in its colour when given, then lines of (label, kind, values): a value
    of a kind of :data:`bondkit.columns.KINDS` (``money`` in currency units, ``rate`` a
    fraction shown as a percentage, ``ratio``, ``count``), or text written as it is), then
    each option's seed. The second sheet (``sheet.b4``) is the case-study table of B4
    with every option beside the public reference issues, linked from the first. Each
    option then gets :data:`OPTION_SHEETS` under its tag
    (``A``, ``B``... by :func:`option_tag`), with the schedules as formulas on its own
    named cells (``A_Amount_1``...). Returns the tags.

    The co-op's 100,000 $ 5-year bullet at 4 % beside the same at 5 %, with their total
    interest (5 x 4,000 $ and 5 x 5,000 $, in currency units):

    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> at_5 = run(starter_scenario().with_changes(annual_rate=0.05))
    >>> blocks = [("What does it cost?", ["ok", "watch"],
    ...            [("Total interest", "money", [20_000.0, 25_000.0])])]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     tags = write_comparison_workbook([result, at_5], ["4 %", "5 %"], blocks,
    ...                                      Path(folder) / "options.xlsx", "en")
    ...     book = load_workbook(Path(folder) / "options.xlsx")
    >>> tags, book.sheetnames[:4]
    (['A', 'B'], ['Comparison', 'B4 Case studies', 'A Summary', 'A B3.2 Design'])
    >>> [n for n in sorted(book.defined_names) if "_Amount_" in n or "_Rate_" in n]
    ['A_Amount_1', 'A_Rate_1', 'B_Amount_1', 'B_Rate_1']
    >>> sheet = book["Comparison"]
    >>> [c.value for c in sheet[5][:3]], sheet["B6"].hyperlink.location
    (['Key figure', 'A — 4 %', 'B — 5 %'], "'A Summary'!A1")
    >>> [c.value for c in sheet[7][:3]], [c.value for c in sheet[8][:3]]
    (['What does it cost?', 'OK', 'Watch'], ['Total interest', 20000, 25000])
    """
    lang = check_language(lang)
    wb = new_workbook(Path(path))
    formats: dict[tuple, Any] = {}
    tags = [option_tag(k) for k in range(len(results))]
    books = [
        Book(res, None, lang, wb=wb, prefix=f"{tag} ", formats=formats)
        for res, tag in zip(results, tags, strict=True)
    ]
    main = Book(results[0], None, lang, wb=wb, formats=formats)
    sheet = main.sheet(
        "cmp.sheet", "cmp.title", subtitle=t("cmp.subtitle", lang).format(n=len(results))
    )
    row = sheet.section(FIRST_ROW, "cmp.sec.options")
    heads = [f"{tag} — {name}" for tag, name in zip(tags, names, strict=True)]
    row = sheet.header(row, 0, [t("cmp.col.figure", lang), *heads], main=True)
    sheet.ws.freeze_panes(row, 1)
    # the header names an option on one line, up to a point (a longer name wraps)
    for j, head in enumerate(heads):
        sheet.fit(row - 1, 1 + j, min(max(_OPTION_WIDTH, len(head) * 1.25 / 1.05 + 3), 44))
    row = _links(sheet, row, books, formats)
    for title, statuses, lines in blocks:
        row = _block(sheet, row, title, statuses, lines, books)
    row += 1  # the seed, apart from the last question's figures
    sheet.text(row, 0, t("cmp.seed", lang), max_width=_LABEL_WIDTH)
    for j, res in enumerate(results):
        sheet.seed(row, 1 + j, res.scenario.seed)
    row += 1
    row = sheet.note(row + 1, t("cmp.note.missing", lang))
    row = sheet.note(row, t("cmp.note.seed_row", lang).format(seed=t("cmp.seed", lang)))
    words = {s: t(f"status.{s}", lang) for s in ("ok", "watch", "risk")}
    row = sheet.note(row, t("cmp.note.status", lang).format(**words))
    if any(n != r.scenario.name for n, r in zip(names, results, strict=True)):
        row = sheet.note(row, t("cmp.note.names", lang))
    row = sheet.note(row, t("cmp.note.sheets", lang))
    cases = main.sheet("sheet.b4", "title.b4", subtitle=t("cmp.title", lang))
    _link(sheet, row + 1, 0, cases.ws.name, t("cmp.link_cases", lang).format(sheet=cases.ws.name), formats)  # fmt: skip
    cases_table(cases, cases.section(FIRST_ROW, "cmp.sec.references"), list(zip(results, heads, strict=True)))  # fmt: skip
    cases.finish()
    for book in books:
        writers = {
            "sheet.summary": lambda s: write_summary(s, {}),
            "sheet.b3_2": write_design,
            "sheet.b3_4": lambda s: write_management(s, {}),
        }
        sheets = {key: book.sheet(key, "title." + key.split(".", 1)[1]) for key in OPTION_SHEETS}
        for key in writing_order(OPTION_SHEETS):
            writers[key](sheets[key])
        for s in sheets.values():
            s.finish()
    sheet.finish()
    wb.close()
    return tags


def _link(
    sheet: Sheet, row: int, col: int, target: str, text: str, formats: dict[tuple, Any],
    tip: str | None = None, track: bool = False,
) -> None:  # fmt: skip
    """A link to cell A1 of sheet ``target``, shown as ``text`` (blue, underlined); its
    column is widened to it when ``track``, else the text runs over the cells on its right."""
    if ("link",) not in formats:
        formats[("link",)] = sheet.book.wb.add_format(
            {"font_color": BLUE, "underline": 1, "valign": "top", "indent": 1, "align": "left"}
        )
    sheet.ws.write_url(
        row, col, f"internal:{quote_sheetname(target)}!A1", formats[("link",)],
        string=text, tip=tip,
    )  # fmt: skip
    if track:
        sheet.fit(row, col, len(text) + 3)
    else:
        sheet.span_chars = max(sheet.span_chars, len(text) * 1.0)
        sheet.last_row = max(sheet.last_row, row)


def _links(sheet: Sheet, row: int, books: list[Book], formats: dict[tuple, Any]) -> int:
    """A row of links, one per option, to its first sheet; the next row."""
    lang = sheet.lang
    sheet.text(row, 0, t("cmp.sheets", lang), max_width=_LABEL_WIDTH)
    for j, book in enumerate(books):
        first = book.sheet_name(OPTION_SHEETS[0])
        text = t("cmp.link", lang).format(sheet=first)
        _link(sheet, row, 1 + j, first, text, formats, t("cmp.link_tip", lang), track=True)
    return row + 1


def _block(
    sheet: Sheet,
    row: int,
    title: str,
    statuses: list[str] | None,
    lines: list[tuple[str, str, list[Any]]],
    books: list[Book],
) -> int:
    """One block of the key table: its title (with the options' statuses), its lines."""
    sheet.text(row, 0, title, kind="section", max_width=_LABEL_WIDTH)
    sheet.ws.set_row(row, 18)
    for j, status in enumerate(statuses or ()):
        sheet.status(row, 1 + j, status)
    row += 1
    for label_text, kind, values in lines:
        sheet.text(row, 0, label_text, max_width=_LABEL_WIDTH)
        height = 1
        for j, (value, book) in enumerate(zip(values, books, strict=True)):
            height = max(height, _value(sheet, row, 1 + j, kind, value, book))
        if height > 1:
            sheet.ws.set_row(row, LINE_HEIGHT * height + 2)
        row += 1
    return row


def _value(sheet: Sheet, row: int, col: int, kind: str, value: Any, book: Book) -> int:
    """One option's value, in its currency; the lines it takes (text of several series)."""
    lang = sheet.lang
    if isinstance(value, str):
        lines = value.split("\n")
        quote = value.startswith(("=", "+", "-", "@"))
        fmt = book.fmt("text", wrap=len(lines) > 1, quote=quote)
        sheet.ws.write_string(row, col, value, fmt)
        sheet.fit(row, col, min(max(len(x) for x in lines) + 3, _OPTION_WIDTH + 14))
        return len(lines)
    if kind == "money":
        sheet.ws.write_number(row, col, float(value), book.fmt("money"))
        cents = round_half_up(exact(float(value)) * 100)
        sheet.fit(row, col, len(money_text(cents, lang, book.currency)) + 2)
    elif kind == "rate":  # two decimals, as the terminal and the Summary's answers show it
        sheet.ws.write_number(row, col, float(value), book.fmt("percent"))
        sheet.fit(row, col, len(percent_text(float(value), lang, 2)) + 2)
    elif kind == "count":
        sheet.number(row, col, int(value), "int")
    else:  # "ratio"
        sheet.number(row, col, float(value), "ratio")
    return 1


def option_tag(k: int) -> str:
    """The tag of option ``k`` (from 0) in a comparison workbook: A, B, ..., Z, AA, AB...

    >>> option_tag(0), option_tag(25), option_tag(26)
    ('A', 'Z', 'AA')
    """
    return xl_col_to_name(k)
