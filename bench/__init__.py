"""Benchmarks and the benchmark corpus generator, run from the checkout as ``python -m bench.<name>``."""
