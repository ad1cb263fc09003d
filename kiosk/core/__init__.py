"""Qt-free core: content model, rendering, session, settings, readability.

Nothing in this package may import Qt; ``tests/test_core_boundary.py`` enforces it.
"""
