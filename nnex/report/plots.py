"""The class report's charts: matplotlib (Agg) figures as embeddable PNG data URIs.

The only module that imports matplotlib; figures are drawn on an Agg canvas without pyplot, so
importing it never changes the caller's backend. Plot labels are bilingual, in the Japanese font
of ``nnex.fonts`` (pip-installed with the ``report`` extra: no system font is needed).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnex.fonts import JAPANESE_FONT, japanese_font_family
from nnex.report.stats import ClassStats, ExerciseStats

_BLUE, _GREEN, _ORANGE, _GREY = "#3b6ea5", "#2e7d32", "#ef6c00", "#9e9e9e"


@dataclass
class Plots:
    """Every chart of the report as a ``data:image/png;base64,…`` URI."""

    distribution: str
    exercise_means: str
    check_rates: dict[str, str] = field(default_factory=dict)
    """Per exercise id."""
    japanese: bool = False
    """True when the labels are bilingual (a Japanese font was found)."""


def japanese_font() -> str:
    """The font for the plots' Japanese labels (registered with matplotlib by this call)."""
    japanese_font_family()
    return JAPANESE_FONT


def class_plots(stats: ClassStats, *, font: str | None = None) -> Plots:
    """Draw every chart of the report.

    Args:
        stats: the class's data.
        font: a font with Japanese glyphs for bilingual labels (None: English labels only).
    """
    label = _Labels(font)
    return Plots(distribution=_distribution(stats, label),
                 exercise_means=_exercise_means(stats, label),
                 check_rates={e.exercise: _check_rates(e, label) for e in stats.exercises},
                 japanese=font is not None)


class _Labels:
    """Axis text: ``"ja / en"`` with a Japanese font, ``"en"`` without."""

    def __init__(self, font: str | None):
        self.font = font

    def __call__(self, ja: str, en: str) -> str:
        return f"{ja} / {en}" if self.font else en

    @staticmethod
    def figure(width: float, height: float) -> Figure:
        """A figure drawn by Agg, without pyplot (no global state, the caller's backend kept)."""
        figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
        FigureCanvasAgg(figure)
        return figure

    def context(self) -> dict:
        # matplotlib falls back glyph by glyph along the family list (3.6+).
        family = [self.font, "DejaVu Sans"] if self.font else ["DejaVu Sans"]
        return {"font.family": family, "axes.spines.top": False, "axes.spines.right": False}


def _distribution(stats: ClassStats, label: _Labels) -> str:
    with matplotlib.rc_context(label.context()):
        figure = label.figure(7.5, 3.2)
        axes = figure.subplots()
        top = max(stats.max_score, max(stats.scores, default=0), 1)
        step = 1 if top <= 40 else top / 20
        edges = [i * step - step / 2 for i in range(int(top / step) + 2)]
        counts, _, _ = axes.hist(stats.scores, bins=edges, color=_BLUE, edgecolor="white")
        axes.set_ylim(0, max(counts.max(initial=0), 1) * 1.25)  # room for the legend
        axes.axvline(stats.mean, color=_ORANGE, linewidth=2,
                     label=label("平均", "mean") + f" {stats.mean:.1f}")
        axes.axvline(stats.median, color=_GREEN, linewidth=2, linestyle="--",
                     label=label("中央値", "median") + f" {stats.median:g}")
        axes.set_xlim(edges[0], edges[-1])
        axes.set_xlabel(label("合計点", "total score") + f" (/{stats.max_score:g})")
        axes.set_ylabel(label("人数", "students"))
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.legend(frameon=False)
        return _png(figure)


def _exercise_means(stats: ClassStats, label: _Labels) -> str:
    with matplotlib.rc_context(label.context()):
        figure = label.figure(7.5, 0.6 + 0.45 * max(len(stats.exercises), 2))
        axes = figure.subplots()
        names = [e.exercise for e in stats.exercises][::-1]
        shares = [100 * e.mean / e.max_score if e.max_score else 0 for e in stats.exercises][::-1]
        bars = axes.barh(names, shares, color=_BLUE, height=0.6)
        texts = [f"{e.mean:.1f} / {e.max_score:g}" for e in stats.exercises][::-1]
        axes.bar_label(bars, labels=texts, padding=4, fontsize=9)
        axes.set_xlim(0, 115)
        axes.set_xticks(range(0, 101, 20))
        axes.set_xlabel(label("平均点（満点に対する %）", "mean score (% of the maximum)"))
        return _png(figure)


def _check_rates(exercise: ExerciseStats, label: _Labels) -> str:
    with matplotlib.rc_context(label.context()):
        checks = exercise.checks[::-1]
        figure = label.figure(7.5, 0.8 + 0.32 * max(len(checks), 2))
        axes = figure.subplots()
        names = [c.name + (" (hidden)" if c.visibility == "hidden" else "") for c in checks]
        rates = [100 * (c.pass_rate or 0) for c in checks]
        colours = [_GREY if c.ran == 0 else _GREEN if (c.pass_rate or 0) >= 0.8
                   else _ORANGE if (c.pass_rate or 0) >= 0.5 else "#c62828" for c in checks]
        bars = axes.barh(names, rates, color=colours, height=0.6)
        axes.bar_label(bars, labels=[f"{c.passed}/{c.ran}" for c in checks], padding=4,
                       fontsize=8)
        axes.set_xlim(0, 112)
        axes.set_xticks(range(0, 101, 20))
        axes.set_xlabel(label("合格率 %（コードが動いた学生のうち）",
                              "pass rate % (of students whose code ran)"))
        axes.set_title(exercise.exercise, loc="left", fontsize=10)
        axes.tick_params(axis="y", labelsize=8)
        return _png(figure)


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
