"""The bundled demo class: correct, partial and broken submissions for ``nnex demo``."""
