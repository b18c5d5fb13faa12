"""The B2 Readiness sheet: the readiness grid (financial capacity with a capacity or risk
analysis, community capacity with a campaign), each row with its value, its threshold
(:data:`~bondkit.runner.readiness.READINESS_THRESHOLDS`) and a status shown as a word and a
colour; then what is still to come and the scenario inputs. The Summary shows the same
rows through :func:`readiness_grid`.
"""

from __future__ import annotations

from typing import Any

from bondkit.labels import number_text, t
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    LABEL_WIDTH,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
)
from bondkit.report.workbook.pieces import coming
from bondkit.runner.readiness import STATUSES, community_rows, financial_rows

__all__ = ["write_readiness", "readiness_grid"]


def write_readiness(sheet: Sheet) -> None:
    """The readiness grid: financial capacity (with [capacity] or [risk]), community capacity
    (with a campaign), then what is still to come and the scenario inputs.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b2", "title.b2")
    >>> write_readiness(sheet)
    >>> sheet.ws.name, sheet.last_row
    ('B2 Readiness', 17)
    """
    res, lang = sheet.book.result, sheet.lang
    issuer = res.scenario.issuer
    financial = res.capacity is not None or res.risk is not None
    words = {k: t(f"status.{k}", lang) for k in (*STATUSES, "na")}
    row = FIRST_ROW
    if financial:
        row = sheet.section(row, "sec.financial")
        row = readiness_grid(sheet, row, rows=financial_rows(sheet.book.result, sheet.lang))
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
        row = readiness_grid(sheet, row)
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
    row = coming(sheet, row, "coming.b2_campaign" if has_rows else "coming.b2", hints)
    row = sheet.section(row, "sec.inputs")
    for key, write in (
        (
            "legal_form",
            lambda r: sheet.text(r, VALUE_COL, t(f"legal_form.{issuer.legal_form}", lang)),
        ),
        ("jurisdiction", lambda r: sheet.text(r, VALUE_COL, issuer.jurisdiction)),
        ("fiscal_year_end", lambda r: sheet.text(r, VALUE_COL, issuer.fiscal_year_end)),
        ("kf.total_principal", lambda r: sheet.money(r, VALUE_COL, res.total_principal)),
        ("kf.max_debt_service", lambda r: sheet.money(r, VALUE_COL, res.max_annual_debt_service)),
        (
            "kf.last_maturity",
            lambda r: sheet.date(r, VALUE_COL, max(x.maturity for x in res.series)),
        ),
    ):
        write(sheet.kv(row, key))
        row += 1


def readiness_grid(
    sheet: Sheet,
    row: int,
    thresholds: bool = True,
    rows: list[tuple[str, str, Any, str, str]] | None = None,
) -> int:
    """A readiness table (the community-capacity rows unless ``rows`` are given); next row.

    Columns: criterion, value, threshold (unless ``thresholds`` is false, as on the
    Summary, which points to B2 for them), status.

    >>> from bondkit.report.workbook.kit import FIRST_ROW, Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b2", "title.b2")
    >>> rows = [("Lowest coverage", "ratio", 1.4, "at least 1.25", "ok")]
    >>> readiness_grid(sheet, FIRST_ROW, rows=rows)  # the header, then the row
    5
    """
    lang = sheet.lang
    keys = ("col.criterion", "col.value", *(("col.threshold",) if thresholds else ()))
    keys += ("col.readiness",)
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    at = col["col.value"]
    for criterion, kind, value, threshold, status in (
        community_rows(sheet.book.result, sheet.lang) if rows is None else rows
    ):
        # bold text runs wider than the estimate: wrap criteria before the label width
        sheet.text(row, col["col.criterion"], criterion, kind="bold", max_width=LABEL_WIDTH - 10)
        if kind == "money":
            sheet.money(row, at, value)
        elif kind == "rate":
            sheet.rate(row, at, value)
        elif kind == "ratio":
            sheet.number(row, at, value, "ratio")
        else:
            sheet.text(row, at, value)
        if thresholds:
            sheet.text(row, col["col.threshold"], threshold, max_width=LABEL_WIDTH)
        sheet.status(row, col["col.readiness"], status)
        row += 1
    return row
