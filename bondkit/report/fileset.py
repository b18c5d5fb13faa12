"""The one all-or-nothing writer: a set of output files replaces the previous set whole.

Every command that writes files (``run``, ``compare``, ``sweep``) goes through
:func:`write_file_set`:

1. the files are written into a staging folder, ``DIR/.bondkit/stage-*/new/`` (same file
   system, so every move is an atomic rename);
2. under the folder's lock, a **journal** is written, the previous files of the set are
   moved aside into ``stage-*/old/``, the new ones moved in, and a commit mark written;
3. the set's **manifest** (``DIR/.bondkit/sets/*.json``) records the files now in place.

A set only ever touches its own files: the ones its manifest lists from the last time and
the ones it writes now, by literal name. Nothing is found by a pattern, so nothing else in
the folder (another scenario's outputs, your own files) is ever moved or deleted.

Killed at any instant (SIGKILL, SIGTERM, a power cut after the rename reached the disk),
the folder is recovered by the next write into it, before anything else: a stage without
a journal is discarded (the previous set was never touched); with a journal but no commit
mark, the moves are undone (the complete previous set is back); with the commit mark, the
new set is complete and the manifest is written. A staging folder whose writer is still
alive is left alone (each writer holds a lock on its own stage). Staging folders of the
bondkit versions before this one (``DIR/.bondkit-run-*`` and the like) are recovered too:
files set aside there are put back where nothing has replaced them.

Locks use ``fcntl`` where the system has it (Linux, macOS); elsewhere two bondkit commands
must not write into the same folder at the same moment.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from bondkit.errors import BondkitError, Message

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["STATE_DIR", "write_file_set", "recover", "manifest"]

#: bondkit's own hidden folder inside an output folder: stages, manifests, the lock
STATE_DIR = ".bondkit"
_LEGACY_PREFIXES = (".bondkit-run-", ".bondkit-compare-", ".bondkit-sweep-")


def write_file_set(
    out_dir: str | os.PathLike, name: str, fill: Callable[[Path], None]
) -> list[Path]:
    """Write the file set ``name`` into ``out_dir``, all or nothing; the final paths.

    ``fill(folder)`` writes the files into an empty staging folder (sub-folders allowed);
    they then replace, together, the files the set ``name`` wrote last time. If ``fill``
    or a move fails, or the process is interrupted, the previous files stay (or are put
    back). Raises :class:`BondkitError` when the folder cannot be written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_file_set(folder, "demo", lambda d: (d / "a.txt").write_text("1"))
    ...     _ = (Path(folder) / "mine.txt").write_text("keep me")
    ...     _ = write_file_set(folder, "demo", lambda d: (d / "b.txt").write_text("2"))
    ...     names = sorted(p.name for p in Path(folder).iterdir())
    >>> names
    ['.bondkit', 'b.txt', 'mine.txt']
    """
    out = Path(out_dir)
    state = out / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix="stage-", dir=state))
    except OSError as exc:
        raise _error(out, exc) from None
    try:
        with _locked(stage / "lock", blocking=True):
            new = stage / "new"
            new.mkdir()
            fill(new)
            staged = sorted(
                PurePosixPath(p.relative_to(new).as_posix()) for p in new.rglob("*") if p.is_file()
            )
            with _locked(state / "lock", blocking=True):
                _recover_locked(out, skip=stage)
                before = {*manifest(out, name), *staged}
                previous = sorted(rel for rel in before if (out / rel).is_file())
                _swap(out, stage, name, staged, previous)
                _write_manifest(out, name, staged)
    except OSError as exc:
        raise _error(out, exc) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        _tidy(state)
    return [out / rel for rel in staged]


def manifest(out_dir: str | os.PathLike, name: str) -> list[PurePosixPath]:
    """The files the set ``name`` last wrote in ``out_dir`` (relative paths; [] if none).

    Entries that would leave the folder (absolute, ``..``) or point into bondkit's own
    folder are ignored: the manifest is a file anybody can edit.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_file_set(folder, "demo", lambda d: (d / "a.txt").write_text("1"))
    ...     mine, other = manifest(folder, "demo"), manifest(folder, "other")
    >>> [str(p) for p in mine], other
    (['a.txt'], [])
    """
    path = _manifest_path(Path(out_dir), name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"] if data.get("name") == name else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    return [rel for rel in (_safe(f) for f in files if isinstance(f, str)) if rel is not None]


def recover(out_dir: str | os.PathLike) -> None:
    """Finish or undo what an interrupted writer left in ``out_dir`` (see the module).

    A stage left without a journal (killed while writing its files) is removed; the
    files in place are untouched:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     stage = Path(folder) / STATE_DIR / "stage-killed" / "new"
    ...     stage.mkdir(parents=True)
    ...     _ = (stage / "half.xlsx").write_text("half")
    ...     recover(folder)
    ...     left = [p.name for p in (Path(folder) / STATE_DIR).iterdir()]
    >>> left
    ['lock']
    """
    out = Path(out_dir)
    state = out / STATE_DIR
    if not state.is_dir() and not any(_legacy_stages(out)):
        return
    state.mkdir(exist_ok=True)
    with _locked(state / "lock", blocking=True):
        _recover_locked(out, skip=None)


# ---------------------------------------------------------------- the swap and its journal


def _swap(
    out: Path, stage: Path, name: str, staged: list[PurePosixPath], previous: list[PurePosixPath]
) -> None:
    old, new = stage / "old", stage / "new"
    journal = {"name": name, "new": [str(r) for r in staged], "old": [str(r) for r in previous]}
    _write_atomic(stage / "journal.json", json.dumps(journal))
    try:
        for rel in previous:
            (old / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / rel, old / rel)
        for rel in staged:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(new / rel, out / rel)
        _write_atomic(stage / "committed", "")
    except BaseException:
        _roll_back(out, stage, journal)
        raise


def _roll_back(out: Path, stage: Path, journal: dict) -> None:
    """Undo a swap: remove what was moved in, put back what was set aside."""
    for rel in (_safe(r) for r in journal.get("new", [])):
        if rel is not None and not (stage / "new" / rel).exists():
            (out / rel).unlink(missing_ok=True)
    for rel in (_safe(r) for r in journal.get("old", [])):
        if rel is not None and (stage / "old" / rel).is_file():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / "old" / rel, out / rel)


def _recover_locked(out: Path, skip: Path | None) -> None:
    state = out / STATE_DIR
    for stage in sorted(state.glob("stage-*")):
        if stage == skip or not stage.is_dir():
            continue
        with _locked(stage / "lock", blocking=False) as free:
            if not free:
                continue  # its writer is alive: still staging
            journal = _read_journal(stage)
            if journal is not None and (stage / "committed").exists():
                _write_manifest(out, journal["name"], [_safe(r) for r in journal["new"]])
            elif journal is not None:
                _roll_back(out, stage, journal)
        shutil.rmtree(stage, ignore_errors=True)
    for legacy in _legacy_stages(out):
        old = legacy / "old"
        for path in sorted(old.rglob("*")) if old.is_dir() else []:
            target = out / path.relative_to(old)
            if path.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
        shutil.rmtree(legacy, ignore_errors=True)


def _tidy(state: Path) -> None:
    """Remove bondkit's folder when it records nothing (a first write that failed)."""
    try:
        if any(p.name != "lock" for p in state.iterdir()):
            return
        (state / "lock").unlink(missing_ok=True)
        state.rmdir()
    except OSError:
        pass


def _legacy_stages(out: Path) -> Iterator[Path]:
    if out.is_dir():
        for p in out.iterdir():
            if p.is_dir() and p.name.startswith(_LEGACY_PREFIXES):
                yield p


def _read_journal(stage: Path) -> dict | None:
    try:
        data = json.loads((stage / "journal.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no journal (or one cut short: its write is atomic, so never begun)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    data.setdefault("new", [])
    data.setdefault("old", [])
    return data


# ---------------------------------------------------------------- manifests and files


def _manifest_path(out: Path, name: str) -> Path:
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return out / STATE_DIR / "sets" / f"{digest}.json"


def _write_manifest(out: Path, name: str, files: list) -> None:
    path = _manifest_path(out, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"name": name, "files": [str(f) for f in files if f is not None]}
    _write_atomic(path, json.dumps(body, ensure_ascii=False, indent=1))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _safe(rel: str) -> PurePosixPath | None:
    """A relative path inside the folder and outside bondkit's own, or None."""
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or ".." in p.parts or p.parts[0] == STATE_DIR:
        return None
    if "\\" in rel or ":" in p.parts[0]:
        return None
    return p


@contextlib.contextmanager
def _locked(path: Path, blocking: bool) -> Iterator[bool]:
    """An exclusive lock on ``path`` (created if missing); yields whether it was taken."""
    if fcntl is None:  # pragma: no cover - Windows
        yield True
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield not blocking  # a stage gone meanwhile: nothing to guard
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _error(out: Path, exc: OSError) -> BondkitError:
    return BondkitError(Message("cmp.err.write", path=out, reason=exc.strerror or exc))
