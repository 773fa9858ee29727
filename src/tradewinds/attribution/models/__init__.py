"""Attribution models: pure functions from a path table to credit per channel."""
