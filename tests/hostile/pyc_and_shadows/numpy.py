"""Hostile: a numpy.py beside the exercise, shadowing NumPy's comparisons if it were imported."""

allclose = lambda *args, **kwargs: True  # noqa: E731
isclose = allclose
