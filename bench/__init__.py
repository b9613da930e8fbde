"""Benchmarks of the warehouse against their baselines (issue 10 item 5): ``python -m bench``."""
