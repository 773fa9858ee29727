from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.ingest.events import (
    MAX_BATCH_BYTES,
    MAX_EVENT_BYTES,
    Accepted,
    PayloadError,
    Rejected,
    check_event,
    event_time,
    parse_body,
    parse_timestamp,
    validate_batch,
    validate_one,
    validate_single,
)

RECEIVED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def track(**extra):
    return {"type": "track", "event": "Order Completed", "userId": "u1", **extra}


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"type": "bogus", "userId": "u"}, "unknown type"),
        ({"type": "track", "event": "X"}, "userId or anonymousId is required"),
        ({"type": "track", "userId": "u"}, "track needs an event name"),
        ({"type": "track", "userId": "u", "event": "  "}, "track needs an event name"),
        ({"type": "group", "userId": "u"}, "group needs groupId"),
        ({"type": "alias", "userId": "u"}, "alias needs previousId"),
        ({"type": "alias", "previousId": "a"}, "alias needs userId"),
        (track(properties=[1]), "properties must be an object"),
        (track(timestamp="yesterday"), "timestamp is not an ISO-8601"),
        (track(messageId=""), "messageId must be a non-empty string"),
        (track(messageId="x" * 300), "messageId longer"),
        (track(userId={"a": 1}), "userId must be a string"),
        ("not an object", "event must be a JSON object"),
    ],
)
def test_invalid_events_say_why(event, reason):
    assert reason in (check_event(event) or "")


@pytest.mark.parametrize(
    "event",
    [
        track(),
        {"type": "identify", "anonymousId": "a1", "traits": {"email": "x@example.com"}},
        {"type": "page", "anonymousId": "a1", "name": "Home"},
        {"type": "screen", "userId": 42, "name": "Cart"},
        {"type": "group", "userId": "u", "groupId": "g1"},
        {"type": "alias", "userId": "u", "previousId": "a1"},
    ],
)
def test_valid_events_pass(event):
    assert check_event(event) is None


def test_normalised_event_gets_ids_and_times():
    result = validate_one(track(), index=0, received_at=RECEIVED)
    assert isinstance(result, Accepted)
    body = orjson.loads(result.body)
    assert body["messageId"].startswith("tw-")
    assert body["timestamp"] == "2026-03-01T12:00:00.000Z"
    assert body["receivedAt"] == "2026-03-01T12:00:00.000Z"


def test_numeric_user_id_becomes_text():
    result = validate_one(
        {"type": "screen", "userId": 42, "name": "Cart"}, index=0, received_at=RECEIVED
    )
    assert isinstance(result, Accepted)
    assert orjson.loads(result.body)["userId"] == "42"


def test_clock_skew_is_corrected_from_sent_at():
    event = track(originalTimestamp="2026-03-01T11:00:00Z", sentAt="2026-03-01T11:00:10Z")
    assert event_time(event, RECEIVED) == RECEIVED - timedelta(seconds=10)
    assert event_time(track(timestamp="2026-02-01T00:00:00+01:00"), RECEIVED) == datetime(
        2026, 1, 31, 23, 0, tzinfo=UTC
    )


def test_event_over_32kb_is_rejected_with_its_message_id():
    event = track(messageId="big-1", properties={"blob": "x" * MAX_EVENT_BYTES})
    result = validate_one(event, index=3, received_at=RECEIVED)
    assert isinstance(result, Rejected)
    assert result.public() == {"index": 3, "messageId": "big-1", "reason": result.reason}
    assert "byte limit" in result.reason
    assert orjson.loads(result.raw)["messageId"] == "big-1"


def test_batch_merges_shared_context_and_splits_good_from_bad():
    data = {
        "batch": [
            track(messageId="m1", context={"ip": "1.2.3.4"}),
            {"type": "track", "messageId": "m2"},
            {"type": "identify", "anonymousId": "a", "messageId": "m3"},
        ],
        "context": {"library": {"name": "analytics-python"}, "ip": "9.9.9.9"},
        "sentAt": "2026-03-01T11:59:59Z",
    }
    accepted, rejected = validate_batch(data, received_at=RECEIVED)
    assert [a.message_id for a in accepted] == ["m1", "m3"]
    assert [(r.index, r.message_id) for r in rejected] == [(1, "m2")]
    first = orjson.loads(accepted[0].body)
    assert first["context"] == {"library": {"name": "analytics-python"}, "ip": "1.2.3.4"}


def test_batch_must_be_a_list():
    with pytest.raises(PayloadError):
        validate_batch({"batch": {"type": "track"}}, received_at=RECEIVED)


def test_body_limits():
    with pytest.raises(PayloadError, match="byte limit"):
        parse_body(b"{" + b" " * MAX_BATCH_BYTES + b"}", limit=MAX_BATCH_BYTES)
    with pytest.raises(PayloadError, match="invalid JSON"):
        parse_body(b"{nope", limit=100)
    with pytest.raises(PayloadError, match="object"):
        parse_body(b"[1]", limit=100)


def test_single_endpoint_sets_the_type():
    result = validate_single(
        {"userId": "u", "name": "Home", "type": "track"}, kind="page", received_at=RECEIVED, size=10
    )
    assert isinstance(result, Accepted) and result.type == "page"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=4,
)
maybe_events = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["track", "identify", "page", "screen", "group", "alias", "x"]),
        "event": json_values,
        "userId": json_values,
        "anonymousId": json_values,
        "previousId": json_values,
        "groupId": json_values,
        "messageId": json_values,
        "timestamp": st.one_of(json_values, st.datetimes().map(lambda d: d.isoformat())),
        "properties": json_values,
        "context": json_values,
    },
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(maybe_events)
def test_any_json_object_is_either_accepted_or_rejected_with_a_reason(event):
    result = validate_one(event, index=0, received_at=RECEIVED)
    if isinstance(result, Rejected):
        assert result.reason
        assert result.raw
    else:
        body = orjson.loads(result.body)
        assert body["messageId"] == result.message_id
        assert body["type"] == result.type == event["type"]
        assert parse_timestamp(body["timestamp"]) is not None
        assert body.get("userId") or body.get("anonymousId")
