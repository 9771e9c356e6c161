"""A class: pipeline, grading pool, result records, shards, merge, gradebook, outputs."""
