"""The service's calendar day: contracts live in French time, whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_today() -> date:
    return datetime.now(PARIS).date()
