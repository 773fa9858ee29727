"""Property: whatever loads arrive in whatever order, the stored rows are what each table's
merge policy says (a plain fold of the loads, computed here without the warehouse)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.ingest.pipeline import Batch, loading
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

IDS = st.sampled_from(["c1", "c2", "c3"])
COUNTRIES = st.one_of(st.none(), st.sampled_from(["FR", "DE", "GB"]))
CONSENT = st.one_of(st.none(), st.booleans())
CUSTOMER = st.fixed_dictionaries(
    {"customer_id": IDS, "country": COUNTRIES, "accepts_marketing": CONSENT}
)
T0 = datetime(2026, 3, 1, tzinfo=UTC)
IDENTITY = st.builds(
    lambda a, u, minutes: {
        "anonymous_id": a,
        "user_id": u,
        "first_seen_at": T0 + timedelta(minutes=minutes),
    },
    st.sampled_from(["a1", "a2"]),
    st.sampled_from(["u1", "u2"]),
    st.integers(0, 1000),
)
LOADS = st.lists(st.lists(CUSTOMER, max_size=4), min_size=1, max_size=4)
SIGHTINGS = st.lists(st.lists(IDENTITY, max_size=4), min_size=1, max_size=4)


def _fresh(tmp_path: Path) -> DuckDBWarehouse:
    path = tmp_path / f"merge-{datetime.now().timestamp()}.duckdb"
    wh = DuckDBWarehouse(path, workspace_key="")
    wh.ensure_tables()
    return wh


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(loads=LOADS)
def test_customers_take_the_values_each_load_carries(tmp_path: Path, loads) -> None:
    expected: dict[str, dict] = {}
    for rows in loads:
        for row in rows:
            known = expected.setdefault(
                row["customer_id"], {"country": None, "accepts_marketing": None}
            )
            known.update({k: v for k, v in row.items() if k != "customer_id" and v is not None})
    with _fresh(tmp_path) as wh:
        for rows in loads:
            with loading(wh, origin="file") as loader:
                loader.commit([Batch("customers", rows)])
        stored = {
            cid: {"country": country, "accepts_marketing": consent}
            for cid, country, consent in wh.query(
                "SELECT customer_id, country, accepts_marketing FROM customers"
            ).rows
        }
    assert stored == expected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(loads=SIGHTINGS)
def test_identities_keep_the_earliest_sighting_of_the_first_load(tmp_path: Path, loads) -> None:
    expected: dict[tuple[str, str], datetime] = {}
    for rows in loads:
        earliest: dict[tuple[str, str], datetime] = {}
        for row in rows:
            key = (row["anonymous_id"], row["user_id"])
            earliest[key] = min(earliest.get(key, row["first_seen_at"]), row["first_seen_at"])
        for key, seen in earliest.items():
            expected.setdefault(key, seen)  # first seen: a later load changes nothing
    with _fresh(tmp_path) as wh:
        for rows in loads:
            with loading(wh, origin="events") as loader:
                loader.commit([Batch("identities", rows)])
        stored = {
            (a, u): seen.astimezone(UTC)
            for a, u, seen in wh.query(
                "SELECT anonymous_id, user_id, first_seen_at FROM identities"
            ).rows
        }
    assert stored == expected
