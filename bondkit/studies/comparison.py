"""Side by side: the key figures of several options (scenarios), for an advisor.

:func:`compare` puts the runs' key figures in one DataFrame (one row per option);
:func:`write_comparison` writes ``comparison.xlsx`` (the options side by side, then each
option's key sheets) and ``charts/comparison-<metric>.png|.svg`` (one bar per option), all
or nothing, as :mod:`bondkit.report.writer` does for a run; :func:`comparison_table` is the
same table as text for the terminal.

An option is named by its scenario's ``[scenario] name``; the file name tells apart two
options of the same name (:func:`option_names`). Its terms come first (rate, term and
repayment style in words: :func:`option_terms`), then the headline figures of the four
questions of the Summary (:data:`bondkit.runner.answers.HEADLINES`), each defined once in
:data:`bondkit.runner.figures.FIGURES`.

Each option keeps its own scenario's seed, so two options that differ only in their
terms are simulated on the same random draws (common random numbers).

Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

import math
import os
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from bondkit.columns import METRICS
from bondkit.labels import check_language, number_text, percent_text, t
from bondkit.report.chartkit import axis_label
from bondkit.runner.answers import HEADLINES, QUESTIONS
from bondkit.runner.display import value_text
from bondkit.runner.figures import FIGURES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from bondkit.runner import Result
    from bondkit.scenario import Scenario

__all__ = [
    "METRICS",
    "METRIC_KINDS",
    "MISSING",
    "TERMS",
    "as_number",
    "metric_text",
    "metric_axis",
    "option_name",
    "option_names",
    "option_terms",
    "average_rate",
    "figure_groups",
    "comparison_blocks",
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
#: an option's terms, before its figures (label keys of :func:`option_terms`'s texts)
TERMS: tuple[str, ...] = ("cmp.rate", "cmp.average_rate", "cmp.term", "cmp.repayment_style")
_NAME_WIDTH = 18  # characters of an option's name on a line under a bar


def option_name(path: str | os.PathLike) -> str:
    """The name of an option: its file name without ``.toml`` (``a/b.toml`` -> ``"b"``).

    >>> option_name("scenarios/cinema-du-parc-2016.toml")
    'cinema-du-parc-2016'
    >>> option_name("options/taux-3.5.toml"), option_name("options/notes.txt")
    ('taux-3.5', 'notes')
    """
    name = Path(path).name
    return name[: -len(".toml")] if name.endswith(".toml") else Path(name).stem


def option_names(
    scenarios: Sequence[Scenario],
    files: Sequence[str | os.PathLike | None] | None = None,
    lang: str = "en",
) -> list[str]:
    """The names of the options: each scenario's ``[scenario] name``, and where two or more
    options bear the same name, each of them followed by its file name in brackets
    (``files``, default the scenarios' own files). Names may still repeat when the files
    have the same name too (or no file): the command refuses those.

    >>> from bondkit.scenario import load_example
    >>> a, b = load_example("cinema-du-parc-2016"), load_example("grand-costumier-2016")
    >>> option_names([a, b])
    ['Cinéma du Parc 2016', 'Le Grand Costumier 2016']
    >>> option_names([a, b, a], ["parc.toml", "gc.toml", "parc-3-pour-cent.toml"])
    ['Cinéma du Parc 2016 (parc.toml)', 'Le Grand Costumier 2016', 'Cinéma du Parc 2016 (parc-3-pour-cent.toml)']
    """
    check_language(lang)
    if files is None:
        files = [sc.source_path for sc in scenarios]
    counts = Counter(sc.name for sc in scenarios)
    names = []
    for sc, file in zip(scenarios, files, strict=True):
        if counts[sc.name] > 1 and file is not None:
            text = t("cmp.named_by_file", lang).format(name=sc.name, file=Path(file).name)
            names.append(text)
        else:
            names.append(sc.name)
    return names


def _rate_text(terms: Any, lang: str) -> str:
    text = percent_text(float(terms.annual_rate), lang, 2)
    if terms.step_rates:
        steps = "; ".join(
            t("step_rate_item", lang).format(
                year=x.from_year, rate=percent_text(float(x.annual_rate), lang, 2)
            )
            for x in terms.step_rates
        )
        text = f"{text} ({steps})"
    return text


def _term_text(terms: Any, lang: str) -> str:
    if terms.term_years is not None:
        return t("years_n", lang).format(n=terms.term_years)
    return t("cmp.to_date", lang).format(date=terms.maturity.isoformat())


def _style_text(terms: Any, lang: str) -> str:
    style = t(f"repayment_short.{terms.repayment}", lang)
    if terms.interest is None:
        return style
    interest = t(f"cmp.interest.{terms.interest}", lang)
    return t("cmp.with_interest", lang).format(style=style, interest=interest)


def average_rate(result: Result) -> float:
    """The series' rates weighted by their amounts (the coupon the all-in cost is set
    against, as in :mod:`bondkit.runner.answers`).

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("solar-coop-multi-series").with_changes(risk=None)
    >>> [(s.id, float(s.annual_rate), s.amount_cents // 100) for s in run(sc).series]
    [('A-3y', 0.03, 100000), ('B-5y', 0.04, 150000), ('C-7y', 0.05, 250000)]
    >>> round(average_rate(run(sc)), 6)  # (0.03 x 100 + 0.04 x 150 + 0.05 x 250) / 500
    0.043
    """
    return (
        sum(float(s.annual_rate) * s.amount_cents for s in result.series) / result.total_principal
    )


def option_terms(result: Result, lang: str, sep: str = "; ") -> dict[str, str]:
    """An option's terms in words, by label key (:data:`TERMS`): its annual rate, the
    rates' average weighted by the series' amounts, the term of its bonds and its
    repayment style. When its series differ, each series is named (``A-3y : 3,00 %``),
    joined by ``sep``; a step rate is given with the year it starts.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> cinema = run(load_example("cinema-du-parc-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None))
    >>> option_terms(cinema, "fr")  # doctest: +NORMALIZE_WHITESPACE
    {'cmp.rate': '2,00\\xa0%', 'cmp.average_rate': '2,00\\xa0%', 'cmp.term': '5 ans',
     'cmp.repayment_style': 'Capitalisation, intérêt composé'}
    >>> solar = run(load_example("solar-coop-multi-series").with_changes(risk=None))
    >>> print(option_terms(solar, "en", sep="\\n")["cmp.rate"])
    A-3y: 3.00%
    B-5y: 4.00%
    C-7y: 5.00% (from year 6: 5.50%)
    >>> option_terms(solar, "en")["cmp.average_rate"], option_terms(solar, "en")["cmp.repayment_style"]
    ('4.30%', 'A-3y: Bullet; B-5y: Bullet; C-7y: Level payment')
    """
    check_language(lang)
    out = {}
    for key, text in (("cmp.rate", _rate_text), ("cmp.term", _term_text),
                      ("cmp.repayment_style", _style_text)):  # fmt: skip
        texts = [text(s, lang) for s in result.series]
        if len(set(texts)) == 1:
            out[key] = texts[0]
        else:
            per = t("cmp.per_series", lang)
            out[key] = sep.join(
                per.format(series=s.id, value=x) for s, x in zip(result.series, texts, strict=True)
            )
    out["cmp.average_rate"] = percent_text(average_rate(result), lang, 2)
    return {key: out[key] for key in TERMS}


def _one_rate(result: Result) -> bool:
    """Every series of ``result`` at the same rate, without step rates."""
    series = result.series
    return len({s.annual_rate for s in series}) == 1 and not any(s.step_rates for s in series)


def figure_groups() -> list[tuple[str | None, tuple[str, ...]]]:
    """The compared figures (:data:`METRICS`) in the order they are shown: first those of no
    question (None: the amount planned), then each question of the Summary
    (:data:`bondkit.runner.answers.QUESTIONS`) with its headline figures.

    >>> figure_groups()[:2]  # doctest: +NORMALIZE_WHITESPACE
    [(None, ('total_principal',)), ('raise', ('p_minimum_reached', 'expected_raised'))]
    >>> sorted(m for _q, ms in figure_groups() for m in ms) == sorted(METRICS)
    True
    """
    asked = {m for q in QUESTIONS for m in HEADLINES[q]}
    groups: list[tuple[str | None, tuple[str, ...]]] = [
        (None, tuple(m for m in METRICS if m not in asked))
    ]
    groups += [(q, tuple(m for m in HEADLINES[q] if m in METRICS)) for q in QUESTIONS]
    return groups


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

    ``names`` default to the scenario names, with the file name where two are the same
    (:func:`option_names`). Money is in currency units (cents / 100,
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

    Without names, an option is named by its ``[scenario] name``:

    >>> compare([low]).index.tolist()
    ['Le Grand Costumier 2016']
    """
    if names is None:
        names = option_names([r.scenario for r in results])
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
    >>> metric_text(22000.0, "total_interest", "en", "CAD"), metric_text(1.0, "years_below_count", "fr", "CAD")
    ('$22,000.00', '1')
    """
    kind = METRIC_KINDS[metric]
    if kind == "count" and value is not None:  # a whole number, however it was stored
        return number_text(float(value), lang, 0)
    return value_text(value, kind, lang, currency, missing=MISSING)


def metric_axis(metric: str, lang: str, currency: str = "CAD") -> str:
    """The label of an axis that shows ``metric``, with its unit: an amount in
    ``currency``, a percentage, a coverage ratio (times) or a number of fiscal years.

    >>> metric_axis("total_cost", "fr"), metric_axis("issuer_all_in_cost", "fr")
    ('Montant (CAD)', 'Pourcentage (%)')
    >>> metric_axis("min_dscr", "en"), metric_axis("years_below_count", "en")
    ('Coverage ratio (times)', 'Number of fiscal years')
    """
    kind = METRIC_KINDS[metric]
    words = {"money": "col.amount", "rate": "cmp.chart.percent_axis",
             "ratio": "cmp.chart.ratio_axis"}.get(kind, "cmp.axis.fiscal_years")  # fmt: skip
    return axis_label(t(words, lang), kind, lang, currency)


def comparison_table(
    table: pd.DataFrame,
    currencies: Sequence[str],
    lang: str,
    names: Sequence[str] | None = None,
    results: Sequence[Result] | None = None,
) -> str:
    """The comparison as aligned text: one line per figure, one column per option.

    ``table`` is :func:`compare`'s DataFrame, ``currencies`` the options' currencies in
    its order; ``names`` the headers of the options (default: the index). The amount
    planned comes first, then with ``results`` (the options' runs, in the table's order)
    their terms (:func:`option_terms`), then each question of the Summary with, given
    ``results``, its status for each option, and its headline figures indented below it
    (:func:`figure_groups`). Money and ratios to the cent, percentages with 2 decimals, in
    the language's style; a figure that does not apply is a dash.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> options = [run(sc), run(sc.with_changes(annual_rate=0.03, term_years=7))]
    >>> table = compare(options, ["2 %", "3 %"])
    >>> print(comparison_table(table, ["CAD", "CAD"], "en", results=options))
    Option                                                       2 %                            3 %
    Total principal                                       $20,000.00                     $20,000.00
    Annual rate                                                2.00%                          3.00%
    Term of the bonds                                        5 years                        7 years
    Repayment style                    Accumulating, simple interest  Accumulating, simple interest
    Can we raise it?                                  Not applicable                 Not applicable
      Chance of reaching the minimum                               —                              —
      Expected raise                                               —                              —
    Can we afford it?                                 Not applicable                 Not applicable
      Lowest coverage ratio                                        —                              —
      Years below the threshold                                    —                              —
      Maturity test                                                —                              —
      Largest affordable issue                                     —                              —
      Largest annual debt service                         $22,000.00                     $24,200.00
    What does it cost?                                            OK                             OK
      Issuer's all-in cost                                     2.97%                          3.51%
      Total interest                                       $2,000.00                      $4,200.00
      Total cost                                           $3,000.00                      $5,200.00
    What could go wrong?                              Not applicable                 Not applicable
      Chance of a liquidity shortfall                              —                              —
      Recommended reserve                                          —                              —
    <BLANKLINE>
    """
    check_language(lang)
    names = list(table.index if names is None else names)
    currencies = list(currencies)
    lines: list[list[str]] = [[t("cmp.option", lang), *names]]
    terms = [option_terms(r, lang) for r in results] if results is not None else None
    statuses = None
    if results is not None:
        from bondkit.runner.answers import answers

        statuses = [{a.key: a.status for a in answers(r, lang)} for r in results]
    differ = results is not None and not all(_one_rate(r) for r in results)

    def figure_line(metric: str, indent: str) -> list[str]:
        cells = [
            metric_text(v, metric, lang, cur)
            for v, cur in zip(table[metric], currencies, strict=True)
        ]
        return [indent + t(FIGURES[metric].short, lang), *cells]

    for question, metrics in figure_groups():
        if question is None:
            lines += [figure_line(m, "") for m in metrics]
            for key in TERMS if terms is not None else ():
                if key != "cmp.average_rate" or differ:
                    lines.append([t(key, lang), *(x[key] for x in terms)])
            continue
        words = [t(f"status.{x[question]}", lang) for x in statuses] if statuses else []
        lines.append([t(f"ask.{question}", lang), *(words or [""] * len(names))])
        lines += [figure_line(m, "  ") for m in metrics]
    widths = [max(len(line[j]) for line in lines) for j in range(len(lines[0]))]
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

    An option to which the figure does not apply gets no bar and a dash. The value axis
    says its unit (:func:`metric_axis`: an amount in ``currency``, a percentage, a
    coverage ratio); its ticks are in the language's style (``3,0 %``, ``20 000``).
    Long option names are written over several lines under their bar.

    >>> from matplotlib.figure import Figure
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> table = compare([run(sc), run(sc.with_changes(annual_rate=0.03))], ["2 %", "3 %"])
    >>> ax = comparison_chart(table, "total_interest", "en", ax=Figure().add_subplot())
    >>> ax.get_title(), ax.get_ylabel(), ax.get_xlabel()
    ('Total interest', 'Amount (CAD)', 'Option')
    >>> [float(bar.get_height()) for bar in ax.patches]  # CAD
    [2000.0, 3000.0]
    >>> ax = comparison_chart(table, "issuer_all_in_cost", "fr", ax=Figure().add_subplot())
    >>> ax.get_ylabel()
    'Pourcentage (%)'
    """
    import numpy as np
    from matplotlib.figure import Figure

    from bondkit.report.chartkit import FIGSIZE, kind_formatter, mathtext_safe, series_colour

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
    names = ["\n".join(textwrap.wrap(str(n), _NAME_WIDTH)) or str(n) for n in table.index]
    ax.set_xticks(x, [mathtext_safe(n) for n in names])
    ax.set_xlim(-0.6, len(values) - 0.4)
    top = max([abs(h) for h in heights] + [0.0])
    ax.set_ylim(min(0.0, *heights) * 1.15, top * 1.15 if top > 0 else 1.0)
    ax.yaxis.set_major_formatter(kind_formatter("count" if kind == "count" else kind, lang))
    if kind == "count":
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(metric_axis(metric, lang, currency))
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
    from bondkit.report.drawers import save_figures

    charts = {
        metric: (
            folder / f"{_chart_stem(metric)}.png",
            lambda ax, metric=metric: comparison_chart(table, metric, lang, currency, ax=ax),
        )
        for metric in METRICS
        if any(as_number(v) is not None for v in table[metric])
    }
    save_figures(charts, jobs=None)
    return {metric: png for metric, (png, _draw) in charts.items()}


# ---------------------------------------------------------------- workbook


def _figure_cell(value: Any, metric: str, lang: str) -> float | str:
    """A figure for the workbook: its number, or the words for why there is none (a dash
    when it does not apply, "cannot be computed" when it has no solution)."""
    number = as_number(value)
    if number is not None:
        return number
    why = FIGURES[metric].missing
    return MISSING if why == "not_applicable" else t(why, lang)


def comparison_blocks(
    table: pd.DataFrame, results: Sequence[Result], lang: str
) -> list[tuple[str, list[str] | None, list[tuple[str, str, list[Any]]]]]:
    """The key table of the comparison workbook, block by block: ``(title, statuses,
    lines)``, a line being ``(label, kind, one value per option)``. First the terms (the
    currency, the amount planned, then :func:`option_terms`: a single rate as a number,
    rates that differ by series in words), then each question of the Summary with each
    option's status (``ok``, ``watch``, ``risk``, ``na``) and its headline figures.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> options = [run(sc), run(sc.with_changes(annual_rate=0.03))]
    >>> blocks = comparison_blocks(compare(options, ["2 %", "3 %"]), options, "en")
    >>> [(title, statuses) for title, statuses, _lines in blocks]  # doctest: +NORMALIZE_WHITESPACE
    [('Terms of the issue', None), ('Can we raise it?', ['na', 'na']),
     ('Can we afford it?', ['na', 'na']), ('What does it cost?', ['ok', 'ok']),
     ('What could go wrong?', ['na', 'na'])]
    >>> blocks[0][2][2], blocks[3][2][2]  # CAD
    (('Annual rate', 'rate', [0.02, 0.03]), ('Total cost', 'money', [3000.0, 4000.0]))
    """
    from bondkit.runner.answers import answers

    check_language(lang)
    terms = [option_terms(r, lang, sep="\n") for r in results]
    statuses = [{a.key: a.status for a in answers(r, lang)} for r in results]
    blocks: list[tuple[str, list[str] | None, list[tuple[str, str, list[Any]]]]] = []
    for question, metrics in figure_groups():
        lines = [
            (t(FIGURES[m].short, lang), METRIC_KINDS[m],
             [_figure_cell(v, m, lang) for v in table[m]])
            for m in metrics
        ]  # fmt: skip
        if question is not None:
            title = t(f"ask.{question}", lang)
            blocks.append((title, [x[question] for x in statuses], lines))
            continue
        currency = (t("cmp.currency", lang), "text", [r.scenario.currency for r in results])
        lines = [currency, *lines]
        differ = not all(_one_rate(r) for r in results)
        for key in TERMS:
            if key == "cmp.average_rate" and not differ:
                continue
            if key in ("cmp.rate", "cmp.average_rate"):
                values = [
                    average_rate(r) if key == "cmp.average_rate" or _one_rate(r) else x[key]
                    for r, x in zip(results, terms, strict=True)
                ]  # fmt: skip
                lines.append((t(key, lang), "rate", values))
            else:
                lines.append((t(key, lang), "text", [x[key] for x in terms]))
        blocks.append((t("cmp.sec.terms", lang), None, lines))
    return blocks


def _write_workbook(
    table: pd.DataFrame, results: Sequence[Result], path: Path, lang: str
) -> list[str]:
    """The comparison workbook (:func:`bondkit.report.workbook.write_comparison_workbook`)."""
    from bondkit.report.workbook import write_comparison_workbook

    blocks = comparison_blocks(table, results, lang)
    names = [str(n) for n in table.index]
    return write_comparison_workbook(list(results), names, blocks, path, lang)


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
