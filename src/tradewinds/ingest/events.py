"""Validation of Segment-spec messages (track, identify, page, screen, group, alias).

Pure functions: bytes or dicts in, normalised events or rejection reasons out. The HTTP
layer (``collector.py``) decides what to answer; the event log (``eventlog.py``) stores.

Limits follow Segment's HTTP Tracking API: 32 KB for one event, 500 KB for one batch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

MAX_EVENT_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024
MAX_ID_LENGTH = 256

EVENT_TYPES = frozenset({"track", "identify", "page", "screen", "group", "alias"})

# Batch-level keys that Segment libraries send once and that apply to every event.
_BATCH_SHARED_KEYS = ("context", "integrations")


class PayloadError(ValueError):
    """The request body as a whole cannot be read (not JSON, not an object, too large)."""


@dataclass(frozen=True, slots=True)
class Accepted:
    """A valid event, normalised, with its serialised form (what the event log stores)."""

    message_id: str
    type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Rejected:
    """An invalid event: where it was, its messageId when it had one, why, and the raw event."""

    index: int
    message_id: str | None
    reason: str
    raw: bytes

    def public(self) -> dict[str, Any]:
        return {"index": self.index, "messageId": self.message_id, "reason": self.reason}


def parse_body(body: bytes, *, limit: int) -> dict[str, Any]:
    """Decode a request body into a JSON object, enforcing the size limit."""
    if len(body) > limit:
        raise PayloadError(f"payload is {len(body)} bytes, over the {limit} byte limit")
    if not body:
        raise PayloadError("empty body")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise PayloadError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    return data


def _text_id(value: Any) -> str | None:
    """Segment accepts string or numeric ids; numbers are kept as their decimal text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, str):
        return value
    return None


def parse_timestamp(value: Any) -> datetime | None:
    """ISO-8601 text (``Z`` or an offset) to an aware UTC datetime; None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_time(event: dict[str, Any], received_at: datetime) -> datetime:
    """When the event happened, as Segment computes it.

    ``timestamp`` when given; otherwise ``originalTimestamp`` corrected for the device
    clock skew measured by ``sentAt`` (Segment: receivedAt - (sentAt - originalTimestamp));
    otherwise the time the collector received it.
    """
    stamp = parse_timestamp(event.get("timestamp"))
    if stamp is not None:
        return stamp
    original = parse_timestamp(event.get("originalTimestamp"))
    if original is not None:
        sent = parse_timestamp(event.get("sentAt"))
        if sent is not None:
            return received_at - (sent - original)
        return original
    return received_at


def _bad_id(value: Any) -> bool:
    """True when a present id is neither text nor a number."""
    return value is not None and type(value) is not str and _text_id(value) is None


def check_event(event: Any) -> str | None:
    """Why ``event`` is not a valid Segment message, or None when it is.

    ``type`` must be one given here (for single-event endpoints the collector sets it from
    the path). Rules are those of the Segment spec: a ``userId`` or ``anonymousId`` on every
    message, ``event`` on track, ``groupId`` on group, ``previousId`` and ``userId`` on alias.
    (Written for speed: it runs for every collected event.)
    """
    if type(event) is not dict:
        return "event must be a JSON object"
    get = event.get
    kind = get("type")
    if kind not in EVENT_TYPES:
        return f"unknown type {kind!r}; expected one of {', '.join(sorted(EVENT_TYPES))}"
    message_id = get("messageId")
    if message_id is not None:
        text = message_id if type(message_id) is str else _text_id(message_id)
        if not text:
            return "messageId must be a non-empty string"
        if len(text) > MAX_ID_LENGTH:
            return f"messageId longer than {MAX_ID_LENGTH} characters"
    user_id = get("userId")
    anonymous_id = get("anonymousId")
    if _bad_id(user_id):
        return "userId must be a string"
    if _bad_id(anonymous_id):
        return "anonymousId must be a string"
    if kind == "track":
        name = get("event")
        if type(name) is not str or not name.strip():
            return "track needs an event name"
    elif kind == "alias":
        if not _text_id(get("previousId")):
            return "alias needs previousId"
        if not _text_id(user_id):
            return "alias needs userId"
    elif kind == "group" and not _text_id(get("groupId")):
        return "group needs groupId"
    if not _text_id(user_id) and not _text_id(anonymous_id):
        return "userId or anonymousId is required"
    for key in ("properties", "traits", "context", "integrations"):
        value = get(key)
        if value is not None and type(value) is not dict:
            return f"{key} must be an object"
    for key in ("timestamp", "originalTimestamp", "sentAt"):
        value = get(key)
        if value is not None and parse_timestamp(value) is None:
            return f"{key} is not an ISO-8601 date-time"
    return None


_ID_KEYS = ("userId", "anonymousId", "previousId", "groupId")


def normalise(
    event: dict[str, Any], *, received_at: datetime, received_iso: str | None = None
) -> dict[str, Any]:
    """A copy of a valid event with ``messageId``, ``timestamp`` and ``receivedAt`` set."""
    out = dict(event)
    received_iso = received_iso or iso(received_at)
    message_id = out.get("messageId")
    if type(message_id) is not str or not message_id:
        message_id = _text_id(message_id)
        out["messageId"] = message_id or f"tw-{uuid.uuid4()}"
    for key in _ID_KEYS:
        value = out.get(key)
        if value is not None and type(value) is not str:
            text = _text_id(value)
            if text is None:
                out.pop(key)
            else:
                out[key] = text
    if "timestamp" in out or "originalTimestamp" in out:
        out["timestamp"] = iso(event_time(event, received_at))
    else:
        out["timestamp"] = received_iso
    out["receivedAt"] = received_iso
    return out


def _dump(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # pragma: no cover - JSON-decoded values always serialise
        return repr(value).encode()


def _raw_message_id(event: Any) -> str | None:
    if isinstance(event, dict):
        return _text_id(event.get("messageId"))
    return None


def validate_one(
    event: Any,
    *,
    index: int,
    received_at: datetime,
    size: int | None = None,
    received_iso: str | None = None,
) -> Accepted | Rejected:
    """Validate and normalise one event; ``size`` is its wire size when already known
    (or any number not over the limit when the event is known to fit)."""
    raw = None
    if size is None:
        raw = _dump(event)
        size = len(raw)
    if size > MAX_EVENT_BYTES:
        return Rejected(
            index,
            _raw_message_id(event),
            f"event is {size} bytes, over the {MAX_EVENT_BYTES} byte limit",
            raw if raw is not None else _dump(event),
        )
    reason = check_event(event)
    if reason is not None:
        raw = raw if raw is not None else _dump(event)
        return Rejected(index, _raw_message_id(event), reason, raw)
    clean = normalise(event, received_at=received_at, received_iso=received_iso)
    return Accepted(clean["messageId"], clean["type"], orjson.dumps(clean))


def validate_single(
    data: dict[str, Any], *, kind: str, received_at: datetime, size: int
) -> Accepted | Rejected:
    """A body posted to ``/v1/<kind>``: the path decides the type."""
    data["type"] = kind
    return validate_one(data, index=0, received_at=received_at, size=size)


def validate_batch(
    data: dict[str, Any], *, received_at: datetime, body_size: int | None = None
) -> tuple[list[Accepted], list[Rejected]]:
    """A body posted to ``/v1/batch``: ``{"batch": [...], "context": {...}, ...}``.

    Batch-level ``context`` and ``integrations`` are merged under each event's own, and a
    batch-level ``sentAt`` applies to events that have none, as Segment's libraries expect.
    When the whole body (``body_size``) is within the one-event limit, so is every event,
    and their sizes are not measured one by one.
    """
    events = data.get("batch")
    if not isinstance(events, list):
        raise PayloadError("batch must be a list of events")
    shared = {k: data[k] for k in _BATCH_SHARED_KEYS if isinstance(data.get(k), dict)}
    sent_at = data.get("sentAt")
    received_iso = iso(received_at)
    known_size = 0 if body_size is not None and body_size <= MAX_EVENT_BYTES else None
    accepted: list[Accepted] = []
    rejected: list[Rejected] = []
    for index, event in enumerate(events):
        if type(event) is dict and (shared or sent_at is not None):
            event = dict(event)
            for key, value in shared.items():
                own = event.get(key)
                event[key] = {**value, **own} if type(own) is dict else value
            if sent_at is not None and "sentAt" not in event:
                event["sentAt"] = sent_at
        result = validate_one(
            event,
            index=index,
            received_at=received_at,
            size=known_size,
            received_iso=received_iso,
        )
        (accepted if type(result) is Accepted else rejected).append(result)
    return accepted, rejected


def now() -> datetime:
    return datetime.now(UTC)


DEDUP_WINDOW = timedelta(days=7)
