"""The chart kit: bondkit's palette, size and style, and how a chart is saved.

Shared by the charts of a run (:mod:`bondkit.report.charts`) and those of a comparison or
a sweep (:mod:`bondkit.studies`), so that every chart looks the same and every file is
byte-identical from one run to the next (fixed SVG hash salt, no dates in the metadata).
matplotlib is imported when a chart is drawn: a run without charts never loads it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bondkit.labels import money_text, number_text, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "FIGSIZE",
    "DPI",
    "PIXELS",
    "RC",
    "FORMATS",
    "chart_formats",
    "series_colour",
    "lighter",
    "new_axes",
    "save_figure",
    "save_png_first",
    "png_bytes",
    "pyplot_axes",
    "mathtext_safe",
    "fewest_decimals",
    "axis_label",
    "kind_text",
    "kind_formatter",
    "money_axis",
    "legend_below",
    "legend_place",
    "BAND_COLOUR",
    "level_lines",
    "note_box",
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
    # the SVG's words stay text (read aloud, found, copied; a third of the time of paths),
    # in DejaVu Sans where the reader has it, else the reader's sans-serif
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "hatch.linewidth": 0.8,
    # a user's matplotlibrc must not lay the figure out again once it is saved
    "figure.autolayout": False,
    "figure.constrained_layout.use": False,
    # the title sits just above the plot (no ticks on top to clear): not searched for on
    # every draw
    "axes.titley": 1.0,
}
#: the file formats of a chart, in the order they are written (the PNG first: the
#: workbook embeds it)
FORMATS: tuple[str, ...] = ("png", "svg")
#: a chart's PNG in pixels, width and height (the workbook places it before it is drawn)
PIXELS: tuple[int, int] = (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))
#: what the SVG must not carry, so that it is byte-identical on every run
_SVG_METADATA = {"Date": None}
#: zlib's fastest level, on rows left unfiltered: a chart's flat colours compress about as
#: well as with Pillow's encoder at the same level (40-85 KiB), in a third of its time
_PNG_LEVEL = 1
#: a legend under the plot starts this far below the plot's bottom edge, clear of the
#: x axis's ticks and label [points]
_BELOW = 35.0
#: a legend at the right starts this far right of the plot [points]
_RIGHT = 4.0


def chart_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """The formats asked, checked and in :data:`FORMATS` order: ``"both"`` (PNG and SVG),
    ``"png"``, ``"svg"``, ``"none"`` (no chart file), or any iterable of ``"png"``/``"svg"``.

    >>> chart_formats("both"), chart_formats("svg"), chart_formats("none"), chart_formats(["svg", "png"])
    (('png', 'svg'), ('svg',), (), ('png', 'svg'))
    >>> chart_formats("pdf")
    Traceback (most recent call last):
    ...
    ValueError: chart formats are png, svg, both or none, not 'pdf'
    """
    if isinstance(formats, str):
        asked = {"both": FORMATS, "none": ()}.get(formats, (formats,))
    else:
        asked = tuple(formats)
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        raise ValueError(t("chart.err.formats", "en").format(value=repr(unknown[0])))
    return tuple(f for f in FORMATS if f in asked)


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
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(colour))
    return tuple(rgb + (1.0 - rgb) * amount)


def new_axes() -> Axes:
    """An Axes on a new figure of bondkit's size (no pyplot state), 8 x 4.5 inches.

    >>> new_axes().figure.get_size_inches().tolist()
    [8.0, 4.5]
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, layout="constrained")
    return fig.add_subplot()


def save_figure(png: Path, draw: Callable[[Axes], Any], formats: Iterable[str] = FORMATS) -> Path:
    """Draw one chart with ``draw(ax)`` in bondkit's style and size, and save it as ``png``
    and as an SVG beside it (same stem); byte-identical on every run. Returns ``png``.

    ``formats`` (see :func:`chart_formats`) says which of the two files are written: each
    is ``png`` with the format's suffix; none of them when empty (the chart is still drawn).

    The figure is drawn once per file: its layout is solved once, with the PNG's text
    metrics, and kept by both files (``savefig`` would otherwise draw the whole figure one
    more time, without output, before each file). The SVG alone is laid out the same way,
    so it is the same file as beside a PNG.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     png = save_figure(Path(folder) / "bars.png", lambda ax: ax.bar([1, 2], [3, 4]))
    ...     same = png.read_bytes() == save_figure(png, lambda ax: ax.bar([1, 2], [3, 4])).read_bytes()
    ...     names = sorted(p.name for p in Path(folder).iterdir())
    >>> names, same
    (['bars.png', 'bars.svg'], True)
    """
    save_png_first(png, draw, formats)()
    return png


def save_png_first(
    png: Path, draw: Callable[[Axes], Any], formats: Iterable[str] = FORMATS
) -> Callable[[], None]:
    """:func:`save_figure` in two steps: draw the chart and write its PNG (when asked)
    now; the function returned writes its SVG (when asked), the same file as
    :func:`save_figure` writes, whenever it is called (a workbook waits for the PNGs
    only).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     svg = save_png_first(Path(folder) / "bars.png", lambda ax: ax.bar([1, 2], [3, 4]))
    ...     before = sorted(p.name for p in Path(folder).iterdir())
    ...     svg()
    ...     after = sorted(p.name for p in Path(folder).iterdir())
    >>> before, after
    (['bars.png'], ['bars.png', 'bars.svg'])
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    formats = chart_formats(formats)
    # matplotlib's layout warnings (with its source paths) are no news for a reader of
    # the terminal: the chart is drawn all the same
    with mpl.rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)  # the layout measures text as the PNG draws it, at DPI
        draw(fig.add_subplot())
        fig.get_layout_engine().execute(fig)
        fig.set_layout_engine(None)  # laid out: no file solves it again
        if "png" in formats:
            _write_png(fig, png)

    def write_svg() -> None:
        if "svg" not in formats:
            return
        with mpl.rc_context(RC), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            fig.savefig(png.with_suffix(".svg"), dpi=DPI, format="svg", metadata=_SVG_METADATA)

    return write_svg


def _write_png(fig: Any, path: Path) -> None:
    """The figure drawn by its Agg canvas, written as an opaque (RGB) PNG at :data:`DPI`:
    no metadata but the resolution, so byte-identical on every run."""
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    path.write_bytes(png_bytes(rgba[..., :3], DPI))


def png_bytes(rgb: np.ndarray, dpi: float) -> bytes:
    """An RGB picture (rows x columns x 3, 8 bits) as a PNG file at ``dpi``: its rows
    unfiltered, compressed by zlib at level :data:`_PNG_LEVEL`, as the PNG specification
    lays the file out (Pillow's encoder, which filters the rows, took three times as
    long on the charts for the same size).

    >>> import io
    >>> from PIL import Image
    >>> rgb = np.zeros((2, 3, 3), dtype=np.uint8); rgb[1, 2] = (255, 128, 0)
    >>> im = Image.open(io.BytesIO(png_bytes(rgb, 150)))
    >>> im.mode, im.size, im.getpixel((2, 1)), [round(d) for d in im.info["dpi"]]
    ('RGB', (3, 2), (255, 128, 0), [150, 150])
    """
    import struct
    import zlib

    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # filter byte 0: none
    rows[:, 1:] = rgb.reshape(height, 3 * width)
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", zlib.compress(rows.tobytes(), _PNG_LEVEL)),
            chunk(b"IEND", b""),
        )
    )


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


# ---------------------------------------------------------------- axes with units


def fewest_decimals(values: Iterable[float], least: int = 0, most: int = 4) -> int:
    """The fewest decimals (from ``least`` to ``most``) that write every value exactly.

    >>> fewest_decimals([3.0, 4.0, 5.0]), fewest_decimals([2.0, 2.5], least=1), fewest_decimals([3.25])
    (0, 1, 2)
    """
    numbers = [float(v) for v in values if v is not None and np.isfinite(float(v))]
    for decimals in range(least, most):
        if all(abs(round(v, decimals) - v) <= 1e-9 * max(1.0, abs(v)) for v in numbers):
            return decimals
    return most


def axis_label(text: str, kind: str, lang: str, currency: str = "CAD") -> str:
    """An axis label with the unit of its values, by kind (:data:`bondkit.columns.KINDS`):
    ``money`` in ``currency``, ``rate`` in percent, ``years`` and ``ratio`` (times); the
    other kinds (``count``, ``date``, ``text``) say their unit in ``text`` itself.

    >>> axis_label("Taux annuel", "rate", "fr"), axis_label("Objectif", "money", "fr")
    ('Taux annuel (%)', 'Objectif (CAD)')
    >>> axis_label("Term of the bonds", "years", "en"), axis_label("Simulated paths", "count", "en")
    ('Term of the bonds (years)', 'Simulated paths')
    """
    key = {"money": "cmp.axis.money", "rate": "cmp.axis.rate", "years": "cmp.axis.years",
           "ratio": "cmp.axis.ratio"}.get(kind)  # fmt: skip
    return text if key is None else t(key, lang).format(label=text, currency=currency)


def kind_text(value: Any, kind: str, lang: str, decimals: int | None = None) -> str:
    """A value of an axis of ``kind`` as a tick reads it, in ``lang``, the unit being in the
    axis label: rates as percentages (a fraction: 0.03 is ``3,0 %``), money in currency
    units without symbol, numbers with ``decimals`` (default: as few as the value needs;
    a rate at least one), dates ISO, anything else as it is.

    >>> kind_text(0.03, "rate", "fr"), kind_text(0.0325, "rate", "en"), kind_text(15000, "money", "fr")
    ('3,0\xa0%', '3.25%', '15\xa0000')
    >>> kind_text(1.25, "ratio", "fr"), kind_text(7, "years", "en"), kind_text("bullet", "text", "en")
    ('1,25', '7', 'bullet')
    """
    from bondkit.labels import number_text, percent_text

    if isinstance(value, str) or value is None or kind in ("date", "text"):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    x = float(value)
    if kind == "rate":
        return percent_text(
            x, lang, fewest_decimals([x * 100], 1) if decimals is None else decimals
        )
    return number_text(x, lang, fewest_decimals([x]) if decimals is None else decimals)


def kind_formatter(kind: str, lang: str) -> Any:
    """A matplotlib tick formatter for an axis of ``kind`` (see :func:`kind_text`): every
    tick of the axis with the same decimals, as few as the ticks need (3,0 %, 3,5 %, but
    0 %, 20 %).

    >>> f = kind_formatter("rate", "en")
    >>> f.format_ticks([0.03, 0.035, 0.04]), f.format_ticks([0.0, 0.2, 0.4])
    (['3.0%', '3.5%', '4.0%'], ['0%', '20%', '40%'])
    >>> kind_formatter("money", "fr").format_ticks([0, 5000.0, 10000.0])
    ['0', '5\xa0000', '10\xa0000']
    """
    from matplotlib.ticker import Formatter

    class _KindFormatter(Formatter):
        decimals: int | None = None

        def __call__(self, x: float, pos: Any = None) -> str:
            return kind_text(x, kind, lang, self.decimals)

        def format_ticks(self, values: Any) -> list[str]:
            scale = 100 if kind == "rate" else 1
            self.decimals = fewest_decimals([v * scale for v in values], 0, 3)
            try:
                return [self(v, i) for i, v in enumerate(values)]
            finally:
                self.decimals = None

    return _KindFormatter()


def money_axis(ax: Axes, lang: str, currency: str = "CAD") -> None:
    """Y axis in currency units with the language's thousands separators, a light grid.

    >>> ax = new_axes()
    >>> money_axis(ax, "fr", "CAD")
    >>> ax.get_ylabel(), ax.yaxis.get_major_formatter()(1234567, 0).split()
    ('Montant (CAD)', ['1', '234', '567'])
    """
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number_text(v, lang, 0)))
    ax.set_ylabel(t("chart.amount_axis", lang).format(currency=currency))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def legend_below(ax: Axes, columns: int, *args: Any) -> None:
    """The legend under the x axis label, in ``columns`` columns (the plot keeps its width);
    ``args``: the handles and names, when not the plot's own.

    >>> ax = new_axes()
    >>> _ = ax.plot([0, 1], [0, 1], label="a")
    >>> legend_below(ax, 2)
    >>> [x.get_text() for x in ax.get_legend().get_texts()]
    ['a']
    """
    ax.legend(*args, ncols=columns, frameon=False, **legend_place(ax, "below"))


def legend_place(ax: Axes, where: str) -> dict[str, Any]:
    """Where a legend goes, as ``ax.legend``'s keywords: ``"below"`` the plot (under the x
    axis label) or at its ``"right"``, the same distance from the plot in points whatever
    the plot's size (a short plot's legend does not touch the axis label, a tall one's is
    not set apart from it).

    >>> ax = new_axes()
    >>> sorted(legend_place(ax, "right"))
    ['bbox_to_anchor', 'bbox_transform', 'loc']
    """
    from matplotlib.transforms import offset_copy

    fig = ax.get_figure()
    if where == "below":
        shift = offset_copy(ax.transAxes, fig=fig, y=-_BELOW, units="points")
        return {"loc": "upper left", "bbox_to_anchor": (0.0, 0.0), "bbox_transform": shift}
    shift = offset_copy(ax.transAxes, fig=fig, x=_RIGHT, units="points")
    return {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0), "bbox_transform": shift}


#: colours of the campaign charts: the band, and the minimum, target and cap lines with
#: their styles (colour-blind-friendly, told apart by style too)
BAND_COLOUR = "#0072b2"
_LEVELS = {
    "chart.minimum": ("#d55e00", "--"),
    "chart.target": ("#009e73", "-."),
    "chart.cap": ("#555555", ":"),
}


def level_lines(
    ax: Axes, levels: Mapping[str, int], lang: str, currency: str = "CAD", vertical: bool = False
) -> None:
    """A line at each campaign level (its label ``"chart.minimum"``, ``"chart.target"`` or
    ``"chart.cap"`` -> cents), named in the legend with its amount.

    >>> ax = new_axes()
    >>> level_lines(ax, {"chart.minimum": 5_000_000, "chart.target": 8_000_000}, "en")
    >>> [line.get_label() for line in ax.lines]
    ['Minimum raise $50,000.00', 'Target $80,000.00']
    """
    for key, cents in levels.items():
        colour, style = _LEVELS[key]
        text = t(key, lang).format(amount=money_text(cents, lang, currency))
        line = ax.axvline if vertical else ax.axhline
        line(cents / 100.0, color=colour, linestyle=style, linewidth=1.4, label=text)


def note_box(ax: Axes, lines: Iterable[str]) -> None:
    """A small boxed note at the top left of the plot, one line each.

    >>> ax = new_axes()
    >>> note_box(ax, ["Chance: 93 %", "Alone: 80 %"])
    >>> ax.texts[0].get_text()
    'Chance: 93 %\\nAlone: 80 %'
    """
    ax.text(
        0.02,
        0.97,
        "\n".join(lines),
        transform=ax.transAxes,
        va="top",
        ha="left",
        fontsize=9,
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#bbbbbb", "alpha": 0.9},
    )
