"""Demo shop customers: made-up marketing consent and contact details for audience exports.

The Online Retail data set has no personal data and no consent flags, so the audience
export would have nobody to export. This gives each demo customer (after ``retail`` loaded
the orders) a seeded consent flag (about 70% agree to marketing), an address at
example.com (a domain reserved for examples) and a phone number built from the official
example mobile number of their country. Nothing here is anyone's real data. Customers that
already have a consent flag or contact details are left as they are.
"""

from __future__ import annotations

import hashlib
import time

import pandas as pd
import phonenumbers

WORKSPACES = ("Demo Gift Shop", "Demo EU Store")
FIRST_NAMES = ["Alex", "Sam", "Kim", "Noor", "Lea", "Jonas", "Mia", "Luca", "Chloé", "Ana"]
LAST_NAMES = ["Smith", "Müller", "Dubois", "García", "Rossi", "Jansen", "Kowalski", "Silva"]


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def _phone(country: str, seed: int) -> str | None:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return None
    digits = str(example.national_number)
    candidate = digits[:-4] + f"{seed % 10000:04d}"
    parsed = phonenumbers.parse(candidate, country)
    if not phonenumbers.is_valid_number(parsed):
        parsed = example
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def load(*, workspace_key: str) -> str:
    from tradewinds.audiences.exports import country_code
    from tradewinds.warehouse import open_warehouse

    started = time.monotonic()
    with open_warehouse(workspace_key) as warehouse:
        customers = warehouse.query_df("SELECT * FROM customers WHERE accepts_marketing IS NULL")
        if not customers.empty:
            consent = [_digest(f"consent:{c}") % 10 < 7 for c in customers["customer_id"]]
            customers["accepts_marketing"] = consent
            warehouse.load("customers", customers)
        have = warehouse.query_df("SELECT customer_id FROM customer_pii")
        todo = warehouse.query_df("SELECT customer_id, country FROM customers")
        todo = todo[~todo["customer_id"].isin(set(have["customer_id"]))]
        rows = []
        for customer_id, country in zip(todo["customer_id"], todo["country"], strict=True):
            seed = _digest(str(customer_id))
            iso = country_code(country) or "GB"
            rows.append(
                {
                    "customer_id": customer_id,
                    "email": f"customer{seed % 10**8:08d}@example.com",
                    "phone": _phone(iso, seed),
                    "first_name": FIRST_NAMES[seed % len(FIRST_NAMES)],
                    "last_name": LAST_NAMES[(seed // 7) % len(LAST_NAMES)],
                    "country": iso,
                }
            )
        if rows:
            warehouse.load("customer_pii", pd.DataFrame(rows))
        agreed = warehouse.query("SELECT count(*) FROM customers WHERE accepts_marketing").scalar()
    took = time.monotonic() - started
    return (
        f"customer demo: consent flags for {len(customers):,} customers ({agreed:,} agree to "
        f"marketing), made-up contact details at example.com for {len(rows):,} in {took:.0f} s"
    )
