"""A sweep: the grid of variants of one scenario, their key figures, a table and a heat map.

:func:`parse_vary` reads one ``--vary KEY=SPEC``; :func:`grid` is the cartesian product of
the varied values; :func:`sweep` builds each variant from ``scenario.to_data()`` with its
changes, validates it with :func:`~bondkit.scenario.validate_data`, runs it and keeps the
figures of :func:`bondkit.studies.comparison.compare` (one row per variant; a variant that is not a
valid scenario gets its first problem instead; one that outruns its ``[capacity] cash_flow``
table gets it extended by :func:`~bondkit.scenario.capacity.extend_cash_flow`, the years
added in ``extrapolated_years``); :func:`write_sweep` writes ``sweep.csv``,
``sweep.xlsx`` and ``charts/sweep-<metric>.png|.svg``, all or nothing.

Every variant is run by the same function, :func:`bondkit.runner.run` with the scenario's
seed (common random numbers), whatever the executor: serial, processes (``jobs``) or any
:class:`concurrent.futures.Executor` such as a Dask client's. The rows are put back in grid
order as they finish, so the table is the same whatever the executor or the order of the runs.

Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import textwrap
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from bondkit.errors import BondkitError
from bondkit.labels import check_language, t
from bondkit.report.tables import spreadsheet_text
from bondkit.runner.figures import FIGURES
from bondkit.studies.comparison import (
    METRIC_KINDS,
    METRICS,
    MISSING,
    as_number,
    metric_text,
)
from bondkit.studies.sweep_charts import heat_map_data, save_sweep_chart, sweep_chart
from bondkit.studies.varied import (
    EXTRAPOLATED,
    PROBLEM,
    keys_of,
    plain,
    varied_axis,
    varied_kind,
    varied_texts,
    varied_value_text,
)

if TYPE_CHECKING:
    from bondkit.scenario import Scenario

__all__ = [
    "PROGRESS_THRESHOLD",
    "parse_vary",
    "check_specs",
    "grid",
    "variant_data",
    "sweep",
    "sweep_table",
    "sweep_chart",
    "heat_map_data",
    "write_sweep",
]

#: ``bondkit sweep`` shows a progress bar on stderr when there are more variants than this
PROGRESS_THRESHOLD = 8
_CSV = "sweep.csv"
_WORKBOOK = "sweep.xlsx"
_CHARTS = "charts/"
_NOTE_SPAN = 100.0  # the widest a note of the sweep's sheet is (characters)
_FORMULA_START = ("=", "+", "-", "@")
_SERIES = "series"


class SweepSpecError(BondkitError):
    """A ``--vary`` the sweep cannot use: unknown key, empty list, step not above 0..."""


@dataclass(frozen=True)
class Vary:
    """One varied key and its values, in order (Decimals, ints, dates or text)."""

    key: str
    values: tuple[Any, ...]


def _err(code: str, lang: str, **fields: Any) -> SweepSpecError:
    return SweepSpecError(t(f"sweep.err.{code}", lang).format(**fields))


def _tidy(d: Decimal) -> Decimal | int:
    """A whole Decimal as an int (a term, an amount); any other without trailing zeros."""
    if d == d.to_integral_value():
        return int(d)
    n = d.normalize()
    return n if n.as_tuple().exponent >= -28 else d  # type: ignore[operator]


def _item(text: str) -> Any:
    """One value of a comma list: a whole number, a decimal, a date or text."""
    s = text.strip().replace("_", "")
    try:
        return _tidy(Decimal(s)) if s and s.lower() not in ("nan", "inf", "infinity") else s
    except InvalidOperation:
        pass
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return text.strip()


def parse_vary(text: str, lang: str = "en") -> Vary:
    """``KEY=START:STOP:STEP`` or ``KEY=V1,V2,...`` as a :class:`Vary`.

    The range is computed with Decimals, from start by step, up to stop included when it
    falls on the grid: ``annual_rate=0.02:0.05:0.005`` gives exactly 0.02, 0.025, ... 0.05.
    Raises :class:`SweepSpecError` (message in ``lang``) for a spec it cannot read.
    Values are in the file's units: rates as fractions (0.02 is 2 %), amounts in currency
    units, terms in years, dates ISO (``2016-09-01``).

    >>> parse_vary("annual_rate=0.02:0.03:0.005")
    Vary(key='annual_rate', values=(Decimal('0.02'), Decimal('0.025'), Decimal('0.03')))
    >>> parse_vary("term_years=3,5,7").values, parse_vary("campaign.target=15_000,20_000").values
    ((3, 5, 7), (15000, 20000))
    >>> parse_vary("series[1].issue_date=2016-09-01,2016-10-01").values
    (datetime.date(2016, 9, 1), datetime.date(2016, 10, 1))
    >>> parse_vary("annual_rate=0.05:0.02:0.005")
    Traceback (most recent call last):
    ...
    bondkit.studies.sweeps.SweepSpecError: --vary annual_rate: no values (an empty list, or a stop before the start)
    """
    check_language(lang)
    key, sep, spec = text.partition("=")
    key, spec = key.strip(), spec.strip()
    if not sep or not key:
        raise _err("syntax", lang, spec=text)
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise _err("syntax", lang, spec=text)
        try:
            start, stop, step = (Decimal(p.strip().replace("_", "")) for p in parts)
        except InvalidOperation:
            raise _err("syntax", lang, spec=text) from None
        if not all(x.is_finite() for x in (start, stop, step)):
            raise _err("syntax", lang, spec=text)
        if step <= 0:  # the label's full key: "step" alone reads as a word
            raise SweepSpecError(t("sweep.err.step", lang).format(key=key))
        if stop < start:
            raise _err("empty", lang, key=key)
        count = int((stop - start) // step) + 1
        if count > 100_000:
            raise _err("too_many", lang, key=key, n=count)
        values = tuple(_tidy(start + i * step) for i in range(count))
    else:
        items = [s for s in spec.split(",") if s.strip()]
        if not items:
            raise _err("empty", lang, key=key)
        values = tuple(_item(s) for s in items)
    if len(set(values)) != len(values):
        raise _err("repeated", lang, key=key)
    return Vary(key, values)


def grid(specs: Sequence[Vary]) -> list[dict[str, Any]]:
    """Every combination of the varied values, the first key varying slowest.

    >>> [g["a"] for g in grid([parse_vary("a=0.02:0.03:0.005")])]
    [Decimal('0.02'), Decimal('0.025'), Decimal('0.03')]
    """
    keys = [s.key for s in specs]
    return [
        dict(zip(keys, combo, strict=True))
        for combo in itertools.product(*(s.values for s in specs))
    ]


# ---------------------------------------------------------------- keys and variants


def _table_class(annotation: Any) -> type | None:
    """The Table class of a field (``CampaignTable | None`` -> CampaignTable), if any."""
    from typing import get_args

    from bondkit.scenario import Table

    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Table):
            return candidate
    return None


def check_specs(scenario: Scenario, specs: Sequence[Vary], lang: str = "en") -> None:
    """Refuse keys the scenario cannot vary, with a :class:`SweepSpecError` in ``lang``.

    A key is a series key (``annual_rate``: every series), ``series[N].key`` (the N-th
    series, from 1) or a dotted table key (``campaign.target``, ``costs.upfront``). The
    ``[scenario]`` table (name, language, currency, seed) is not varied: every variant
    keeps the scenario's seed. Returns None when every key can be varied.

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016")
    >>> check_specs(sc, [parse_vary("annual_rate=0.02,0.03"), parse_vary("campaign.minimum=10000,15000")])
    >>> check_specs(sc, [parse_vary("series[2].term_years=3,5")])
    Traceback (most recent call last):
    ...
    bondkit.studies.sweeps.SweepSpecError: --vary series[2].term_years: the scenario has 1 series (number them from 1)
    >>> check_specs(sc.with_changes(risk=None), [parse_vary("risk.renewal_rate=0.5,0.65")])
    Traceback (most recent call last):
    ...
    bondkit.studies.sweeps.SweepSpecError: --vary risk.renewal_rate: the scenario has no [risk] table
    """
    from bondkit.scenario import Scenario, ScenarioTable, SeriesTable, series_key

    check_language(lang)
    if not specs:
        raise _err("none", lang)
    seen: set[str] = set()
    for spec in specs:
        key = spec.key
        if key in seen:
            raise _err("twice", lang, key=key)
        seen.add(key)
        if key in SeriesTable.model_fields:
            if key in ("id", "step_rates"):
                raise _err("unknown_key", lang, key=key)
            continue
        m = series_key(key)
        if m:
            n, field = m
            if field not in SeriesTable.model_fields or field in ("id", "step_rates"):
                raise _err("unknown_key", lang, key=key)
            if not 1 <= n <= len(scenario.series):
                raise _err("series_index", lang, key=key, n=len(scenario.series))
            continue
        parts = key.split(".")
        if len(parts) == 2 and parts[0] == "scenario" and parts[1] in ScenarioTable.model_fields:
            raise _err("scenario_key", lang, key=key)
        cls: type | None = Scenario
        node: Any = scenario
        for depth, part in enumerate(parts):
            fields = getattr(cls, "model_fields", {}) if cls is not None else {}
            if part not in fields or (depth == 0 and part == _SERIES) or len(parts) < 2:
                raise _err("unknown_key", lang, key=key)
            sub = _table_class(fields[part].annotation)
            last = depth == len(parts) - 1
            if last and sub is not None:  # a whole table is not a value
                raise _err("unknown_key", lang, key=key)
            if not last:
                if sub is None:
                    raise _err("unknown_key", lang, key=key)
                node = getattr(node, part, None)
                if node is None:
                    table = ".".join(parts[: depth + 1])
                    raise _err("no_table", lang, key=key, table=table)
            cls = sub


def variant_data(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` (a scenario's :meth:`~bondkit.scenario.Scenario.to_data`) with
    ``changes`` (varied key -> value) applied; keys as :func:`check_specs` accepts them.
    The same rules as :meth:`~bondkit.scenario.Scenario.with_changes`
    (:func:`bondkit.scenario.merge_changes`).

    >>> variant_data({"series": [{"id": "A", "annual_rate": 0.02}]}, {"annual_rate": 0.03})
    {'series': [{'id': 'A', 'annual_rate': 0.03}]}
    """
    from bondkit.scenario import merge_changes

    return merge_changes(data, changes)


def _run_variant(
    data: dict[str, Any], seed: int, max_memory: Any = None, max_time: Any = None
) -> dict[str, Any]:
    """The figures of one variant (``compare``'s row), or its first problem.

    The one function every executor maps: ``run(variant, seed=seed)`` with the scenario's
    seed (and the run's limits), its cash-flow table first extended to its life
    (:func:`~bondkit.scenario.capacity.extend_cash_flow`; the years added in the row). A
    plain module-level function of plain data, so any executor can pickle it.
    """
    from bondkit.errors import ScenarioError
    from bondkit.runner import run
    from bondkit.scenario import validate_data
    from bondkit.scenario.capacity import extend_cash_flow
    from bondkit.studies.comparison import compare

    data, added = extend_cash_flow(data)
    try:
        scenario = validate_data(data)
    except ScenarioError as exc:
        # kept as it is (it pickles): shown in the sweep's language by :func:`sweep`
        return {EXTRAPOLATED: added, PROBLEM: exc.problems[0] if exc.problems else exc}
    try:
        result = run(scenario, seed=seed, max_memory=max_memory, max_time=max_time)
    except (ValueError, OverflowError) as exc:
        return {EXTRAPOLATED: added, PROBLEM: str(exc)}
    row = compare([result], ["variant"]).iloc[0]
    return {m: row[m] for m in METRICS} | {EXTRAPOLATED: added, PROBLEM: None}


def _key_value(value: Any) -> Any:
    """A varied value as a table cell: a float for a fraction, else as it is."""
    return float(value) if isinstance(value, Decimal) else value


def _one_thread() -> None:
    """Start of a worker process: its computations run on one thread, as the processes
    already use the cores. Without this, every worker's OpenBLAS keeps a thread per core
    spinning after each matrix product of the risk simulation, and the risk simulation
    starts its own threads: more busy threads than cores, and ``--jobs 2`` gained 1.3x
    instead of 2x. The numbers do not depend on the number of threads."""
    from threadpoolctl import threadpool_limits

    import bondkit.models.risk

    bondkit.models.risk.THREADS = 1
    threadpool_limits(limits=1)  # every BLAS/OpenMP pool of this process, until it ends


def _gather(
    executor: Executor,
    datas: Sequence[dict[str, Any]],
    seed: int,
    progress: Callable[[int], Any] | None,
    limits: tuple[Any, Any] = (None, None),
) -> list[dict[str, Any]]:
    """Submit every variant to ``executor``; the rows in grid order, whatever order they
    finish in. ``progress(1)`` is called here (never in a worker) as each one finishes.
    If a variant fails, the ones not started are cancelled and its exception raised."""
    futures = [executor.submit(_run_variant, d, seed, *limits) for d in datas]
    place = {f: i for i, f in enumerate(futures)}
    rows: list[dict[str, Any] | None] = [None] * len(futures)
    try:
        for future in as_completed(futures):
            rows[place[future]] = future.result()
            if progress is not None:
                progress(1)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return rows  # type: ignore[return-value]


def sweep(
    scenario: Scenario,
    specs: Sequence[Vary],
    jobs: int = 1,
    executor: Executor | None = None,
    progress: Callable[[int], Any] | None = None,
    lang: str = "en",
    max_memory: Any = None,
    max_time: Any = None,
) -> pd.DataFrame:
    """Run every variant of ``scenario``; one row per variant, in :func:`grid` order.

    Columns: the varied keys (values as given; decimals as floats), then
    :data:`bondkit.studies.comparison.METRICS` (money in currency units, rates and chances as
    fractions; None where a figure does not apply), then ``extrapolated_years``: how many
    fiscal years were added to the variant's ``[capacity] cash_flow`` table because its
    life outruns it (last year held, or grown at ``cash_flow_growth``:
    :func:`~bondkit.scenario.capacity.extend_cash_flow`; 0 when none), then
    ``first_problem``: None, or the first problem of a variant that is not a valid scenario
    (its figures are then None), in ``lang``. The index ``variant`` counts from 1.

    Serial by default; ``jobs > 1`` runs on that many processes, and ``executor`` on any
    :class:`concurrent.futures.Executor` (a Dask client's ``get_executor()``...; give one
    or the other). Each variant is ``run(variant, seed=scenario.seed)``, the same function
    everywhere, so the table does not depend on how it was run. ``progress``, if given, is
    called with 1 each time a variant is done (e.g. a click progress bar's ``update``).

    Before any variant runs, each valid one's memory and time are estimated and checked
    against ``max_memory`` and ``max_time`` (as :func:`bondkit.runner.run` does; None:
    the defaults): one above a limit raises :class:`~bondkit.runner.budget.BudgetError`
    naming the variant and the key to turn.

    Le Grand Costumier over 5 and 7 years: at 7 years its six years of cash flow (fiscal
    years 2017 to 2022) no longer cover the issue, which runs to 2024, so that variant's
    table is extended by 2 years, holding 2022's 6 500 $.

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> table = sweep(sc, [parse_vary("term_years=5,7")])
    >>> shown = ["term_years", "total_interest", "max_annual_debt_service", "extrapolated_years"]
    >>> table[shown].values.tolist()
    [[5, 2000.0, 22000.0, 0], [7, 2800.0, 22800.0, 2]]
    >>> table["first_problem"].tolist()
    [None, None]
    """
    if executor is not None and jobs > 1:
        raise ValueError(t("sweep.err.executor_jobs", "en"))
    check_specs(scenario, specs)
    combos = grid(specs)
    base = scenario.to_data()
    datas = [variant_data(base, c) for c in combos]
    seed = scenario.seed
    _check_budgets(combos, datas, max_memory, max_time)
    limits = (max_memory, max_time)
    if executor is not None:
        rows = _gather(executor, datas, seed, progress, limits)
    elif jobs > 1 and len(datas) > 1:
        from concurrent.futures import ProcessPoolExecutor

        workers = min(jobs, len(datas))
        with ProcessPoolExecutor(max_workers=workers, initializer=_one_thread) as pool:
            rows = _gather(pool, datas, seed, progress, limits)
    else:
        rows = []
        for d in datas:
            rows.append(_run_variant(d, seed, *limits))
            if progress is not None:
                progress(1)
    keys = [s.key for s in specs]
    records = [
        [_key_value(c[k]) for k in keys]
        + [r.get(m) for m in METRICS]
        + [r[EXTRAPOLATED], _said(r[PROBLEM], lang)]
        for c, r in zip(combos, rows, strict=True)
    ]
    index = pd.RangeIndex(1, len(records) + 1, name="variant")
    columns = [*keys, *METRICS, EXTRAPOLATED, PROBLEM]
    return pd.DataFrame(records, index=index, columns=columns, dtype=object)


def _check_budgets(
    combos: Sequence[dict[str, Any]], datas: Sequence[dict[str, Any]], max_memory, max_time
) -> None:
    """Raise BudgetError for the first valid variant (its cash flow extended as it will
    run) whose run would exceed a limit (an invalid one is left to its row's first problem)."""
    from bondkit.errors import Message, ScenarioError
    from bondkit.runner.budget import BudgetError, check_budget
    from bondkit.scenario import validate_data
    from bondkit.scenario.capacity import extend_cash_flow

    for n, (combo, data) in enumerate(zip(combos, datas, strict=True), start=1):
        try:
            variant = validate_data(extend_cash_flow(data)[0])
        except ScenarioError:
            continue
        try:
            check_budget(variant, max_memory, max_time)
        except BudgetError as exc:
            changes = ", ".join(f"{k}={plain(v)}" for k, v in combo.items())
            message = Message("msg.budget_variant", n=n, changes=changes, message=exc.args[0])
            raise BudgetError(message) from None


def _said(problem: Any, lang: str) -> str | None:
    """A variant's problem in ``lang`` (a Problem or a BondkitError render; text as is)."""
    render = getattr(problem, "render", None)
    return render(lang) if render is not None else problem


# ---------------------------------------------------------------- text


def _csv_cell(value: Any) -> str:
    """A cell of sweep.csv: numbers and dates as :func:`~bondkit.studies.varied.plain`,
    text safe for a spreadsheet (:func:`bondkit.report.tables.spreadsheet_text`)."""
    if isinstance(value, str):
        return spreadsheet_text(value)
    return plain(value)


def sweep_csv(table: pd.DataFrame) -> str:
    """The table as CSV: a header of key names, unformatted numbers, empty when absent."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_text(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def _shown_metrics(table: pd.DataFrame) -> list[str]:
    """The metrics with at least one value (the others do not apply to this scenario)."""
    return [m for m in METRICS if any(as_number(v) is not None for v in table[m])]


def sweep_table(table: pd.DataFrame, lang: str, currency: str = "CAD") -> str:
    """The sweep as aligned text for the terminal: one line per variant.

    Money to the cent in ``currency``, percentages with 2 decimals, in ``lang``'s style;
    figures that apply to no variant are left out, and so are the years of cash flow
    extrapolated when no variant has any.

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> table = sweep(sc, [parse_vary("annual_rate=0.02,0.03")])
    >>> print(sweep_table(table, "en"))
    annual_rate  Total principal  Issuer's all-in cost  Total interest  Total cost  Largest annual debt service  Problem
           0.02       $20,000.00                 2.97%       $2,000.00   $3,000.00                   $22,000.00
           0.03       $20,000.00                 3.89%       $3,000.00   $4,000.00                   $23,000.00
    <BLANKLINE>
    """
    check_language(lang)
    keys = keys_of(table)
    metrics = _shown_metrics(table)
    extra = [EXTRAPOLATED] if any(table[EXTRAPOLATED]) else []
    head = [*keys, *(t(FIGURES[m].short, lang) for m in metrics)]
    head += [*(t("sweep.extrapolated", lang) for _ in extra), t("sweep.problem", lang)]
    lines = [head]
    for _, row in table.iterrows():
        cells = [plain(row[k]) for k in keys]
        cells += [metric_text(as_number(row[m]), m, lang, currency) for m in metrics]
        cells += [plain(row[k]) for k in extra]
        cells.append(row[PROBLEM] or "")
        lines.append(cells)
    widths = [max(len(line[j]) for line in lines) for j in range(len(head))]
    out = []
    for line in lines:
        body = [c.rjust(w) for c, w in zip(line[:-1], widths[:-1], strict=True)]
        out.append("  ".join([*body, line[-1]]).rstrip())
    return "\n".join(out) + "\n"


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


# ---------------------------------------------------------------- workbook


def _write_workbook(table: pd.DataFrame, path: Path, lang: str, currency: str, seed: int) -> None:
    import xlsxwriter

    from bondkit.report.workbook import number_formats
    from bondkit.report.workbook.printing import column_points, print_plan, set_up_printing

    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    codes, top = number_formats(lang, currency), {"valign": "top"}
    wrap = {"text_wrap": True, **top}
    formats = {k: wb.add_format({"num_format": codes[k], **top}) for k in ("money", "rate", "ratio", "date")}  # fmt: skip
    formats |= {k: wb.add_format({"num_format": codes[c], **top}) for k, c in (("count", "int"), ("years", "int"))}  # fmt: skip
    formats |= {
        "title": wb.add_format({"bold": True, "font_size": 14, "font_color": "#1f4e79"}),
        "header": wb.add_format({"bold": True, "bottom": 1, "bg_color": "#dde7f1", **wrap}),
        "number": wb.add_format(top),
        "text": wb.add_format(wrap),
        "quoted": wb.add_format({"quote_prefix": True, **wrap}),
        "missing": wb.add_format({"align": "center", **top}),
        "note": wb.add_format({"italic": True, "font_color": "#404040", **wrap}),
    }
    widths: dict[int, float] = {}  # columns as wide as their figures; headers and text wrap
    texts: list[tuple[int, int, str, bool]] = []  # (row, column, text, bold)

    def write_text(row: int, col: int, text: str, kind: str = "text", most: float = 40.0) -> None:
        ws.write_string(row, col, text, formats["quoted" if text.startswith(_FORMULA_START) else kind])  # fmt: skip
        words = max((len(w) for w in text.split()), default=0)
        widths[col] = max(widths.get(col, 6.0), words * 1.05 + 2, min(len(text) / 1.18 + 2, most))
        texts.append((row, col, text, kind == "header"))

    ws = wb.add_worksheet(t("sweep.sheet", lang))
    ws.write_string(0, 0, t("sweep.title", lang), formats["title"])
    keys, header_row = keys_of(table), 2
    # the variant in words first (narrow: printed again at the left of every page), then
    # each varied key in words with its unit (its name is in sweep.csv and in the notes)
    heads = [varied_axis(k, lang, currency) for k in keys]
    figures = [t(FIGURES[m].short, lang) for m in METRICS]
    headers = [t("cmp.col.variant", lang), *heads, *figures, t("sweep.extrapolated", lang)]
    for col, text in enumerate([*headers, t("sweep.problem", lang)]):
        write_text(header_row, col, text, "header", most=12.0)
    for i, (_, row) in enumerate(table.iterrows()):
        r = header_row + 1 + i
        words = " · ".join(varied_value_text(k, row[k], lang, currency) for k in keys)
        write_text(r, 0, words, most=22.0)
        widths[0] = max(widths[0], len(words) * 1.05 + 3)  # on one line
        for col, k in enumerate(keys, start=1):
            v = row[k]
            if isinstance(v, dt.date):
                ws.write_datetime(r, col, dt.datetime.combine(v, dt.time()), formats["date"])
                widths[col] = max(widths.get(col, 6.0), 12)
            elif _is_number(v):
                kind = varied_kind(k)
                ws.write_number(r, col, v, formats.get(kind, formats["number"]))
                shown = varied_texts(k, [v], lang)[0]
                widths[col] = max(widths.get(col, 6.0), len(shown) + (5 if kind == "money" else 3))
            else:
                write_text(r, col, varied_texts(k, [v], lang)[0])
        for j, m in enumerate(METRICS, start=1 + len(keys)):
            value = as_number(row[m])
            if value is None:
                ws.write_string(r, j, MISSING, formats["missing"])
                continue
            ws.write_number(r, j, value, formats[METRIC_KINDS[m]])
            widths[j] = max(widths.get(j, 6.0), len(metric_text(value, m, lang, currency)) + 3)
        ws.write_number(r, len(headers) - 1, row[EXTRAPOLATED], formats["number"])
        if row[PROBLEM]:
            write_text(r, len(headers), str(row[PROBLEM]))
    last_col, note = len(headers), header_row + len(table) + 2
    named = "; ".join(f"{h} = {k}" for h, k in zip(heads, keys, strict=True))
    notes = [t("cmp.note.keys", lang).format(keys=named), t("cmp.note.missing", lang)]
    notes += [t("sweep.note.seed", lang).format(seed=seed)]
    notes += [t("sweep.note.extrapolated", lang)] if any(table[EXTRAPOLATED]) else []
    # each note in one cell across the columns of the first printed page (at most about
    # 100 characters: a wider font than Calibri prints fewer columns a page), wrapped
    plan = print_plan([column_points(widths.get(c, 8.43)) for c in range(last_col + 1)])
    end = plan.breaks[0] - 1 if plan.breaks else last_col
    while end > 0 and sum(widths.get(c, 8.43) for c in range(end + 1)) > _NOTE_SPAN:
        end -= 1
    span = int(sum(widths.get(c, 8.43) for c in range(end + 1)))
    lines = {note + k: len(textwrap.wrap(text, span)) for k, text in enumerate(notes)}
    for k, text in enumerate(notes):
        ws.merge_range(note + k, 0, note + k, end, text, formats["note"])
    for r, col, text, bold in texts:  # rows tall enough for their wrapped text
        per_line = max(int((widths[col] - 1) * 1.05 / (1.25 if bold else 1.0)), 4)
        lines[r] = max(lines.get(r, 1), len(textwrap.wrap(text, per_line)))
    for col, width in widths.items():
        ws.set_column(col, col, round(width, 1))
    for r, n in lines.items():
        ws.set_row(r, 15.0 * max(n, 1) + 2)
    ws.freeze_panes(header_row + 1, 1 + len(keys))
    ws.autofilter(header_row, 0, header_row + len(table), last_col)
    set_up_printing(ws, widths, note + len(notes) - 1, last_col, header_row)  # its only table
    wb.close()


def write_sweep(
    table: pd.DataFrame,
    out_dir: str | os.PathLike,
    metric: str = "issuer_all_in_cost",
    lang: str = "en",
    currency: str = "CAD",
    seed: int = 0,
) -> dict[str, Any]:
    """Write ``sweep.csv``, ``sweep.xlsx`` and ``charts/sweep-<metric>.png|.svg``.

    Written all or nothing (:func:`bondkit.report.fileset.write_file_set`): an earlier
    sweep's files are replaced as a whole, and nothing else in ``out_dir`` is touched. Returns ``{"csv", "workbook", "chart_files"}``.
    Raises :class:`BondkitError` when the folder cannot be written. ``seed`` is the
    scenario's, named in the workbook. The CSV has unformatted numbers: money in currency
    units, rates as fractions.

    >>> import pathlib, tempfile
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     campaign=None, capacity=None, risk=None)
    >>> table = sweep(sc, [parse_vary("annual_rate=0.02,0.03")])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_sweep(table, tmp, "total_interest", seed=sc.seed)
    ...     found = [p.relative_to(tmp) for p in pathlib.Path(tmp).rglob("*.*")]
    ...     files = sorted(p.as_posix() for p in found if p.parts[0] != ".bondkit")
    ...     rows = out["csv"].read_text(encoding="utf-8").splitlines()
    >>> files
    ['charts/sweep-total-interest.png', 'charts/sweep-total-interest.svg', 'sweep.csv', 'sweep.xlsx']
    >>> rows[0].split(",")[:4], rows[2].split(",")[3]
    (['annual_rate', 'total_principal', 'issuer_all_in_cost', 'total_interest'], '3000.0')
    """
    from bondkit.report.fileset import write_file_set

    check_language(lang)
    if metric not in METRICS:
        raise ValueError(metric)

    def fill(new: Path) -> None:
        (new / _CHARTS).mkdir()
        (new / _CSV).write_text(sweep_csv(table), encoding="utf-8")
        _write_workbook(table, new / _WORKBOOK, lang, currency, seed)
        save_sweep_chart(table, metric, new / _CHARTS, lang, currency)

    out = Path(out_dir)
    written = write_file_set(out, "sweep", fill)
    return {
        "csv": out / _CSV,
        "workbook": out / _WORKBOOK,
        "chart_files": [p for p in written if p.parent == out / Path(_CHARTS).name],
    }
