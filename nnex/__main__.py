"""Entry point for ``python -m nnex``."""

from nnex.cli import main

raise SystemExit(main())
