"""The instructor's term: roster, LMS downloads in, late policy, overrides, grades out."""
