"""The contract's events are declared once (`domain/contract_events.py`): the aggregate, the API, the page,
the projections and the webhooks all follow that table."""

from __future__ import annotations

import typing

from api.page_actions import ACTIONS
from api.schemas import LifecycleEventIn
from domain.contract import Contract
from domain.contract_events import BY_NAME, CONTRACT_EVENTS, SERVICE_EVENT_TYPES, USER_EVENT_TYPES
from domain.webhooks import TYPE_OF_EVENT


def test_every_event_of_the_aggregate_is_declared_once() -> None:
    declared = [k.name for k in CONTRACT_EVENTS]
    assert len(declared) == len(set(declared))
    applied = {name for name in dir(Contract) if isinstance(getattr(Contract, name), type)}
    assert set(declared) <= applied  # each is a nested event class of the aggregate


def test_the_api_accepts_exactly_the_events_a_user_records() -> None:
    models = typing.get_args(typing.get_args(LifecycleEventIn)[0])
    kinds = {typing.get_args(m.model_fields["type"].annotation)[0] for m in models}
    assert kinds == USER_EVENT_TYPES
    for m in models:
        kind = typing.get_args(m.model_fields["type"].annotation)[0]
        fields = {f.alias or name for name, f in m.model_fields.items()} - {"type"}
        # all but what only the service says (an implicit decision is the administration's silence)
        assert fields == set(BY_NAME[kind].fields) - {"implicit"}, kind


def test_the_page_offers_only_events_a_user_records_with_their_fields() -> None:
    for action in ACTIONS:
        assert action.event in USER_EVENT_TYPES
        assert {f.name for f in action.fields} <= set(BY_NAME[action.event].fields)


def test_the_service_records_the_clocks_events_and_the_webhooks_carry_declared_ones() -> None:
    assert {
        "AgeBracketReached",
        "ContractYearStarted",
        "Ended",
        "FilingOverdue",
        "EndApproaching",
    } == SERVICE_EVENT_TYPES
    assert set(TYPE_OF_EVENT) <= set(BY_NAME)
