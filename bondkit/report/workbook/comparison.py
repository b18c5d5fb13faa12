"""The advisor's comparison workbook: the options side by side with the case-study table,
then each option's Summary, B3.2 Design and B3.4 Management sheets under its tag (``A``,
``B``...), with the schedules as formulas on the option's own named cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_col_to_name

from bondkit.core.conventions import exact, round_half_up
from bondkit.labels import check_language, money_text, t
from bondkit.report.workbook.b3_2_design import write_design
from bondkit.report.workbook.b3_4_management import write_management
from bondkit.report.workbook.b4_cases import cases_table
from bondkit.report.workbook.book import writing_order
from bondkit.report.workbook.kit import FIRST_ROW, Book, column_map, heading, new_workbook
from bondkit.report.workbook.summary import write_summary

if TYPE_CHECKING:
    from bondkit.runner import Result

__all__ = ["write_comparison_workbook", "OPTION_SHEETS", "option_tag"]

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
    seed and ``figures`` (per option: (label, value, kind) with a kind of
    :data:`bondkit.columns.KINDS`: ``money`` in currency units, ``rate`` (a fraction shown
    as a percentage) or ``ratio``; a text value is written as it is), then the
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
    >>> [n for n in sorted(book.defined_names) if "_Amount_" in n or "_Rate_" in n]
    ['A_Amount_1', 'A_Rate_1', 'B_Amount_1', 'B_Rate_1']
    """
    lang = check_language(lang)
    wb = new_workbook(Path(path))
    formats: dict[tuple, Any] = {}
    tags = [option_tag(k) for k in range(len(results))]
    main = Book(results[0], None, lang, wb=wb, formats=formats)
    sheet = main.sheet(
        "cmp.sheet", "cmp.title", subtitle=t("cmp.subtitle", lang).format(n=len(results))
    )
    row = sheet.section(FIRST_ROW, "cmp.sec.options")
    labels = [label_text for label_text, _v, _k in figures[0]] if figures else []
    # the option, its currency and seed, then a column per figure, then its sheets
    keys = ("cmp.option", "cmp.currency", "cmp.seed")
    col = column_map(keys)
    first_figure = len(keys)
    sheets_col = first_figure + len(labels)
    heads = [*(heading(k, lang) for k in keys), *labels]
    row = sheet.header(row, 0, [*heads, t("cmp.sheets", lang)], main=True)
    for k, (res, name) in enumerate(zip(results, names, strict=True)):
        option = Book(res, None, lang, wb=wb, formats=formats)
        sheet.text(row, col["cmp.option"], str(name), kind="bold")
        sheet.text(row, col["cmp.currency"], res.scenario.currency)
        sheet.seed(row, col["cmp.seed"], res.scenario.seed)
        for j, (_label, value, kind) in enumerate(figures[k]):
            c = first_figure + j
            if isinstance(value, str):  # a figure that does not apply, in words
                sheet.text(row, c, value)
            elif kind == "money":
                sheet.ws.write_number(row, c, float(value), option.fmt("money"))
                cents = round_half_up(exact(float(value)) * 100)
                sheet.fit(row, c, len(money_text(cents, lang, res.scenario.currency)) + 2)
            elif kind == "rate":
                sheet.rate(row, c, float(value))
            else:  # "ratio"
                sheet.number(row, c, float(value), "ratio")
        sheet.text(row, sheets_col, t("cmp.sheets_of", lang).format(tag=tags[k]))
        row += 1
    row = sheet.note(row + 1, t("cmp.note.missing", lang))
    row = sheet.note(row, t("cmp.note.seed", lang).format(seed=t("cmp.seed", lang)))
    row = sheet.note(row, t("cmp.note.sheets", lang))
    row = sheet.section(row + 1, "ref.sec.table")
    named = [
        (res, f"{tags[k]} — {name}")
        for k, (res, name) in enumerate(zip(results, names, strict=True))
    ]
    cases_table(sheet, row, named)
    for k, res in enumerate(results):
        book = Book(res, None, lang, wb=wb, prefix=f"{tags[k]} ", formats=formats)
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


def option_tag(k: int) -> str:
    """The tag of option ``k`` (from 0) in a comparison workbook: A, B, ..., Z, AA, AB...

    >>> option_tag(0), option_tag(25), option_tag(26)
    ('A', 'Z', 'AA')
    """
    return xl_col_to_name(k)
