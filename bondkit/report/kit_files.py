"""Writing the investor kit's files: the .docx of each language asked, and its PDF when
LibreOffice is installed, all or nothing.

Each language is its own file set (:func:`bondkit.report.fileset.write_file_set`, named
``kit:<stem>:<lang>``): ``<stem>-kit-fr.docx`` and ``<stem>-kit-fr.pdf`` replace the
French kit written last time and nothing else, so that writing the English kit later
leaves the French one in place. Every document, and every PDF, is made in a private
temporary folder first: a document that cannot be built, or a conversion that hangs, has
written nothing yet.

The PDF is LibreOffice's (``soffice --headless --convert-to pdf``), every language in one
call, with a private profile (``-env:UserInstallation``), so that it works while another
LibreOffice runs. Without LibreOffice, or when it fails, the .docx files are written
alone and :class:`KitFiles` says why.

>>> import tempfile
>>> from bondkit.runner import run
>>> from bondkit.scenario import load_example
>>> result = run(load_example("cinema-du-parc-2016"))
>>> with tempfile.TemporaryDirectory() as folder:
...     files = write_investor_kit(result, folder, "cinema", ["fr", "en"], pdf=False)
...     names = sorted(p.name for p in Path(folder).iterdir())
>>> [p.name for p in files.paths], names
(['cinema-kit-fr.docx', 'cinema-kit-en.docx'], ['.bondkit', 'cinema-kit-en.docx', 'cinema-kit-fr.docx'])
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bondkit.report.fileset import write_file_set

if TYPE_CHECKING:  # pragma: no cover
    from bondkit.runner import Result

__all__ = ["KitFiles", "kit_file_name", "find_office", "docx_to_pdf", "write_investor_kit"]

#: the longest a conversion to PDF may take [s]
PDF_TIMEOUT = 300


@dataclass(frozen=True)
class KitFiles:
    """The files a kit wrote (``paths``: each language's .docx, then its PDF when made),
    whether LibreOffice was found (``office``) and, when it failed to make a PDF, the
    reason (``pdf_problem``; None when it did or was not asked)."""

    paths: tuple[Path, ...]
    office: bool
    pdf_problem: str | None = None


def kit_file_name(stem: str, lang: str, suffix: str) -> str:
    """The name of a kit's file: ``<stem>-kit-<lang>.<suffix>``.

    >>> kit_file_name("cinema-du-parc-2016", "fr", "docx")
    'cinema-du-parc-2016-kit-fr.docx'
    """
    return f"{stem}-kit-{lang}.{suffix}"


def find_office() -> str | None:
    """LibreOffice's command (``soffice``, else ``libreoffice``) on the PATH, or None.

    >>> find_office() is None or Path(find_office()).name in ("soffice", "libreoffice")
    True
    """
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(exe: str, files: Sequence[Path], out: Path, profile: Path) -> str | None:
    """Convert ``files`` (.docx) to PDF into ``out`` in one LibreOffice call, with the
    private profile folder ``profile`` (created); None when every PDF was made, else the
    reason.

    >>> docx_to_pdf("/no/such/soffice", [Path("kit.docx")], Path("."), Path("lo"))
    'cannot run /no/such/soffice'
    """
    command = [
        exe,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PDF_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return f"timeout after {PDF_TIMEOUT} s"
    except OSError:
        return f"cannot run {exe}"
    missing = [f.name for f in files if not (out / f.with_suffix(".pdf").name).is_file()]
    if missing:
        said = (done.stderr or done.stdout or "").strip().splitlines()
        return f"exit {done.returncode}: " + (said[-1] if said else ", ".join(missing))
    return None


def write_investor_kit(
    result: Result,
    out_dir: str | os.PathLike,
    stem: str,
    langs: Sequence[str],
    pdf: bool = True,
) -> KitFiles:
    """Write the kit of ``result`` in each of ``langs`` into ``out_dir``: the .docx and,
    with ``pdf`` and LibreOffice, the PDF (see the module). Raises
    :class:`~bondkit.errors.BondkitError` when the folder cannot be written.

    >>> import tempfile
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> result = run(load_example("solar-coop-multi-series"))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_investor_kit(result, folder, "solar", ["en"], pdf=False)
    >>> [p.name for p in files.paths], files.pdf_problem
    (['solar-kit-en.docx'], None)
    """
    from bondkit.report.investor_kit import kit_document

    exe = find_office() if pdf else None
    problem = None
    with tempfile.TemporaryDirectory(prefix="bondkit-kit-") as tmp:
        build = Path(tmp) / "build"
        build.mkdir()
        documents = []
        for lang in langs:
            path = build / kit_file_name(stem, lang, "docx")
            kit_document(result, lang).save(str(path))
            documents.append(path)
        if exe is not None:
            problem = docx_to_pdf(exe, documents, build, Path(tmp) / "lo")
        written: list[Path] = []
        for lang in langs:
            names = [kit_file_name(stem, lang, suffix) for suffix in ("docx", "pdf")]
            ready = [build / n for n in names if (build / n).is_file()]

            def fill(new: Path, ready: list[Path] = ready) -> None:
                for path in ready:
                    shutil.copyfile(path, new / path.name)

            written += write_file_set(out_dir, f"kit:{stem}:{lang}", fill)
    return KitFiles(tuple(written), exe is not None, problem)
