"""The Summary sheet (Sommaire), first of the workbook: the key figures (those of
:data:`bondkit.runner.figures.SHEET_FIGURES`, defined once), the series side by
side with their totals, the financial-capacity and community-capacity rows of the readiness
grid when the run has them (without thresholds: B2 holds them), then the charts, two by row.
"""

from __future__ import annotations

from pathlib import Path

from bondkit.labels import t
from bondkit.report.workbook.b2_readiness import readiness_grid
from bondkit.report.workbook.kit import FIRST_ROW, VALUE_COL, Sheet
from bondkit.report.workbook.pieces import series_table, totals
from bondkit.runner.figures import FIGURES, SHEET_FIGURES
from bondkit.runner.readiness import financial_rows

__all__ = ["write_summary"]


def write_summary(sheet: Sheet, charts: dict[str, Path]) -> None:
    """The Summary: key figures, the series table, the readiness rows, then ``charts``
    (chart name -> PNG path), two by row; on a page of their own when more than two.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.summary", "title.summary")
    >>> write_summary(sheet, {})
    >>> sheet.ws.name, sheet.last_row
    ('Summary', 21)
    """
    res, lang = sheet.book.result, sheet.lang
    sc = res.scenario
    row = sheet.section(FIRST_ROW, "sec.key_figures")
    for key, write in (
        ("scenario", lambda r: sheet.text(r, VALUE_COL, sc.name)),
        ("issuer", lambda r: sheet.text(r, VALUE_COL, sc.issuer.name)),
        (
            "legal_form",
            lambda r: sheet.text(r, VALUE_COL, t(f"legal_form.{sc.issuer.legal_form}", lang)),
        ),
        ("currency", lambda r: sheet.text(r, VALUE_COL, sc.currency)),
        *(
            (
                f.label,
                lambda r, f=f: sheet.figure(r, VALUE_COL, f.kind, f.value(res), f.missing),
            )
            for f in (FIGURES[key] for key in SHEET_FIGURES)
            if f.part is None or getattr(res, f.part) is not None
        ),
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

    keys = (
        "series",
        "col.repayment",
        "col.amount",
        "col.bonds",
        "annual_rate",
        "col.maturity",
        "col.investor_yield",
        "col.total_interest",
        "col.wal",
        "col.duration",
    )
    own = {
        "col.total_interest": _c_total_interest,
        "col.wal": _c_wal,
        "col.duration": _c_duration,
    }
    row = series_table(sheet, row, keys, own)
    row = totals(
        sheet,
        row,
        keys,
        {
            "col.amount": ("money", res.total_principal),
            "col.bonds": ("int", sum(x.bonds for x in res.series)),
            "col.total_interest": ("money", res.total_interest),
        },
    )
    if res.capacity is not None or res.risk is not None:
        row = sheet.section(row + 1, "sec.financial")
        row = readiness_grid(
            sheet, row, thresholds=False, rows=financial_rows(sheet.book.result, sheet.lang)
        )
    if res.campaign is not None:
        row = sheet.section(row + 1, "sec.community")
        row = readiness_grid(sheet, row, thresholds=False)
    if charts:
        if len(charts) > 2:  # two rows of pictures: together on a page of their own
            sheet.ws.set_h_pagebreaks([row + 1])
        row = sheet.section(row + 1, "sec.charts")
        sheet.pictures(row, list(charts.values()))
