"""The notebook-friendly layer: what ``import bondkit as bk`` gives an analyst.

The model is the CLI's; this module only shapes it for Jupyter:

- :func:`compare` and :func:`sweep` take scenarios (or results) and plain Python values
  rather than files and ``--vary`` text, and return DataFrames;
- :func:`key_figures` (:mod:`bondkit.runner.figures`), :func:`result_html`
  (:mod:`bondkit.runner.display`), :func:`plot` (:mod:`bondkit.report.charts`) and
  :func:`to_excel` (:mod:`bondkit.report.writer`) back the ``summary`` property, the
  notebook display, the ``plot_*`` and ``to_excel`` methods of
  :class:`~bondkit.runner.Result`; they are defined there and named here;
- plots drawn without an ``ax`` go on a new pyplot figure, so that they show inline.

Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bondkit.labels import check_language
from bondkit.report.chartkit import pyplot_axes
from bondkit.report.charts import plot
from bondkit.report.writer import to_excel
from bondkit.runner.display import result_html
from bondkit.runner.figures import key_figures

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from bondkit.runner import Result
    from bondkit.scenario import Scenario

__all__ = [
    "compare",
    "sweep",
    "plot_comparison",
    "plot_sweep",
    "key_figures",
    "result_html",
    "plot",
    "to_excel",
]


def _run_each(items: Sequence[Scenario | Result]) -> list[Result]:
    from bondkit.runner import Result, run

    return [item if isinstance(item, Result) else run(item) for item in items]


def compare(
    options: Sequence[Scenario | Result], names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Options side by side, as ``bondkit compare``: one row per option, the columns of
    :data:`bondkit.studies.comparison.METRICS` as floats (money in currency units, rates and
    chances as fractions, NaN where a figure does not apply).

    ``options`` are scenarios (each run with its own seed) or results; ``names`` default to
    the scenarios' names, with the file name where two are the same (as ``bondkit
    compare``), made unique with ``#2``, ``#3``...

    >>> from bondkit.scenario import load_example
    >>> base = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> table = compare([base, base.with_changes(annual_rate=0.03)], ["2 %", "3 %"])
    >>> table["total_interest"].tolist()  # CAD
    [2000.0, 3000.0]
    """
    from bondkit.studies.comparison import compare as compare_results
    from bondkit.studies.comparison import option_names

    results = _run_each(options)
    if names is None:
        names, seen = [], {}
        for name in option_names([r.scenario for r in results]):
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return _numeric(compare_results(results, list(names)))


def sweep(
    scenario: Scenario,
    vary: Mapping[str, str | Sequence[Any]],
    jobs: int = 1,
    executor: Any = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """The grid of variants of ``scenario``, as ``bondkit sweep``: one row per variant.

    ``vary`` maps a key (``annual_rate``, ``series[2].term_years``, ``campaign.target``) to
    its values: a list, or the text of ``--vary`` (``"0.02:0.05:0.005"``, ``"3,5,7"``).
    Serial by default, on ``jobs`` processes, or on any ``concurrent.futures`` executor
    (a Dask client's ``get_executor()``). Every variant uses the scenario's seed. The
    figures are float columns (NaN where one does not apply or a variant is invalid: its
    ``first_problem`` says why).

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> table = sweep(sc, {"annual_rate": [0.02, 0.03]})
    >>> table[["annual_rate", "total_interest"]].values.tolist()  # a fraction, CAD
    [[0.02, 2000.0], [0.03, 3000.0]]
    """
    from bondkit.studies.sweeps import check_specs, parse_vary
    from bondkit.studies.sweeps import sweep as run_sweep

    lang = check_language(lang or scenario.language)
    specs = [parse_vary(f"{key}={_spec_text(values)}", lang) for key, values in vary.items()]
    check_specs(scenario, specs, lang)
    return _numeric(run_sweep(scenario, specs, jobs=jobs, executor=executor, lang=lang))


def _numeric(table: pd.DataFrame) -> pd.DataFrame:
    """The figures as float columns (NaN where a figure does not apply), for analysis; the
    command line's tables keep None."""
    from bondkit.studies.comparison import METRICS

    table = table.copy()
    for metric in METRICS:
        if metric in table.columns:
            table[metric] = table[metric].astype(float)
    return table


def _spec_text(values: str | Sequence[Any]) -> str:
    """Values as the text of ``--vary`` (so a list is read exactly as the CLI reads it)."""
    if isinstance(values, str):
        return values
    return ",".join(
        v.isoformat() if hasattr(v, "isoformat") else repr(v) if isinstance(v, float) else str(v)
        for v in values
    )


def plot_comparison(
    table: pd.DataFrame,
    metric: str,
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "CAD",
) -> Axes:
    """One bar per option of :func:`compare`'s ``table`` for ``metric`` (a column, e.g.
    ``"issuer_all_in_cost"``), on ``ax`` or a new pyplot figure; the Axes.

    >>> from matplotlib.figure import Figure
    >>> from bondkit.scenario import load_example
    >>> base = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> table = compare([base, base.with_changes(annual_rate=0.03)], ["2 %", "3 %"])
    >>> ax = plot_comparison(table, "total_interest", ax=Figure().add_subplot())
    >>> len(ax.patches)
    2
    """
    from bondkit.studies.comparison import comparison_chart

    ax = ax if ax is not None else pyplot_axes()
    return comparison_chart(table, metric, check_language(lang), currency, ax=ax)


def plot_sweep(
    table: pd.DataFrame,
    metric: str,
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "CAD",
) -> Axes:
    """A heat map of ``metric`` over the first two varied keys of :func:`sweep`'s
    ``table`` (a line over one key), on ``ax`` or a new pyplot figure; the Axes.

    >>> from matplotlib.figure import Figure
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> grid = sweep(sc, {"annual_rate": [0.02, 0.03], "term_years": [4, 5]})
    >>> ax = plot_sweep(grid, "issuer_all_in_cost", ax=Figure().add_subplot())
    >>> len(ax.images)
    1
    """
    from bondkit.studies.sweeps import sweep_chart

    ax = ax if ax is not None else pyplot_axes()
    return sweep_chart(table, metric, check_language(lang), currency, ax=ax)
