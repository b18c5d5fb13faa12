"""Charts of a run, with matplotlib's Figure API (no pyplot state).

Each chart function takes a :class:`~bondkit.runner.Result`, a language and an optional
Axes, draws on it (on a new :class:`~matplotlib.figure.Figure` when ``ax`` is None) and
returns the Axes, so a notebook user can place charts in their own figures.
:func:`save_charts` writes the charts as PNG and SVG (the debt service and the balance;
with a subscription campaign also the campaign band and the distribution of the amount
raised; with a capacity analysis the coverage chart; with a risk analysis the fan of
principal paid out; tracking a campaign under way, the chart of
:mod:`bondkit.report.tracking_chart`); the files are byte-identical from one run to the next (fixed SVG
hash salt, no dates in the metadata).

Every word comes from :mod:`bondkit.labels` or :mod:`bondkit.columns`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bondkit.columns import label
from bondkit.core.conventions import fiscal_year
from bondkit.labels import check_language, number_text, percent_text, t
from bondkit.report.chartkit import (
    BAND_COLOUR,
    FORMATS,
    chart_formats,
    legend_below,
    legend_place,
    level_lines,
    lighter,
    money_axis,
    new_axes,
    note_box,
    pyplot_axes,
    series_colour,
)
from bondkit.report.drawers import run_chart_names, save_figures
from bondkit.report.tracking_chart import TRACKING_CHARTS, tracking_chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from bondkit.models.campaign import CampaignResult
    from bondkit.models.capacity import CapacityResult
    from bondkit.models.risk import RiskResult
    from bondkit.runner import Result

__all__ = [
    "CHARTS",
    "CAMPAIGN_CHARTS",
    "debt_service_chart",
    "balance_chart",
    "campaign_chart",
    "raised_chart",
    "coverage_chart",
    "redemption_fan_chart",
    "CAPACITY_CHARTS",
    "RISK_CHARTS",
    "result_charts",
    "run_charts",
    "save_charts",
    "plot",
]


#: the most entries a legend at the right of a chart lists; the rest are counted
MAX_LEGEND_ENTRIES = 11


def _legend(ax: Axes, lang: str) -> None:
    """The legend at the right: at most :data:`MAX_LEGEND_ENTRIES` entries, then a line
    that counts the others (an issue of many series keeps a readable chart)."""
    handles, names = ax.get_legend_handles_labels()
    if len(handles) > MAX_LEGEND_ENTRIES:
        keep = MAX_LEGEND_ENTRIES - 1
        more = len(handles) - keep
        blank = Rectangle((0, 0), 0, 0, fill=False, edgecolor="none")
        handles = [*handles[:keep], blank]
        names = [*names[:keep], t("chart.more_entries", lang).format(n=more)]
    ax.legend(handles, names, frameon=False, **legend_place(ax, "right"))


def debt_service_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Debt service by fiscal year: bars stacked by series, principal then interest.

    Every fiscal year from the first issue to the last payment has a place on the axis
    (years without payments, as before an accumulating series matures, stay empty).

    Each series has its own colour; principal is the full colour, interest a lighter
    shade with hatching. Heights are in currency units (cents / 100), so the bars of a
    year add up to that year's debt service in ``result.fiscal``.

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027.
    Its bars add up to 5 x 4,000 $ of interest and the 100,000 $ of principal:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = debt_service_chart(result, ax=fig.add_subplot())
    >>> ax.get_title(), round(sum(bar.get_height() for bar in ax.patches))
    ('Debt service by fiscal year', 120000)
    >>> debt_service_chart(result, "fr", ax=fig.add_subplot()).get_title()
    'Service de la dette par exercice'
    """
    lang = lang or result.scenario.language
    ax = ax if ax is not None else new_axes()
    fb = result.fiscal_by_series
    fye = result.scenario.issuer.fiscal_year_end
    first = min(fiscal_year(x.issue_date, fye) for x in result.series)
    years = np.arange(min(first, int(fb["fiscal_year"].min())), int(fb["fiscal_year"].max()) + 1)
    bottom = np.zeros(len(years))
    for k, terms in enumerate(result.series):
        own = fb.loc[fb["series"] == terms.id, ["fiscal_year", "interest", "principal"]]
        own = own.set_index("fiscal_year").reindex(years, fill_value=0)
        colour = series_colour(k)
        for key, shade, hatch, name in (
            ("principal", mpl.colors.to_rgb(colour), None, "chart.principal_of"),
            ("interest", lighter(colour), "////", "chart.interest_of"),
        ):
            heights = own[key].to_numpy(dtype=float) / 100.0
            ax.bar(
                years,
                heights,
                width=0.7,
                bottom=bottom,
                color=shade,
                edgecolor=colour,
                linewidth=0.0,
                hatch=hatch,
                label=t(name, lang).format(series=terms.id),
            )
            bottom = bottom + heights
    ax.set_xlabel(label("fiscal_year", lang))
    if len(years) <= 16:
        ax.set_xticks(years)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: str(int(round(v)))))
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_title(t("chart.debt_service.title", lang))
    money_axis(ax, lang, result.scenario.currency)
    _legend(ax, lang)
    return ax


def _balance_steps(result: Result) -> tuple[list[dt.date], np.ndarray]:
    """A common date grid and the principal outstanding of each series on it [currency].

    Row k is series k; the value at grid date d holds from d until the next grid date:
    zero before the issue date, the amount from the issue date, then each payment's
    closing balance from its payment date.
    """
    sched = result.schedule
    events: list[list[tuple[dt.date, int]]] = []
    for terms in result.series:
        own = sched[sched["series"] == terms.id]
        ev = [(terms.issue_date, int(own["opening_balance"].iloc[0]))]
        ev += [(d.date(), int(c)) for d, c in zip(own["date"], own["closing_balance"], strict=True)]
        events.append(ev)
    grid = sorted({d for ev in events for d, _ in ev})
    values = np.zeros((len(events), len(grid)))
    for k, ev in enumerate(events):
        it, current = 0, 0
        for j, d in enumerate(grid):
            while it < len(ev) and ev[it][0] <= d:
                current = ev[it][1]
                it += 1
            values[k, j] = current / 100.0
    return grid, values


def balance_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Principal outstanding over time: step areas stacked by series, with the total on top.

    Balances change on payment dates only (a step from each date to the next); the top
    line is the issue's total principal outstanding. Principal only: interest accrued on
    accumulating series is not included (as ``result.fiscal["outstanding"]``). Amounts
    are in currency units.

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = balance_chart(result, ax=fig.add_subplot())
    >>> ax.get_title(), ax.get_legend_handles_labels()[1]
    ('Principal outstanding by series', ['Series A', 'Total outstanding'])
    >>> float(max(ax.lines[0].get_ydata()))  # the 100,000 $ issued
    100000.0
    """
    lang = lang or result.scenario.language
    ax = ax if ax is not None else new_axes()
    grid, values = _balance_steps(result)
    x = mdates.date2num(grid)
    lower = np.zeros(len(grid))
    for k, terms in enumerate(result.series):
        upper = lower + values[k]
        ax.fill_between(
            x,
            lower,
            upper,
            step="post",
            color=lighter(series_colour(k), 0.3),
            edgecolor=series_colour(k),
            linewidth=0.6,
            label=t("series_n", lang).format(series=terms.id),
        )
        lower = upper
    ax.step(
        x,
        lower,
        where="post",
        color="#222222",
        linewidth=1.4,
        label=t("chart.total_outstanding", lang),
    )
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(t("chart.date_axis", lang))
    ax.set_title(t("chart.balance.title", lang))
    money_axis(ax, lang, result.scenario.currency)
    _legend(ax, lang)
    return ax


# ---------------------------------------------------------------- the subscription campaign


def _campaign_of(result: Result, lang: str) -> CampaignResult:
    if result.campaign is None:
        raise ValueError(t("chart.no_campaign", lang))
    return result.campaign


def _subtitle(campaign: CampaignResult, lang: str) -> str:
    sim = campaign.simulation
    return t("chart.simulated", lang).format(n=number_text(sim.n, lang), seed=sim.seed)


def _level_lines(ax: Axes, result: Result, lang: str, vertical: bool) -> None:
    """The minimum, the target and (when above the target) the cap, each named on its line."""
    sim = _campaign_of(result, lang).simulation
    levels = {"chart.minimum": sim.minimum, "chart.target": sim.target}
    if sim.cap > sim.target:
        levels["chart.cap"] = sim.cap
    level_lines(ax, levels, lang, result.scenario.currency, vertical)


def campaign_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Cumulative subscriptions over the campaign window, across the simulated campaigns.

    For each day (dates on the x axis), the band of the cumulative amount subscribed
    (capped at the cap): 5th to 95th percentile lightly shaded, 25th to 75th darker, the
    median as a line (``simulation.band``, cents / 100). Horizontal lines mark the minimum
    and the target (and the cap when above the target), named in the legend.

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027,
    with a 75-day campaign among 2,000 members (200 simulated campaigns, to be quick):

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> sc = starter_scenario().with_changes(campaign={
    ...     "opens": dt.date(2026, 11, 1), "closes": dt.date(2027, 1, 14),
    ...     "minimum": 50_000, "target": 100_000, "simulations": 200,  # few: fast
    ...     "segments": [{"name": "Members", "people": 2_000, "reached": 0.8,
    ...                   "supporting": 0.5, "conversion": 0.1, "ticket_median": 1_000}]})
    >>> result = run(sc)
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = campaign_chart(result, ax=fig.add_subplot())
    >>> print(ax.get_title())
    Cumulative subscriptions during the campaign
    200 simulated campaigns, seed 0
    >>> [line.get_label() for line in ax.lines]
    ['Median', 'Minimum raise $50,000.00', 'Target $100,000.00']
    """
    lang = lang or result.scenario.language
    campaign = _campaign_of(result, lang)
    ax = ax if ax is not None else new_axes()
    band = campaign.simulation.band
    x = mdates.date2num([d.date() for d in band["date"]])

    def q(name: str) -> np.ndarray:
        return band[name].to_numpy(dtype=float) / 100.0

    ax.fill_between(
        x,
        q("p05"),
        q("p95"),
        color=lighter(BAND_COLOUR, 0.78),
        linewidth=0,
        label=t("chart.band_90", lang),
    )
    ax.fill_between(
        x,
        q("p25"),
        q("p75"),
        color=lighter(BAND_COLOUR, 0.45),
        linewidth=0,
        label=t("chart.band_50", lang),
    )
    ax.plot(x, q("p50"), color=BAND_COLOUR, linewidth=2.0, label=t("chart.median", lang))
    _level_lines(ax, result, lang, vertical=False)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.set_xlabel(t("chart.date_axis", lang))
    ax.set_title(f"{t('chart.campaign.title', lang)}\n{_subtitle(campaign, lang)}")
    money_axis(ax, lang, result.scenario.currency)
    legend_below(ax, 2)
    return ax


def raised_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Distribution of the amount raised from the community over the simulated campaigns.

    A histogram (40 bins from zero to the cap or the largest amount) whose bar heights are
    shares of the campaigns (they add up to 1); a cancelled campaign counts as zero.
    Vertical lines mark the minimum and the target (and the cap when above the target);
    a box gives the chance of reaching the minimum, with the match and the underwriter and
    from the community alone. Amounts on the x axis are in currency units.

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027,
    with a 75-day campaign among 2,000 members (200 simulated campaigns, to be quick):

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> sc = starter_scenario().with_changes(campaign={
    ...     "opens": dt.date(2026, 11, 1), "closes": dt.date(2027, 1, 14),
    ...     "minimum": 50_000, "target": 100_000, "simulations": 200,  # few: fast
    ...     "segments": [{"name": "Members", "people": 2_000, "reached": 0.8,
    ...                   "supporting": 0.5, "conversion": 0.1, "ticket_median": 1_000}]})
    >>> result = run(sc)
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = raised_chart(result, ax=fig.add_subplot())
    >>> ax.get_title().splitlines()[0], len(ax.patches)
    ('Amount raised in the simulated campaigns', 40)
    >>> round(float(sum(bar.get_height() for bar in ax.patches)), 9)  # shares of the campaigns
    1.0
    """
    lang = lang or result.scenario.language
    campaign = _campaign_of(result, lang)
    ax = ax if ax is not None else new_axes()
    sim = campaign.simulation
    raised = sim.community.astype(float) / 100.0
    top = max(float(raised.max()), sim.cap / 100.0)
    edges = np.linspace(0.0, top, 41)
    ax.hist(
        raised,
        bins=edges,
        weights=np.full(len(raised), 1.0 / len(raised)),
        color=lighter(BAND_COLOUR, 0.3),
        edgecolor="white",
        linewidth=0.5,
    )
    _level_lines(ax, result, lang, vertical=True)
    summary = campaign.summary()
    note_box(
        ax,
        (
            t("chart.p_minimum", lang).format(
                p=percent_text(summary["p_minimum_reached"], lang, 1)
            ),
            t("chart.p_minimum_community", lang).format(
                p=percent_text(summary["p_minimum_reached_by_community"], lang, 1)
            ),
        ),
    )
    ax.set_xlim(0, top * 1.02 if top > 0 else 1.0)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(v, lang, 0)))
    ax.set_xlabel(t("chart.raised_axis", lang).format(currency=result.scenario.currency))
    # head room for the box: bars reach at most 3/4 of the height; no tick above 100 %
    tallest = max(p.get_height() for p in ax.patches)
    ax.set_ylim(0, max(tallest, 0.01) / 0.75)
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: percent_text(v, lang, 0) if v <= 1.0 + 1e-9 else "")
    )
    ax.set_ylabel(t("chart.share_axis", lang))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"{t('chart.raised.title', lang)}\n{_subtitle(campaign, lang)}")
    legend_below(ax, 3)
    return ax


# ---------------------------------------------------------------- capacity and redemption risk

#: colours: cash flow, debt service, coverage ratio, threshold, cash available for principal
_CASH, _DEBT, _RATIO, _THRESHOLD = "#009e73", "#0072b2", "#d55e00", "#555555"


def _capacity_of(result: Result, lang: str) -> CapacityResult:
    if result.capacity is None:
        raise ValueError(t("chart.no_capacity", lang))
    return result.capacity


def _risk_of(result: Result, lang: str) -> RiskResult:
    if result.risk is None:
        raise ValueError(t("chart.no_risk", lang))
    return result.risk


def _year_axis(ax: Axes, years: np.ndarray) -> None:
    """Fiscal years on the x axis, each one ticked when there are few."""
    if len(years) <= 16:
        ax.set_xticks(years)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: str(int(round(v)))))
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)


def coverage_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Cash flow available against the debt service, by fiscal year, with the coverage.

    Two bars a year (``capacity.table``, cents / 100): the cash flow available for debt
    service, and the debt service stacked: this issue's periodic debt service, the
    sinking-fund deposits, the other debt's, then (outlined) what falls due at a bullet's
    or an accumulating series' maturity, which the maturity test judges, not the
    coverage. The coverage of periodic debt service is a line on a second y axis (on the
    right, no point in a year without periodic debt service), with the scenario's
    threshold as a dashed line. The ratio axis stops at
    about three times the threshold: a ratio above it is written at the top.
    Returns the main Axes; the ratio axis is its twin. Amounts in currency units.

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027,
    with 30,000 $ a year of cash flow for fiscal years 2027 to 2032:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> sc = starter_scenario().with_changes(capacity={"cash_flow": [30_000] * 6})
    >>> result = run(sc)
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = coverage_chart(result, ax=fig.add_subplot())
    >>> ax.get_title(), len(ax.patches)  # cash flow, coupons, principal at maturity
    ('Cash flow available and debt service by fiscal year', 18)
    >>> round(sum(bar.get_height() for bar in ax.patches))  # 180,000 + 20,000 + 100,000
    300000
    """
    lang = lang or result.scenario.language
    cap = _capacity_of(result, lang)
    ax = ax if ax is not None else new_axes()
    table = cap.table
    years = table["fiscal_year"].to_numpy(dtype=int)

    def amounts(key: str) -> np.ndarray:
        return table[key].to_numpy(dtype=float) / 100.0

    width = 0.38
    ax.bar(
        years - width / 2,
        amounts("cash_flow"),
        width=width,
        color=_CASH,
        label=t("chart.cash_flow", lang),
    )
    due = amounts("due_at_maturity")
    issue = amounts("debt_service") - due
    right = years + width / 2
    ax.bar(right, issue, width=width, color=_DEBT, label=t("chart.issue_ds", lang))
    stacked = issue.copy()
    deposits = amounts("sinking_deposit")
    if deposits.any():
        ax.bar(right, deposits, width=width, bottom=stacked, color=lighter(_DEBT),
               label=t("chart.deposits", lang))  # fmt: skip
        stacked += deposits
    other = amounts("other_debt_service")
    if other.any():
        ax.bar(right, other, width=width, bottom=stacked, color=lighter(_DEBT), edgecolor=_DEBT,
               linewidth=0.0, hatch="////", label=t("chart.other_ds", lang))  # fmt: skip
        stacked += other
    if due.any():
        ax.bar(right, due, width=width, bottom=stacked, color="white", edgecolor=_DEBT,
               linewidth=1.2, hatch="..", label=t("chart.due_at_maturity", lang))  # fmt: skip
    _year_axis(ax, years)
    ax.set_xlabel(label("fiscal_year", lang))
    money_axis(ax, lang, result.scenario.currency)
    if (amounts("cash_flow") < 0).any():
        ax.axhline(0, color="#888888", linewidth=0.8)

    twin = ax.twinx()
    coverage = table["coverage"].to_numpy(dtype=float)
    threshold = float(cap.terms.coverage_threshold)
    twin.plot(
        years,
        coverage,
        color=_RATIO,
        linewidth=1.8,
        marker="o",
        markersize=4,
        label=t("chart.coverage", lang),
    )
    twin.axhline(
        threshold,
        color=_THRESHOLD,
        linestyle="--",
        linewidth=1.3,
        label=t("chart.threshold", lang).format(ratio=number_text(threshold, lang, 2)),
    )
    known = coverage[~np.isnan(coverage)]
    high = max(float(known.max()) if len(known) else threshold, threshold)
    top = min(high * 1.15, max(3.0 * threshold, 4.0))
    bottom = min(0.0, float(known.min()) * 1.15 if len(known) else 0.0)
    twin.set_ylim(bottom, top)
    for year, value in zip(years, coverage, strict=True):
        if value > top:  # off the scale: written at the top, above its bar pair
            twin.text(
                year,
                top - (top - bottom) * 0.01,
                f"\u2191 {number_text(value, lang, 2)}",
                ha="center",
                va="top",
                fontsize=8,
                color=_RATIO,
            )
    # as many decimals as the ticks need (0.25 steps read 1,25, not 1,2)
    twin.yaxis.set_major_formatter(
        FuncFormatter(
            lambda v, _pos: number_text(v, lang, 1 if abs(v * 10 - round(v * 10)) < 1e-9 else 2)
        )
    )
    twin.set_ylabel(t("chart.ratio_axis", lang))
    twin.spines["top"].set_visible(False)
    ax.set_title(t("chart.coverage.title", lang))
    handles, names = ax.get_legend_handles_labels()
    more, more_names = twin.get_legend_handles_labels()
    legend_below(ax, 2, handles + more, names + more_names)
    return ax


def redemption_fan_chart(result: Result, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Principal paid out by fiscal year (early redemptions and maturities), as a fan.

    Over the simulated paths (``risk.table``, cents / 100): the 5th to 95th percentile
    lightly shaded, the 25th to 75th darker, the median and the expected (mean) as lines,
    the principal the schedule plans as dots. With a capacity analysis, a line gives the
    cash available for principal: the cash flow minus the issue's interest and the other
    debt service of the year. Amounts in currency units.

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027,
    with the default ``[risk]`` assumptions on 200 paths (to be quick):

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> sc = starter_scenario().with_changes(risk={"paths": 200})
    >>> result = run(sc)
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = redemption_fan_chart(result, ax=fig.add_subplot())
    >>> ax.get_title().splitlines()
    ['Principal paid out by fiscal year (early redemptions and maturities)', '200 simulated paths, seed 0']
    >>> [line.get_label() for line in ax.lines]
    ['Median', 'Expected (mean)', 'Principal planned (schedule)']
    """
    lang = lang or result.scenario.language
    risk = _risk_of(result, lang)
    ax = ax if ax is not None else new_axes()
    table = risk.table
    years = table["fiscal_year"].to_numpy(dtype=int)

    def amounts(key: str) -> np.ndarray:
        return table[key].to_numpy(dtype=float) / 100.0

    ax.fill_between(
        years,
        amounts("need_p05"),
        amounts("need_p95"),
        linewidth=0,
        color=lighter(BAND_COLOUR, 0.78),
        label=t("chart.fan_90", lang),
    )
    ax.fill_between(
        years,
        amounts("need_p25"),
        amounts("need_p75"),
        linewidth=0,
        color=lighter(BAND_COLOUR, 0.45),
        label=t("chart.fan_50", lang),
    )
    ax.plot(
        years, amounts("need_p50"), color=BAND_COLOUR, linewidth=2.0, label=t("chart.median", lang)
    )
    ax.plot(
        years,
        amounts("expected_outflow"),
        color="#222222",
        linewidth=1.3,
        linestyle="--",
        label=t("chart.expected", lang),
    )
    ax.plot(
        years,
        amounts("planned_principal"),
        linestyle="none",
        marker="D",
        markersize=4,
        color="#222222",
        label=t("chart.planned_principal", lang),
    )
    if result.capacity is not None:
        cap = result.capacity.table.set_index("fiscal_year")
        interest = result.fiscal.set_index("fiscal_year")["interest"]
        available = (cap["cash_flow"] - cap["other_debt_service"]).sub(interest, fill_value=0)
        available = available.reindex(years).to_numpy(dtype=float) / 100.0
        ax.plot(
            years,
            available,
            color=_CASH,
            linewidth=2.0,
            marker="o",
            markersize=3.5,
            label=f"{t('chart.cash_for_principal', lang)}\n{t('chart.cash_for_principal_how', lang)}",
        )
        if np.nanmin(available) < 0:
            ax.axhline(0, color="#888888", linewidth=0.8)
    _year_axis(ax, years)
    ax.set_xlabel(label("fiscal_year", lang))
    money_axis(ax, lang, result.scenario.currency)
    if ax.get_ylim()[0] > 0:
        ax.set_ylim(bottom=0)
    sim = risk.simulation
    subtitle = t("chart.paths", lang).format(n=number_text(sim.paths, lang), seed=sim.seed)
    ax.set_title(f"{t('chart.redemptions.title', lang)}\n{subtitle}")
    legend_below(ax, 2)
    return ax


#: chart name -> drawing function, in the order the workbook shows them
CHARTS = {"debt-service": debt_service_chart, "balance": balance_chart}
#: the charts added when the result has a subscription campaign
CAMPAIGN_CHARTS = {"campaign": campaign_chart, "raised": raised_chart}
#: the chart added when the result has a capacity analysis
CAPACITY_CHARTS = {"coverage": coverage_chart}
#: the chart added when the result has a redemption risk analysis
RISK_CHARTS = {"redemptions": redemption_fan_chart}


def result_charts(result: Result) -> dict[str, Any]:
    """The charts ``result`` has, by file name, in the workbook's order: the debt service
    and the balance, then those of the tables the scenario has
    (:func:`~bondkit.report.drawers.run_chart_names`).

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> list(result_charts(run(starter_scenario())))
    ['debt-service', 'balance']
    """
    drawn = CHARTS | CAMPAIGN_CHARTS | CAPACITY_CHARTS | RISK_CHARTS | TRACKING_CHARTS
    return {name: drawn[name] for name in run_chart_names(result)}


def run_charts(
    result: Result, folder: str | Path, stem: str, lang: str | None = None
) -> dict[str, tuple[Path, Any]]:
    """The charts of ``result`` to save: name -> (``folder/<stem>-<name>.png``, ``draw(ax)``
    in ``lang``, default the scenario's), as :func:`save_charts` and
    :class:`~bondkit.report.drawers.Drawers` draw them.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> charts = run_charts(run(starter_scenario()), "out", "coop")
    >>> [(name, png.as_posix()) for name, (png, _) in charts.items()]
    [('debt-service', 'out/coop-debt-service.png'), ('balance', 'out/coop-balance.png')]
    """
    lang = check_language(lang or result.scenario.language)
    folder = Path(folder)
    return {
        name: (folder / f"{stem}-{name}.png", partial(draw, result, lang))
        for name, draw in result_charts(result).items()
    }


def save_charts(
    result: Result,
    folder: str | Path,
    stem: str,
    lang: str | None = None,
    formats: str | Iterable[str] = FORMATS,
    jobs: int | None = None,
) -> dict[str, Path]:
    """Write ``<stem>-<chart>.png`` and ``.svg`` for each chart in ``folder``.

    Returns the PNG paths by chart name (``"debt-service"``, ``"balance"``, with a
    campaign ``"campaign"`` and ``"raised"``, with a capacity analysis ``"coverage"``, with
    a risk analysis ``"redemptions"``, tracking a campaign under way ``"tracking"``). PNGs
    are at 150 dpi. The same result gives
    byte-identical files on every run. ``folder`` is created if needed.

    ``formats`` (``"both"``, ``"png"``, ``"svg"``, ``"none"``: no file, ``{}``) limits the
    files; without PNG the SVG paths are returned. ``jobs`` processes draw the charts, the
    same files as one (default: one per core where safe, see
    :func:`~bondkit.report.drawers.save_figures`).

    The starter scenario (``bondkit init``): a co-op's 100,000 $ 5-year bullet at 4 %,
    issued on 15 January 2027.
    A scenario without campaign, capacity or risk has two charts, four files:

    >>> import tempfile
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     pngs = save_charts(result, folder, "coop")
    ...     written = sorted(p.name for p in Path(folder).iterdir())
    >>> {name: png.name for name, png in pngs.items()}
    {'debt-service': 'coop-debt-service.png', 'balance': 'coop-balance.png'}
    >>> written
    ['coop-balance.png', 'coop-balance.svg', 'coop-debt-service.png', 'coop-debt-service.svg']
    """
    lang = check_language(lang or result.scenario.language)
    if not (formats := chart_formats(formats)):
        return {}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    todo = run_charts(result, folder, stem, lang)
    save_figures(todo, formats, jobs)
    return {name: png.with_suffix(f".{formats[0]}") for name, (png, _) in todo.items()}


#: the chart functions by the name an analyst plots them with
_PLOTS = {
    "debt_service": debt_service_chart,
    "balance": balance_chart,
    "campaign": campaign_chart,
    "raised": raised_chart,
    "coverage": coverage_chart,
    "redemptions": redemption_fan_chart,
    "tracking": tracking_chart,
}
#: the table of the result each chart needs (the others need none)
_PARTS = {
    "campaign": "campaign",
    "raised": "campaign",
    "coverage": "capacity",
    "redemptions": "risk",
}


def plot(result: Result, name: str, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Draw chart ``name`` of ``result`` (``debt_service``, ``balance``, ``campaign``,
    ``raised``, ``coverage``, ``redemptions``, ``tracking``) on ``ax``, or on a new pyplot
    figure; the Axes.

    A chart of a table the scenario lacks raises ``ValueError`` naming the table. Amounts
    on the charts are in currency units; ``lang`` defaults to the scenario's language.

    >>> from matplotlib.figure import Figure
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016")
    >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
    >>> ax = plot(res, "debt_service", ax=Figure().add_subplot())
    >>> ax.get_title(), [label.get_text() for label in ax.get_xticklabels()]
    ('Service de la dette par exercice', ['2017', '2018', '2019', '2020', '2021', '2022'])
    >>> plot(run(sc.with_changes(campaign=None, risk=None)), "campaign")
    Traceback (most recent call last):
    ...
    ValueError: the campaign chart needs a [campaign] table in the scenario
    """
    part = _PARTS.get(name)  # (a result without tracking: the tracking chart says so)
    if part is not None and getattr(result, part) is None:
        raise ValueError(t("api.err.no_table", "en").format(chart=name, table=part))
    draw = _PLOTS[name]
    return draw(result, lang, ax=ax if ax is not None else pyplot_axes())
