"""Per-student numbers: each student's own parameters for an exercise's numeric questions."""
