"""A contract's funding (what the OPCO pays the CFA, and when), the hiring aid, and a CFA's forecast."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FundingOut(BaseModel):
    """The funding state (funding-rules.md): every figure with its rule and inputs."""

    id: str
    mode: str = Field(description="domestic, cross_border or not_funded_in_france")
    concluded_on: str
    conclusion_provisional: bool = Field(description="true until the contract is signed (the start date is used)")
    level: dict[str, Any]
    schedule: dict[str, Any] | None
    contract_years: list[dict[str, Any]]
    payments: list[dict[str, Any]] = Field(description="dated lines: due_on, kind, payer, amount, rule, status")
    totals: dict[str, str]
    regularised_on: str | None


class HiringAidOut(BaseModel):
    id: str
    eligible: bool
    annual: str
    why: str
    rule: str
    months: list[dict[str, str]]


class ForecastOut(BaseModel):
    cfa: str | None
    months: list[dict[str, Any]] = Field(description="per month: OPCO and employer amounts, contracts paying")
