"""Benchmarks and the generator of synthetic plan repositories."""
