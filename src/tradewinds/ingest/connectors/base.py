"""What every live connector declares on its class, as every file format does.

A connector is a :class:`~tradewinds.ingest.spec.Source` read over a vendor's API. Its
class says what it is — the source ``kind`` users create, a ``label``, the canonical
``tables`` its streams fill (in load order) and the ``settings`` a source of that kind
needs — and how to build one from those settings and the saved ``state`` (its cursors).
The load pipeline reads the whole connector before it opens the warehouse transaction
(``read_before_load``) and names it ``connector`` in the "rows changed" event. Every
registered connector passes one conformance suite (``tests/ingest/connectors/``), as every
file format does.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date
from typing import Any, ClassVar

from tradewinds.ingest.connectors.http import JsonHttp
from tradewinds.ingest.spec import Source


class Connector(Source):
    """A vendor API account offering canonical streams, read incrementally."""

    #: the source kind users create (``tradewinds source create --kind …``)
    kind: ClassVar[str]
    #: what people read, e.g. "Shopify store (Admin API)"
    label: ClassVar[str]
    #: canonical tables the streams fill, in load order (parents before children)
    tables: ClassVar[tuple[str, ...]]
    #: settings a source of this kind needs (credentials among them: stored encrypted)
    settings: ClassVar[tuple[str, ...]]
    #: settings that may be given and are not required
    optional_settings: ClassVar[tuple[str, ...]] = ()

    origin: ClassVar[str] = "connector"
    read_before_load: ClassVar[bool] = True

    http: JsonHttp
    #: cursors to save after a successful run and hand back to the next one
    state: dict[str, str]

    @classmethod
    @abstractmethod
    def from_settings(
        cls, settings: dict[str, Any], *, state: dict[str, str] | None, today: date
    ) -> Connector:
        """A connector for one source's stored settings and cursors."""

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self.http.close()
