"""Charts of the 通报 as SVG (matplotlib, Agg backend, no display).

Text stays text in the SVG (`svg.fonttype = none`) naming a CJK font, so the
HTML page shows it with the reader's fonts and WeasyPrint draws it in the PDF
with the fonts of the machine (Noto Sans CJK on Debian: fonts-noto-cjk)."""

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

# The first CJK family the machine has wins in the browser and in WeasyPrint.
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei"]
_STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": [*CJK_FONTS, "DejaVu Sans"],
    "axes.unicode_minus": False,
    "svg.hashsalt": "xinyong",  # stable ids: the same figures give the same SVG
}


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    """The SVG as a data: URI for an <img>: the pages' Content-Security-Policy
    allows data: images, and an SVG image keeps its own inline styles."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def ranking_bars(title: str, names: Sequence[str], scores: Sequence[float]) -> str:
    """Horizontal bars, one per department, best on top."""
    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # keys typed as literals
        height = 1.2 + 0.35 * max(1, len(names))
        fig, ax = plt.subplots(figsize=(7.5, height))
        positions = range(len(names))
        ax.barh(list(positions), list(scores), color="#2f6db5")
        ax.set_yticks(list(positions), labels=list(names))
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("得分")
        ax.set_title(title)
        for y, value in zip(positions, scores, strict=True):
            ax.text(value + 1, y, f"{value:.1f}", va="center", fontsize=8)
        return _svg(fig)


def trend_lines(
    title: str, months: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> str:
    """One line per series over the months (percentages; None: no data)."""
    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # keys typed as literals
        fig, ax = plt.subplots(figsize=(7.5, 3.2))
        positions = list(range(len(months)))
        for label, values in series.items():
            ax.plot(
                positions,
                [float("nan") if v is None else v for v in values],
                marker="o",
                label=label,
            )
        # Every month on the axis, also those without data (autoscaling
        # would leave a month with no point out).
        ax.set_xticks(positions, labels=list(months))
        ax.set_xlim(-0.5, len(months) - 0.5)
        ax.set_ylim(0, 105)
        ax.set_ylabel("%")
        ax.set_title(title)
        ax.legend(fontsize=8, loc="lower left")
        ax.grid(axis="y", alpha=0.3)
        return _svg(fig)
