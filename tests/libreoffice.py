"""Headless LibreOffice recalculation of workbooks, for the tests and the benchmark.

:func:`recalculate` converts every given workbook in ONE ``soffice`` call, with a private
profile whose ``OOXMLRecalcMode`` is 0 (recalculate on load, always): the copies it writes
in ``out`` hold LibreOffice's own values of every formula.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(exe: str, files: Sequence[Path], out: Path, profile: Path) -> list[Path]:
    """Recalculate ``files`` into ``out`` in one call (``profile``: a new folder); the files
    LibreOffice did not write (empty when all went well)."""
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE)
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    return [f for f in files if not (out / Path(f).name).exists()]
