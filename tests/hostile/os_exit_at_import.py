"""Hostile: os._exit(0) at import: no exception, the process just ends."""

import os

os._exit(0)
