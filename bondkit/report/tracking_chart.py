"""The chart of the campaign under way (``bondkit track``, issue #16): the amount
subscribed so far, day by day, over the forecast band to the close, with the minimum and
the target, the straight line and the plan's median before the campaign as baselines.

Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np

from bondkit.labels import money_text, number_text, percent_text, t
from bondkit.report.chartkit import (
    BAND_COLOUR,
    legend_below,
    level_lines,
    lighter,
    money_axis,
    new_axes,
    note_box,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from bondkit.runner import Result
    from bondkit.runner.tracking import Tracking

__all__ = ["tracking_chart", "TRACKING_CHARTS"]

#: the observed path, the straight line and the plan's median
_SEEN, _LINE, _PLAN = "#000000", "#777777", "#999999"


def _tracking_of(result: Result, lang: str) -> Tracking:
    if result.tracking is None:
        raise ValueError(t("chart.no_tracking", lang))
    return result.tracking


def tracking_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """The amount subscribed so far over the forecast band to the close.

    The rows seen (not cancelled, at their amount) as a step line from the opening to the
    day they were read, and the paid ones beneath it; from that day to the close the band
    of the forecast's paths (5th-95th percentile lightly shaded, 25th-75th darker, the
    median dashed); the straight line at the pace seen (up to the cap); the
    plan's median before the campaign, dotted; the minimum and the target as horizontal
    lines; a vertical line on the day read. A box gives the chance of the minimum and of
    the target by the close. Amounts are in currency units.

    Cinéma du Parc's campaign 16 days in, 30 subscriptions of 1,000 $ paid (the straight
    line, 146,250 $, stops at the cap of 100,000 $):

    >>> import tempfile, pathlib
    >>> from matplotlib.figure import Figure
    >>> from bondkit.runner.tracking import track
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 300, "risk.paths": 200})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "subs.csv"
    ...     rows = [f"2016-11-{15 + i % 16},A,1000" for i in range(30)]
    ...     _ = p.write_text("date,series,amount\\n" + "\\n".join(rows) + "\\n")
    ...     res = track(sc, as_of="2016-11-30", subscriptions=p, paths=1_000)
    >>> ax = tracking_chart(res, "en", ax=Figure().add_subplot())
    >>> print(ax.get_title())
    The campaign under way: subscribed so far and forecast to the close
    Read on 2016-11-30, day 16 of 78 · 1,000 forecast paths, seed 2016
    >>> [line.get_label() for line in ax.lines][:4]
    ['Subscribed so far', 'Paid', 'Forecast median', 'Straight line $100,000.00']
    """
    lang = lang or result.scenario.language
    tr = _tracking_of(result, lang)
    currency = result.scenario.currency
    ax = ax if ax is not None else new_axes()
    band, seen = tr.band, tr.observed
    x = mdates.date2num(list(band["date"]))
    k = max(tr.elapsed - 1, 0)  # the band starts on the day read

    def q(name: str) -> np.ndarray:
        return band[name].to_numpy(dtype=float)[k:] / 100.0

    xs = mdates.date2num(list(seen["date"]))
    ax.step(xs, seen["cumulative"].to_numpy() / 100.0, where="post", color=_SEEN,
            linewidth=2.2, label=t("chart.track.seen", lang))  # fmt: skip
    ax.step(xs, seen["paid_cumulative"].to_numpy() / 100.0, where="post", color=_SEEN, linewidth=1.0,
            linestyle=(0, (1, 1.5)), label=t("chart.track.paid", lang))  # fmt: skip
    ax.fill_between(x[k:], q("p05"), q("p95"), color=lighter(BAND_COLOUR, 0.78), linewidth=0,
                    label=t("chart.track.band_90", lang))  # fmt: skip
    ax.fill_between(x[k:], q("p25"), q("p75"), color=lighter(BAND_COLOUR, 0.45), linewidth=0,
                    label=t("chart.track.band_50", lang))  # fmt: skip
    ax.plot(x[k:], q("p50"), color=BAND_COLOUR, linewidth=2.0, linestyle="--",
            label=t("chart.track.median", lang))  # fmt: skip
    if tr.elapsed > 0:
        line = t("chart.track.straight_line", lang).format(
            amount=money_text(tr.straight_line, lang, currency)
        )
        pace = tr.seen_cents * (np.arange(len(x)) + 1) / tr.elapsed  # the pace seen, to the cap
        ax.plot(x, np.minimum(pace, tr.cap) / 100.0, color=_LINE, linewidth=1.0,
                linestyle=(0, (6, 3)), label=line)  # fmt: skip
    if result.campaign is not None:
        plan = result.campaign.simulation.band
        px = mdates.date2num([d.date() if isinstance(d, dt.datetime) else d for d in plan["date"]])
        ax.plot(px, plan["p50"].to_numpy(dtype=float) / 100.0, color=_PLAN, linewidth=1.2,
                linestyle=":", label=t("chart.track.plan", lang))  # fmt: skip
    level_lines(ax, {"chart.minimum": tr.minimum, "chart.target": tr.target}, lang, currency)
    today = mdates.date2num(tr.as_of)
    ax.axvline(today, color="#333333", linewidth=0.8)
    ax.text(today, 0, " " + t("chart.track.as_of", lang).format(date=tr.as_of), fontsize=8,
            color="#333333", va="bottom", ha="left")  # fmt: skip
    note_box(
        ax,
        (
            t("chart.track.p_minimum", lang).format(p=percent_text(tr.p_minimum, lang, 0)),
            t("chart.track.p_target", lang).format(p=percent_text(tr.p_target, lang, 0)),
        ),
    )
    top = max(float(band["p95"].max()), tr.target, tr.straight_line, tr.seen_cents) / 100.0
    ax.set_ylim(0, top * 1.25)  # head room for the box above the target
    ax.set_xlim(x[0], x[-1])
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.set_xlabel(t("chart.date_axis", lang))
    subtitle = t("chart.track.subtitle", lang).format(
        date=tr.as_of, day=tr.elapsed, days=tr.days, n=number_text(tr.paths, lang), seed=tr.seed
    )
    ax.set_title(f"{t('chart.track.title', lang)}\n{subtitle}")
    money_axis(ax, lang, currency)
    legend_below(ax, 2)
    return ax


#: the chart added when the result tracks a campaign under way
TRACKING_CHARTS = {"tracking": tracking_chart}
