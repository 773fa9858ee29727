"""KPIs, acquisition cohorts and storefront funnels over a workspace's warehouse.

Queries are written once in DuckDB SQL (translated for PostgreSQL by the warehouse);
ratios, retention and payback are pure calculations on the aggregated figures.
"""
