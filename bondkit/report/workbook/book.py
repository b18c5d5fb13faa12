"""The scenario workbook: :func:`write_workbook` writes the ten sheets in order, each by its
booklet module (Summary, B1 ... B5), then finishes them (widths, heights, print settings).

Sheets are written in :func:`writing_order`: B3.4, B3.2, the others, the Summary last, so
that each formula's cells are known when it is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bondkit.labels import SHEETS, check_language
from bondkit.report.workbook.b1_overview import write_overview
from bondkit.report.workbook.b2_readiness import write_readiness
from bondkit.report.workbook.b3_1_planning import write_planning
from bondkit.report.workbook.b3_2_design import write_design
from bondkit.report.workbook.b3_3_issue import write_issue
from bondkit.report.workbook.b3_4_management import write_management
from bondkit.report.workbook.b3_5_renewal import write_renewal
from bondkit.report.workbook.b4_cases import write_cases
from bondkit.report.workbook.b5_glossary import write_glossary
from bondkit.report.workbook.kit import Book
from bondkit.report.workbook.summary import write_summary

if TYPE_CHECKING:
    from bondkit.runner import Result

__all__ = ["write_workbook", "writing_order"]


def writing_order(keys) -> list[str]:
    """The order the sheets are written in (not their order in the workbook): B3.4 first
    (B3.2's flows refer to its schedule rows), then B3.2 (it publishes the cells of the
    costs and the all-in cost), the Summary last (its figures refer to theirs).

    >>> writing_order(["sheet.summary", "sheet.b1", "sheet.b3_2", "sheet.b3_4"])
    ['sheet.b3_4', 'sheet.b3_2', 'sheet.b1', 'sheet.summary']
    """
    rank = {"sheet.b3_4": 0, "sheet.b3_2": 1, "sheet.summary": 3}
    return sorted(keys, key=lambda k: rank.get(k, 2))


def write_workbook(
    result: Result,
    path: str | Path,
    lang: str | None = None,
    charts: dict[str, Path] | None = None,
    today: dt.date | None = None,
    ready: Callable[[], object] | None = None,
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
    today : the day the statuses of the steps of the issue (B3.1) are given for; default:
        the day of the run
    ready : called once the sheets are written, before the charts' files are read: the
        charts may be drawn meanwhile (:meth:`bondkit.report.drawers.Drawing.pngs`)

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
    >>> sorted(book.defined_names)  # doctest: +NORMALIZE_WHITESPACE
    ['Admin', 'Amount_1', 'Rate_1', 'SeriesAmounts', 'SeriesIssueYears', 'SeriesRates',
     'Upfront', 'UpfrontRate', 'UpfrontTotal']
    """
    lang = check_language(lang or result.scenario.language)
    book = Book(result, Path(path), lang)
    writers = {
        "sheet.summary": lambda s: write_summary(s, charts or {}),
        "sheet.b1": write_overview,
        "sheet.b2": write_readiness,
        "sheet.b3_1": lambda s: write_planning(s, today),
        "sheet.b3_2": write_design,
        "sheet.b3_3": lambda s: write_issue(s, charts or {}),
        "sheet.b3_4": lambda s: write_management(s, charts or {}),
        "sheet.b3_5": lambda s: write_renewal(s, charts or {}),
        "sheet.b4": write_cases,
        "sheet.b5": write_glossary,
    }
    sheets = {key: book.sheet(key, "title." + key.split(".", 1)[1]) for key in SHEETS}
    for key in writing_order(SHEETS):
        writers[key](sheets[key])
    for sheet in sheets.values():
        sheet.finish()
    sc = result.scenario
    book.wb.set_properties(
        {"title": sc.name, "company": sc.issuer.name, "comments": sc.input_sha256 or ""}
    )
    if ready is not None:
        ready()
    book.place_pictures()
    # XlsxWriter keeps everything in memory until close(): an error above writes no file
    book.wb.close()
