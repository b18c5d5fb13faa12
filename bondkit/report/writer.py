"""Writing a run's files: workbook, summary JSON and charts, all or nothing.

Everything is staged in a hidden folder inside the destination (same file system) and
moved into place only when every file was written, so a failed or interrupted run never
leaves a partial or mixed set behind. The input file is only ever read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bondkit.errors import BondkitError, Message

if TYPE_CHECKING:
    from bondkit.runner import Result

__all__ = ["summary_json", "write_outputs"]


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
    result: Result, out_dir: str | os.PathLike, stem: str, lang: str | None = None
) -> dict[str, Path]:
    """Write ``<stem>.xlsx``, ``<stem>-summary.json`` and ``charts/<stem>-<chart>.png|.svg``.

    The charts are the debt service and the balance, plus the campaign band and the
    distribution of the amount raised when the scenario has a campaign.

    Returns the final paths by kind (``workbook``, ``summary``, ``charts``).
    Raises :class:`BondkitError` when the folder cannot be written. ``out_dir`` is created
    if needed; nothing else in it is touched.

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
    ['charts', 'coop-summary.json', 'coop.xlsx']
    """
    from bondkit.report.charts import save_charts
    from bondkit.report.workbook import write_workbook

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".bondkit-run-", dir=out))
    except OSError as exc:
        raise BondkitError(Message("cmp.err.write", path=out, reason=exc.strerror or exc)) from None
    try:
        (stage / "new" / "charts").mkdir(parents=True)
        new = stage / "new"
        pngs = save_charts(result, new / "charts", stem, lang=lang)
        write_workbook(result, new / f"{stem}.xlsx", lang=lang, charts=pngs)
        (new / f"{stem}-summary.json").write_text(summary_json(result), encoding="utf-8")
        staged = sorted(p.relative_to(new) for p in new.rglob("*") if p.is_file())
        _swap(out, stage, staged, _previous_outputs(out, stem))
    except OSError as exc:
        raise BondkitError(Message("cmp.err.write", path=out, reason=exc.strerror or exc)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {
        "workbook": out / f"{stem}.xlsx",
        "summary": out / f"{stem}-summary.json",
        "charts": [out / rel for rel in staged if rel.parts[0] == "charts"],
    }


def _previous_outputs(out: Path, stem: str) -> list[Path]:
    """The files an earlier run of ``stem`` left in ``out`` (relative paths)."""
    names = [Path(f"{stem}.xlsx"), Path(f"{stem}-summary.json")]
    charts = out / "charts"
    if charts.is_dir():
        names += [
            p.relative_to(out)
            for p in charts.glob(f"{stem}-*")
            if p.suffix in (".png", ".svg") and p.is_file()
        ]
    return [n for n in names if (out / n).is_file()]


def _swap(out: Path, stage: Path, staged: list[Path], previous: list[Path]) -> None:
    """Replace the previous set of outputs by the staged one, or leave the previous one whole.

    The previous files are first moved aside (inside the staging folder), then the new ones
    moved in; if anything fails, what was moved in is removed and the previous set restored.
    """
    old, new = stage / "old", stage / "new"
    moved_aside: list[Path] = []
    moved_in: list[Path] = []
    try:
        for rel in previous:
            (old / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / rel, old / rel)
            moved_aside.append(rel)
        (out / "charts").mkdir(exist_ok=True)
        for rel in staged:
            os.replace(new / rel, out / rel)
            moved_in.append(rel)
    except BaseException:
        for rel in moved_in:
            (out / rel).unlink(missing_ok=True)
        for rel in moved_aside:
            os.replace(old / rel, out / rel)
        raise
