"""Synthetic trace generators with known answers, for tests, benchmarks and measuring defaults.

Nothing here is imported by ``import novelty``: a scan never needs a generator.
"""
