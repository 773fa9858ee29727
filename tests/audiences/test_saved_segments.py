from __future__ import annotations

import pandas as pd
import pytest

from tradewinds.audiences import saved_segments
from tradewinds.errors import Conflict, InvalidInput, NotFound


def test_saved_segments_recount_when_orders_arrive(retail_workspace: str) -> None:
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.warehouse import open_warehouse

    with session_scope() as session:
        ws = resolve_workspace(session, retail_workspace)
        seg = saved_segments.save_segment(
            session=session, workspace=ws, name="EU repeat", rule="orders>=2", actor="test"
        )
        assert seg.rule == "orders >= 2"  # stored in canonical form
        with pytest.raises(Conflict):
            saved_segments.save_segment(
                session=session, workspace=ws, name="EU repeat", rule="orders >= 2", actor="t"
            )
        with pytest.raises(InvalidInput):
            saved_segments.save_segment(
                session=session, workspace=ws, name="Broken", rule="orders >=", actor="t"
            )
        with open_warehouse(ws.key) as wh:
            assert saved_segments.refresh_counts(session=session, workspace=ws, warehouse=wh) == 1
            assert saved_segments.refresh_counts(session=session, workspace=ws, warehouse=wh) == 0
            first = saved_segments.list_segments(session=session, workspace=ws)[0]
            assert first.members and len(first.history) == 1
            # a new customer with two orders arrives
            wh.load(
                "orders",
                pd.DataFrame(
                    {
                        "order_id": ["t:1", "t:2"],
                        "customer_id": ["new-buyer", "new-buyer"],
                        "storefront": "test",
                        "ordered_at": pd.to_datetime(["2011-12-01", "2011-12-05"]),
                        "currency": "GBP",
                        "total": [20.0, 30.0],
                    }
                ),
            )
            assert saved_segments.refresh_counts(session=session, workspace=ws, warehouse=wh) == 1
        later = saved_segments.list_segments(session=session, workspace=ws)[0]
        assert later.members == first.members + 1 and later.previous == first.members
        assert len(later.history) == 2
        saved_segments.delete_segment(session=session, workspace=ws, segment_id=seg.id, actor="t")
        assert saved_segments.list_segments(session=session, workspace=ws) == []
        with pytest.raises(NotFound):
            saved_segments.delete_segment(
                session=session, workspace=ws, segment_id=seg.id, actor="t"
            )
