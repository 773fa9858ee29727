"""Checks for the people working on Tradewinds (``python -m tradewinds.devtools.<check>``)."""
