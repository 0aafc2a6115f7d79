"""What tests and benchmarks share to run kvorum for real: fresh databases and live servers."""
