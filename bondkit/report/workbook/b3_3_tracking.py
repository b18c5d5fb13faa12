"""The campaign under way on B3.3 (``bondkit track``, issue #16): what was raised, where it
will end, what it takes and the three decisions the committee weighs (carry on or extend,
call the match funder or the underwriter, cancel), the observed path week by week beside
the forecast band, and the tracking chart.

Every figure is a run output (the forecast is a simulation, marked with its paths and
seed); the subscriptions seen are the rows read, not cancelled, at their amount.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from bondkit.labels import money_text, number_text, percent_text, t
from bondkit.report.workbook.kit import FIRST_ROW, VALUE_COL, Sheet, column_map, heading
from bondkit.runner.readiness import READINESS_THRESHOLDS, readiness_status

if TYPE_CHECKING:
    from pathlib import Path

    from bondkit.runner.tracking import Tracking

__all__ = ["write_tracking"]


def _chance(sheet: Sheet, row: int, col: int, p: float) -> None:
    """A chance of the minimum with its status beside it (the readiness grid's thresholds)."""
    ok, watch = READINESS_THRESHOLDS["p_minimum"]
    sheet.rate(row, col, p)
    sheet.status(row, col + 1, readiness_status(p, ok, watch))


def write_tracking(sheet: Sheet, chart: Path | None) -> tuple[int, list[int]]:
    """B3.3's first block when the run tracks a campaign under way: the row after it and
    the rows where a printed page should break.

    >>> import tempfile, pathlib
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner.tracking import track
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 300, "risk.paths": 200})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "subs.csv"
    ...     rows = [f"2016-11-{15 + i % 16},A,500" for i in range(30)]
    ...     _ = p.write_text("date,series,amount\\n" + "\\n".join(rows) + "\\n")
    ...     res = track(sc, as_of="2016-11-30", subscriptions=p, paths=1_000)
    >>> sheet = Book(res, None, "en").sheet("sheet.b3_3", "title.b3_3")  # held in memory
    >>> row, breaks = write_tracking(sheet, None)
    >>> row > breaks[0] > 30
    True
    """
    tr: Tracking = sheet.book.result.tracking
    lang = sheet.lang
    row = sheet.section(FIRST_ROW, "sec.track", date=tr.as_of, day=tr.elapsed, days=tr.days)
    n = number_text(tr.paths, lang)
    row = sheet.note(row, t("trk.note", lang).format(n=n, seed=tr.seed, source=tr.source))

    # where it stands and where it will end
    lines: list[tuple[str, Any]] = [
        ("trk.seen", lambda r: sheet.money(r, VALUE_COL, tr.seen_cents)),
        *[
            (f"trk.status.{s}", lambda r, s=s: sheet.money(r, VALUE_COL, tr.by_status[s]))
            for s in tr.by_status
        ],
        ("trk.subscribers", lambda r: sheet.number(r, VALUE_COL, tr.subscribers)),
        ("camp.minimum", lambda r: sheet.money(r, VALUE_COL, tr.minimum)),
        ("camp.target", lambda r: sheet.money(r, VALUE_COL, tr.target)),
    ]
    if tr.minimum_reached_on is not None:
        lines.append(("trk.reached_on", lambda r: sheet.date(r, VALUE_COL, tr.minimum_reached_on)))
    lines += [
        ("trk.p_minimum", lambda r: _chance(sheet, r, VALUE_COL, tr.p_minimum)),
        ("trk.p_target", lambda r: sheet.rate(r, VALUE_COL, tr.p_target)),
        ("trk.final_p50", lambda r: sheet.money(r, VALUE_COL, tr.final["p50"])),
        ("trk.final_p05", lambda r: sheet.money(r, VALUE_COL, tr.final["p05"])),
        ("trk.final_p95", lambda r: sheet.money(r, VALUE_COL, tr.final["p95"])),
    ]
    if tr.minimum_reached_on is None and tr.minimum_expected_on is not None:
        lines.append(
            ("trk.expected_on", lambda r: sheet.date(r, VALUE_COL, tr.minimum_expected_on))
        )
    lines += [
        ("trk.straight_line", lambda r: sheet.money(r, VALUE_COL, tr.straight_line)),
        ("trk.plan_p_minimum", lambda r: sheet.rate(r, VALUE_COL, tr.plan_p_minimum)),
        ("trk.plan_median", lambda r: sheet.money(r, VALUE_COL, tr.plan_median or 0)),
    ]
    for key, write in lines:
        write(sheet.kv(row, key))
        row += 1

    # what it takes
    row = sheet.section(row + 1, "sec.track_need", weeks=number_text(tr.weeks_left, lang, 1))
    keys = ("col.chance_sought", "col.money_week", "col.subs_week")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for key in tr.need_per_week:
        sheet.text(row, col["col.chance_sought"], percent_text(int(key[1:]) / 100, lang, 0))
        sheet.money(row, col["col.money_week"], tr.need_per_week[key])
        sheet.number(row, col["col.subs_week"], tr.subscriptions_per_week[key])
        row += 1
    row = sheet.note(row, t("trk.need_note", lang).format(
        pace=money_text(tr.pace_per_week, lang, sheet.book.currency)))  # fmt: skip

    # the three decisions
    row = sheet.section(row + 1, "sec.track_decide")
    keys = ("col.decision", "col.closes", "col.p_minimum", "col.grade", "col.median_raise")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])

    def option(text: str, closes: dt.date | None, p: float | None, median: int | None) -> None:
        nonlocal row
        sheet.text(row, col["col.decision"], text, kind="bold")
        if closes is not None:
            sheet.date(row, col["col.closes"], closes)
        if p is not None:
            _chance(sheet, row, col["col.p_minimum"], p)
        if median is not None:
            sheet.money(row, col["col.median_raise"], median)
        row += 1

    option(t("trk.carry_on", lang), tr.closes, tr.p_minimum, tr.final["p50"])
    for e in tr.extensions:
        text = t("trk.extend" if e.weeks > 1 else "trk.extend_one", lang).format(weeks=e.weeks)
        option(text, e.closes, e.p_minimum, e.median)
    option(t("trk.community_alone", lang), tr.closes, tr.p_community, None)
    if tr.p_with_match is not None:
        option(t("trk.with_match", lang), tr.closes, tr.p_with_match, None)
    option(t("trk.cancel", lang), None, None, None)
    sheet.text(row - 1, col["col.closes"], t("trk.cancel_what", lang).format(
        amount=money_text(tr.seen_cents, lang, sheet.book.currency), n=tr.subscribers), track=False)  # fmt: skip
    row = sheet.note(row, t("trk.decide_note", lang), chars=sheet.wide())

    # the observed path and the forecast band, week by week (a new printed page)
    breaks = [row + 1]
    row = sheet.section(row + 1, "sec.track_path")
    keys = ("col.week", "col.week_end", "col.subscribed", "col.paid", "col.fc_p05",
            "col.fc_p50", "col.fc_p95")  # fmt: skip
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    seen, band = tr.observed, tr.band
    for w, end in enumerate(range(6, tr.days + 6, 7), start=1):
        end = min(end, tr.days - 1)
        sheet.text(row, col["col.week"], t("week_n", lang).format(n=w))
        sheet.date(row, col["col.week_end"], tr.opens + dt.timedelta(days=end))
        if end < tr.elapsed:  # a week gone: what was seen
            sheet.money(row, col["col.subscribed"], int(seen["cumulative"].iloc[end]))
            sheet.money(row, col["col.paid"], int(seen["paid_cumulative"].iloc[end]))
        else:  # a week to come (or under way): the forecast
            if end - 6 < tr.elapsed:  # the week under way: what was seen so far
                sheet.money(row, col["col.subscribed"], int(seen["cumulative"].iloc[-1]))
                sheet.money(row, col["col.paid"], int(seen["paid_cumulative"].iloc[-1]))
            for key, q in (("col.fc_p05", "p05"), ("col.fc_p50", "p50"), ("col.fc_p95", "p95")):
                sheet.money(row, col[key], int(band[q].iloc[end]))
        row += 1
    row = sheet.note(row, t("trk.path_note", lang), chars=sheet.wide())
    if chart is not None:
        row = sheet.pictures(row + 1, [chart], per_row=1)
    breaks.append(row + 1)
    return row + 1, breaks
