"""Hostile: sys.exit(0) at import, hoping that a clean exit reads as success."""

import sys

sys.exit(0)
