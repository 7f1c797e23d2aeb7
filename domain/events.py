"""Recorded domain events as plain JSON data: the interfaces §3 form `{"type": ..., <payload>}`.

One generic conversion for every aggregate's events, so the API, the CLI, the audit history and the
projections all show the same shape. Python attribute names that are keywords are renamed back to the
public name (`from_date` → `from`); dates become ISO strings, Decimals strings, UUIDs strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.utils import get_topic

# Attributes every library event carries; they are metadata, not payload.
_METADATA = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})
# Python names that differ from the public field names (interfaces §3).
_PUBLIC_NAMES = {"from_date": "from"}


def jsonable(value: Any) -> Any:
    """Nested dates/Decimals/UUIDs/tuples turned into JSON primitives."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):  # datetime is a date; isoformat suits both
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    return value


def topic_prefix(aggregate: type) -> str:
    """What the topic of every event class of `aggregate` starts with: they are nested in it (`mod:Agg.Ev`)."""
    return get_topic(aggregate) + "."


def topic_kind(topic: str) -> str:
    """The public event name of a stored event's topic (`mod:Contract.Signed` → "Signed"), as `event_type`
    gives it of the decoded event."""
    return topic.rpartition(".")[2]


def event_type(domain_event: object) -> str:
    """The public event name ("Drafted", "Signed", ...): the event class's own name."""
    return type(domain_event).__name__


def recorded_timestamp(domain_event: object) -> datetime:
    """When the event was recorded: the library stamps every event with a UTC timestamp."""
    stamp: datetime = getattr(domain_event, "timestamp")  # noqa: B009 (not on the library's event protocol)
    return stamp


def event_payload(domain_event: object) -> dict[str, Any]:
    """The event's own fields in their public names and JSON form, without the library metadata."""
    return public_payload({k: jsonable(v) for k, v in vars(domain_event).items() if k not in _METADATA})


def public_payload(state: Mapping[str, Any]) -> dict[str, Any]:
    """An event's state (its attributes, as JSON data) without the library metadata, in the public names."""
    return {_PUBLIC_NAMES.get(k, k): v for k, v in state.items() if k not in _METADATA}


class RecordedEvent(NamedTuple):
    """A stored event read as plain data, without building its domain event: `kind` and `payload` are what
    `event_type` and `event_payload` give of that domain event. Projections replaying millions of events
    read these (a tuple: a dataclass's own constructor cost 5 % of a rebuild); `domain_event()` decodes the
    whole event where one needs it (reference data)."""

    topic: str
    kind: str
    originator_id: str
    originator_version: int
    timestamp: datetime
    payload: dict[str, Any]
    domain_event: Callable[[], Any]


def event_json(domain_event: object) -> dict[str, Any]:
    """Interfaces §3 form: `{"type": "Signed", "on": "2025-09-01"}`; `Contract.record()` accepts it back."""
    return {"type": event_type(domain_event), **event_payload(domain_event)}
