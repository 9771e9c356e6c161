"""Hostile: a sitecustomize.py beside the exercise; Python would run it at start-up if this
folder were on sys.path."""

import builtins

builtins.NotImplementedError = type("NotImplementedError", (Exception,), {})
