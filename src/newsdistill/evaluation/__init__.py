"""Evaluation on external data against baselines run in the same command, and benchmarks."""
