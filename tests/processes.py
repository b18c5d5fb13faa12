"""Process helpers shared by the tests that kill a run and look for what it left behind."""

from __future__ import annotations

from pathlib import Path


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie waiting to be reaped does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def kill_while_drawing(command: list[str], folder: Path, drawing: int = 2) -> tuple[int, set[int]]:
    """Start ``command``, wait until ``drawing`` processes have each left a file named by
    their pid in ``folder`` (60 s at most), kill it: its pid and theirs."""
    import subprocess
    import time

    run = subprocess.Popen(command)
    deadline = time.monotonic() + 60
    while len(list(folder.iterdir())) < drawing and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = {int(p.name) for p in folder.iterdir()}
    run.kill()
    run.wait()
    return run.pid, pids


def left_behind(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running 10 s later (killed, so that none stays)."""
    import os
    import signal
    import time

    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = {p for p in pids if alive(p)}
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def session(sid: int) -> list[int]:
    """The running processes of session ``sid`` (a process started in a new session)."""
    import os

    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(") ", 1)[1].split()
            except (FileNotFoundError, IndexError):
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(name))
    return found
