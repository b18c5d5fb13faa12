"""The notebooks of notebooks/: committed without outputs, each with a French example, and
each executed headlessly from the first cell to the last (a cell that errors fails the test).

The kernel is this interpreter (``sys.executable``, so the installed bondkit) with
``MPLBACKEND=Agg``: a kernel spec written to a temporary ``JUPYTER_PATH`` for the tests,
so that a ``python3`` kernel installed elsewhere on the machine is never used.
``make notebooks`` runs this file alone.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = [
    "01-quick-start.ipynb",
    "02-comparing-options.ipynb",
    "03-redemption-risk.ipynb",
    "04-tracking-a-campaign.ipynb",
]
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
KERNEL = "bondkit-notebook-tests"
#: each notebook must run well within this on the 2-core development machine
SECONDS = 60


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def test_the_four_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    dirty = [
        number
        for number, cell in enumerate(_cells(path), start=1)
        if cell["cell_type"] == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or an execution count; clear them before "
        "committing (JupyterLab: Edit > Clear Outputs of All Cells, then save; or "
        f"jupyter nbconvert --clear-output --inplace notebooks/{path.name})"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_french_example(path):
    code = [_source(c) for c in _cells(path) if c["cell_type"] == "code"]
    assert any('lang="fr"' in text for text in code), (
        f'{path.name}: no code cell with lang="fr" (each notebook shows one French example)'
    )


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A kernel spec for this interpreter with the Agg backend, on a private JUPYTER_PATH;
    private runtime and IPython folders too, so that no one's startup files run."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                    "--InteractiveShell.colors=nocolor",  # plain tracebacks in test logs
                ],
                "display_name": "bondkit (tests)",
                "language": "python",
                "env": {"MPLBACKEND": "Agg"},
            }
        ),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(root))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(root / "runtime"))
        mp.setenv("IPYTHONDIR", str(root / "ipython"))
        mp.setenv("MPLBACKEND", "Agg")
        yield KERNEL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_headless(path, kernel):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    # checked in the kernel after the last cell: the charts were drawn without a display
    check = "import matplotlib\nassert matplotlib.get_backend().lower() == 'agg', matplotlib.get_backend()"
    notebook.cells.append(nbformat.v4.new_code_cell(check))
    before = sorted(p.name for p in FOLDER.iterdir())
    client = NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=2 * SECONDS,  # per cell
        resources={"metadata": {"path": str(FOLDER)}},  # run from notebooks/, as in Jupyter
    )
    start = time.perf_counter()
    client.execute()  # a cell that errors raises CellExecutionError with its traceback
    seconds = time.perf_counter() - start
    assert seconds < SECONDS, f"{path.name} took {seconds:.0f} s (limit {SECONDS} s)"
    assert sorted(p.name for p in FOLDER.iterdir()) == before, "the notebook wrote into notebooks/"
