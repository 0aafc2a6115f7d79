"""The test suite; an importable package so that tests and benchmarks share its helpers."""
