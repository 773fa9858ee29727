"""Multi-touch attribution: customer paths, rule-based, Markov and Shapley models."""
