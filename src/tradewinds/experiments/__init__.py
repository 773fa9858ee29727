"""Experiments: deterministic assignment, A/B test statistics, the sample-ratio check and
Thompson-sampling bandits."""
