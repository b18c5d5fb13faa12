"""Writing a run's files: workbook, summary JSON and charts, all or nothing.

The files go through :func:`bondkit.report.fileset.write_file_set`: staged, then moved
into place together, replacing only what this scenario's earlier run wrote, so a failed or
interrupted run never leaves a partial or mixed set and never touches another file. The
input file is only ever read.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bondkit.report.fileset import write_file_set

if TYPE_CHECKING:
    from bondkit.report.drawers import Drawers
    from bondkit.runner import Result

#: the function that lists a run's charts, named so that this process need not load it
_RUN_CHARTS = "bondkit.report.charts:run_charts"

__all__ = ["output_stem", "summary_json", "write_outputs", "to_excel"]


def output_stem(file: str | os.PathLike) -> str:
    """The name of a scenario's outputs (run, kit): the file name without ``.toml``, never
    hidden (leading dots dropped) and never empty (``scenario``).

    >>> output_stem(Path("coop.v2.toml")), output_stem(Path(".toml")), output_stem(Path(".x.toml"))
    ('coop.v2', 'scenario', 'x')
    """
    file = Path(file)
    name = file.name[: -len(".toml")] if file.name.endswith(".toml") else file.stem
    return name.lstrip(".") or "scenario"


def summary_json(result: Result) -> str:
    """The summary as JSON text (NaN is never written: unsolvable rates are null).

    Money is in currency units rounded to the cent, rates are fractions, dates ISO. The
    starter scenario, a co-op's 100,000 $ 5-year bullet at 4 % with 5,000 $ of upfront
    costs and 500 $ a year of administration: 5 x 4,000 $ of interest, 104,000 $ due in
    the maturity year, and no campaign:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> summary = json.loads(summary_json(result))
    >>> [summary[k] for k in ("total_principal", "total_interest", "max_annual_debt_service")]
    [100000.0, 20000.0, 104000.0]
    >>> summary["upfront_costs"], summary["annual_admin_total"], summary["campaign"]
    (5000.0, 2500.0, None)
    """
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_outputs(
    result: Result,
    out_dir: str | os.PathLike,
    stem: str,
    lang: str | None = None,
    charts: str | Iterable[str] = "both",
    drawers: Drawers | None = None,
) -> dict[str, Path]:
    """Write ``<stem>.xlsx``, ``<stem>-summary.json`` and ``charts/<stem>-<chart>.png|.svg``.

    The charts are the debt service and the balance, plus the campaign band and the
    distribution of the amount raised when the scenario has a campaign.

    ``charts`` says which chart files are written: ``"both"`` (PNG and SVG), ``"png"``,
    ``"svg"`` or ``"none"`` (no ``charts`` folder); the workbook shows the PNGs, so it has
    no pictures without them. The charts are drawn by other processes, one per core where
    that is safe, while this one writes the workbook (:class:`bondkit.report.drawers.Drawers`;
    ``drawers``, made before the result was computed, have matplotlib loaded already); the
    files are those one process draws.

    Returns the final paths by kind (``workbook``, ``summary``, ``charts``).
    Raises :class:`~bondkit.errors.BondkitError` when the folder cannot be written.
    ``out_dir`` is created if needed; nothing else in it is touched (bondkit keeps its
    journal and the list of the files it wrote in ``out_dir/.bondkit/``).

    The starter scenario (a co-op's 100,000 $ 5-year bullet at 4 %), written in a
    temporary folder; no staging folder is left behind:

    >>> import tempfile
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> result = run(starter_scenario())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_outputs(result, folder, "coop")
    ...     left = sorted(p.name for p in Path(folder).iterdir())
    >>> paths["workbook"].name, paths["summary"].name
    ('coop.xlsx', 'coop-summary.json')
    >>> [p.name for p in paths["charts"]]
    ['coop-balance.png', 'coop-balance.svg', 'coop-debt-service.png', 'coop-debt-service.svg']
    >>> left
    ['.bondkit', 'charts', 'coop-summary.json', 'coop.xlsx']
    """
    from bondkit.report.chartkit import chart_formats
    from bondkit.report.drawers import Drawers, run_chart_names

    formats = chart_formats(charts)

    def fill(new: Path) -> None:
        folder = new / "charts"
        paths = {}
        if formats:
            folder.mkdir()
            paths = {n: folder / f"{stem}-{n}.{formats[0]}" for n in run_chart_names(result)}
        with drawers if drawers is not None else Drawers(formats=formats) as ahead:
            args = (result, folder, stem, lang)
            with ahead.draw(_RUN_CHARTS, args, paths, formats) as drawing:
                # loaded once the charts are under way (XlsxWriter and the sheets' modules)
                from bondkit.report.workbook import write_workbook

                pngs = drawing.paths if "png" in formats else None
                xlsx = new / f"{stem}.xlsx"
                # the workbook is closed once the PNGs are drawn, while the SVGs are
                write_workbook(result, xlsx, lang=lang, charts=pngs, ready=drawing.pngs)
                (new / f"{stem}-summary.json").write_text(summary_json(result), encoding="utf-8")

    out = Path(out_dir)
    written = write_file_set(out, f"run:{stem}", fill)
    return {
        "workbook": out / f"{stem}.xlsx",
        "summary": out / f"{stem}-summary.json",
        "charts": [p for p in written if p.parent == out / "charts"],
    }


def to_excel(result: Result, path: str | os.PathLike, lang: str | None = None) -> Path:
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
