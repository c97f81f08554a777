"""Benchmarks (`make bench`). See __main__.py."""
