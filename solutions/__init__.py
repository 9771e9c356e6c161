"""Reference solutions, one module per exercise. Instructor only: never released."""
