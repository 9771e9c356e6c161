"""Pytest graders, one folder per exercise: test_public.py (released) and test_hidden.py."""
