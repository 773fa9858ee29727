"""Content studio: ad copy for every market, platform and field — generated, localized,
fitted to each field's limit as the platform counts it, and checked by the compliance
engine (see docs/content.md)."""
