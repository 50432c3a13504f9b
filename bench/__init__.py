"""Benchmark suite: `python bench/run.py [--smoke]` (see bench/README.md)."""
