"""Live connectors: vendor APIs read incrementally, offering the same streams as file formats
(``ingest/spec.py``). Each keeps a small JSON *state* (its cursors) between runs."""
