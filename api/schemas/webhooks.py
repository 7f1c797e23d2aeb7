"""Webhook subscriptions and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Strict, Text


class SubscriptionIn(Strict):
    url: Annotated[str, Field(max_length=2000, description="https (http only to localhost)")]
    event_types: Annotated[list[str], Field(min_length=1, max_length=12)] = Field(
        description="contract.signed, contract.filed, contract.decided, contract.extended, contract.terminated, "
        "contract.ended, contract.milestone, contract.deadline, wage.changed, or '*'",
        examples=[["contract.signed", "wage.changed"]],
    )
    description: Text = ""


class SubscriptionChangeIn(Strict):
    url: Annotated[str, Field(max_length=2000)] | None = None
    event_types: Annotated[list[str], Field(min_length=1, max_length=12)] | None = None


class SubscriptionOut(BaseModel):
    id: str
    owner: dict[str, str]
    url: str
    event_types: list[str]
    description: str
    status: str
    disabled_reason: str | None
    created_at: str
    secret: str | None = Field(default=None, description="whsec_…: only when created or rotated; store it")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: datetime = Field(alias="from", description="deliveries created from this time (ISO 8601)")
    to: datetime


class DeliveryOut(BaseModel):
    id: str
    subscription_id: str
    type: str
    contract_id: str | None
    body: dict[str, Any]
    created_at: str
    status: str
    attempts: int
    next_attempt_at: str | None
    last_status: int | None
    delivered_at: str | None
    attempt_log: list[dict[str, Any]] = []


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
