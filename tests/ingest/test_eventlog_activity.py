"""recent_activity: the newest stored and refused events, as the live view reads them."""

from __future__ import annotations

from datetime import UTC, datetime

from tradewinds.ingest.eventlog import EventLog, Failure, recent_activity, safe_name
from tradewinds.ingest.events import Accepted, validate_one

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def accepted(message_id: str, **extra) -> Accepted:
    event = {"type": "track", "event": "Thing", "messageId": message_id, **extra}
    result = validate_one(event, index=0, received_at=NOW)
    assert isinstance(result, Accepted)
    return result


def test_newest_first_with_what_each_event_says(tmp_path):
    log = EventLog(tmp_path / safe_name("shop") / "events.sqlite")
    log.write([accepted(f"m{i}", userId=f"u{i}") for i in range(5)], received_at=NOW)
    log.write([accepted("anon", anonymousId="a-1", event="Product Viewed")], received_at=NOW)
    raw = b'{"type":"track","anonymousId":"a-2","event":""}'
    log.write([], [Failure("track", "track needs an event name", raw, "x1")], received_at=NOW)
    log.write([], [Failure("batch", "the body is not JSON", b"{nope")], received_at=NOW)
    log.close()

    activity = recent_activity(workspace_key="shop", limit=3, root=tmp_path)
    assert (activity.stored_total, activity.refused_total) == (6, 2)
    assert [e["message_id"] for e in activity.events] == ["anon", "m4", "m3"]
    first = activity.events[0]
    assert (first["type"], first["event"], first["user_id"], first["anonymous_id"]) == (
        "track",
        "Product Viewed",
        None,
        "a-1",
    )
    assert first["received_at"] == NOW
    unreadable, refused = activity.refused
    assert (unreadable["type"], unreadable["reason"]) == ("batch", "the body is not JSON")
    assert (refused["type"], refused["anonymous_id"], refused["event"]) == ("track", "a-2", None)
    assert refused["reason"] == "track needs an event name"


def test_a_workspace_that_never_collected_has_no_activity(tmp_path):
    activity = recent_activity(workspace_key="quiet", root=tmp_path)
    assert (activity.events, activity.refused, activity.stored_total) == ([], [], 0)
    assert not (tmp_path / "quiet").exists()  # reading creates no log
