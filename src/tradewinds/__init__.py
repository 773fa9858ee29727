"""Tradewinds: a self-hosted marketing platform for cross-border e-commerce sellers."""

__version__ = "0.1.0"
