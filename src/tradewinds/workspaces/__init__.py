"""Workspaces: the tenants of a Tradewinds instance."""
