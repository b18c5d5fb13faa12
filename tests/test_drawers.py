"""The processes that draw a run's charts (bondkit.report.drawers): forked before the model
is computed, they write byte for byte the files one process writes, say what failed, and
never outlive the run."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from contextlib import nullcontext
from pathlib import Path

import pytest
from processes import kill_while_drawing, left_behind, session

from bondkit.report.drawers import RUN_CHARTS, Drawers, run_chart_names
from bondkit.report.writer import write_outputs
from bondkit.runner import run
from bondkit.scenario import load_example

#: the default example (every chart), as bondkit run's users run it
EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "cinema-du-parc-2016.toml"

can_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or threading.active_count() > 1,
    reason="charts are drawn in forked processes on Linux only",
)


@pytest.fixture(scope="module")
def cinema():
    """The default example with every chart (campaign, capacity, risk), fewer paths."""
    sc = load_example("cinema-du-parc-2016").with_changes(
        {"campaign.simulations": 400, "risk.paths": 400}
    )
    return run(sc)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_run_chart_names_are_the_charts_drawn(cinema):
    """RUN_CHARTS (read without matplotlib) and the chart functions name the same files."""
    from bondkit.report import charts

    drawn = [
        charts.CHARTS,
        charts.CAMPAIGN_CHARTS,
        charts.CAPACITY_CHARTS,
        charts.RISK_CHARTS,
        charts.TRACKING_CHARTS,
    ]
    assert [tuple(d) for d in drawn] == [names for _, names in RUN_CHARTS]
    assert run_chart_names(cinema) == list(charts.result_charts(cinema))


@can_fork
def test_charts_drawn_ahead_are_the_files_of_one_process(cinema, tmp_path):
    """write_outputs with Drawers made before the run: the twelve files are those
    save_charts writes in this process alone, the workbook's pictures are the PNGs, and
    the drawing was done by other processes (this one never loaded a chart's draw)."""
    from bondkit.report.charts import save_charts

    calls = []
    import bondkit.report.chartkit as chartkit

    real = chartkit.save_figure

    def counted(*args, **kwargs):
        calls.append(os.getpid())
        return real(*args, **kwargs)

    with Drawers(jobs=2) as drawers:
        chartkit.save_figure = counted  # forked before: the helpers keep the real one
        import bondkit.report.drawers as module

        module.save_figure = counted
        try:
            paths = write_outputs(cinema, tmp_path / "out", "cinema", drawers=drawers)
        finally:
            chartkit.save_figure = module.save_figure = real
    assert calls == []  # none drawn here
    save_charts(cinema, tmp_path / "alone", "cinema", jobs=1)
    ahead, alone = _files(tmp_path / "out" / "charts"), _files(tmp_path / "alone")
    assert len(ahead) == 12 and ahead == alone
    with zipfile.ZipFile(paths["workbook"]) as book:
        media = sorted(n for n in book.namelist() if n.startswith("xl/media/"))
        pictures = {book.read(n) for n in media}
    pngs = {data for name, data in ahead.items() if name.endswith(".png")}
    assert pictures == pngs  # each chart, as drawn


def test_without_a_fork_the_drawing_is_done_when_finished(cinema, tmp_path):
    """jobs=1 (as in a thread of the web face): nothing is forked; the charts are drawn
    in this process when the drawing is finished, the same files."""
    from bondkit.report.charts import run_charts, save_charts

    drawers = Drawers(jobs=1)
    assert multiprocessing.active_children() == []
    names = run_chart_names(cinema)
    paths = {n: tmp_path / "a" / f"c-{n}.png" for n in names}
    (tmp_path / "a").mkdir()
    drawing = drawers.draw(run_charts, (cinema, tmp_path / "a", "c", "fr"), paths, "both")
    assert list((tmp_path / "a").iterdir()) == []  # not yet
    drawing.finish()
    save_charts(cinema, tmp_path / "b", "c", lang="fr", jobs=1)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


@can_fork
def test_drawers_given_nothing_to_draw_end_at_once():
    """A run refused or failed after the Drawers were made: closing them ends the process
    forked ahead without waiting for matplotlib; none is forked for --charts none."""
    drawers = Drawers(jobs=2)
    (first,) = multiprocessing.active_children()
    started = time.monotonic()
    drawers.close()
    assert not first.is_alive() and time.monotonic() - started < 5
    assert first.exitcode == -signal.SIGKILL
    with Drawers(jobs=2, formats="none"):
        assert multiprocessing.active_children() == []


@can_fork
def test_the_shared_modules_load_before_the_fork_frozen_until_the_drawers_close(tmp_path):
    """Drawers(share=...) loads its modules in this process before the fork, with the
    collector off, and freezes them for the fork; closing unfreezes them, so that a
    long-lived process (these tests, a notebook) collects its garbage again."""
    import gc

    module = tmp_path / "bondkit_shared_probe.py"
    module.write_text("import gc\nCOLLECTING = gc.isenabled()\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        drawers = Drawers(jobs=2, share=["bondkit_shared_probe"])
        try:
            probe = sys.modules["bondkit_shared_probe"]
            assert probe.COLLECTING is False  # loaded with the collector off
            assert gc.isenabled() and gc.get_freeze_count() > 0
        finally:
            drawers.close()
        assert gc.get_freeze_count() == 0
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("bondkit_shared_probe", None)
        gc.unfreeze()


def _charts_that_fail(folder: Path, kill: bool) -> dict:
    """Four charts; the third raises (or kills the process that draws it)."""

    def fine(ax):
        ax.bar([1, 2], [3, 4])

    def fails(ax):
        if kill:
            os.kill(os.getpid(), signal.SIGKILL)
        raise ValueError("no data for chart c")

    return {k: (folder / f"{k}.png", fails if k == "c" else fine) for k in "abcd"}


@can_fork
@pytest.mark.parametrize("kill", [False, True], ids=["raises", "killed"])
def test_a_chart_that_fails_in_a_drawing_process_is_said_once(tmp_path, kill):
    """A chart that raises in a drawing process: its exception is raised by finish();
    one whose process is killed: a ChildProcessError with the exit code. No process is
    left either way."""
    paths = {k: tmp_path / f"{k}.png" for k in "abcd"}
    with Drawers(jobs=2) as drawers:
        drawing = drawers.draw(_charts_that_fail, (tmp_path, kill), paths, "png")
        expected = (ChildProcessError, "exit code -9") if kill else (ValueError, "chart c")
        with pytest.raises(expected[0], match=expected[1]):
            drawing.finish()
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "c.png").exists()


@can_fork
def test_a_failing_workbook_stops_the_drawing_and_keeps_its_own_error(cinema, tmp_path):
    """An error while the workbook is written: the charts under way end, no process is
    left, and the error raised is the workbook's."""
    from bondkit.report.charts import run_charts

    paths = {n: tmp_path / f"c-{n}.png" for n in run_chart_names(cinema)}
    with pytest.raises(KeyError, match="workbook"), Drawers(jobs=2) as drawers:
        with drawers.draw(run_charts, (cinema, tmp_path, "c", "en"), paths, "both"):
            raise KeyError("workbook")
    assert multiprocessing.active_children() == []


_KILLED = """
import os, sys, time
from pathlib import Path
from bondkit.report.drawers import Drawers
folder = Path(sys.argv[1])

def slow(ax):
    (folder / str(os.getpid())).touch()
    time.sleep(120)

def charts():
    return {k: (folder / f"{k}.png", slow) for k in "ab"}

if __name__ == "__main__":
    import __main__
    drawers = Drawers(jobs=2)
    drawers.draw(__main__.charts, (), {k: folder / f"{k}.png" for k in "ab"}, "png")
    time.sleep(120)
"""


@can_fork
def test_a_killed_run_leaves_no_drawing_process_behind(tmp_path):
    """The run killed while its two drawing processes draw: both end with it (the second
    was forked by the first)."""
    script = tmp_path / "killed.py"
    script.write_text(_KILLED)
    folder = tmp_path / "charts"
    folder.mkdir()
    run, pids = kill_while_drawing([sys.executable, str(script), str(folder)], folder)
    assert len(pids) == 2 and run not in pids, pids  # both drawing, not the run
    assert left_behind(pids) == set()


def test_arguments_that_do_not_pickle_are_drawn_here(tmp_path):
    """What cannot be sent to the drawing process (a lambda) is drawn in this process."""
    paths = {"a": tmp_path / "a.png"}

    def charts(draw):
        return {"a": (tmp_path / "a.png", draw)}

    with Drawers(jobs=2) as drawers:
        drawing = drawers.draw(charts, (lambda ax: ax.bar([1], [2]),), paths, "png")
        assert multiprocessing.active_children() == []  # the one forked ahead ended
        drawing.finish()
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@can_fork
@pytest.mark.parametrize("processes", [2, 3], ids=["while-the-model-runs", "while-drawing"])
def test_ctrl_c_says_one_line_and_leaves_nothing(tmp_path, processes):
    """Ctrl-C (SIGINT to the terminal's whole process group) once the run has its
    processes: the one forked ahead (the model is computed meanwhile), or both drawing.
    The run says it was interrupted, once: no traceback or process header from a drawing
    process; no process left; nothing written."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "bondkit", "run", str(EXAMPLE), "--out", str(out)]
    run = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while len(session(run.pid)) < processes and run.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        if processes == 2:
            time.sleep(0.2)  # into loading matplotlib or waiting for the result
        seen = len(session(run.pid))
        os.killpg(run.pid, signal.SIGINT)
        _, err = run.communicate(timeout=60)
    finally:
        left = left_behind(set(session(run.pid)))
    assert seen == processes and left == set()
    assert run.returncode != 0
    assert "Process" not in err.decode() and "Traceback" not in err.decode(), err
    assert len(err.decode().strip().splitlines()) == 1, err
    assert not out.exists() or list(out.rglob("*")) == []  # at most the folder asked for


def test_a_queue_whose_lock_holder_was_killed_counts_as_closed(monkeypatch):
    """A drawing process killed while it held the queue's lock (microseconds): the others
    find the queue closed instead of waiting for ever."""
    import bondkit.report.drawers as drawers

    monkeypatch.setattr(drawers, "_LOCK_WAIT", 0.2)
    fork = multiprocessing.get_context("fork")
    queue = drawers._Queue(["a", "b"], fork)
    holder = fork.Process(target=lambda: (queue.ends.get_lock().acquire(), os._exit(0)))
    holder.start()
    holder.join()
    started = time.monotonic()
    assert queue.take(first=True) is None
    queue.close()
    assert time.monotonic() - started < 5


def _ignored_signals(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return int(line.split()[1], 16)
    return 0


@can_fork
def test_the_process_forked_ahead_leaves_ctrl_c_to_the_run():
    """Ctrl-C reaches every process of the terminal's group: the one forked ahead ignores
    it (the run stops the drawing and says so once), from its first moment on."""
    with Drawers(jobs=2):
        (first,) = multiprocessing.active_children()
        deadline = time.monotonic() + 30
        while not _ignored_signals(first.pid) & (1 << (signal.SIGINT - 1)):
            assert time.monotonic() < deadline
            time.sleep(0.01)
    assert not _ignored_signals(os.getpid()) & (1 << (signal.SIGINT - 1))  # not this one


class _Unbuildable(Exception):
    """An exception that pickles but cannot be rebuilt (its __init__ wants two values)."""

    def __init__(self, chart: str, why: str) -> None:
        super().__init__(f"{chart}: {why}")


def _charts_raising_unbuildable(folder: Path) -> dict:
    def fails(ax):
        raise _Unbuildable("c", "no data")

    return {"c": (folder / "c.png", fails)}


@can_fork
def test_a_failure_that_cannot_be_rebuilt_is_named_not_lost(tmp_path):
    """A chart's exception that does not come back whole from a pickle: a RuntimeError
    that names it, and no process left behind."""
    with Drawers(jobs=2) as drawers:
        drawing = drawers.draw(_charts_raising_unbuildable, (tmp_path,), {"c": tmp_path}, "png")
        with pytest.raises(RuntimeError, match="_Unbuildable: c: no data"):
            drawing.finish()
    assert multiprocessing.active_children() == []


def _slow_charts(folder: Path) -> dict:
    def slow(ax):
        time.sleep(1.0)
        ax.bar([1], [2])

    return {k: (folder / f"{k}.png", slow) for k in "abcdef"}


@can_fork
def test_ctrl_c_while_waiting_for_the_charts_stops_them(tmp_path):
    """Ctrl-C while this process waits for the charts: the charts under way end, no other
    is started, no process is left once the block is left."""

    def interrupt(*_):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt), Drawers(jobs=2) as drawers:
            paths = {k: tmp_path / f"{k}.png" for k in "abcdef"}
            with drawers.draw(_slow_charts, (tmp_path,), paths, "png") as drawing:
                signal.setitimer(signal.ITIMER_REAL, 0.5)
                drawing.finish()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert multiprocessing.active_children() == []
    drawn = sorted(p.name for p in tmp_path.iterdir())
    time.sleep(1.5)
    assert sorted(p.name for p in tmp_path.iterdir()) == drawn  # nothing drawn after
    assert len(drawn) < 6


def test_the_heaviest_charts_are_drawn_first_and_every_run_chart_has_its_rank():
    """The processes take the longest charts first, so that they end together; a chart
    not ranked (a comparison's) keeps its place, first."""
    from bondkit.report.drawers import HEAVIEST_FIRST, _drawing_order

    run_names = [name for _, names in RUN_CHARTS for name in names]
    assert sorted(HEAVIEST_FIRST) == sorted(run_names)
    assert _drawing_order(["debt-service", "other", "coverage", "balance"]) == [
        "other",
        "coverage",
        "balance",
        "debt-service",
    ]


def test_the_modules_loaded_ahead_read_back_every_kind_of_result(cinema, tmp_path):
    """What the first drawing process loads before the result comes (RUN_MODULES) is all
    it needs to read one back: a plan's, a campaign tracked, a run on a register. Reading
    any of them loads no other module of bondkit (none is left to load while the charts
    wait)."""
    import pickle

    from bondkit.register import Register
    from bondkit.runner.tracking import track

    sc = load_example("cinema-du-parc-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}
    )
    subs = tmp_path / "subs.csv"
    rows = [f"2016-11-{15 + i % 16},A,1000,payé" for i in range(30)]
    subs.write_text("date,série,montant,statut\n" + "\n".join(rows) + "\n", encoding="utf-8")
    tracked = track(sc, as_of="2016-11-30", subscriptions=subs, paths=200)
    solar = load_example("solar-coop-multi-series")
    with Register.create(tmp_path / "solar.db", solar, by="test") as reg:
        one = {"name": "A. Holder", "series": "A-3y", "bonds": 10, "subscribed_on": "2026-02-10"}
        reg.add_subscriptions([one], reason="paper forms", by="test")
    registered = run(solar.with_changes({"risk.paths": 200}), register=tmp_path / "solar.db")
    assert registered.register is not None
    results = {
        "plan": cinema,
        "tracked": tracked,
        "registered": registered,
        "plain": run(load_example("building-purchase-2010")),
    }
    for name, result in results.items():
        (tmp_path / f"{name}.pickle").write_bytes(pickle.dumps(result))
    script = (
        "import importlib, pickle, sys\n"
        "from bondkit.report.drawers import RUN_MODULES\n"
        "for m in RUN_MODULES: importlib.import_module(m)\n"
        "before = set(sys.modules)\n"
        f"for name in {sorted(results)!r}:\n"
        f"    pickle.loads(open({str(tmp_path)!r} + '/' + name + '.pickle', 'rb').read())\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('bondkit')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


#: a module the first drawing process loads ahead: it waits for the file GATE names, so
#: that the process is busy when the result is handed over
GATE_MODULE = """
import os, time
from pathlib import Path
gate = Path(os.environ["BONDKIT_TEST_GATE"])
while not gate.exists():
    time.sleep(0.01)
"""


@can_fork
def test_handing_the_result_over_never_waits_for_the_drawing_process(cinema, tmp_path, monkeypatch):
    """A result is megabytes, more than a pipe holds: draw() returns while the first
    process is still loading (here until a gate opens), and the charts are drawn once it
    is ready. Without a thread to hand the result over, draw() would wait for the gate
    (opened by a timer after 60 s, too late for this test)."""
    gate = tmp_path / "gate"
    (tmp_path / "gate_module.py").write_text(GATE_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("BONDKIT_TEST_GATE", str(gate))
    late = threading.Timer(60, gate.touch)
    try:
        with Drawers(jobs=2, preload=("gate_module",)) as drawers:
            assert len(multiprocessing.active_children()) == 1  # forked (before the timer)
            late.start()
            names = run_chart_names(cinema)
            out = tmp_path / "out"
            out.mkdir()
            paths = {n: out / f"c-{n}.png" for n in names}
            build = "bondkit.report.charts:run_charts"
            drawing = drawers.draw(build, (cinema, out, "c", "fr"), paths, "png")
            assert not gate.exists()  # draw() came back with the process still loading
            gate.touch()
            drawing.finish()
    finally:
        late.cancel()
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths.values())


def test_the_default_limits_load_nothing():
    """Reading the default --max-memory and --max-time loads nothing (the runner loads
    pandas: a command loads it when it needs it, bondkit run just before it forks its
    drawing process), as parsing a given one does."""
    script = (
        "import sys\n"
        "from bondkit import cli\n"
        "assert cli._check_size(None, None, None) is None\n"
        "assert cli._check_duration(None, None, None) is None\n"
        "print('bondkit.runner' in sys.modules, 'pandas' in sys.modules)\n"
        "cli._check_size(None, None, '8G')\n"
        "print('bondkit.runner' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "True"]


#: charts whose SVG waits for the file BONDKIT_TEST_GATE names (or raises, for "bad")
SVG_GATE_MODULE = """
import os, time
from pathlib import Path
from matplotlib.artist import Artist

class InTheSvg(Artist):
    def __init__(self, fails):
        super().__init__()
        self.fails = fails

    def draw(self, renderer):
        inner = getattr(renderer, "_renderer", renderer)  # savefig's mixed-mode renderer
        if type(inner).__name__ != "RendererSVG":
            return
        if self.fails:
            raise ValueError("this SVG cannot be written")
        gate = Path(os.environ["BONDKIT_TEST_GATE"])
        while not gate.exists():
            time.sleep(0.01)

def charts(folder, names):
    def draw(ax, fails):
        ax.plot([0, 1], [0, 1])
        ax.add_artist(InTheSvg(fails))
    return {n: (Path(folder) / f"{n}.png", lambda ax, n=n: draw(ax, n == "bad")) for n in names}
"""


@can_fork
@pytest.mark.parametrize("names", [("a", "b", "c"), ("a", "bad", "c")], ids=["waits", "fails"])
def test_the_pngs_are_ready_before_the_svgs(tmp_path, monkeypatch, names):
    """The workbook needs the PNGs only: Drawing.pngs() returns once every chart's PNG is
    written, while the SVGs are still being written (here, until a gate opens; opened by
    a timer after 60 s, too late for this test); finish() waits for them, and raises what
    stopped one."""
    gate = tmp_path / "gate"
    (tmp_path / "svg_gate.py").write_text(SVG_GATE_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("BONDKIT_TEST_GATE", str(gate))
    out = tmp_path / "out"
    out.mkdir()
    late = threading.Timer(60, gate.touch)
    with Drawers(jobs=2) as drawers:
        late.start()
        try:
            paths = {n: out / f"{n}.png" for n in names}
            with pytest.raises(ValueError, match="this SVG") if "bad" in names else nullcontext():
                with drawers.draw("svg_gate:charts", (out, names), paths, "both") as drawing:
                    drawing.pngs()
                    written = sorted(p.name for p in out.iterdir() if p.suffix == ".png")
                    whole = [p.name for p in out.glob("*.svg") if b"</svg>" in p.read_bytes()]
                    assert not gate.exists()  # pngs() came back with the SVGs under way
                    assert whole == []  # (an SVG being written is open, not whole)
                    gate.touch()
        finally:
            late.cancel()
    assert written == [f"{n}.png" for n in sorted(names)]
    whole = sorted(p.name for p in out.glob("*.svg") if p.read_bytes().endswith(b"</svg>\n"))
    if "bad" not in names:
        assert whole == [f"{n}.svg" for n in sorted(names)]
    assert "bad.svg" not in whole  # (write_outputs leaves none of a failed run's files)
    assert multiprocessing.active_children() == []
