"""Templates for the released student kit (README, installer)."""
