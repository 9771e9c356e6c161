"""nnex: auto-graded exercises for a neural-network basics course."""

__version__ = "0.1.0"
