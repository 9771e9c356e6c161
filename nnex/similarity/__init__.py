"""Leads for academic-integrity review: alike code and identical wrong answers across a class.

Importing this package imports no optional dependency; its modules that compare code need the
``similarity`` extra (copydetect), touched only in ``copydetect_adapter``.
"""

PAIRS_SHOWN = 20
"""How many of the most alike pairs of each exercise the page and CSV show."""
