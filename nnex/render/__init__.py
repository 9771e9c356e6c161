"""Renderers: results in, text out. Each output format lives in its own module."""
