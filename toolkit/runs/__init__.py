"""Experiment runs: recording and reading them (``store``), their statistics and their comparison."""
