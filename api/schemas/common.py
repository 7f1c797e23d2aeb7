"""The building blocks of the HTTP shapes: bounded texts, ISO dates, amounts, and strict models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from domain.event_payload import MAX_REASON_LENGTH
from domain.terms import MAX_TEXT

Text = Annotated[str, Field(max_length=MAX_TEXT)]


LongText = Annotated[str, Field(max_length=MAX_REASON_LENGTH)]


IsoDate = Annotated[str, Field(max_length=10, description="ISO date YYYY-MM-DD", examples=["2025-09-01"])]


Money = Annotated[str | int | float, Field(description='an amount in euros; a JSON string such as "1801.80"')]


Number = int | float


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
