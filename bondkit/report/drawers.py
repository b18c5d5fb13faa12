"""The processes that draw charts, so that a run's twelve chart files do not double its time.

A chart costs more than the model it shows (matplotlib lays out and draws every word of
it twice, for the PNG and the SVG), and most of a run's cores are idle while the model is
computed. So the charts are drawn by processes of their own:

- :func:`save_figures` draws charts already known (a comparison's, a sweep's) with this
  process and ``jobs - 1`` forked ones, which inherit them: nothing is pickled.
- :class:`Drawers` is made *before* a run is computed (``bondkit run`` makes it once the
  model's modules are loaded, before it reads the scenario): it forks one process at
  once, which loads matplotlib, its fonts and the other modules of a run's result on the
  core the run leaves idle. :meth:`Drawers.draw` then hands it the run's result
  (pickled, a few milliseconds; a thread of this process waits until it is taken) and
  returns a :class:`Drawing` at once; the process forks the others it needs (they share
  what it loaded) and they draw the charts, each once, the heaviest first, while this
  process writes the workbook. Each process writes its charts' PNGs first and their SVGs
  last: :meth:`Drawing.pngs` waits for the PNGs (the workbook is closed while the SVGs
  are written), :meth:`Drawing.finish` for everything.

Every process draws with :func:`bondkit.report.chartkit.save_figure` (or its two steps,
:func:`~bondkit.report.chartkit.save_png_first`), so the files are byte for byte those one
process writes. Where forking is not safe (see :func:`workers`),
nothing is forked and the charts are drawn in this process, when the drawing is finished.
A forked process ends with the one that forked it, however that ends (Linux's
parent-death signal): a run killed while drawing leaves no process behind.

matplotlib is never imported here: the process that writes the workbook does not load it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.labels import t
from bondkit.report.chartkit import FORMATS, chart_formats, save_figure, save_png_first

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from bondkit.runner import Result

__all__ = [
    "MAX_JOBS",
    "RUN_CHARTS",
    "RUN_MODULES",
    "HEAVIEST_FIRST",
    "run_chart_names",
    "workers",
    "save_figures",
    "Drawers",
    "Drawing",
]

#: the most processes that draw charts when left to choose (``jobs=None``)
MAX_JOBS = 4

#: the chart files of a run, by the table of the result they need (None: every run has
#: them), in the workbook's order; :data:`bondkit.report.charts.CHARTS` and its kin draw
#: them (a test keeps the two in step)
RUN_CHARTS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("debt-service", "balance")),
    ("campaign", ("campaign", "raised")),
    ("capacity", ("coverage",)),
    ("risk", ("redemptions",)),
    ("tracking", ("tracking",)),
)

#: the modules a process drawing a run's charts loads ahead, while the model is computed:
#: those of every part a result can hold (to read it back; a test keeps the list whole)
#: and the charts'
RUN_MODULES: tuple[str, ...] = (
    "bondkit.scenario",
    "bondkit.runner",
    "bondkit.runner.registered",
    "bondkit.runner.tracking",
    "bondkit.models.capacity",
    "bondkit.models.risk",
    "bondkit.report.charts",
)

#: a run's charts from the longest to draw to the shortest (as measured on the examples):
#: the drawing processes take them in this order, so that they end together
HEAVIEST_FIRST: tuple[str, ...] = (
    "coverage",
    "tracking",
    "campaign",
    "raised",
    "redemptions",
    "balance",
    "debt-service",
)

#: a chart to draw: its PNG path (the SVG's is beside it) and ``draw(ax)``
Chart = tuple[Path, Callable[["Axes"], Any]]
#: what builds the charts: a module's function, or its ``"module:function"`` name
Build = Callable[..., Mapping[str, Chart]] | str


def run_chart_names(result: Result) -> list[str]:
    """The chart files ``result`` has, by name, in the workbook's order, without loading
    matplotlib.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example, starter_scenario
    >>> run_chart_names(run(starter_scenario()))
    ['debt-service', 'balance']
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> run_chart_names(run(sc))
    ['debt-service', 'balance', 'campaign', 'raised', 'coverage', 'redemptions']
    """
    return [
        name
        for part, names in RUN_CHARTS
        if part is None or getattr(result, part) is not None
        for name in names
    ]


def workers(jobs: int | None, n: int) -> int:
    """How many processes draw ``n`` charts: ``jobs`` (``None``: one per core, at most
    :data:`MAX_JOBS`), never more than the charts, and 1 (this process) where a forked
    process is not safe: elsewhere than on Linux, in a process with other threads (a
    notebook's kernel, a server) or in a daemon process (which may not have children).

    >>> workers(1, 12), workers(2, 1)
    (1, 1)
    """
    if jobs is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        jobs = min(cores, MAX_JOBS)
    if (
        jobs <= 1
        or n <= 1
        or not sys.platform.startswith("linux")
        or threading.active_count() > 1
        or multiprocessing.current_process().daemon
    ):
        return 1
    return min(jobs, n)


#: prctl's option: the signal a process gets when the one that forked it ends
_PR_SET_PDEATHSIG = 1


def _end_with(parent: int) -> None:
    """This forked process is killed when ``parent`` ends; it ends now if it already has.
    Ctrl-C is the parent's to handle (it stops the drawing): here it is ignored, so that
    an interrupted run prints one line, not one per process (blocked from the fork on,
    see :func:`_start`, so that none comes in between)."""
    import ctypes

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # Linux's
    if os.getppid() != parent:  # it ended before that
        os._exit(1)


def _start(process: Any) -> None:
    """Fork ``process`` with Ctrl-C blocked, which it inherits until it ignores it; here a
    Ctrl-C of the meantime is delivered once it is started."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns of any thread; the only ones here are native BLAS pools,
            # which prepare for a fork
            warnings.simplefilter("ignore", DeprecationWarning)
            process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


#: seconds a drawing process waits for the queue's lock: held for microseconds, it is
#: held longer only by a process killed while holding it, when the queue counts as closed
_LOCK_WAIT = 10.0


class _Queue:
    """The charts left to draw, shared by the processes that draw them: the forked ones
    take them from the first, the process that forked them from the last, one at a time,
    so that all end together; once closed (a chart failed), nobody takes any more. Made
    before the charts are known, it is empty until :meth:`fill`. A lock never released
    (its holder was killed) closes it, rather than leaving the others waiting."""

    def __init__(self, names: Iterable[str], fork: Any) -> None:
        self.names = list(names)
        self.ends = fork.Array("i", [0, len(self.names)])  # next from the first, end

    def _change(self, change: Callable[[Any], str | None]) -> str | None:
        lock = self.ends.get_lock()
        if not lock.acquire(timeout=_LOCK_WAIT):
            return None
        try:
            return change(self.ends)
        finally:
            lock.release()

    def fill(self, names: Iterable[str]) -> None:
        """The charts to draw, said in this process; opens an empty queue never closed."""
        self.names = list(names)

        def open_(ends: Any) -> None:
            if ends[0] == ends[1] == 0:
                ends[1] = len(self.names)

        self._change(open_)

    def take(self, first: bool) -> str | None:
        def take(ends: Any) -> str | None:
            start, stop = ends[0], ends[1]
            if start >= stop:
                return None
            if first:
                ends[0] = start + 1
                return self.names[start]
            ends[1] = stop - 1
            return self.names[stop - 1]

        return self._change(take)

    def close(self) -> None:
        def close(ends: Any) -> None:
            ends[0] = ends[1] = max(ends[1], 1)  # never opened again

        self._change(close)


def _send_failure(report: Any, exc: BaseException) -> None:
    """Send ``exc`` through ``report`` as it is when it comes back whole from a pickle,
    else as a RuntimeError that names it (sent, not printed: the run says it once)."""
    try:
        same = pickle.loads(pickle.dumps(exc))
        if type(same) is not type(exc) or same.args != exc.args:
            raise TypeError
    except Exception:
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    report.send(exc)


#: what a drawing process of :class:`Drawers` says once its charts' PNGs are written,
#: before it writes their SVGs (its last word follows)
_PNGS = "pngs"


def _draw_from(
    charts: Mapping[str, Chart],
    formats: tuple[str, ...],
    queue: _Queue,
    report: Any,
    pngs_first: bool = False,
) -> None:
    """Draw the charts taken from ``queue`` until none is left, then send None, or the
    exception that stopped it, through ``report``. ``pngs_first``: each chart's PNG is
    written as it is drawn and its SVG once no chart is left, with :data:`_PNGS` said in
    between (a workbook waits for the PNGs only)."""
    try:
        svgs = []
        while (name := queue.take(first=True)) is not None:
            if pngs_first:
                svgs.append(save_png_first(*charts[name], formats))
            else:
                save_figure(*charts[name], formats)
        if pngs_first:
            report.send(_PNGS)
            for svg in svgs:
                svg()
    except BaseException as exc:
        queue.close()
        _send_failure(report, exc)
        return
    report.send(None)


def _draw_in_worker(
    charts: Mapping[str, Chart],
    formats: tuple[str, ...],
    queue: _Queue,
    parent: int,
    report: Any,
    pngs_first: bool = False,
) -> None:
    """A process forked by :func:`save_figures`, or by the first of :class:`Drawers`
    (``pngs_first``, see :func:`_draw_from`)."""
    _end_with(parent)
    _draw_from(charts, formats, queue, report, pngs_first)


def _killed(code: int | None) -> ChildProcessError:
    return ChildProcessError(t("chart.err.worker", "en").format(code=code))


class _Silent:
    """What a drawing process that ended without a word said: it was killed."""


def _received(report: Any) -> BaseException | _Silent | None:
    """What a drawing process sent once its charts were drawn (what cannot be read back
    is a failure too)."""
    try:
        return report.recv()
    except EOFError:
        return _Silent()
    except Exception as exc:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _outcome(worker: Any, report: Any) -> BaseException | None:
    """What a worker process sent once its charts were drawn, after it ended."""
    said = _received(report)
    worker.join()
    return _killed(worker.exitcode) if isinstance(said, _Silent) else said


def save_figures(
    charts: Mapping[str, Chart],
    formats: Iterable[str] = FORMATS,
    jobs: int | None = 1,
) -> None:
    """Save each chart of ``charts`` (name -> (PNG path, ``draw(ax)``)) with
    :func:`~bondkit.report.chartkit.save_figure`, in ``formats``, by ``jobs`` processes
    (``None``: one per core).

    This process draws too: the other ``jobs - 1`` are forked from it, so they draw from
    what it holds (nothing is pickled but what a failing chart raises) and write the same
    bytes as it would. They take the charts one at a time from the first, this process
    from the last, so each is drawn once and all end together. If a chart fails, nobody
    starts another, and its exception is raised here once the charts being drawn are
    done. Where forking is not safe (see :func:`workers`), this process draws them all.

    >>> import tempfile
    >>> bars = lambda ax: ax.bar([1, 2], [3, 4])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp)
    ...     save_figures({k: (folder / f"{k}.png", bars) for k in "abc"}, ["png"], jobs=2)
    ...     names = sorted(p.name for p in folder.iterdir())
    >>> names
    ['a.png', 'b.png', 'c.png']
    """
    formats = chart_formats(formats)
    n = workers(jobs, len(charts))
    if n <= 1:
        for png, draw in charts.values():
            save_figure(png, draw, formats)
        return
    fork = multiprocessing.get_context("fork")
    queue = _Queue(charts, fork)
    started = []
    try:
        for _ in range(n - 1):
            reader, writer = fork.Pipe(duplex=False)
            args = (charts, formats, queue, os.getpid(), writer)
            worker = fork.Process(target=_draw_in_worker, args=args)
            _start(worker)
            writer.close()
            started.append((worker, reader))
        while (name := queue.take(first=False)) is not None:
            save_figure(*charts[name], formats)
    except BaseException:
        queue.close()
        raise
    finally:
        failed = [e for e in (_outcome(w, r) for w, r in started) if e is not None]
    if failed:
        raise failed[0]


def _drawing_order(names: Iterable[str]) -> list[str]:
    """``names`` in the order they are drawn: the heaviest first (:data:`HEAVIEST_FIRST`),
    after any other chart, which keeps its place.

    >>> _drawing_order(["debt-service", "balance", "campaign", "raised", "coverage"])
    ['coverage', 'campaign', 'raised', 'balance', 'debt-service']
    """
    rank = {name: k for k, name in enumerate(HEAVIEST_FIRST)}
    return sorted(names, key=lambda name: rank.get(name, -1))


def _send(conn: Any, job: bytes) -> None:
    """Hand the pickled ``job`` over ``conn`` and close it; a reader gone (killed) is
    reported by its silence, not here."""
    try:
        conn.send_bytes(job)
    except OSError:
        pass
    finally:
        conn.close()


def _function(build: Build) -> Callable[..., Mapping[str, Chart]]:
    """``build`` itself, or the function its ``"module:function"`` name names."""
    if callable(build):
        return build
    module, _, name = build.partition(":")
    return getattr(importlib.import_module(module), name)


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """Load modules inside: no collection runs meanwhile (loading makes next to no
    garbage, and a collection walks every object loaded so far), and what is loaded is
    frozen at the end (:func:`gc.freeze`): no later collection walks it again, nor writes
    to the memory a forked process shares (Python's advice for a process that forks). A
    run's modules load 0.04-0.05 s sooner, of 0.4-0.5 s, in each process."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _warm(preload: Iterable[str] = ()) -> None:
    """Load matplotlib, what the charts use of it and their font, as a chart does
    (nothing is written), then the modules ``preload`` names."""
    import matplotlib as mpl
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.dates  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import PngImagePlugin  # noqa: F401

    from bondkit.report.chartkit import DPI, FIGSIZE, RC

    with mpl.rc_context(RC):
        fig = Figure(figsize=FIGSIZE, dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_title("Ag 0,1 $")
        ax.set_xlabel("Ag")
        fig.canvas.draw()
    for module in preload:
        importlib.import_module(module)


def _first(
    job: Any, reports: list[Any], queue: _Queue, parent: int, preload: tuple[str, ...]
) -> None:
    """The process :class:`Drawers` forks ahead: it loads matplotlib and the modules
    ``preload`` names, waits for the charts to draw (none when ``job`` closes without a
    word), forks one process per other ``reports`` (they inherit what it loaded and the
    charts) and draws with them. It says the word of another that was killed."""
    _end_with(parent)
    try:
        with _loading():
            _warm(preload)
    except Exception:  # drawing says it again, where it is reported
        pass
    try:
        build, args, formats = pickle.loads(job.recv_bytes())
        job.close()
        charts = _function(build)(*args)
        queue.fill(_drawing_order(charts))
        # what is loaded now lives until the end: no collection walks it again (nor
        # touches, in the processes forked below, the memory they share with this one)
        gc.freeze()
    except EOFError:  # no charts after all
        return
    except BaseException as exc:
        queue.close()
        _send_failure(reports[0], exc)
        return
    fork = multiprocessing.get_context("fork")
    others = []
    for k, report in enumerate(reports[1:], start=1):
        if k >= len(charts):  # more processes than charts: this one has nothing to draw
            report.send(None)
            report.close()
            continue
        args = (charts, formats, queue, os.getpid(), report, True)
        other = fork.Process(target=_draw_in_worker, args=args)
        _start(other)
        others.append((other, report))
    _draw_from(charts, formats, queue, reports[0], pngs_first=True)
    for other, report in others:
        other.join()
        if other.exitcode:  # killed before its word
            report.send(_killed(other.exitcode))
        report.close()


class Drawing:
    """Charts being drawn into their files: :meth:`finish` waits until they are (drawing
    them in this process when nothing was forked) and raises what stopped one. Used as a
    context manager, a block that fails stops the drawing (the charts under way end,
    nothing more is raised) and one that succeeds finishes it.

    ``paths``: chart name -> the path of its first file (the PNG when PNGs are drawn)."""

    def __init__(
        self,
        paths: dict[str, Path],
        build: Build,
        args: tuple,
        formats: tuple[str, ...],
        drawers: Drawers | None,
    ) -> None:
        self.paths = paths
        self._build, self._args, self._formats = build, args, formats
        self._drawers = drawers
        self._done = False

    def finish(self) -> None:
        """Wait for the charts to be drawn (or draw them); raise the first failure."""
        if self._done:
            return
        self._done = True
        if self._drawers is not None:
            self._wait_for(self._drawers._wait)
        elif self._formats:
            for png, draw in _function(self._build)(*self._args).values():
                save_figure(png, draw, self._formats)

    def pngs(self) -> None:
        """Wait until the charts' PNGs are written (their SVGs may still be under way):
        what a workbook needs; raise the first failure, and then nothing goes on. Where
        nothing was forked, this draws them all (:meth:`finish`)."""
        if self._drawers is None or self._done:
            self.finish()
        else:
            self._wait_for(self._drawers._pngs)

    def _wait_for(self, wait: Callable[[], None]) -> None:
        """``wait()``; if it raises (a failure, or Ctrl-C while waiting), nothing goes on."""
        try:
            wait()
        except BaseException:
            self._done = True
            self._drawers._stop()
            raise

    def cancel(self) -> None:
        """Stop: no more charts are started, those under way end; nothing is raised."""
        if self._done:
            return
        self._done = True
        if self._drawers is not None:
            self._drawers._stop()

    def __enter__(self) -> Drawing:
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        if kind is None:
            self.finish()
        else:
            self.cancel()


class Drawers:
    """Processes that will draw charts, forked now, before the charts are known.

    ``jobs`` processes (``None``: one per core, at most :data:`MAX_JOBS`; 1, where
    forking is not safe or without chart ``formats``, as ``"none"``: none, this process
    draws what it is given). The first is forked at once and loads
    matplotlib; the others are forked from it once :meth:`draw` gives the charts. A
    ``Drawers`` draws once; :meth:`close` (or the end of a ``with`` block) ends a process
    that was given nothing to draw.

    ``share``: modules this process loads before the fork, so that the first process
    shares them rather than loading them again (a run's model and scenario). They load
    with the garbage collector off and are frozen (:func:`gc.freeze`) until :meth:`close`
    unfreezes them: then a long-lived process (a notebook, the tests) collects its
    garbage as before.

    >>> import tempfile
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> with Drawers(jobs=2) as drawers, tempfile.TemporaryDirectory() as tmp:
    ...     result = run(starter_scenario())  # meanwhile, matplotlib is loaded
    ...     paths = {n: Path(tmp) / f"coop-{n}.png" for n in ("debt-service", "balance")}
    ...     build = "bondkit.report.charts:run_charts"
    ...     with drawers.draw(build, (result, tmp, "coop", "en"), paths, "png") as drawing:
    ...         pass  # the workbook is written here
    ...     files = sorted(p.name for p in Path(tmp).iterdir())
    >>> [p.name for p in drawing.paths.values()], files
    (['coop-debt-service.png', 'coop-balance.png'], ['coop-balance.png', 'coop-debt-service.png'])
    """

    def __init__(
        self,
        jobs: int | None = None,
        formats: str | Iterable[str] = FORMATS,
        preload: Iterable[str] = (),
        share: Iterable[str] = (),
    ) -> None:
        self._first: Any = None
        self._sent = False
        self._frozen = False
        self._sender: threading.Thread | None = None
        self._firsts: list[Any] = []
        self._lasts: list[Any] = []
        processes = workers(jobs, MAX_JOBS)
        if processes <= 1 or not chart_formats(formats):
            return
        with _loading():
            for module in share:
                importlib.import_module(module)
        self._frozen = True
        fork = multiprocessing.get_context("fork")
        self._queue = _Queue((), fork)
        job, self._job = fork.Pipe(duplex=False)
        pipes = [fork.Pipe(duplex=False) for _ in range(processes)]
        self._reports = [reader for reader, _ in pipes]
        writers = [writer for _, writer in pipes]
        args = (job, writers, self._queue, os.getpid(), tuple(preload))
        self._first = fork.Process(target=_first, args=args)
        _start(self._first)
        job.close()
        for writer in writers:
            writer.close()
        atexit.register(self.close)  # a process left waiting would hold this one's exit

    def draw(
        self,
        build: Build,
        args: tuple,
        paths: Mapping[str, Path],
        formats: str | Iterable[str] = FORMATS,
    ) -> Drawing:
        """Start drawing, in ``formats``, the charts ``build(*args)`` returns (name ->
        (PNG path, ``draw(ax)``); ``build`` a module's function, or its
        ``"module:function"`` name so that this process need not import it; ``args`` what
        pickles, as a run's result does); returns at once. ``paths``: the same names ->
        the path of each chart's first file, as the :class:`Drawing` gives them; their
        folder must exist.

        Nothing forked, or ``args`` that do not pickle: the charts are drawn in this
        process when the drawing is finished.
        """
        formats = chart_formats(formats)
        paths = dict(paths)
        if self._first is None or self._sent or not paths or not formats:
            self.close()
            return Drawing(paths, build, args, formats, None)
        try:
            job = pickle.dumps((build, args, formats), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # what does not pickle is drawn here
            self.close()
            return Drawing(paths, build, args, formats, None)
        self._sent = True
        # a result is megabytes, more than a pipe holds: a thread hands it over when the
        # first process is ready for it, and this one goes on (to write the workbook)
        self._sender = threading.Thread(target=_send, args=(self._job, job), daemon=True)
        self._sender.start()
        return Drawing(paths, build, args, formats, self)

    def _sent_out(self) -> None:
        """Wait until the charts' job is handed over (or the first process is gone)."""
        if self._sender is not None:
            self._sender.join()

    def _first_words(self) -> None:
        """Read each drawing process's first word: :data:`_PNGS`, or its last (None, a
        failure, or silence when it was killed)."""
        while len(self._firsts) < len(self._reports):
            self._firsts.append(_received(self._reports[len(self._firsts)]))

    def _last_words(self) -> list[Any]:
        """Each drawing process's last word (its first when it said one only); their
        pipes are closed."""
        self._first_words()
        while self._reports:
            first, report = self._firsts.pop(0), self._reports.pop(0)
            self._lasts.append(_received(report) if first == _PNGS else first)
            report.close()
        return self._lasts

    def _failures(self, words: list[Any]) -> list[BaseException]:
        """The failures among ``words`` (silence: the first process's exit code)."""
        if any(isinstance(word, _Silent) for word in words):
            self._first.join()  # silence: it has ended (it holds every pipe)
        code = self._first.exitcode
        failed = [_killed(code) if isinstance(w, _Silent) else w for w in words]
        return [w for w in failed if w is not None and w != _PNGS]

    def _pngs(self) -> None:
        """Wait until every drawing process has written its PNGs; raise the first
        failure."""
        self._first_words()
        failed = self._failures(self._firsts)
        if failed:
            raise failed[0]

    def _wait(self) -> None:
        """Wait for every drawing process's last word and for the first to end; raise the
        first failure."""
        said = self._last_words()
        self._sent_out()
        self._first.join()
        atexit.unregister(self.close)
        failed = self._failures(said)
        if failed:
            raise failed[0]

    def _stop(self) -> None:
        """No more charts are started; wait for those under way (whose word is not read
        yet), whatever they say."""
        self._queue.close()
        self._last_words()
        self._sent_out()
        self._first.join()
        atexit.unregister(self.close)

    def close(self) -> None:
        """Unfreeze what was frozen for the fork; end the process forked ahead when it was
        given nothing to draw."""
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
        if self._first is None or self._sent:
            return
        self._sent = True
        self._job.close()
        self._first.kill()  # it has written nothing
        self._first.join()
        atexit.unregister(self.close)

    def __enter__(self) -> Drawers:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
