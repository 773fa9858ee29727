from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse


def _ids(wh: DuckDBWarehouse) -> list[str]:
    return [r[0] for r in wh.query("SELECT id FROM t ORDER BY 1").rows]


def test_worker_threads_read_on_their_own_cursors(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.execute("CREATE TABLE t (id VARCHAR)")
    try:
        wh.execute("INSERT INTO t VALUES ('a'), ('b')")

        def read(_: int) -> tuple[list[str], str]:
            try:
                return _ids(wh), str(wh.query("SELECT current_setting('TimeZone')").rows[0][0])
            finally:
                wh.release_thread()

        with ThreadPoolExecutor(max_workers=3) as pool:
            seen = list(pool.map(read, range(6)))
        assert seen == [(["a", "b"], "UTC")] * 6
        assert not wh._cursors  # each worker gave its cursor back
    finally:
        wh.close()


def test_a_transaction_is_seen_from_every_thread(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.execute("CREATE TABLE t (id VARCHAR)")
    try:
        with wh.transaction():
            wh.execute("INSERT INTO t VALUES ('a')")
            with ThreadPoolExecutor(max_workers=1) as pool:
                inside = pool.submit(_ids, wh).result()
        assert inside == ["a"]  # not a separate cursor that cannot see the open transaction
    finally:
        wh.close()
