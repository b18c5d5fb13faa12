"""The Summary sheet (Sommaire), first of the workbook: the answer first.

1. A banner formula, empty while the inputs are those bondkit ran with, that warns in the
   workbook's language as soon as one differs ("relancez bondkit").
2. The four questions of :mod:`bondkit.runner.answers` (Can we raise it? Can we afford
   it? What does it cost? What could go wrong?), each with its figure, a status (word and
   colour) and bondkit's sentence. Figures and statuses that follow from the inputs are
   formulas (the status coloured by conditional formats on its word); what only a run
   computes (the simulated chance of reaching the minimum or of a shortfall) is a value in
   the run-output style.
3. The legend of the three cell styles: input, formula, run output (with the seed).
4. The key figures (:data:`bondkit.runner.figures.SHEET_FIGURES`), each a formula on the
   cell of B3.2 or B3.4 that computes it (:attr:`Book.refs`) or a run output.
5. The series side by side (the essentials: repayment, amount, rate, maturity, interest;
   their detail is on B3.2), the tally of the readiness grid (how many criteria are met)
   and its rows (the self-assessed ones when the scenario answers them), the charts, and
   the check of the inputs: each input's value now beside its value at the run.

Printed, the Summary is one landscape page wide at full size or nearly: its tables are a
few columns wide and its charts, two by row, share the width of those columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bondkit.labels import t
from bondkit.report.workbook.b2_readiness import readiness_grid, readiness_tally
from bondkit.report.workbook.formulas import cell
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
    text_literal,
)
from bondkit.report.workbook.pieces import series_table, totals
from bondkit.runner.answers import COST_SPREAD, answers
from bondkit.runner.figures import FIGURES, SHEET_FIGURES
from bondkit.runner.readiness import READINESS_THRESHOLDS, financial_rows, self_assessed_rows

__all__ = ["write_summary", "BANNER_ROW"]

#: the row of the banner (0-based), under the title and the scenario's name
BANNER_ROW = 2
#: the simulated figures: values of the run, in the run-output style
_SIMULATED = {
    "expected_raised",
    "p_minimum_reached",
    "p_minimum_reached_by_community",
    "p_shortfall",
    "recommended_reserve",
}


def write_summary(sheet: Sheet, charts: dict[str, Path]) -> None:
    """The Summary: banner, four questions, legend, key figures, series, readiness rows,
    ``charts`` (chart name -> PNG path, two by row), then the check of the inputs. Written
    after B3.2 and B3.4, whose cells its formulas use (:func:`writing_order`).

    >>> from bondkit.report.workbook.b3_2_design import write_design
    >>> from bondkit.report.workbook.b3_4_management import write_management
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheets = [book.sheet(k, "title." + k[6:]) for k in ("sheet.summary", "sheet.b3_2", "sheet.b3_4")]
    >>> write_management(sheets[2], {}); write_design(sheets[1]); write_summary(sheets[0], {})
    >>> sheets[0].ws.name, book.refs["total_interest"]
    ('Summary', "'B3.4 Management'!$E$35")
    """
    book = sheet.book
    res, lang = book.result, sheet.lang
    sc = res.scenario
    sheet.ws.freeze_panes(BANNER_ROW + 1, 0)
    row = _answers(sheet, FIRST_ROW)
    row = _legend(sheet, row + 1)

    row = sheet.section(row + 1, "sec.key_figures")
    for key, write in (
        ("scenario", lambda r: sheet.text(r, VALUE_COL, sc.name)),
        ("issuer", lambda r: sheet.text(r, VALUE_COL, sc.issuer.name)),
        (
            "legal_form",
            lambda r: sheet.text(r, VALUE_COL, t(f"legal_form.{sc.issuer.legal_form}", lang)),
        ),
        ("currency", lambda r: sheet.text(r, VALUE_COL, sc.currency)),
        *(
            (f.label, lambda r, f=f: _figure(sheet, r, f.key))
            for f in (FIGURES[key] for key in SHEET_FIGURES)
            if f.part is None or getattr(res, f.part) is not None
        ),
    ):
        write(sheet.kv(row, key))
        row += 1

    # the series: the essentials only (their detail, from the number of bonds to the
    # durations, is on B3.2), so that the Summary stays a few columns wide
    row = sheet.section(row + 1, "sec.series")
    sr = res.series_results

    def _c_total_interest(s, r, c, terms):
        s.money(r, c, sr[terms.id].total_interest)

    def _c_amount(s, r, c, terms):
        s.formula(r, c, f"={book.names[terms.id][0]}", terms.amount_cents)

    def _c_rate(s, r, c, terms):
        s.formula(r, c, f"={book.names[terms.id][1]}", float(terms.annual_rate), "rate")

    keys = (
        "series",
        "col.repayment",
        "col.amount",
        "annual_rate",
        "col.maturity",
        "col.total_interest",
    )
    own = {
        "col.amount": _c_amount,
        "annual_rate": _c_rate,
        "col.total_interest": _c_total_interest,
    }
    row = series_table(sheet, row, keys, own)
    row = totals(
        sheet,
        row,
        keys,
        {
            "col.amount": ("money", res.total_principal),
            "col.total_interest": ("money", res.total_interest),
        },
    )
    row = readiness_tally(sheet, row + 1, here=False)  # how many criteria of B2's grid are met
    if res.capacity is not None or res.risk is not None:
        row = sheet.section(row + 1, "sec.financial")
        row = readiness_grid(
            sheet, row, thresholds=False, rows=financial_rows(sheet.book.result, sheet.lang)
        )
    if res.campaign is not None:
        row = sheet.section(row + 1, "sec.community")
        row = readiness_grid(sheet, row, thresholds=False)
    if res.scenario.readiness is not None:  # the enterprise's own answers, when it gave some
        row = sheet.section(row + 1, "sec.self_assessed")
        rows = self_assessed_rows(res, lang)
        row = readiness_grid(sheet, row, thresholds=False, rows=rows)
    if charts:
        if len(charts) > 2:  # two rows of pictures: together on a page of their own
            sheet.ws.set_h_pagebreaks([row + 1])
        row = sheet.section(row + 1, "sec.charts")
        row = sheet.pictures(row, list(charts.values()))
    _inputs_check(sheet, row + 1)


def _figure(sheet: Sheet, row: int, key: str) -> None:
    """Key figure ``key`` in column B: a formula on the cell that computes it, or the
    run's value (in the run-output style when simulated)."""
    book = sheet.book
    f = FIGURES[key]
    value = f.value(book.result)
    ref = book.refs.get(key)
    if ref and key not in _SIMULATED:
        _live(sheet, row, VALUE_COL, "=" + ref, f.kind, value, f.missing)
        return
    if key in _SIMULATED and value is not None:
        _run_value(sheet, row, VALUE_COL, f.kind, value)
        sheet.overflow(row, VALUE_COL + 1, t("legend.run_seed", sheet.lang).format(seed=book.result.scenario.seed), kind="note")  # fmt: skip
        return
    sheet.figure(row, VALUE_COL, f.kind, value, f.missing)


def _live(sheet: Sheet, row: int, col: int, formula: str, kind: str, value: Any, missing: str) -> None:  # fmt: skip
    """A formula with bondkit's value cached (the words of ``missing`` when None)."""
    if value is None:
        fmt = sheet.book.fmt("ratio" if kind == "ratio" else kind)
        sheet.ws.write_formula(row, col, formula, fmt, t(missing, sheet.lang))
        sheet.fit(row, col, 12)
    elif kind in ("money", "rate", "percent", "ratio", "int"):
        sheet.formula(row, col, formula, value, kind)
    elif kind == "count":
        sheet.formula(row, col, formula, value, "int")
    else:
        sheet.figure(row, col, kind, value, missing)


def _run_value(sheet: Sheet, row: int, col: int, kind: str, value: Any) -> None:
    """A run output: the value in the run-output style."""
    fmt = sheet.book.fmt(kind if kind != "count" else "int", run=True)
    sheet.ws.write_number(row, col, value / 100 if kind == "money" else value, fmt)
    sheet.fit(row, col, 14)


# ---------------------------------------------------------------- the four questions


def _answers(sheet: Sheet, row: int) -> int:
    """The four questions: question, figure, status, then bondkit's sentence; next row."""
    book = sheet.book
    res, lang = book.result, sheet.lang
    row = sheet.section(row, "sec.answers")
    keys = ("col.question", "col.answer", "col.readiness")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    words = {s: t(f"status.{s}", lang) for s in ("ok", "watch", "risk", "na")}
    lit = {s: text_literal(w) for s, w in words.items()}
    for a in answers(res, lang):
        sheet.text(row, col["col.question"], a.question, kind="bold")
        fig, status = _answer_cells(sheet, a.key, lit)
        at = col["col.answer"]
        if fig is None:
            sheet.text(row, at, a.figure)
        elif fig[0] == "run":
            _run_value(sheet, row, at, "percent", fig[1])  # as the sentence: 2 decimals
        else:
            _live(sheet, row, at, fig[1], fig[2], fig[3], "not_applicable")
        if status is None:
            sheet.status(row, col["col.readiness"], a.status)
        else:
            sheet.live_status(
                row, col["col.readiness"], status.format(x=cell(row, at)), words[a.status],
                {w: st for st, w in words.items()},
            )  # fmt: skip
        row = sheet.note(row + 1, a.sentence)
    return row


def _answer_cells(sheet: Sheet, key: str, lit: dict[str, str]):
    """(figure, status formula) of a question: the figure as ("run", value) or
    ("live", formula, kind, value), None when it does not apply; the status formula with
    ``{x}`` for the figure's cell, None when the status is fixed."""
    book = sheet.book
    res = book.result
    refs = book.refs
    grade = f"CHOOSE({{sev}}+1,{lit['na']},{lit['ok']},{lit['watch']},{lit['risk']})"
    if key == "raise":
        if res.campaign is None:
            return None, None
        ok, watch = READINESS_THRESHOLDS["p_minimum"]
        tr = res.tracking  # a campaign under way: its chance by the close
        p = res.campaign.p_minimum_reached if tr is None else tr.p_minimum
        return ("run", p), (
            f"=IF({{x}}>={ok},{lit['ok']},IF({{x}}>={watch},{lit['watch']},{lit['risk']}))"
        )
    if key == "afford":
        cap = res.capacity
        if cap is None:
            return None, None
        thr = refs["threshold"]
        mat = refs.get("maturity_coverage", "")
        cov_sev = f"IF(ISNUMBER({{x}}),IF({{x}}>={thr},1,IF({{x}}>=MIN(1,{thr}),2,3)),0)"
        lacking = (
            f"COUNTIF({refs['coverage_status']},{text_literal(t('cap.no_capacity', sheet.lang))})"
        )
        if refs.get("sizing_available"):
            lacking += f'+COUNTIF({refs["sizing_available"]},"<=0")'
        parts = [f"IF({lacking}>0,3,{cov_sev})"]
        if mat and not mat.startswith('"'):
            high, low = READINESS_THRESHOLDS["maturity_coverage"]
            parts.append(f"IF(ISNUMBER({mat}),IF({mat}>={high},1,IF({mat}>={low},2,3)),0)")
        parts.append(f"IF({refs['max_debt_level_payment']}>={refs['total_principal']},1,2)")
        sev = f"MAX({','.join(parts)})"
        figure = ("live", "=" + refs["min_dscr"], "ratio", cap.min_dscr)
        return figure, "=" + grade.format(sev=sev)
    if key == "cost":
        amounts, rates = book.name("name.amounts"), book.name("name.rates")
        coupon = f"SUMPRODUCT({amounts},{rates})/SUM({amounts})"
        ok, watch = COST_SPREAD
        sev = f"IF(ISNUMBER({{x}}),IF({{x}}-{coupon}<={ok},1,IF({{x}}-{coupon}<={watch},2,3)),0)"
        figure = ("live", "=" + refs["issuer_all_in_cost"], "percent", res.issuer_all_in_cost)
        return figure, "=" + grade.format(sev=sev)
    risk = res.risk
    if risk is None or risk.p_shortfall is None:
        return None, None
    level = risk.terms.shortfall_level
    ok, watch = (level * m for m in READINESS_THRESHOLDS["p_shortfall"])
    return ("run", risk.p_shortfall), (
        f"=IF({{x}}<={ok!r},{lit['ok']},IF({{x}}<={watch!r},{lit['watch']},{lit['risk']}))"
    )


def _legend(sheet: Sheet, row: int) -> int:
    """The legend of the cell styles: input, formula, run output (with the seed)."""
    book = sheet.book
    lang = sheet.lang
    row = sheet.section(row, "sec.legend")
    seed = book.result.scenario.seed
    for fmt, sample, text in (
        (book.fmt("text", inp=True), t("legend.input", lang), t("legend.input_text", lang)),
        (book.fmt("text"), t("legend.formula", lang), t("legend.formula_text", lang)),
        (
            book.fmt("text", run=True),
            t("legend.run", lang),
            t("legend.run_text", lang).format(seed=seed),
        ),  # fmt: skip
    ):
        sheet.ws.write_string(row, 0, sample, fmt)
        sheet.fit(row, 0, len(sample) + 4)
        sheet.overflow(row, 1, text, kind="note")
        row += 1
    return row


def _inputs_check(sheet: Sheet, row: int) -> None:
    """Each input now beside its value at the run, and the banner that compares them."""
    book = sheet.book
    lang = sheet.lang
    row = sheet.section(row, "sec.inputs_check")
    row = sheet.note(row, t("check.note", lang))
    keys = ("col.input", "col.now", "col.at_run", "col.same")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    first = row
    for what, ref, value, kind in book.inputs:
        sheet.text(row, col["col.input"], what)
        money = kind == "money"
        cached = round(value * 100) if money else value
        sheet.formula(row, col["col.now"], f"={ref}", cached, kind)
        if money:
            sheet.money(row, col["col.at_run"], round(value * 100))
        elif kind == "rate":
            sheet.rate(row, col["col.at_run"], value)
        else:
            sheet.number(row, col["col.at_run"], value, "ratio")
        now, then = cell(row, col["col.now"]), cell(row, col["col.at_run"])
        sheet.ws.write_formula(row, col["col.same"], f"={now}={then}", book.fmt("text"), True)
        row += 1
    same = f"{cell(first, col['col.same'], True)}:{cell(row - 1, col['col.same'], True)}"
    banner = f'=IF(COUNTIF({same},FALSE)=0,"",{text_literal(t("banner.stale", lang))})'
    sheet.ws.write_formula(BANNER_ROW, 0, banner, book.fmt("banner"), "")
