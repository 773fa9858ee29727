"""VAT/GST and cross-border tax, as a pure core (no I/O beyond the shipped YAML files).

* :mod:`.rates` — VAT/GST rates by country and date (``vat_rate``);
* :mod:`.schemes` — who collects VAT and duty on a parcel: IOSS, UK £135, AU/NZ, VOEC,
  Singapore, Switzerland, the US de minimis (``assess``), and the EU OSS tracker;
* :mod:`.landed` — a product's landed price at a destination (``landed_price``);
* :mod:`.pricing` — a price localised for a market: charm, round or exact
  (``localize_price``).
"""
