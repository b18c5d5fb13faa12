"""Studies over several runs: comparisons of options and sweeps of one scenario."""
