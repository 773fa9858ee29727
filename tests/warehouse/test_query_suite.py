"""One query suite, run on every warehouse backend (DuckDB and PostgreSQL).

Declared gaps (see docs/warehouse.md): result column names of unnamed expressions differ
between engines, so every query here names its columns; SQL-side FX conversion on DuckDB
divides in double precision, so it is compared with the exact in-memory result to 0.0001.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tradewinds.markets.fx import FxTable, MissingRate
from tradewinds.markets.fx_files import import_fx_file, parse_ecb
from tradewinds.markets.fx_sql import convert_sql, missing_rates
from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.console import run_readonly
from tradewinds.warehouse.errors import ReadOnlyViolation, WarehouseError
from tradewinds.warehouse.schema import TABLES

FX_DATA = Path(__file__).resolve().parents[1] / "markets" / "data"


def order(n: int, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "order_id": f"shop:{n}",
        "customer_id": f"shop:c{n % 3}",
        "storefront": "shopify",
        "ordered_at": datetime(2024, 1, 2, 10, n % 60, tzinfo=UTC),
        "country": "DE",
        "currency": "EUR",
        "total": Decimal(n) + Decimal("0.99"),
    }
    row.update(overrides)
    return row


def test_ensure_tables_creates_every_canonical_table(warehouse: Warehouse) -> None:
    assert set(TABLES) <= set(warehouse.table_names())
    warehouse.ensure_tables()  # idempotent
    for table in TABLES.values():
        result = warehouse.query(f'SELECT * FROM "{table.name}" LIMIT 0')
        assert result.columns == list(table.column_names)
        assert result.rows == []


def test_load_is_idempotent(warehouse: Warehouse) -> None:
    rows = [order(n) for n in range(1, 51)]
    first = warehouse.load("orders", rows)
    second = warehouse.load("orders", rows)
    assert (first.inserted, first.updated, first.duplicates) == (50, 0, 0)
    assert (second.inserted, second.updated, second.duplicates) == (0, 0, 50)
    assert warehouse.count("orders") == 50


def test_load_updates_changed_rows_and_inserts_new_ones(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(1), order(2)])
    result = warehouse.load(
        "orders", [order(1), order(2, status="refunded", refunded=Decimal("5")), order(3)]
    )
    assert (result.inserted, result.updated, result.duplicates) == (1, 1, 1)
    rows = warehouse.query("SELECT order_id, status, refunded FROM orders ORDER BY order_id").rows
    assert rows == [
        ("shop:1", None, None),
        ("shop:2", "refunded", Decimal("5")),
        ("shop:3", None, None),
    ]


def test_repeated_key_in_one_batch_keeps_the_last_row(warehouse: Warehouse) -> None:
    result = warehouse.load("orders", [order(1, status="placed"), order(1, status="paid")])
    assert (result.inserted, result.duplicates) == (1, 1)
    assert warehouse.query("SELECT status FROM orders").rows == [("paid",)]


def test_dataframe_load_and_missing_key_parts_become_empty(warehouse: Warehouse) -> None:
    frame = pd.DataFrame(
        {
            "date": [date(2024, 1, 2), date(2024, 1, 2)],
            "platform": ["google", "google"],
            "campaign_id": ["111", "222"],
            "campaign_name": ["Brand", "Shopping"],
            "country": [None, "FR"],
            "impressions": [1000, 2500],
            "clicks": [10, 40],
            "spend": [12.34, 56.78],
            "currency": ["EUR", "EUR"],
        }
    )
    assert warehouse.load("ad_spend_daily", frame).inserted == 2
    assert warehouse.load("ad_spend_daily", frame).duplicates == 2
    rows = warehouse.query(
        "SELECT campaign_id, country, device, spend FROM ad_spend_daily ORDER BY campaign_id"
    ).rows
    assert rows == [("111", "", "", Decimal("12.34")), ("222", "FR", "", Decimal("56.78"))]


def test_transaction_commits_several_tables_together(warehouse: Warehouse) -> None:
    with warehouse.transaction():
        warehouse.load("orders", [order(1)])
        warehouse.load(
            "order_lines",
            [
                {
                    "order_id": "shop:1",
                    "line_no": 1,
                    "quantity": 2,
                    "unit_price": Decimal("0.50"),
                    "currency": "EUR",
                }
            ],
        )
        warehouse.load("customers", [{"customer_id": "shop:c1", "country": "DE"}])
    assert [warehouse.count(t) for t in ("orders", "order_lines", "customers")] == [1, 1, 1]


def test_transaction_rolls_back_everything_on_error(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(1)])
    with pytest.raises(RuntimeError), warehouse.transaction():
        warehouse.load("orders", [order(2), order(1, status="cancelled")])
        warehouse.load("customers", [{"customer_id": "shop:c2"}])
        raise RuntimeError("import killed")
    assert warehouse.query("SELECT order_id, status FROM orders").rows == [("shop:1", None)]
    assert warehouse.count("customers") == 0


def test_a_failing_load_leaves_nothing_partial(warehouse: Warehouse) -> None:
    good = [order(n) for n in range(1, 5)]
    bad = [
        {
            "order_id": "shop:1",
            "line_no": 1,
            "quantity": "many",
            "unit_price": "1",
            "currency": "EUR",
        }
    ]
    with pytest.raises(WarehouseError), warehouse.transaction():
        warehouse.load("orders", good)
        warehouse.load("order_lines", bad)
    assert warehouse.count("orders") == 0
    # the warehouse stays usable after the failed transaction
    assert warehouse.load("orders", good).inserted == 4


def test_query_with_positional_and_named_parameters(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(n, country="FR" if n % 2 else "DE") for n in range(1, 11)])
    positional = warehouse.query(
        "SELECT count(*) AS n FROM orders WHERE country = ? AND total > ?", ["FR", Decimal("4")]
    )
    named = warehouse.query(
        "SELECT count(*) AS n FROM orders WHERE country = $c AND order_id LIKE '%1%'", {"c": "DE"}
    )
    assert positional.columns == ["n"]
    assert positional.scalar() == len([n for n in range(1, 11) if n % 2 and n + 0.99 > 4])
    assert named.scalar() == len([n for n in range(1, 11) if not n % 2 and "1" in str(n)])


def test_query_df(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(n) for n in range(1, 4)])
    frame = warehouse.query_df(
        "SELECT order_id, total, ordered_at FROM orders WHERE total > ? ORDER BY order_id",
        [Decimal("2")],
    )
    assert list(frame["order_id"]) == ["shop:2", "shop:3"]
    assert list(frame["total"]) == [2.99, 3.99]
    assert str(frame["ordered_at"].dt.tz) == "UTC"


def test_decimals_are_exact(warehouse: Warehouse) -> None:
    amounts = [Decimal("0.10")] * 1000 + [Decimal("12345678901.2345"), Decimal("-0.0001")]
    lines = [
        {"order_id": "o", "line_no": i, "quantity": 1, "unit_price": a, "currency": "EUR"}
        for i, a in enumerate(amounts)
    ]
    warehouse.load("order_lines", lines)
    total = warehouse.query("SELECT sum(unit_price) AS s FROM order_lines").scalar()
    assert total == sum(amounts)
    big = warehouse.query("SELECT unit_price FROM order_lines WHERE line_no = 1000").scalar()
    assert big == Decimal("12345678901.2345")
    # floats from a DataFrame land on the exact decimal they print as
    frame = pd.DataFrame(
        {
            "order_id": ["f"],
            "line_no": [1],
            "quantity": [3],
            "unit_price": [2.55],
            "currency": ["GBP"],
        }
    )
    warehouse.load("order_lines", frame)
    value = warehouse.query(
        "SELECT quantity * unit_price AS v FROM order_lines WHERE order_id = 'f'"
    )
    assert value.scalar() == Decimal("7.65")


def test_timestamps_are_stored_and_returned_in_utc(warehouse: Warehouse) -> None:
    tokyo = timezone(timedelta(hours=9))
    warehouse.load(
        "orders",
        [
            order(1, ordered_at=datetime(2024, 1, 2, 8, 30, tzinfo=tokyo)),  # 2024-01-01 23:30 UTC
            order(2, ordered_at=datetime(2024, 1, 2, 8, 30)),  # naive: taken as UTC
            order(3, ordered_at="2024-01-02T08:30:00-05:00"),
        ],
    )
    rows = warehouse.query(
        "SELECT order_id, ordered_at, CAST(ordered_at AS DATE) AS d FROM orders ORDER BY order_id"
    ).rows
    assert rows == [
        ("shop:1", datetime(2024, 1, 1, 23, 30, tzinfo=UTC), date(2024, 1, 1)),
        ("shop:2", datetime(2024, 1, 2, 8, 30, tzinfo=UTC), date(2024, 1, 2)),
        ("shop:3", datetime(2024, 1, 2, 13, 30, tzinfo=UTC), date(2024, 1, 2)),
    ]
    since = warehouse.query(
        "SELECT count(*) AS n FROM orders WHERE ordered_at >= ?", [datetime(2024, 1, 2, tzinfo=UTC)]
    )
    assert since.scalar() == 2


def test_json_properties(warehouse: Warehouse) -> None:
    props = {
        "revenue": 12.5,
        "currency": "USD",
        "products": [{"sku": "A-1", "qty": 2}],
        "note": "ü",
    }
    warehouse.load(
        "events",
        [
            {
                "message_id": "m1",
                "type": "track",
                "event": "Order Completed",
                "timestamp": datetime(2024, 1, 2, tzinfo=UTC),
                "properties": props,
            },
            {
                "message_id": "m2",
                "type": "track",
                "event": "Product Viewed",
                "timestamp": datetime(2024, 1, 2, tzinfo=UTC),
                "properties": json.dumps({"sku": "B-2"}),
            },
        ],
    )
    rows = warehouse.query(
        "SELECT message_id, properties->>'currency' AS cur, properties "
        "FROM events ORDER BY message_id"
    ).rows
    assert rows[0] == ("m1", "USD", props)
    assert rows[1] == ("m2", None, {"sku": "B-2"})
    revenue = warehouse.query(
        "SELECT sum(CAST(properties->>'revenue' AS DECIMAL(18, 4))) AS r FROM events "
        "WHERE event = 'Order Completed'"
    )
    assert revenue.scalar() == Decimal("12.5")


def test_delete_where(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(n) for n in range(1, 11)])
    gone = warehouse.delete_where("orders", "customer_id", ["shop:c1", "shop:c2", "nobody"])
    assert gone == len([n for n in range(1, 11) if n % 3 in (1, 2)])
    assert warehouse.query("SELECT DISTINCT customer_id FROM orders").rows == [("shop:c0",)]


def test_console_runs_reads_and_refuses_writes(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(n) for n in range(1, 6)])
    result = run_readonly(warehouse, "SELECT order_id FROM orders ORDER BY order_id", limit=3)
    assert result.rows == [("shop:1",), ("shop:2",), ("shop:3",)]
    assert result.truncated
    for sql in (
        "DELETE FROM orders",
        "SELECT 1; DROP TABLE orders",
        "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d",
        "SELECT * FROM read_csv('/etc/passwd')",
    ):
        with pytest.raises(ReadOnlyViolation):
            run_readonly(warehouse, sql)
    assert warehouse.count("orders") == 5


def test_console_connection_cannot_write_even_past_the_parser(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(1)])
    with pytest.raises(WarehouseError), warehouse.readonly() as run:
        run("DELETE FROM orders")
    assert warehouse.count("orders") == 1


def _fx_orders() -> list[dict[str, object]]:
    days = {
        "weekday": datetime(2024, 1, 3, 15, 0, tzinfo=UTC),
        "saturday": datetime(2023, 12, 23, 9, 0, tzinfo=UTC),
        "christmas": datetime(2023, 12, 26, 23, 59, tzinfo=UTC),
        "new_year": datetime(2024, 1, 1, 12, 0, tzinfo=UTC),
    }
    rows = []
    n = 0
    for day in days.values():
        for currency, total in (
            ("USD", "100.00"),
            ("GBP", "59.99"),
            ("JPY", "12800"),
            ("EUR", "10.01"),
        ):
            n += 1
            rows.append(order(n, ordered_at=day, currency=currency, total=Decimal(total)))
    return rows


def test_fx_conversion_in_sql_matches_the_in_memory_table(warehouse: Warehouse) -> None:
    result = import_fx_file(warehouse, path=FX_DATA / "eurofxref-hist-sample.csv")
    assert result.inserted > 0
    rows = _fx_orders()
    warehouse.load("orders", rows)
    table = FxTable(parse_ecb((FX_DATA / "eurofxref-hist-sample.csv").read_text()))
    for target in ("EUR", "USD", "GBP"):
        sql = convert_sql(
            "SELECT order_id, currency, total, ordered_at FROM orders",
            amount="total",
            currency="currency",
            on="ordered_at",
            to=target,
        )
        got = {r[0]: r[-1] for r in warehouse.query(sql + " ORDER BY order_id").rows}
        for row in rows:
            expected = table.convert(
                row["total"],  # type: ignore[arg-type]
                from_currency=row["currency"],  # type: ignore[arg-type]
                to_currency=target,
                on=row["ordered_at"],  # type: ignore[arg-type]
                places=4,
            )
            assert abs(got[row["order_id"]] - expected) <= Decimal("0.0001"), (row, target)
    assert (
        missing_rates(
            warehouse, "SELECT * FROM orders", currency="currency", on="ordered_at", to="USD"
        )
        == []
    )


def test_fx_missing_rate_is_null_in_sql_and_reported(warehouse: Warehouse) -> None:
    import_fx_file(warehouse, path=FX_DATA / "eurofxref-hist-sample.csv")
    late = datetime(2024, 1, 20, tzinfo=UTC)  # 15 days after the last rate in the file
    warehouse.load(
        "orders",
        [order(1, currency="USD", ordered_at=late), order(2, currency="EUR", ordered_at=late)],
    )
    sql = convert_sql(
        "SELECT * FROM orders", amount="total", currency="currency", on="ordered_at", to="GBP"
    )
    got = dict((r[0], r[-1]) for r in warehouse.query(sql).rows)
    assert got == {"shop:1": None, "shop:2": None}
    assert missing_rates(
        warehouse, "SELECT * FROM orders", currency="currency", on="ordered_at", to="GBP"
    ) == [MissingRate("GBP", date(2024, 1, 20)), MissingRate("USD", date(2024, 1, 20))]
    to_eur = convert_sql(
        "SELECT * FROM orders", amount="total", currency="currency", on="ordered_at", to="EUR"
    )
    got_eur = dict((r[0], r[-1]) for r in warehouse.query(to_eur).rows)
    assert got_eur == {"shop:1": None, "shop:2": Decimal("2.99")}


def test_ensure_tables_adds_columns_the_schema_gained(warehouse: Warehouse) -> None:
    warehouse.load("orders", [order(1, status="paid")])
    warehouse.execute("ALTER TABLE orders DROP COLUMN source")
    assert "source" not in warehouse.query("SELECT * FROM orders").columns
    warehouse.ensure_tables()
    result = warehouse.query("SELECT order_id, status, source FROM orders")
    assert result.rows == [("shop:1", "paid", None)]


def test_dataframe_with_gaps(warehouse: Warehouse) -> None:
    """Integers with gaps arrive from pandas as floats, dates as datetime64, money as text."""
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "platform": ["meta", "meta"],
            "campaign_id": ["1", "2"],
            "spend": ["1.50", None],
            "currency": ["USD", "USD"],
            "impressions": [1500, None],
            "clicks": [2.0, 3.0],
        }
    )
    assert warehouse.load("ad_spend_daily", frame).inserted == 2
    rows = warehouse.query(
        "SELECT date, spend, impressions, clicks FROM ad_spend_daily ORDER BY date"
    ).rows
    assert rows == [
        (date(2024, 1, 2), Decimal("1.5"), 1500, 2),
        (date(2024, 1, 3), None, None, 3),
    ]


def test_fx_in_sql_agrees_with_the_in_memory_table_on_every_day(warehouse: Warehouse) -> None:
    """Each calendar day around the rate file's edges: same rate, same missing days."""
    import_fx_file(warehouse, path=FX_DATA / "eurofxref-hist-sample.csv")
    table = FxTable(parse_ecb((FX_DATA / "eurofxref-hist-sample.csv").read_text()))
    first = date(2023, 12, 18)
    days = [first + timedelta(days=n) for n in range(30)]  # 2023-12-18 … 2024-01-16
    warehouse.load(
        "orders",
        [
            order(
                n,
                ordered_at=datetime(d.year, d.month, d.day, 12, tzinfo=UTC),
                currency="USD",
                total=Decimal("100.00"),
            )
            for n, d in enumerate(days)
        ],
    )
    sql = convert_sql(
        "SELECT order_id, ordered_at, currency, total FROM orders",
        amount="total",
        currency="currency",
        on="ordered_at",
        to="GBP",
    )
    got = {r[1].date(): r[-1] for r in warehouse.query(sql).rows}
    for d in days:
        try:
            expected = table.convert(
                Decimal("100.00"), from_currency="USD", to_currency="GBP", on=d, places=4
            )
        except MissingRate:
            assert got[d] is None, d
            continue
        assert got[d] is not None and abs(got[d] - expected) <= Decimal("0.0001"), d
    assert got[date(2023, 12, 20)] is None and got[date(2024, 1, 13)] is None
    assert got[date(2024, 1, 12)] is not None and got[date(2023, 12, 25)] is not None


def test_query_df_types_match_across_engines(warehouse: Warehouse) -> None:
    warehouse.load(
        "ad_spend_daily",
        [
            {
                "date": date(2024, 1, 2),
                "platform": "g",
                "campaign_id": "1",
                "impressions": 5,
                "clicks": None,
                "spend": Decimal("1.5"),
                "currency": "EUR",
            },
            {
                "date": date(2024, 1, 3),
                "platform": "g",
                "campaign_id": "2",
                "impressions": 7,
                "clicks": 3,
                "spend": None,
                "currency": "EUR",
            },
        ],
    )
    frame = warehouse.query_df(
        "SELECT date, impressions, clicks, spend FROM ad_spend_daily ORDER BY date"
    )
    assert str(frame["date"].dtype) == "datetime64[us]"
    assert pd.api.types.is_integer_dtype(frame["impressions"].dtype)
    assert str(frame["clicks"].dtype) == "Int64" and frame["clicks"].isna().tolist() == [
        True,
        False,
    ]
    assert frame["spend"].dtype == "float64" and frame["spend"].iloc[0] == 1.5


def test_fx_daily_view_converts_in_plain_sql(warehouse: Warehouse) -> None:
    """The console's way to convert: join fx_daily on currency and UTC day."""
    import_fx_file(warehouse, path=FX_DATA / "eurofxref-hist-sample.csv")
    rows = _fx_orders()
    warehouse.load("orders", rows)
    table = FxTable(parse_ecb((FX_DATA / "eurofxref-hist-sample.csv").read_text()))
    sql = (
        "SELECT o.order_id, CAST(o.total / f.per_eur AS DECIMAL(18, 4)) AS total_eur "
        "FROM orders AS o LEFT JOIN fx_daily AS f "
        "ON f.currency = o.currency AND f.day = CAST(o.ordered_at AS DATE) ORDER BY o.order_id"
    )
    got = dict(run_readonly(warehouse, sql).rows)
    for row in rows:
        expected = table.convert(
            row["total"],  # type: ignore[arg-type]
            from_currency=row["currency"],  # type: ignore[arg-type]
            to_currency="EUR",
            on=row["ordered_at"],  # type: ignore[arg-type]
            places=4,
        )
        assert abs(got[row["order_id"]] - expected) <= Decimal("0.0001"), row
