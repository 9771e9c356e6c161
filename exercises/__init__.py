"""Exercise folders: metadata (exercise.yaml), bilingual statement and the stub students fill in."""
