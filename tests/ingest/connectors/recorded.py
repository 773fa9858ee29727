"""A recorded run of every registered connector: the vendor responses and the settings.

The conformance suite replays each over a real local HTTP server (``replay_server.py``).
A new connector adds its recording here; the suite fails until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.ingest.connectors import test_meta, test_shopify
from tests.ingest.connectors.replay_server import ReplayServer


@dataclass(frozen=True)
class Recording:
    serve: Callable[[ReplayServer], None]
    settings: Callable[[ReplayServer], dict[str, Any]]
    today: date
    #: personal data the responses carry, which only customer_pii may hold
    personal: frozenset[str] = frozenset()


RECORDINGS: dict[str, Recording] = {
    "shopify": Recording(
        serve=test_shopify.serve,
        settings=lambda server: {"shop_url": server.base, "access_token": "shpat_test"},
        today=date(2026, 3, 3),
        personal=frozenset({"bob.norman@mail.example.com", "+16136120707", "Norman"}),
    ),
    "meta": Recording(
        serve=test_meta.serve,
        settings=lambda server: {
            "ad_account_id": "act_1234567890",
            "access_token": "tok",
            "graph_url": server.base,
        },
        today=date(2026, 3, 2),
    ),
}
