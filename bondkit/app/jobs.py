"""Long work of the web face (a comparison, a sweep): run in the background, with its
progress shown and a way to cancel it (issue #17).

A :class:`Job` belongs to one user. Its work is a function that receives a ``tick``
callback: each call counts one step done and raises :class:`Cancelled` when the person
cancelled or the job has run longer than its limit, so the work stops at its next step.
At most ``workers`` jobs run at once; the others wait their turn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bondkit.app.store import new_id

__all__ = ["Job", "Jobs", "Cancelled"]


class Cancelled(Exception):
    """The job was cancelled, or ran past its time limit (``too_long``)."""

    def __init__(self, too_long: bool = False) -> None:
        super().__init__("too long" if too_long else "cancelled")
        self.too_long = too_long


@dataclass
class Job:
    """One piece of long work: ``kind`` (``"compare"``, ``"sweep"``), its ``total`` steps
    and those ``done``, its ``state`` (``waiting``, ``running``, ``done``, ``failed``,
    ``cancelled``, ``too_long``), what it produced (``output``) or the ``error`` that
    stopped it."""

    id: str
    user: str
    kind: str
    total: int
    limit: float
    done: int = 0
    state: str = "waiting"
    output: Any = None
    error: BaseException | None = None
    started: float = field(default_factory=time.monotonic)
    cancel_asked: threading.Event = field(default_factory=threading.Event)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled", "too_long")

    def tick(self, steps: int = 1) -> None:
        """Count ``steps`` done; :class:`Cancelled` when asked or past the time limit."""
        if self.cancel_asked.is_set():
            raise Cancelled()
        if time.monotonic() - self.started > self.limit:
            raise Cancelled(too_long=True)
        self.done = min(self.done + steps, self.total)


class Jobs:
    """The jobs of the app: started on a pool of ``workers`` threads, kept by id.

    >>> jobs = Jobs(workers=1)
    >>> job = jobs.start("u" * 32, "demo", 3, 60, lambda job: [job.tick() for _ in range(3)] and "ok")
    >>> jobs.wait(job.id), job.state, job.done, job.output
    (True, 'done', 3, 'ok')
    """

    def __init__(self, workers: int = 2, keep: int = 200) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bondkit-job")
        self.items: dict[str, Job] = {}
        self.keep = keep
        self.lock = threading.Lock()

    def start(self, user: str, kind: str, total: int, limit: float,
              work: Callable[[Job], Any]) -> Job:  # fmt: skip
        """Queue ``work(job)``; the job at once (waiting, then running)."""
        job = Job(new_id(), user, kind, max(total, 1), limit)
        with self.lock:
            self.items[job.id] = job
            for old in list(self.items)[: max(len(self.items) - self.keep, 0)]:
                if self.items[old].finished:
                    del self.items[old]

        def go() -> None:
            if job.cancel_asked.is_set():
                job.state = "cancelled"
                return
            job.state, job.started = "running", time.monotonic()
            try:
                job.output = work(job)
                job.state = "done"
            except Cancelled as stop:
                job.state = "too_long" if stop.too_long else "cancelled"
            except Exception as err:  # shown on the job's page, never a traceback
                job.state, job.error = "failed", err

        job.future = self.pool.submit(go)  # type: ignore[attr-defined]
        return job

    def busy(self, user: str) -> int:
        """How many of ``user``'s jobs are waiting or running."""
        return sum(1 for j in list(self.items.values()) if j.user == user and not j.finished)

    def get(self, user: str, job_id: str) -> Job | None:
        """The job ``job_id`` of ``user`` (None for another user's or an unknown one)."""
        job = self.items.get(job_id)
        return job if job is not None and job.user == user else None

    def cancel(self, user: str, job_id: str) -> bool:
        """Ask a job to stop at its next step; False when there is no such job."""
        job = self.get(user, job_id)
        if job is None:
            return False
        job.cancel_asked.set()
        return True

    def wait(self, job_id: str, timeout: float | None = None) -> bool:
        """Wait for a job to finish (tests and benchmarks); True when it did."""
        job = self.items[job_id]
        job.future.result(timeout)  # type: ignore[attr-defined]
        return job.finished
