"""Command-line interface. Each module here registers one command group."""
