"""The notebook-friendly layer: what ``import bondkit as bk`` gives an analyst.

The model is the CLI's; this module only shapes it for Jupyter:

- :func:`compare` and :func:`sweep` take scenarios (or results) and plain Python values
  rather than files and ``--vary`` text, and return DataFrames;
- :func:`key_figures`, :func:`result_html` and :func:`plot` back the ``summary``
  property, the notebook display and the ``plot_*`` methods of
  :class:`~bondkit.runner.Result`;
- plots drawn without an ``ax`` go on a new pyplot figure, so that they show inline.

Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.labels import check_language, t

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

#: key figures of :attr:`Result.summary`: key -> (label key, unit)
_FIGURES: dict[str, tuple[str, str]] = {
    "total_principal": ("kf.total_principal", "currency"),
    "total_interest": ("kf.total_interest", "currency"),
    "max_annual_debt_service": ("kf.max_debt_service", "currency"),
    "issuer_all_in_cost": ("kf.all_in_cost", "fraction"),
    "upfront_costs": ("kf.upfront_costs", "currency"),
    "annual_admin_total": ("kf.annual_admin_total", "currency"),
    "first_issue_date": ("kf.first_issue", "date"),
    "last_maturity_date": ("kf.last_maturity", "date"),
    "seed": ("risk.seed", "count"),
}
#: figures of the campaign, capacity and risk objects of the summary JSON
_PART_FIGURES: dict[str, dict[str, tuple[str, str]]] = {
    "campaign": {
        "expected_raised": ("ready.expected_raise", "currency"),
        "p_minimum_reached": ("out.p_minimum", "fraction"),
        "p_minimum_reached_by_community": ("out.p_minimum_community", "fraction"),
    },
    "capacity": {"min_dscr": ("kf.min_dscr", "ratio")},
    "risk": {
        "p_shortfall": ("kf.p_shortfall", "fraction"),
        "recommended_reserve": ("kf.recommended_reserve", "currency"),
    },
}
_CHARTS = {
    "debt_service": "debt_service_chart",
    "balance": "balance_chart",
    "campaign": "campaign_chart",
    "raised": "raised_chart",
    "coverage": "coverage_chart",
    "redemptions": "redemption_fan_chart",
}
#: the table of the result each chart needs (the others need none)
_PARTS = {
    "campaign": "campaign",
    "raised": "campaign",
    "coverage": "capacity",
    "redemptions": "risk",
}


def key_figures(result: Result, lang: str | None = None) -> pd.DataFrame:
    """The key figures of ``result``, one row each: ``label``, ``value``, ``unit``.

    Units: ``currency`` (currency units, rounded to the cent), ``fraction`` (0.04 is 4 %),
    ``ratio``, ``date`` (ISO text) and ``count``. The same numbers as the summary JSON.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> figures = key_figures(run(sc), "en")
    >>> figures.loc["total_interest"].tolist()
    ['Total interest paid', 10408.08, 'currency']
    >>> figures.loc["min_dscr", "unit"], round(figures.loc["min_dscr", "value"], 2)
    ('ratio', 0.32)
    """
    import pandas as pd

    lang = check_language(lang or result.scenario.language)
    data = result.to_dict()
    rows = {key: (t(lab, lang), data[key], unit) for key, (lab, unit) in _FIGURES.items()}
    for part, figures in _PART_FIGURES.items():
        if data.get(part) is not None:
            for key, (lab, unit) in figures.items():
                rows[key] = (t(lab, lang), data[part].get(key), unit)
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["label", "value", "unit"], dtype=object
    )
    frame.index.name = "figure"
    return frame


def _value_text(value: Any, unit: str, lang: str, currency: str) -> str:
    from bondkit.labels import money_text, number_text, percent_text

    if value is None:
        return t("not_applicable", lang)
    if unit == "currency":
        return money_text(round(float(value) * 100), lang, currency)
    if unit == "fraction":
        return percent_text(float(value), lang, 2)
    if unit == "ratio":
        return number_text(float(value), lang, 2)
    return str(value)


def result_html(result: Result, lang: str | None = None) -> str:
    """The notebook display of a result: its key figures, then the readiness grid with
    each status as a word on its colour. Built as XML elements, so all text is escaped.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> page = result_html(run(sc), "en")
    >>> page.startswith("<div><h4>Le Grand Costumier 2016</h4><table>"), "Watch</td>" in page
    (True, True)
    """
    import xml.etree.ElementTree as ET

    from bondkit.runner.readiness import STATUS_COLOURS, readiness_grid

    lang = check_language(lang or result.scenario.language)
    currency = result.scenario.currency
    page = ET.Element("div")
    ET.SubElement(page, "h4").text = result.scenario.name
    figures = ET.SubElement(page, "table")
    for _key, rec in key_figures(result, lang).iterrows():
        line = ET.SubElement(figures, "tr")
        ET.SubElement(line, "th", style="text-align:left").text = rec["label"]
        cell = ET.SubElement(line, "td", style="text-align:right")
        cell.text = _value_text(rec["value"], rec["unit"], lang, currency)
    grid = readiness_grid(result, lang)
    if len(grid):
        ET.SubElement(page, "h4").text = t("sheet.b2", lang)
        table = ET.SubElement(page, "table")
        for rec in grid.itertuples(index=False):
            if rec.kind == "money":
                shown = _value_text(rec.value / 100, "currency", lang, currency)
            elif rec.kind in ("rate", "ratio"):
                unit = "fraction" if rec.kind == "rate" else "ratio"
                shown = _value_text(rec.value, unit, lang, currency)
            else:
                shown = str(rec.value)
            line = ET.SubElement(table, "tr")
            ET.SubElement(line, "td", style="text-align:left").text = rec.criterion
            ET.SubElement(line, "td", style="text-align:right").text = shown
            fill, ink = STATUS_COLOURS[rec.status]
            look = ";".join(
                (f"background:{fill}", f"color:{ink}", "font-weight:bold", "text-align:center")
            )
            ET.SubElement(line, "td", style=look).text = t(f"status.{rec.status}", lang)
    return ET.tostring(page, encoding="unicode", method="html")


def _pyplot_axes() -> Axes:
    """A new pyplot figure's Axes (shown inline in a notebook), bondkit's chart size."""
    import matplotlib.pyplot as plt

    from bondkit.report.charts import _FIGSIZE

    _fig, ax = plt.subplots(figsize=_FIGSIZE, layout="constrained")
    return ax


def plot(result: Result, name: str, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Draw chart ``name`` of ``result`` (``debt_service``, ``balance``, ``campaign``,
    ``raised``, ``coverage``, ``redemptions``) on ``ax``, or on a new pyplot figure; the Axes.

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
    from bondkit.report import charts

    part = _PARTS.get(name)
    if part is not None and getattr(result, part) is None:
        raise ValueError(t("api.err.no_table", "en").format(chart=name, table=part))
    draw = getattr(charts, _CHARTS[name])
    return draw(result, lang, ax=ax if ax is not None else _pyplot_axes())


def to_excel(result: Result, path: str | Path, lang: str | None = None) -> Path:
    """Write ``result``'s workbook, with its charts, to ``path`` (``.xlsx``); the path.

    ``lang`` defaults to the scenario's language. Money in the workbook is in currency
    units, rates are fractions formatted as percentages. Here the series and costs alone
    (a campaign, capacity or risk adds its charts and takes longer):

    >>> import pathlib, tempfile, zipfile
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016")
    >>> res = run(sc.with_changes(campaign=None, capacity=None, risk=None))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = to_excel(res, pathlib.Path(tmp) / "costumier.xlsx", lang="en")
    ...     with zipfile.ZipFile(path) as book:
    ...         sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    >>> path.name, len(sheets)
    ('costumier.xlsx', 10)
    """
    from bondkit.report.charts import save_charts
    from bondkit.report.workbook import write_workbook

    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        pngs = save_charts(result, tmp, path.stem, lang=lang)
        write_workbook(result, path, lang=lang, charts=pngs)
    return path


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
    the scenarios' file names, else their names, made unique with ``#2``, ``#3``...

    >>> from bondkit.scenario import load_example
    >>> base = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> table = compare([base, base.with_changes(annual_rate=0.03)], ["2 %", "3 %"])
    >>> table["total_interest"].tolist()  # CAD
    [2000.0, 3000.0]
    """
    from bondkit.studies.comparison import compare as compare_results
    from bondkit.studies.comparison import option_name

    results = _run_each(options)
    if names is None:
        names, seen = [], {}
        for r in results:
            sc = r.scenario
            name = option_name(sc.source_path) if sc.source_path is not None else sc.name
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

    ax = ax if ax is not None else _pyplot_axes()
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

    ax = ax if ax is not None else _pyplot_axes()
    return sweep_chart(table, metric, check_language(lang), currency, ax=ax)
