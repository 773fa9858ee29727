"""The SQL console beside the rest of the server: no 500s, and a clear busy answer.

Console queries (and escape attempts) run in threads beside metrics, cohort and workspace
calls through the whole app; slow console queries beyond the console's places are told the
console is busy while the rest of the API keeps answering.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tradewinds.warehouse import console, open_warehouse

SLOW = "SELECT count(*) AS n FROM range(100000000000) t(i) WHERE i % 7 = 3"


def _seed(workspace_key: str) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with open_warehouse(workspace_key) as wh:
        wh.load(
            "orders",
            [
                {
                    "order_id": f"o{n}",
                    "storefront": "shopify",
                    "customer_id": f"c{n % 7}",
                    "ordered_at": start + timedelta(days=n),
                    "country": "GB",
                    "currency": "GBP",
                    "total": Decimal("12.50"),
                }
                for n in range(60)
            ],
        )
        wh.load(
            "ad_spend_daily",
            [
                {
                    "date": date(2025, 1, 1) + timedelta(days=n),
                    "platform": "google",
                    "campaign_id": "Brand",
                    "spend": Decimal("3.00"),
                    "currency": "GBP",
                    "source": "test",
                }
                for n in range(60)
            ],
        )


def _in_threads(jobs: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)


def test_console_queries_beside_metrics_never_fail(client, tenants, tw_home) -> None:
    _seed(tenants.a.workspace_key)
    (tw_home / "secret.key").write_text("the-instance-secret")
    secret = tw_home / "secret.key"
    headers = tenants.a.headers
    seen: list[tuple[str, int, str]] = []

    def console_calls() -> None:
        for n in range(8):
            sql = (
                "SELECT country, count(*) AS n FROM orders GROUP BY country"
                if n % 2
                else f"SELECT t.content FROM range(1) r, LATERAL \"read_text\"('{secret}') t"
            )
            r = client.post("/api/v1/sql", headers=headers, json={"sql": sql})
            seen.append(("sql" if n % 2 else "escape", r.status_code, r.text))

    def calls(path: str) -> Callable[[], None]:
        def run() -> None:
            for _ in range(8):
                r = client.get(path, headers=headers)
                seen.append((path, r.status_code, r.text[:300]))

        return run

    _in_threads(
        [
            console_calls,
            console_calls,
            calls("/api/v1/metrics?from=2025-01-01&to=2025-03-01"),
            calls("/api/v1/metrics?from=2025-01-01&to=2025-03-01&group_by=month"),
            calls("/api/v1/cohorts?from=2025-01-01&to=2025-03-01"),
            calls("/api/v1/workspace"),
        ]
    )
    assert len(seen) == 48
    assert [s for s in seen if s[1] >= 500] == []
    for kind, status, text in seen:
        assert "the-instance-secret" not in text
        if kind == "escape":
            assert status == 422 and "read_text()" in text, text
        else:
            assert status == 200, (kind, text)


def test_slow_queries_beyond_the_console_places_are_told_it_is_busy(
    client, tenants, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = console.ConsoleGate(slots=2, waiting=1, wait=0.5)
    monkeypatch.setattr(console, "GATE", gate)
    monkeypatch.setattr(console, "DEFAULT_TIMEOUT", 4.0)
    open_warehouse(tenants.a.workspace_key).close()
    answers: list[tuple[int, dict[str, str], dict]] = []

    def slow() -> None:
        r = client.post("/api/v1/sql", headers=tenants.a.headers, json={"sql": SLOW})
        answers.append((r.status_code, dict(r.headers), r.json()))

    threads = [threading.Thread(target=slow) for _ in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while gate.running < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gate.running == 2  # both places are taken by slow queries now
    workspace = client.get("/api/v1/workspace", headers=tenants.a.headers)
    assert workspace.status_code == 200  # the rest of the API still answers
    for thread in threads:
        thread.join(120)

    statuses = sorted(status for status, _, _ in answers)
    assert len(statuses) == 6 and set(statuses) <= {422, 503}, answers
    busy = [a for a in answers if a[0] == 503]
    assert busy, answers
    for _, headers, body in busy:
        assert body["error"]["code"] == "busy"
        assert "the SQL console is busy" in body["error"]["message"]
        assert headers["retry-after"] == "5"
    for status, _, body in answers:
        if status == 422:
            assert "took longer than 4 s" in body["error"]["message"], body
