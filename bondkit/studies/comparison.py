"""Side by side: the key figures of several options (scenarios), for an advisor.

:func:`compare` puts the runs' key figures in one DataFrame (one row per option);
:func:`write_comparison` writes ``comparison.xlsx`` (one sheet, the comparison table) and
``charts/comparison-<metric>.png|.svg`` (one bar per option), all or nothing, as
:mod:`bondkit.report.writer` does for a run; :func:`comparison_table` is the same table as text
for the terminal.

Each option keeps its own scenario's seed, so two options that differ only in their
terms are simulated on the same random draws (common random numbers).

Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from bondkit.columns import METRICS
from bondkit.labels import check_language, number_text, percent_text, t
from bondkit.runner.display import value_text
from bondkit.runner.figures import FIGURES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from bondkit.runner import Result

__all__ = [
    "METRICS",
    "METRIC_KINDS",
    "MISSING",
    "as_number",
    "metric_text",
    "option_name",
    "compare",
    "comparison_table",
    "comparison_chart",
    "write_comparison",
]

MISSING = "\u2014"  # an em dash: the figure does not apply to this option
#: the kind (:data:`bondkit.columns.KINDS`) of each compared figure, from its definition
METRIC_KINDS: dict[str, str] = {m: FIGURES[m].kind for m in METRICS}
_WORKBOOK = "comparison.xlsx"
_CHARTS = "charts/"  # the folder of the charts, as for a run (bondkit.report.writer)
#: text a spreadsheet would read as a formula: written with a quote prefix
_FORMULA_START = ("=", "+", "-", "@")


def option_name(path: str | os.PathLike) -> str:
    """The name of an option: its file name without ``.toml`` (``a/b.toml`` -> ``"b"``).

    >>> option_name("scenarios/cinema-du-parc-2016.toml")
    'cinema-du-parc-2016'
    >>> option_name("options/taux-3.5.toml"), option_name("options/notes.txt")
    ('taux-3.5', 'notes')
    """
    name = Path(path).name
    return name[: -len(".toml")] if name.endswith(".toml") else Path(name).stem


def as_number(x: Any) -> float | None:
    """``x`` as a float, or None when absent or not a number (an unsolvable rate).

    >>> as_number(None), as_number(float("nan")), as_number(2)
    (None, None, 2.0)
    """
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _row(result: Result) -> dict[str, float | None]:
    return {m: FIGURES[m].json(result) for m in METRICS}


def compare(results: Sequence[Result], names: Sequence[str] | None = None) -> pd.DataFrame:
    """The key figures of each option, one row per option (index ``option_name``).

    ``names`` default to the scenario files' names (:func:`option_name`), or the scenario
    names for scenarios not read from a file. Money is in currency units (cents / 100,
    as in the summary JSON); rates and chances are fractions; a figure that does not
    apply (no ``[capacity]``, ``[campaign]`` or ``[risk]`` table) is None. The columns
    are :data:`METRICS`, of dtype object so that None stays None.

    Le Grand Costumier at 2 % and at 3 % (20 000 $ for 5 years, simple interest paid at
    maturity): 2 000 $ or 3 000 $ of interest, 22 000 $ or 23 000 $ due in fiscal year
    2022. Its periodic debt service is the sinking fund's deposits, the same at both
    rates (coverage 1.15); the maturity test is lower at 3 %, and the all-in cost counts
    the campaign's cost:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> low, high = run(sc), run(sc.with_changes(annual_rate=0.03))
    >>> table = compare([low, high], ["2 %", "3 %"])
    >>> table[["total_interest", "max_annual_debt_service"]].values.tolist()  # CAD
    [[2000.0, 22000.0], [3000.0, 23000.0]]
    >>> [round(x, 4) for x in table["min_dscr"]], [round(x, 4) for x in table["issuer_all_in_cost"]]
    ([1.1477, 1.1477], [0.0612, 0.0711])
    >>> [round(x, 4) for x in table["maturity_coverage"]]
    [2.1474, 2.0525]

    Without names, a scenario not read from a file is named by its ``[scenario] name``:

    >>> compare([low]).index.tolist()
    ['Le Grand Costumier 2016']
    """
    if names is None:
        names = [
            option_name(r.scenario.source_path)
            if r.scenario.source_path is not None
            else r.scenario.name
            for r in results
        ]
    rows = [_row(r) for r in results]
    index = pd.Index(list(names), name="option_name", dtype=object)
    if len(index) != len(rows):
        raise ValueError((len(index), len(rows)))
    return pd.DataFrame(
        [[row[m] for m in METRICS] for row in rows],
        index=index,
        columns=list(METRICS),
        dtype=object,
    )


def metric_text(value: float | None, metric: str, lang: str, currency: str) -> str:
    """A compared figure as text: money and ratios to the cent, rates with 2 decimals; a
    figure that does not apply is an em dash (:data:`MISSING`).

    >>> metric_text(0.0297, "issuer_all_in_cost", "en", "CAD"), metric_text(None, "min_dscr", "fr", "CAD")
    ('2.97%', '—')
    >>> metric_text(22000.0, "total_interest", "en", "CAD")
    '$22,000.00'
    """
    return value_text(value, METRIC_KINDS[metric], lang, currency, missing=MISSING)


def comparison_table(
    table: pd.DataFrame, currencies: Sequence[str], lang: str, names: Sequence[str] | None = None
) -> str:
    """The comparison as aligned text: one line per figure, one column per option.

    ``table`` is :func:`compare`'s DataFrame, ``currencies`` the options' currencies in
    its order; ``names`` the headers of the options (default: the index). Money and
    ratios to the cent, percentages with 2 decimals, in the language's style.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> table = compare([run(sc), run(sc.with_changes(annual_rate=0.03))], ["2 %", "3 %"])
    >>> print(comparison_table(table, ["CAD", "CAD"], "en"))
    Option                                  2 %         3 %
    Total principal                  $20,000.00  $20,000.00
    Issuer's all-in cost                  2.97%       3.89%
    Total interest                    $2,000.00   $3,000.00
    Total cost                        $3,000.00   $4,000.00
    Largest annual debt service      $22,000.00  $23,000.00
    Lowest coverage ratio                     —           —
    Maturity test                             —           —
    Chance of reaching the minimum            —           —
    Chance of a liquidity shortfall           —           —
    <BLANKLINE>
    """
    check_language(lang)
    names = list(table.index if names is None else names)
    head = [t("cmp.option", lang), *names]
    lines = [head]
    for metric in METRICS:
        cells = [
            metric_text(v, metric, lang, cur)
            for v, cur in zip(table[metric], currencies, strict=True)
        ]
        lines.append([t(FIGURES[metric].short, lang), *cells])
    widths = [max(len(line[j]) for line in lines) for j in range(len(head))]
    out = []
    for line in lines:
        first = line[0].ljust(widths[0])
        rest = [cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True)]
        out.append("  ".join([first, *rest]).rstrip())
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- charts


def comparison_chart(
    table: pd.DataFrame,
    metric: str,
    lang: str,
    currency: str = "CAD",
    ax: Axes | None = None,
) -> Axes:
    """One bar per option for ``metric`` (a column of :func:`compare`'s table).

    An option to which the figure does not apply gets no bar and a dash. Money axes are in
    ``currency`` units; percentages on a percent axis.

    >>> from matplotlib.figure import Figure
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> table = compare([run(sc), run(sc.with_changes(annual_rate=0.03))], ["2 %", "3 %"])
    >>> ax = comparison_chart(table, "total_interest", "en", ax=Figure().add_subplot())
    >>> ax.get_title(), ax.get_ylabel()
    ('Total interest', 'Amount (CAD)')
    >>> [float(bar.get_height()) for bar in ax.patches]  # CAD
    [2000.0, 3000.0]
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from bondkit.report.chartkit import FIGSIZE, mathtext_safe, series_colour

    check_language(lang)
    if ax is None:
        ax = Figure(figsize=FIGSIZE, layout="constrained").add_subplot()
    kind = METRIC_KINDS[metric]
    values = [as_number(v) for v in table[metric]]
    x = np.arange(len(values))
    heights = [v if v is not None else 0.0 for v in values]
    colours = [series_colour(k) for k in range(len(values))]
    bars = ax.bar(x, heights, width=0.6, color=colours)
    labels = [metric_text(v, metric, lang, currency) for v in values]
    ax.bar_label(bars, labels=[mathtext_safe(s) for s in labels], padding=3, fontsize=9)
    ax.set_xticks(x, [mathtext_safe(str(n)) for n in table.index])
    ax.set_xlim(-0.6, len(values) - 0.4)
    top = max([abs(h) for h in heights] + [0.0])
    ax.set_ylim(min(0.0, *heights) * 1.15, top * 1.15 if top > 0 else 1.0)
    if kind == "money":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(v, lang, 0)))
        ax.set_ylabel(t("chart.amount_axis", lang).format(currency=currency))
    elif kind == "rate":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: percent_text(v, lang, 1)))
        ax.set_ylabel(t("cmp.chart.percent_axis", lang))
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(v, lang, 2)))
        ax.set_ylabel(t("cmp.chart.ratio_axis", lang))
    ax.set_xlabel(t("cmp.option", lang))
    ax.set_title(t(FIGURES[metric].short, lang))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _chart_stem(metric: str) -> str:
    return "comparison-" + metric.replace("_", "-")


def _save_charts(table: pd.DataFrame, folder: Path, lang: str, currency: str) -> dict[str, Path]:
    """PNG and SVG of each metric with at least one value; byte-identical on every run."""
    from bondkit.report.chartkit import save_figure

    paths: dict[str, Path] = {}
    for metric in METRICS:
        if all(as_number(v) is None for v in table[metric]):
            continue
        paths[metric] = save_figure(
            folder / f"{_chart_stem(metric)}.png",
            lambda ax, metric=metric: comparison_chart(table, metric, lang, currency, ax=ax),
        )
    return paths


# ---------------------------------------------------------------- workbook


def _write_workbook(
    table: pd.DataFrame, results: Sequence[Result], path: Path, lang: str
) -> list[str]:
    """The comparison workbook (:func:`bondkit.report.workbook.write_comparison_workbook`)."""
    from bondkit.report.workbook import write_comparison_workbook

    figures = []
    for i in range(len(results)):
        line = []
        for metric in METRICS:
            value = as_number(table[metric].iloc[i])
            if value is None:
                # a figure that does not apply is a dash; one that cannot be solved says so
                why = FIGURES[metric].missing
                missing = MISSING if why == "not_applicable" else t(why, lang)
                line.append((t(FIGURES[metric].short, lang), missing, METRIC_KINDS[metric]))
            else:
                line.append((t(FIGURES[metric].short, lang), value, METRIC_KINDS[metric]))
        figures.append(line)
    names = [str(n) for n in table.index]
    return write_comparison_workbook(list(results), names, figures, path, lang)


def write_comparison(
    results: Sequence[Result],
    names: Sequence[str],
    out_dir: str | os.PathLike,
    lang: str | None = None,
) -> dict[str, Any]:
    """Write ``comparison.xlsx`` and ``charts/comparison-<metric>.png|.svg`` in ``out_dir``.

    ``lang`` defaults to the first option's language. The files are written all or
    nothing (:func:`bondkit.report.fileset.write_file_set`); an earlier comparison's files
    in ``out_dir`` are replaced as a whole, and nothing else there is touched. Money charts are labelled with the
    first option's currency, or all the currencies when they differ.

    Returns ``{"workbook": path, "chart_files": [paths], "table": DataFrame}``.
    Raises :class:`BondkitError` when the folder cannot be written.

    A chart (PNG and SVG) per figure that applies: here four, as the options have no
    ``[campaign]``, ``[capacity]`` or ``[risk]`` table.

    >>> import pathlib, tempfile
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> options = [run(sc), run(sc.with_changes(annual_rate=0.03))]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_comparison(options, ["2 %", "3 %"], tmp, "en")
    ...     written = sorted(p.relative_to(tmp).as_posix() for p in out["chart_files"])
    ...     workbook = out["workbook"].name
    >>> workbook, len(written), written[:2]
    ('comparison.xlsx', 10, ['charts/comparison-issuer-all-in-cost.png', 'charts/comparison-issuer-all-in-cost.svg'])
    >>> out["table"]["total_interest"].tolist()  # CAD
    [2000.0, 3000.0]
    """
    from bondkit.report.fileset import write_file_set

    lang = check_language(lang or (results[0].scenario.language if results else "en"))
    table = compare(results, names)
    currencies = list(dict.fromkeys(r.scenario.currency for r in results))
    currency = "/".join(currencies)

    def fill(new: Path) -> None:
        (new / _CHARTS).mkdir()
        _save_charts(table, new / _CHARTS, lang, currency)
        _write_workbook(table, results, new / _WORKBOOK, lang)

    out = Path(out_dir)
    written = write_file_set(out, "compare", fill)
    return {
        "workbook": out / _WORKBOOK,
        "chart_files": [p for p in written if p.parent == out / Path(_CHARTS).name],
        "table": table,
    }
