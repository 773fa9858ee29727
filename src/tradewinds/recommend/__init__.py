"""Product recommendations: frequently bought together and per-customer top-N."""
