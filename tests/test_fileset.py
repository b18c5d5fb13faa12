"""The one all-or-nothing writer (bondkit.report.fileset): own files only, kill-safe swap."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.report.fileset import STATE_DIR, manifest, recover, write_file_set

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "grand-costumier-2016.toml"
posix_only = pytest.mark.skipif(os.name == "nt", reason="signals and fcntl locks")


def _files(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` but bondkit's own, with its text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text(errors="surrogateescape")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and STATE_DIR not in p.relative_to(folder).parts
    }


def _fill(files: dict[str, str]):
    def fill(new: Path) -> None:
        for rel, text in files.items():
            (new / rel).parent.mkdir(parents=True, exist_ok=True)
            (new / rel).write_text(text)

    return fill


# ---------------------------------------------------------------- only its own files


def test_a_set_replaces_what_it_wrote_and_nothing_else(tmp_path):
    write_file_set(tmp_path, "a", _fill({"a.txt": "1", "charts/a-x.png": "1"}))
    write_file_set(tmp_path, "b", _fill({"b.txt": "1"}))
    (tmp_path / "charts" / "a-logo.png").write_text("user")
    write_file_set(tmp_path, "a", _fill({"a.txt": "2", "charts/a-y.png": "2"}))
    assert _files(tmp_path) == {
        "a.txt": "2",
        "b.txt": "1",
        "charts/a-logo.png": "user",
        "charts/a-y.png": "2",
    }
    assert [str(p) for p in manifest(tmp_path, "a")] == ["a.txt", "charts/a-y.png"]


def test_a_tampered_manifest_cannot_reach_outside_the_folder(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    out = tmp_path / "out"
    write_file_set(out, "a", _fill({"a.txt": "1"}))
    (own,) = (out / STATE_DIR / "sets").glob("*.json")
    data = json.loads(own.read_text())
    data["files"] += ["../precious.txt", str(outside), ".bondkit/lock", 7]
    own.write_text(json.dumps(data))
    write_file_set(out, "a", _fill({"b.txt": "2"}))
    assert outside.read_text() == "keep" and _files(out) == {"b.txt": "2"}


def test_a_failed_fill_leaves_the_previous_set_and_no_state(tmp_path):
    def broken(new: Path) -> None:
        (new / "a.txt").write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="No space left"):
        write_file_set(tmp_path / "first", "a", broken)
    assert list((tmp_path / "first").iterdir()) == []
    write_file_set(tmp_path / "out", "a", _fill({"a.txt": "1"}))
    with pytest.raises(Exception, match="No space left"):
        write_file_set(tmp_path / "out", "a", broken)
    assert _files(tmp_path / "out") == {"a.txt": "1"}
    assert not list((tmp_path / "out" / STATE_DIR).glob("stage-*"))


def _cli(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def test_run_never_deletes_another_scenarios_charts_or_the_users(tmp_path):
    """Issue #11, 1: coop.toml and coop-v2.toml in one folder, and the user's logo."""
    for name in ("coop.toml", "coop-v2.toml", "*.toml", "issue [v2].toml"):
        shutil.copy(EXAMPLE, tmp_path / name)
    out = tmp_path / "out"
    _cli("run", str(tmp_path / "coop-v2.toml"), "--out", str(out))
    v2 = _files(out)
    assert len([n for n in v2 if n.startswith("charts/coop-v2-")]) == 12
    (out / "charts" / "coop-logo.png").write_text("logo")
    (out / "charts" / "issue v-map.png").write_text("map")
    for name in ("coop.toml", "*.toml", "issue [v2].toml"):
        _cli("run", str(tmp_path / name), "--out", str(out))
    after = _files(out)
    assert {k: after[k] for k in v2} == v2  # every coop-v2 file is still there, unchanged
    assert after["charts/coop-logo.png"] == "logo" and after["charts/issue v-map.png"] == "map"
    assert "charts/*-balance.png" in after and "charts/issue [v2]-balance.png" in after


def test_sweep_never_deletes_a_run_named_sweep_something(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "sweep-low.toml")
    out = tmp_path / "out"
    _cli("run", str(tmp_path / "sweep-low.toml"), "--out", str(out))
    runs = _files(out)
    _cli("sweep", str(tmp_path / "sweep-low.toml"), "--vary", "annual_rate=0.02,0.03",
         "--out", str(out))  # fmt: skip
    after = _files(out)
    assert {k: after[k] for k in runs} == runs and "sweep.csv" in after


# ---------------------------------------------------------------- killed at every move

_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from bondkit.report import fileset

    out, kill_at, sig = Path(sys.argv[1]), int(sys.argv[2]), getattr(signal, sys.argv[3])
    calls = 0
    real = os.replace

    def replace(src, dst):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), sig)
        return real(src, dst)

    fileset.os.replace = replace

    def fill(new):
        (new / "charts").mkdir()
        for name in ("a.xlsx", "a-summary.json", "charts/a-1.png", "charts/a-2.png",
                     "charts/a-3.png"):
            (new / name).write_text("new")

    fileset.write_file_set(out, "run:a", fill)
    print(calls)
    """
)
OLD = {"a.xlsx": "old", "a-summary.json": "old", "charts/a-1.png": "old",
       "charts/a-2.png": "old", "charts/a-old-only.png": "old"}  # fmt: skip
NEW = {"a.xlsx": "new", "a-summary.json": "new", "charts/a-1.png": "new",
       "charts/a-2.png": "new", "charts/a-3.png": "new"}  # fmt: skip


def _killed(tmp_path: Path, kill_at: int, sig: str) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path / f"{sig}-{kill_at}"
    write_file_set(out, "run:a", _fill(OLD))
    (out / "notes.txt").write_text("the user's")
    script = tmp_path / "killer.py"
    script.write_text(_KILLER)
    done = subprocess.run(
        [sys.executable, str(script), str(out), str(kill_at), sig],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out, done


@posix_only
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_killed_at_every_move_the_folder_holds_the_old_or_the_new_set(tmp_path, sig):
    _, whole = _killed(tmp_path, 10_000, sig)  # never killed: count the moves
    moves = int(whole.stdout)
    assert moves >= 2 * len(OLD) + 3  # set aside, moved in, journal, commit, manifest
    outcomes = {"old": 0, "new": 0}
    for k in range(1, moves + 1):
        out, done = _killed(tmp_path, k, sig)
        assert done.returncode == -getattr(signal, sig), (k, done.stderr)
        recover(out)  # what the next bondkit command does first
        seen = _files(out)
        assert seen.pop("notes.txt") == "the user's"
        assert seen in (OLD, NEW), (k, seen)
        outcomes["old" if seen == OLD else "new"] += 1
        assert not list((out / STATE_DIR).glob("stage-*")), k
        # and the next write takes over from whichever set is there
        write_file_set(out, "run:a", _fill({"a.xlsx": "next"}))
        assert _files(out) == {"a.xlsx": "next", "notes.txt": "the user's"}, k
    assert outcomes["old"] > 0 and outcomes["new"] > 0


@posix_only
def test_a_live_writers_stage_is_left_alone(tmp_path):
    """Recovery skips a stage whose writer still holds its lock (it is still staging)."""
    import fcntl

    out = tmp_path / "out"
    write_file_set(out, "a", _fill({"a.txt": "1"}))
    stage = out / STATE_DIR / "stage-live"
    (stage / "new").mkdir(parents=True)
    fd = os.open(stage / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    child = subprocess.run(
        [sys.executable, "-c", f"from bondkit.report.fileset import recover; recover({str(out)!r})"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    assert stage.is_dir()
    os.close(fd)
    recover(out)
    assert not stage.exists()


def test_stages_of_earlier_versions_give_back_what_they_set_aside(tmp_path):
    """Issue #11, 2: a kill during the old swap left the previous files in a hidden
    ``.bondkit-run-*/old/`` that nothing restored."""
    out = tmp_path / "out"
    legacy = out / ".bondkit-run-abc123"
    (legacy / "old" / "charts").mkdir(parents=True)
    (legacy / "old" / "a.xlsx").write_text("old")
    (legacy / "old" / "charts" / "a-1.png").write_text("old")
    (legacy / "new").mkdir()
    (out / "charts").mkdir()
    (out / "charts" / "a-1.png").write_text("new, already moved in")
    write_file_set(out, "run:b", _fill({"b.txt": "1"}))
    assert _files(out) == {"a.xlsx": "old", "charts/a-1.png": "new, already moved in", "b.txt": "1"}
    assert not legacy.exists()
