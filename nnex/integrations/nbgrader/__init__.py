"""nbgrader courses: export, test cell, grading, course file, gradebook."""
