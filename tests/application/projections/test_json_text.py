"""The views' JSON text: what the standard library wrote and read, read and written the same."""

from __future__ import annotations

import json
import math

import pytest

from projections import json_text


@pytest.mark.parametrize(
    "value",
    [
        {"terms": {"apprentice": {"first_name": "Zoé", "last_name": "Ørsted"}}, "pct": 53.5, "n": None},
        [{"due_on": "2026-10-01", "amount": "1234.56"}, True, False, 0, -7, ""],
        {"big": 2**70, "small": -(2**70)},  # past 64 bits: orjson refuses, the standard library writes it
        {1: "one"},  # a key that is not a string, as json.dumps takes it
    ],
)
def test_every_value_reads_back_as_the_standard_library_reads_it(value: object) -> None:
    text = json_text.dumps(value)
    assert json_text.loads(text) == json.loads(json.dumps(value))


def test_text_the_standard_library_wrote_reads_back_nan_included() -> None:
    old = json.dumps({"pct": float("nan"), "name": "Zoé"})
    read = json_text.loads(old)
    assert math.isnan(read["pct"]) and read["name"] == "Zoé"


def test_a_value_json_cannot_write_is_refused_as_before() -> None:
    with pytest.raises(TypeError):
        json_text.dumps({"when": object()})
