"""Write, or compare, every example's outputs in both languages.

    python tools/snapshot.py write DIR      # run, schedule csv, for each example x {fr,en}
    python tools/snapshot.py compare A B    # JSON/CSV byte-identical (but the version
                                            # field); workbooks equal cell by cell

Used to prove that a refactoring changed no output (issue #10). It drives the CLI only,
so the same script works on the code before and after.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fr", "en")


def _examples() -> list[Path]:
    return sorted((ROOT / "scenarios").glob("*.toml"))


def write(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for path in _examples():
        for lang in LANGS:
            # the scenario's own language unless asked: rewrite the language key
            text = re.sub(r'(?m)^language\s*=.*$', f'language = "{lang}"', path.read_text())
            with tempfile.TemporaryDirectory() as tmp:
                src = Path(tmp) / path.name
                src.write_text(text, encoding="utf-8")
                out = dest / f"{path.stem}.{lang}"
                subprocess.run(
                    [sys.executable, "-m", "bondkit", "run", str(src), "--out", str(out)],
                    check=True, capture_output=True,
                )
                csv = subprocess.run(
                    [sys.executable, "-m", "bondkit", "schedule", str(src), "--format", "csv"],
                    check=True, capture_output=True,
                ).stdout
                (out / f"{path.stem}-schedule.csv").write_bytes(csv)
    for lang in LANGS:
        bk = [sys.executable, "-m", "bondkit"]
        files = [str(p) for p in _examples()]
        shown = subprocess.run(
            [*bk, "compare", *files, "--lang", lang, "--out", str(dest / f"compare.{lang}")],
            check=True, capture_output=True).stdout
        (dest / f"compare.{lang}" / "stdout.csv").write_bytes(shown.replace(str(dest).encode(), b"DEST"))
        table = subprocess.run(
            [*bk, "sweep", files[1], "--vary", "annual_rate=0.02:0.04:0.01", "--vary",
             "term_years=3,5", "--lang", lang, "--out", str(dest / f"sweep.{lang}")],
            check=True, capture_output=True).stdout
        (dest / f"sweep.{lang}" / "stdout.csv").write_bytes(table.replace(str(dest).encode(), b"DEST"))
    print(f"wrote {len(_examples()) * len(LANGS)} sets, comparisons and sweeps to {dest}")


def _cells(path: Path) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(path)  # formulas, not cached values
    cells = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[(ws.title, c.coordinate)] = (c.value, c.number_format)
    values = load_workbook(path, data_only=True)  # the cached values
    for ws in values.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[(ws.title, c.coordinate, "cached")] = c.value
    return cells


def compare(a: Path, b: Path) -> int:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and ".bondkit" not in p.parts)
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and ".bondkit" not in p.parts)
    problems = []
    if files_a != files_b:
        problems.append(f"file sets differ: {set(files_a) ^ set(files_b)}")
    counts = {"json": 0, "csv": 0, "xlsx": 0, "cells": 0}
    for rel in sorted(set(files_a) & set(files_b)):
        pa, pb = a / rel, b / rel
        if rel.suffix == ".json":
            ja, jb = json.loads(pa.read_text()), json.loads(pb.read_text())
            ja.pop("bondkit_version", None)
            jb.pop("bondkit_version", None)
            if ja != jb:
                problems.append(f"{rel}: JSON differs")
            strip = re.compile(r'\n\s*"bondkit_version": "[^"]*",')
            if strip.sub("", pa.read_text()) != strip.sub("", pb.read_text()):
                problems.append(f"{rel}: JSON text differs")
            counts["json"] += 1
        elif rel.suffix == ".csv":
            if pa.read_bytes() != pb.read_bytes():
                problems.append(f"{rel}: CSV differs")
            counts["csv"] += 1
        elif rel.suffix == ".xlsx":
            ca, cb = _cells(pa), _cells(pb)
            diff = [k for k in set(ca) | set(cb) if ca.get(k) != cb.get(k)]
            if diff:
                problems.append(f"{rel}: {len(diff)} cells differ, e.g. {sorted(diff)[:5]}")
            counts["xlsx"] += 1
            counts["cells"] += len(ca)
    print(
        f"compared {counts['json']} summaries, {counts['csv']} schedules, "
        f"{counts['xlsx']} workbooks ({counts['cells']} cell entries: value, format, cached)"
    )
    for p in problems:
        print("DIFF", p)
    print("identical" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["write"]:
        write(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["compare"]:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
