from __future__ import annotations

import pandas as pd

from tradewinds.audiences.exports import normalise_phone
from tradewinds.demo.retail_customers import load


def test_demo_customers_get_consent_and_example_contacts(tw_home) -> None:
    from tradewinds.warehouse import open_warehouse

    ids = [f"online_retail:{n}" for n in range(12000, 12100)]
    with open_warehouse("demo-test") as wh:
        wh.load(
            "customers",
            pd.DataFrame({"customer_id": ids, "country": ["Germany", "France"] * 50}),
        )
        wh.load("customers", pd.DataFrame({"customer_id": ["real"], "accepts_marketing": [False]}))
    assert "100 customers" in load(workspace_key="demo-test")
    assert "0 customers" in load(workspace_key="demo-test")  # idempotent
    with open_warehouse("demo-test") as wh:
        flags = wh.query_df("SELECT customer_id, accepts_marketing FROM customers")
        pii = wh.query_df("SELECT * FROM customer_pii")
    flags = flags.set_index("customer_id")["accepts_marketing"]
    assert not flags["real"]  # an existing flag is kept
    assert 0.5 < flags[ids].mean() < 0.9
    assert pii["email"].str.endswith("@example.com").all()
    pairs = zip(pii["phone"], pii["country"], strict=True)
    assert all(normalise_phone(p, country=c) for p, c in pairs)
