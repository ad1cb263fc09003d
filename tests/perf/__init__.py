"""Benchmarks and the endurance soak; not part of the default pytest run (see README.md here)."""
