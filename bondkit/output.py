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

from bondkit.errors import BondkitError

if TYPE_CHECKING:
    from bondkit.runner import Result

__all__ = ["summary_json", "write_outputs"]


def summary_json(result: Result) -> str:
    """The summary as JSON text (NaN is never written: unsolvable rates are null)."""
    return json.dumps(result.summary(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_outputs(
    result: Result, out_dir: str | os.PathLike, stem: str, lang: str | None = None
) -> dict[str, Path]:
    """Write ``<stem>.xlsx``, ``<stem>-summary.json`` and ``charts/<stem>-<chart>.png|.svg``.

    The charts are the debt service and the balance, plus the campaign band and the
    distribution of the amount raised when the scenario has a campaign.

    Returns the final paths by kind (``workbook``, ``summary``, ``charts``).
    Raises :class:`BondkitError` when the folder cannot be written.
    """
    from bondkit.charts import save_charts
    from bondkit.excel import write_workbook

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".bondkit-run-", dir=out))
    except OSError as exc:
        raise BondkitError(f"cannot write to {out}: {exc.strerror or exc}") from None
    try:
        (stage / "charts").mkdir()
        pngs = save_charts(result, stage / "charts", stem, lang=lang)
        write_workbook(result, stage / f"{stem}.xlsx", lang=lang, charts=pngs)
        (stage / f"{stem}-summary.json").write_text(summary_json(result), encoding="utf-8")
        staged = sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
        charts = [out / rel for rel in staged if rel.parts[0] == "charts"]
        (out / "charts").mkdir(exist_ok=True)
        for rel in staged:
            os.replace(stage / rel, out / rel)
    except OSError as exc:
        raise BondkitError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {
        "workbook": out / f"{stem}.xlsx",
        "summary": out / f"{stem}-summary.json",
        "charts": charts,
    }
