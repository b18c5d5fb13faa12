"""The chart kit: bondkit's palette, size and style, and how a chart is saved.

Shared by the charts of a run (:mod:`bondkit.report.charts`) and those of a comparison or
a sweep (:mod:`bondkit.studies`), so that every chart looks the same and every file is
byte-identical from one run to the next (fixed SVG hash salt, no dates in the metadata).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "FIGSIZE",
    "DPI",
    "RC",
    "series_colour",
    "lighter",
    "new_axes",
    "save_figure",
    "pyplot_axes",
    "mathtext_safe",
]

#: colour-blind-friendly qualitative palette (Okabe-Ito), one colour per series in file order
_PALETTE: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)
FIGSIZE = (8.0, 4.5)  # inches
DPI = 150
#: everything that makes the files reproducible and readable; applied while drawing and saving
RC = {
    "svg.hashsalt": "bondkit",
    "svg.fonttype": "path",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "hatch.linewidth": 0.8,
}


def series_colour(index: int) -> str:
    """The colour of the ``index``-th series (file order), cycling through the palette.

    ``index`` counts from 0; the colour is a hex string (Okabe-Ito palette of 8):

    >>> series_colour(0), series_colour(1), series_colour(8)
    ('#0072b2', '#e69f00', '#0072b2')
    """
    return _PALETTE[index % len(_PALETTE)]


def lighter(colour: str, amount: float = 0.55) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` = share of white), as RGB fractions.

    >>> [round(float(x), 3) for x in lighter("#000000", 0.5)]
    [0.5, 0.5, 0.5]
    """
    rgb = np.array(mpl.colors.to_rgb(colour))
    return tuple(rgb + (1.0 - rgb) * amount)


def new_axes() -> Axes:
    """An Axes on a new figure of bondkit's size (no pyplot state), 8 x 4.5 inches.

    >>> new_axes().figure.get_size_inches().tolist()
    [8.0, 4.5]
    """
    fig = Figure(figsize=FIGSIZE, layout="constrained")
    return fig.add_subplot()


def save_figure(png: Path, draw: Callable[[Axes], Any]) -> Path:
    """Draw one chart with ``draw(ax)`` in bondkit's style and size, and save it as ``png``
    and as an SVG beside it (same stem); byte-identical on every run. Returns ``png``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     png = save_figure(Path(folder) / "bars.png", lambda ax: ax.bar([1, 2], [3, 4]))
    ...     same = png.read_bytes() == save_figure(png, lambda ax: ax.bar([1, 2], [3, 4])).read_bytes()
    ...     names = sorted(p.name for p in Path(folder).iterdir())
    >>> names, same
    (['bars.png', 'bars.svg'], True)
    """
    # matplotlib's layout warnings (with its source paths) are no news for a reader of
    # the terminal: the chart is drawn all the same
    with mpl.rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
        draw(fig.add_subplot())
        fig.savefig(png, dpi=DPI, format="png", metadata={"Software": None})
        # the layout is done: the SVG keeps it rather than solving it again (a third
        # of the time of a run went into solving each layout twice)
        fig.set_layout_engine("none")
        fig.savefig(png.with_suffix(".svg"), format="svg", metadata={"Date": None})
    return png


def pyplot_axes() -> Axes:
    """A new pyplot figure's Axes (shown inline in a notebook), bondkit's chart size.

    >>> import matplotlib.pyplot as plt
    >>> ax = pyplot_axes()
    >>> ax.figure.get_size_inches().tolist()
    [8.0, 4.5]
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    return ax


def mathtext_safe(s: str) -> str:
    """User text for matplotlib: a ``$`` must not start mathematical notation.

    >>> print(mathtext_safe("Coop $ 2"))
    Coop \\$ 2
    """
    return s.replace("$", r"\$")
