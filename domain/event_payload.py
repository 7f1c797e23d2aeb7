"""An event given in its JSON form (interfaces §3), read field by field: each refusal names the field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import InvalidEvent, InvalidTerms
from domain.terms import has_control_characters, parse_date, parse_money

MAX_REASON_LENGTH = 500  # product limit on free text, not law


def check_reason(reason: Any) -> None:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidEvent("reason must be a non-empty text", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidEvent(f"reason is longer than {MAX_REASON_LENGTH} characters", field="reason")
    if has_control_characters(reason):
        raise InvalidEvent("reason contains control characters", field="reason")


class EventPayload:
    """Typed reads of one JSON event; each error names the field."""

    def __init__(self, raw: Mapping[str, Any], by_service: bool) -> None:
        self.raw = raw
        self.by_service = by_service

    def _get(self, key: str, default: Any = ...) -> Any:
        value = self.raw.get(key)
        if value is None:
            if default is ...:
                raise InvalidEvent(f"{key} is required for {self.raw.get('type')}", field=key)
            return default
        return value

    def date(self, key: str) -> date:
        value = self._get(key)
        if type(value) is date:  # already typed (the clock passes dates)
            return value
        try:
            return parse_date(value, key)
        except InvalidTerms as e:
            raise InvalidEvent(e.detail, field=key) from None

    def text(self, key: str, default: Any = ...) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise InvalidEvent(f"{key} must be a text", field=key)
        if len(value) > MAX_REASON_LENGTH or has_control_characters(value):
            raise InvalidEvent(
                f"{key} must be a text of at most {MAX_REASON_LENGTH} characters, no control characters", field=key
            )
        return value

    def boolean(self, key: str, default: Any = ...) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise InvalidEvent(f"{key} must be true or false", field=key)
        return value

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidEvent(f"{key} must be a whole number", field=key)
        return value

    def money(self, key: str) -> Decimal:
        try:
            amount = parse_money(self._get(key), key)
        except InvalidTerms as e:
            raise InvalidEvent(e.detail, field=key) from None
        if amount <= 0:
            raise InvalidEvent(f"{key} must be positive", field=key)
        return amount

    def mapping(self, key: str) -> Mapping[str, Any] | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, Mapping):
            raise InvalidEvent(f"{key} must be a JSON object", field=key)
        return value
