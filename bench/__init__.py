"""Benchmarks against baselines measured in the same run (`python -m bench`, `make bench`, `make bench-quick`)."""
