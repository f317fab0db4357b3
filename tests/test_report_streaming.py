"""The reports' JSON writer (reports/streaming.py): the streamed document is the one ``json.dumps`` writes of the
whole, each item dumped by orjson where orjson writes the same text, by ``json`` where orjson refuses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

import pytest

from agentgov.reports.streaming import Streamed, dumps


class Sev(str, Enum):
    HIGH = "high"


class Plain(Enum):
    A = 1


@dataclass
class Loc:
    file: str
    line: int


def _default(o):
    if isinstance(o, Enum):
        return o.value
    return str(o)


ITEMS = [
    {"policy_id": "AG101", "severity": Sev.HIGH, "n": 3, "ratio": 0.5, "big": 90.0, "none": None, "flag": True},
    {"nested": {"list": [1, [2, {"x": []}], {}], "empty": {}, "text": 'quote " back \\ slash / tab \t nl \n'}},
    {"unicode": "café – 東京 \u2028 \u2029 \x00 \x1f \x7f", "emoji": "🙂"},
    {"enum": Plain.A, "loc": Loc("a.tf", 3), "when": datetime(2026, 12, 6, 14, 0, tzinfo=UTC), "tuple": (1, "a")},
    {"neg": -0.0, "int": 2**63 - 1, "third": 1 / 3, "cents": 0.1 + 0.2},
    {"beyond_64_bits": 2**70},  # orjson refuses: json writes it
    {"surrogate": "\ud800"},  # orjson refuses a lone surrogate: json writes it escaped-free as Python does
    {1: "int key", None: "none key"},  # keys json turns into text; orjson refuses them
    [],
    "a bare string",
]


@pytest.fixture(autouse=True)
def _orjson_from_the_first_item(monkeypatch):
    """orjson takes over after ORJSON_AFTER items; these tests make it write every item (the writer under test)."""
    from agentgov.reports import streaming

    monkeypatch.setattr(streaming, "ORJSON_AFTER", 0)


def _whole(items):
    return json.dumps({"head": 1, "findings": items, "tail": [1, 2]}, indent=2, default=_default, ensure_ascii=False)


def _streamed(items):
    return "".join(dumps({"head": 1, "findings": Streamed(iter(items)), "tail": [1, 2]}, indent=2, default=_default,
                         ensure_ascii=False))  # fmt: skip


def test_streamed_items_are_written_as_json_writes_the_whole_document():
    assert _streamed(ITEMS) == _whole(ITEMS)


def test_floats_json_writes_in_exponent_form_are_the_same_numbers():
    floats = [{"small": 1e-05, "large": 1e16, "tiny": 5e-324, "huge": 1.7976931348623157e308}]
    got, want = _streamed(floats), _whole(floats)
    assert json.loads(got) == json.loads(want)


def test_the_fast_path_is_taken_for_the_reports_form_and_not_for_others():
    orjson = pytest.importorskip("orjson")
    from agentgov.reports import streaming

    fast = streaming._item_dumper(2, {"ensure_ascii": False, "default": _default})
    assert fast({"a": [1]}) == orjson.dumps({"a": [1]}, option=orjson.OPT_INDENT_2).decode()
    assert fast({"x": 1e-05}) == '{\n  "x": 0.00001\n}'  # orjson's form: it wrote this item
    for indent, kw in ((2, {}), (4, {"ensure_ascii": False}), (2, {"ensure_ascii": False, "sort_keys": True})):
        slow = streaming._item_dumper(indent, kw)
        assert slow({"b": 1, "a": "é"}) == json.dumps({"b": 1, "a": "é"}, indent=indent, **kw)


def test_an_empty_stream_and_nothing_streamed():
    assert _streamed([]) == _whole([])
    assert "".join(dumps({"a": [1, {"b": None}]}, indent=2, ensure_ascii=False)) == json.dumps(
        {"a": [1, {"b": None}]}, indent=2, ensure_ascii=False
    )


def test_a_small_report_does_not_import_orjson_and_a_large_one_switches_to_it(monkeypatch):
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "from agentgov.reports.streaming import Streamed, dumps\n"
        "n = int(sys.argv[1])\n"
        "items = [{'i': i, 'x': 1e-05} for i in range(n)]\n"
        "text = ''.join(dumps({'f': Streamed(items)}, indent=2, ensure_ascii=False))\n"
        "assert json.loads(text) == {'f': items}\n"
        "print('orjson' in sys.modules, text.count('1e-05'), text.count('0.00001'))\n"
    )
    small = subprocess.run([sys.executable, "-c", code, "150"], capture_output=True, text=True, check=True).stdout.split()
    assert small == ["False", "150", "0"]  # json wrote every item; orjson never imported
    large = subprocess.run([sys.executable, "-c", code, "500"], capture_output=True, text=True, check=True).stdout.split()
    assert large == ["True", "200", "300"]  # json the first 200, orjson the rest
