"""Saved rule segments: stored as text, validated, recounted whenever the orders change.

Counting is lazy and cheap to ask for: ``refresh_counts`` compares a fingerprint of the
workspace's orders with the one of the latest counts and only recomputes (all saved
segments at once, from one scoring of the customers) when new data has arrived. Pages, the
API and the CLI call it before showing counts; a scheduled job can call it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tradewinds.audiences.rules import evaluate, to_text
from tradewinds.audiences.service import (
    NoCustomerData,
    data_version,
    parse_rule_input,
    workspace_scores,
)
from tradewinds.db.base import utcnow
from tradewinds.db.models.audiences import SavedSegment, SegmentCount
from tradewinds.errors import Conflict, InvalidInput, NotFound

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

MAX_NAME = 120


@dataclass
class SegmentHistory:
    id: int
    name: str
    rule: str
    created_by: str
    members: int | None  # latest count, None before the first one
    customers: int | None
    previous: int | None
    history: list[tuple[datetime, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "rule": self.rule,
            "created_by": self.created_by,
            "members": self.members,
            "customers": self.customers,
            "previous": self.previous,
            "history": [{"at": at.isoformat(), "members": n} for at, n in self.history],
        }


def save_segment(
    *, session: Session, workspace: Any, name: str, rule: str, actor: str
) -> SavedSegment:
    """Create a segment, or change the rule of the one with this name."""
    from tradewinds.auth import audit

    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"give the segment a name of 1 to {MAX_NAME} characters")
    text = to_text(parse_rule_input(rule))
    segment = session.scalar(
        select(SavedSegment).where(
            SavedSegment.workspace_id == workspace.id, SavedSegment.name == name
        )
    )
    if segment is None:
        segment = SavedSegment(workspace_id=workspace.id, name=name, rule=text, created_by=actor)
        session.add(segment)
    elif segment.rule != text:
        segment.rule = text
        segment.updated_at = utcnow()
        session.execute(delete(SegmentCount).where(SegmentCount.segment_id == segment.id))
    else:
        raise Conflict(f"a segment named {name!r} with this rule exists already")
    session.flush()
    audit.record(
        session,
        action="audience.segment_save",
        actor=actor,
        workspace_id=workspace.id,
        target=f"segment:{segment.id}",
        details={"name": name, "rule": text},
    )
    return segment


def delete_segment(*, session: Session, workspace: Any, segment_id: int, actor: str) -> None:
    from tradewinds.auth import audit

    segment = session.get(SavedSegment, segment_id)
    if segment is None or segment.workspace_id != workspace.id:
        raise NotFound(f"no saved segment with id {segment_id}")
    audit.record(
        session,
        action="audience.segment_delete",
        actor=actor,
        workspace_id=workspace.id,
        target=f"segment:{segment.id}",
        details={"name": segment.name, "rule": segment.rule},
    )
    session.delete(segment)
    session.flush()


def refresh_counts(
    *, session: Session, workspace: Any, warehouse: Warehouse, force: bool = False
) -> int:
    """Recount every saved segment whose latest count predates the current data.

    Returns how many segments were recounted (0 when nothing changed or nothing is saved).
    """
    segments = session.scalars(
        select(SavedSegment).where(SavedSegment.workspace_id == workspace.id)
    ).all()
    if not segments:
        return 0
    version = data_version(warehouse)
    latest = {
        seg_id: v
        for seg_id, v in session.execute(
            select(SegmentCount.segment_id, SegmentCount.data_version)
            .where(SegmentCount.workspace_id == workspace.id)
            .order_by(SegmentCount.id)
        ).all()
    }
    stale = [s for s in segments if force or latest.get(s.id) != version]
    if not stale:
        return 0
    try:
        table = workspace_scores(warehouse=warehouse, currency=workspace.currency).table
    except NoCustomerData:
        return 0
    now = utcnow()
    for segment in stale:
        members = int(evaluate(parse_rule_input(segment.rule), table).sum())
        session.add(
            SegmentCount(
                segment_id=segment.id,
                workspace_id=workspace.id,
                computed_at=now,
                members=members,
                customers=len(table),
                data_version=version,
            )
        )
    session.flush()
    return len(stale)


def list_segments(*, session: Session, workspace: Any) -> list[SegmentHistory]:
    """Saved segments with their counts over time (oldest first), by name."""
    segments = session.scalars(
        select(SavedSegment)
        .where(SavedSegment.workspace_id == workspace.id)
        .order_by(SavedSegment.name)
    ).all()
    counts = session.execute(
        select(SegmentCount)
        .where(SegmentCount.workspace_id == workspace.id)
        .order_by(SegmentCount.computed_at, SegmentCount.id)
    ).scalars()
    by_segment: dict[int, list[SegmentCount]] = {}
    for c in counts:
        by_segment.setdefault(c.segment_id, []).append(c)
    out = []
    for s in segments:
        history = by_segment.get(s.id, [])
        out.append(
            SegmentHistory(
                id=s.id,
                name=s.name,
                rule=s.rule,
                created_by=s.created_by,
                members=history[-1].members if history else None,
                customers=history[-1].customers if history else None,
                previous=history[-2].members if len(history) > 1 else None,
                history=[(c.computed_at, c.members) for c in history],
            )
        )
    return out


def saved_rules(*, session: Session, workspace: Any) -> dict[str, str]:
    """Saved segment name -> its rule (a lookalike seed may name one)."""
    rows = session.execute(
        select(SavedSegment.name, SavedSegment.rule).where(
            SavedSegment.workspace_id == workspace.id
        )
    ).all()
    return {name: rule for name, rule in rows}
