"""The chart of a sweep: a heat map of one figure over the first two varied keys, or a line
over the one key varied, and how it is saved.

Every axis says what it shows and its unit, in the sweep's language: a varied key by its
label and kind (:mod:`bondkit.studies.varied`: "Taux annuel (%)" with 3,0 % ticks), the
figure by its label and unit (:func:`bondkit.studies.comparison.metric_axis`). Every word
comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.labels import check_language, t
from bondkit.runner.figures import FIGURES
from bondkit.studies.comparison import METRIC_KINDS, as_number, metric_axis, metric_text
from bondkit.studies.varied import (
    keys_of,
    varied_axis,
    varied_label,
    varied_texts,
    varied_value_text,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["heat_map_data", "sweep_chart", "save_sweep_chart", "chart_stem"]

_STEM = "sweep-"


def heat_map_data(table: pd.DataFrame, metric: str) -> tuple[list, list, Any]:
    """(x values, y values, matrix) of the heat map: x the first varied key, y the
    second, the others at their first value; cells with no value are NaN.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"annual_rate": [0.02, 0.02, 0.03, 0.03], "term_years": [5, 7, 5, 7],
    ...                       "total_interest": [2000.0, 2800.0, 3000.0, None]})
    >>> xs, ys, z = heat_map_data(table, "total_interest")
    >>> xs, ys, z.tolist()
    ([0.02, 0.03], [5, 7], [[2000.0, 3000.0], [2800.0, nan]])
    """
    import numpy as np

    keys = keys_of(table)
    rows = table
    for k in keys[2:]:
        rows = rows[rows[k] == table[k].iloc[0]]
    xs = list(dict.fromkeys(table[keys[0]]))
    ys = list(dict.fromkeys(table[keys[1]]))
    z = np.full((len(ys), len(xs)), np.nan)
    for _, row in rows.iterrows():
        value = as_number(row[metric])
        if value is not None:
            z[ys.index(row[keys[1]]), xs.index(row[keys[0]])] = value
    return xs, ys, z


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def sweep_chart(
    table: pd.DataFrame, metric: str, lang: str, currency: str = "CAD", ax: Axes | None = None
) -> Axes:
    """A heat map of ``metric`` over the first two varied keys (x: the first, y: the second;
    further keys at their first value, said in the subtitle), or a line over the one key.

    Each axis names its key in words with its unit, and its ticks are the varied values
    in the language's style; the colour bar (or the line's axis) names the figure's unit.

    >>> from matplotlib.figure import Figure
    >>> from bondkit.scenario import load_example
    >>> from bondkit.studies.sweeps import parse_vary, sweep
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> table = sweep(sc, [parse_vary("annual_rate=0.02,0.03")])
    >>> ax = sweep_chart(table, "total_interest", "en", ax=Figure().add_subplot())
    >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    ('Total interest', 'Annual rate (%)', 'Amount (CAD)')
    >>> [float(y) for y in ax.lines[0].get_ydata()]  # CAD
    [2000.0, 3000.0]
    >>> grid = sweep(sc, [parse_vary("annual_rate=0.02,0.03"), parse_vary("term_years=4,5")])
    >>> ax = sweep_chart(grid, "issuer_all_in_cost", "fr", ax=Figure().add_subplot())
    >>> len(ax.images), ax.get_xlabel(), ax.get_ylabel()
    (1, 'Taux annuel (%)', 'Durée des obligations (années)')
    >>> [tick.get_text() for tick in ax.get_xticklabels()]
    ['2,0\\xa0%', '3,0\\xa0%']
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.transforms import offset_copy

    from bondkit.report.chartkit import FIGSIZE, kind_formatter, mathtext_safe, series_colour

    check_language(lang)
    if ax is None:
        ax = Figure(figsize=FIGSIZE, layout="constrained").add_subplot()
    kind = METRIC_KINDS[metric]

    def text(v: float | None) -> str:
        return mathtext_safe(metric_text(v, metric, lang, currency))

    def ticks(key: str, values: list) -> list[str]:
        return [mathtext_safe(s) for s in varied_texts(key, values, lang)]

    keys = keys_of(table)
    title = t(FIGURES[metric].short, lang)
    unit = metric_axis(metric, lang, currency)
    if len(keys) == 1:
        key = keys[0]
        xs = list(table[key])
        ys = [as_number(v) for v in table[metric]]
        y = np.array([np.nan if v is None else v for v in ys], dtype=float)
        numeric = all(_is_number(v) for v in xs)
        x = np.array(xs, dtype=float) if numeric else np.arange(len(xs), dtype=float)
        ax.plot(x, y, marker="o", color=series_colour(0))
        ax.set_xticks(x, ticks(key, xs))
        above = offset_copy(ax.transData, fig=ax.figure, y=8, units="points")
        for xi, yi in zip(x, ys, strict=True):
            if yi is not None:  # above its point, clear of the marker
                ax.text(xi, yi, text(yi), transform=above, ha="center", va="bottom", fontsize=9)
        ax.margins(x=0.08, y=0.18)
        ax.yaxis.set_major_formatter(kind_formatter(kind, lang))
        ax.set_xlabel(mathtext_safe(varied_axis(key, lang, currency)))
        ax.set_ylabel(unit)
        ax.grid(color="#dddddd", linewidth=0.6)
        ax.set_title(title)
    else:
        xs, ys, z = heat_map_data(table, metric)
        image = ax.imshow(np.ma.masked_invalid(z), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(xs)), ticks(keys[0], xs))
        ax.set_yticks(range(len(ys)), ticks(keys[1], ys))
        ax.set_xlabel(mathtext_safe(varied_axis(keys[0], lang, currency)))
        ax.set_ylabel(mathtext_safe(varied_axis(keys[1], lang, currency)))
        finite = z[np.isfinite(z)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
        if len(xs) * len(ys) <= 150:
            size = 9 if len(xs) * len(ys) <= 40 else 7  # a few cells: as large as the ticks
            for i in range(len(ys)):
                for j in range(len(xs)):
                    v = z[i, j]
                    label = text(None if math.isnan(v) else float(v))
                    colour = "#000000" if not math.isnan(v) and v > middle else "#ffffff"
                    if math.isnan(v):
                        colour = "#404040"
                    ax.text(j, i, label, ha="center", va="center", fontsize=size, color=colour)
        ax.figure.colorbar(image, ax=ax, format=kind_formatter(kind, lang), label=unit)
        if len(keys) > 2:
            fixed = ", ".join(
                t("cmp.axis.value", lang).format(
                    label=varied_label(k, lang),
                    value=varied_value_text(k, table[k].iloc[0], lang, currency),
                )
                for k in keys[2:]
            )
            others = t("sweep.chart.others", lang).format(values=fixed)
            ax.set_title(f"{title}\n{mathtext_safe(others)}")
        else:
            ax.set_title(title)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def chart_stem(metric: str) -> str:
    """The file name of the sweep's chart of ``metric``, without its suffix.

    >>> chart_stem("issuer_all_in_cost")
    'sweep-issuer-all-in-cost'
    """
    return _STEM + metric.replace("_", "-")


def save_sweep_chart(
    table: pd.DataFrame, metric: str, folder: Path, lang: str, currency: str
) -> Path:
    """PNG and SVG of the sweep chart of ``metric`` in ``folder``; byte-identical on every
    run. Returns the PNG's path.

    >>> import tempfile
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term_years": [5, 7], "total_interest": [2000.0, 2800.0]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     png = save_sweep_chart(table, "total_interest", Path(tmp), "fr", "CAD")
    ...     names = sorted(p.name for p in Path(tmp).iterdir())
    >>> names
    ['sweep-total-interest.png', 'sweep-total-interest.svg']
    """
    from bondkit.report.chartkit import save_figure

    return save_figure(
        folder / f"{chart_stem(metric)}.png",
        lambda ax: sweep_chart(table, metric, lang, currency, ax=ax),
    )
