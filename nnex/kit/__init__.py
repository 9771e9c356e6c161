"""The student kit: release, packaging, notebooks, kernel-side check, Classroom workflow."""
