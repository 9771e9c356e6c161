"""Japanese text in matplotlib figures, from the font that the matplotlib-fontja package ships.

Every figure nnex draws (the class report's charts, the notebooks' pictures) takes its fonts from
here: ``pip install`` alone brings the font (IPAexGothic), so no system font is needed and
matplotlib's font cache plays no part.
"""

from __future__ import annotations

import logging

JAPANESE_FONT = "IPAexGothic"
"""The family name of the font in matplotlib-fontja."""


def japanese_font_family() -> list[str]:
    """Register the bundled Japanese font with matplotlib; a ``font.family`` that uses it.

    Only matplotlib's font list changes; the caller's ``rcParams`` are left as they were (set
    ``font.family`` to the returned list, or pass it to ``rc_context``).

    Raises:
        ImportError: matplotlib or matplotlib-fontja is not installed.
    """
    import matplotlib
    from matplotlib import font_manager

    logging.getLogger(font_manager.__name__).addFilter(_one_weight)  # added once

    with matplotlib.rc_context():  # importing matplotlib_fontja sets font.family globally
        from matplotlib_fontja import get_font_ttf_path
    path = get_font_ttf_path()
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return [JAPANESE_FONT, "DejaVu Sans"]


def _one_weight(record: logging.LogRecord) -> bool:
    """Drop matplotlib's "Failed to find font weight bold for IPAexGothic" (the font has one
    weight: bold text is drawn in it at regular weight, and a student need not be told)."""
    return not (record.msg.startswith("findfont: Failed to find font weight")
                and JAPANESE_FONT in map(str, record.args or ()))
