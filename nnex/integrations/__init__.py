"""Other grading platforms: Gradescope and nbgrader."""
