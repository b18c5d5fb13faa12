"""The B2 Readiness sheet: the readiness grid of booklet 2 in one, its tally first (how
many criteria are met), then its three parts with the same columns: financial capacity
(with a capacity or risk analysis), community capacity (with a campaign) and the criteria
the enterprise assesses itself (``[readiness]``: governance, approval, community base,
staff and volunteers, financial history, project maturity, accompaniment). Each row has
its value, its threshold (:data:`~bondkit.runner.readiness.READINESS_THRESHOLDS`, the
levels of :mod:`bondkit.core.readiness`) and a status shown as a word and a colour. Then
what each level of the self-assessed criteria means, what the scenario can add, and the
scenario inputs. The Summary shows the same rows through :func:`readiness_grid`.
"""

from __future__ import annotations

from typing import Any

from bondkit.core.readiness import READINESS_CRITERIA, READINESS_LEVELS, UNANSWERED
from bondkit.labels import number_text, t
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    LABEL_WIDTH,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
)
from bondkit.runner.readiness import (
    STATUSES,
    community_rows,
    financial_rows,
    readiness_counts,
    self_assessed_rows,
)

__all__ = ["write_readiness", "readiness_grid", "readiness_tally", "readiness_levels"]

#: the width (characters) at which the words of a level wrap in the table of levels
_LEVEL_WIDTH = 26.0


def write_readiness(sheet: Sheet) -> None:
    """The readiness grid: its tally, financial capacity (with [capacity] or [risk]),
    community capacity (with a campaign), the self-assessed criteria ([readiness]) and
    what their levels mean, then what the scenario can add and the scenario inputs.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b2", "title.b2")
    >>> write_readiness(sheet)
    >>> sheet.ws.name, sheet.last_row
    ('B2 Readiness', 46)
    """
    res, lang = sheet.book.result, sheet.lang
    issuer = res.scenario.issuer
    financial = res.capacity is not None or res.risk is not None
    words = {k: t(f"status.{k}", lang) for k in (*STATUSES, "na", UNANSWERED)}
    row = readiness_tally(sheet, FIRST_ROW) + 1
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
    row = sheet.section(row, "sec.self_assessed")
    row = readiness_grid(sheet, row, rows=self_assessed_rows(res, lang))
    row = sheet.note(row + 1, t("ready.assessed_note", lang).format(**words))
    if res.scenario.readiness is None:
        row = sheet.note(row, t("ready.assessed_hint", lang))
    row = readiness_levels(sheet, row + 1) + 1
    hints = tuple(
        key
        for key, missing in (
            ("hint.capacity", res.capacity is None),
            ("hint.risk", res.risk is None),
            ("hint.campaign", res.campaign is None),
        )
        if missing
    )
    if hints:  # the criteria the scenario's other tables would add to the grid
        row = sheet.section(row, "sec.more_criteria")
        for hint in hints:
            row = sheet.note(row, t(hint, lang))
        row += 1
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


def readiness_tally(sheet: Sheet, row: int, here: bool = True) -> int:
    """How many criteria of the grid apply and how many have each status; the next row.

    ``here``: the grid follows on this sheet (B2); else its note points to B2 for the
    thresholds (the Summary).

    >>> from bondkit.report.workbook.kit import FIRST_ROW, Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b2", "title.b2")
    >>> FIRST_ROW, readiness_tally(sheet, FIRST_ROW)  # the section, the tally, its note
    (3, 6)
    """
    lang = sheet.lang
    counts = readiness_counts(sheet.book.result)
    words = {f"{k}_word": t(f"status.{k}", lang) for k in (*STATUSES, UNANSWERED)}
    row = sheet.section(row, "sec.readiness_tally")
    tally = t("ready.tally", lang).format(n=counts["criteria"], **counts, **words)
    sheet.text(row, 0, tally, kind="bold", track=False)
    if here:
        note = t("ready.tally_note", lang).format(ok=words["ok_word"])
    else:
        note = t("ready.tally_note_sheet", lang).format(
            ok=words["ok_word"], sheet=t("sheet.b2", lang)
        )
    return sheet.note(row + 1, note)


def readiness_levels(sheet: Sheet, row: int) -> int:
    """What each level of the self-assessed criteria means, criterion by criterion (the
    level the scenario answers in bold); the next row.

    >>> from bondkit.report.workbook.kit import FIRST_ROW, Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b2", "title.b2")
    >>> readiness_levels(sheet, FIRST_ROW)  # the section, the header, seven criteria
    12
    """
    lang = sheet.lang
    answers = sheet.book.result.scenario.readiness_terms()
    given = dict(answers.answers()) if answers is not None else {}
    row = sheet.section(row, "sec.readiness_levels")
    heads = [
        t("readiness.answer", lang).format(level=n, word=t(f"readiness.level.{n}", lang))
        for n in READINESS_LEVELS
    ]
    row = sheet.header(row, 0, [t("col.criterion", lang), *heads])
    for criterion in READINESS_CRITERIA:
        label = t(f"readiness.{criterion}", lang)
        sheet.text(row, 0, label, kind="bold", max_width=LABEL_WIDTH - 10)
        for col, n in enumerate(READINESS_LEVELS, start=1):
            kind = "bold" if given.get(criterion) == n else "text"
            words = t(f"readiness.{criterion}.{n}", lang)
            sheet.text(row, col, words, kind=kind, max_width=_LEVEL_WIDTH)
        row += 1
    return row


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
