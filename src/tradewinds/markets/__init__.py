"""Markets: currencies and exchange rates (VAT tables and calendars to follow)."""
