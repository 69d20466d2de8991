"""Benchmarks: seeded synthetic workloads and `python -m benchmarks` (see RESULTS.md)."""
