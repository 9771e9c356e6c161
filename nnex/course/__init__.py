"""The course: where its content lives, exercise metadata, YAML validation."""
