"""The JSON text the views keep in their columns (terms, events, schedules, funding states, history entries).

orjson writes it in a tenth of the standard library's time: `json.dumps` of the funding view's columns was an
eighth of the funding rebuild's main thread. What orjson refuses and the standard library takes (an integer
past 64 bits) is written by the standard library, and text orjson cannot read (the standard library's NaN) is
read by it, so every value the views took before is still taken and read back the same. (orjson writes a float
NaN as null; no view holds one: terms and events refuse numbers that are not finite.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value)


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except ValueError:  # orjson.JSONDecodeError is one; "NaN" is the standard library's
        return json.loads(text)
