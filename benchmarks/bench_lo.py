"""Benchmark: the LibreOffice verification of the example workbooks (tests/test_workbook_model.py).

Writes every example scenario's workbook in both languages, then recalculates them all in
one headless ``soffice`` call with a private profile (as the test does), and reports both
times against the issue's target: the whole verification under 2 minutes in CI.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from libreoffice import recalculate, soffice  # noqa: E402  (the tests' helper)


def bench_libreoffice() -> list[str]:
    exe = soffice()
    if exe is None:
        return ["LibreOffice verification: soffice not installed, not measured"]
    from bondkit.report.workbook import write_workbook
    from bondkit.runner import run
    from bondkit.scenario import load_scenario

    examples = sorted((ROOT / "scenarios").glob("*.toml"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        for path in examples:
            result = run(load_scenario(path))
            for lang in ("en", "fr"):
                write_workbook(result, folder / f"{path.stem}-{lang}.xlsx", lang)
        written = time.perf_counter() - start
        files = sorted(folder.glob("*.xlsx"))
        start = time.perf_counter()
        missing = recalculate(exe, files, folder / "lo", folder / "profile")
        if missing:
            raise RuntimeError(f"LibreOffice did not convert {missing}")
        recalculated = time.perf_counter() - start
    n = len(files)
    return [
        f"LibreOffice verification, {len(examples)} examples x 2 languages ({n} workbooks): "
        f"runs and workbooks {written:.1f} s + one soffice recalculation {recalculated:.1f} s "
        f"= {written + recalculated:.1f} s (target < 120 s in CI)"
    ]


if __name__ == "__main__":
    for line in bench_libreoffice():
        print(line)
