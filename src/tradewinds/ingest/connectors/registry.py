"""Every live connector, by the source kind users create: the one list kinds come from."""

from __future__ import annotations

from tradewinds.ingest.connectors.base import Connector
from tradewinds.ingest.connectors.meta import MetaInsightsSource
from tradewinds.ingest.connectors.shopify import ShopifySource

CONNECTORS: dict[str, type[Connector]] = {c.kind: c for c in (ShopifySource, MetaInsightsSource)}


def connector_class(kind: str) -> type[Connector]:
    """The connector class of ``kind`` (``KeyError`` for a kind that is not a connector)."""
    return CONNECTORS[kind]
