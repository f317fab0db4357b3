"""``agentgov merge`` checks its inputs first (issue 15, medium 5 and 6).

Every shard is validated against the JSON report's schema, and the shards must form one run:
one pack, one policy selection, one configuration, audit reports only, each shard once, its
accounts its own. A wrong input is exit 2 with one line naming the file, and nothing written;
a set missing shards is merged and the missing ones named (exit 3 when nothing fails).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from agentgov.cli.main import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples/cloudformation/orders-agent.yaml"


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> dict[str, dict[str, Any]]:
    """The two shards of the demo Organization's audit, and a scan report."""
    pytest.importorskip("moto", reason="moto is in the test extras")
    d = tmp_path_factory.mktemp("shards")
    out = {}
    for i in (1, 2):
        path = d / f"s{i}.json"
        assert main(["audit", "--demo", "--shard", f"{i}/2", "--format", "json", "--output", str(path)]) in (0, 1)
        out[f"s{i}"] = json.loads(path.read_text())
    main(["scan", str(EXAMPLE), "--format", "json", "--output", str(d / "scan.json")])
    out["scan"] = json.loads((d / "scan.json").read_text())
    return out


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    p = tmp_path / name
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return p


def _refused(capsys, tmp_path: Path, *paths: Path) -> str:
    out = tmp_path / "merged.json"
    assert main(["merge", *map(str, paths), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert not out.exists()
    return lines[0]


def test_the_two_shards_merge(shards, tmp_path, capsys) -> None:
    a, b = _write(tmp_path, "a.json", shards["s1"]), _write(tmp_path, "b.json", shards["s2"])
    assert main(["merge", str(a), str(b), "--output", str(tmp_path / "m.json")]) in (0, 1)
    merged = json.loads((tmp_path / "m.json").read_text())
    assert merged["audit"]["accounts"] == shards["s1"]["audit"]["accounts"] + shards["s2"]["audit"]["accounts"]
    assert "missing" not in capsys.readouterr().err


def test_a_shard_given_twice_is_refused(shards, tmp_path, capsys) -> None:
    a = _write(tmp_path, "a.json", shards["s1"])
    b = _write(tmp_path, "copy.json", shards["s1"])
    assert "shard 1/2 is given twice" in _refused(capsys, tmp_path, a, b)


def test_a_scan_report_among_audit_shards_is_refused(shards, tmp_path, capsys) -> None:
    a, s = _write(tmp_path, "a.json", shards["s1"]), _write(tmp_path, "scan.json", shards["scan"])
    assert "scan.json: a scan report" in _refused(capsys, tmp_path, a, s)


def test_shards_of_another_policy_selection_are_refused(shards, tmp_path, capsys) -> None:
    other = copy.deepcopy(shards["s2"])
    other["policies"] = other["policies"][1:]
    a, b = _write(tmp_path, "a.json", shards["s1"]), _write(tmp_path, "b.json", other)
    assert "b.json: ran other policies" in _refused(capsys, tmp_path, a, b)


def test_shards_of_another_split_are_refused(shards, tmp_path, capsys) -> None:
    other = copy.deepcopy(shards["s2"])
    other["audit"]["shard"] = "2/3"
    a, b = _write(tmp_path, "a.json", shards["s1"]), _write(tmp_path, "b.json", other)
    assert "shard 2/3 is not one of the 2 shards" in _refused(capsys, tmp_path, a, b)


def test_a_shard_whose_accounts_are_not_its_own_is_refused(shards, tmp_path, capsys) -> None:
    one, two = copy.deepcopy(shards["s1"]), copy.deepcopy(shards["s2"])
    one["audit"]["shard"], two["audit"]["shard"] = "2/2", "1/2"  # swapped labels
    a, b = _write(tmp_path, "a.json", one), _write(tmp_path, "b.json", two)
    assert "is not in shard 2/2" in _refused(capsys, tmp_path, a, b)


def test_an_audit_of_every_account_is_not_merged_with_shards(shards, tmp_path, capsys) -> None:
    whole = copy.deepcopy(shards["s2"])
    whole["audit"]["shard"] = None
    a, b = _write(tmp_path, "a.json", shards["s1"]), _write(tmp_path, "b.json", whole)
    assert "an audit of every account cannot be merged" in _refused(capsys, tmp_path, a, b)


def test_an_incomplete_set_is_merged_and_names_the_missing_shards(shards, tmp_path, capsys) -> None:
    passing = copy.deepcopy(shards["s1"])
    passing["findings"] = [f for f in passing["findings"] if f["status"] == "PASS"]
    a = _write(tmp_path, "a.json", passing)
    out = tmp_path / "m.json"
    assert main(["merge", str(a), "--output", str(out)]) == 3
    assert "shard(s) 2/2 missing" in capsys.readouterr().err
    assert out.exists()
    # with failing findings the run fails (exit 1) and still names them
    b = _write(tmp_path, "b.json", shards["s2"])
    assert main(["merge", str(b), "--output", str(out)]) == 1
    assert "shard(s) 1/2 missing" in capsys.readouterr().err


def _mutations(report: dict[str, Any]) -> dict[str, Any]:
    def edit(fn):
        doc = copy.deepcopy(report)
        fn(doc)
        return doc

    deep = "[" * 100_000 + "]" * 100_000
    return {
        "findings not a list": edit(lambda d: d.update(findings={"a": 1})),
        "finding severity a number": edit(lambda d: d["findings"][0].update(severity=5)),
        "finding without fingerprint": edit(lambda d: d["findings"][0].pop("fingerprint")),
        "summary missing": edit(lambda d: d.pop("summary")),
        "seconds a string": edit(lambda d: d["summary"].update(seconds="fast")),
        "digest a number": edit(lambda d: d["tool"].update(policy_pack_digest=7)),
        "policies of numbers": edit(lambda d: d.update(policies=[1, 2])),
        "audit block a list": edit(lambda d: d.update(audit=[])),
        "coverage gaps of strings": edit(lambda d: d["audit"].update(coverage_gaps=["x"])),
        "agents of numbers": edit(lambda d: d.update(agents=[3])),
        "live inventory a string": edit(lambda d: d.update(live_inventory="x")),
        "deep nesting": '{"findings": ' + deep + "}",
        "not JSON": "{not json",
        "empty": "",
        "a list": "[]",
        "null": "null",
    }


@pytest.mark.parametrize(
    "name",
    [
        "findings not a list",
        "finding severity a number",
        "finding without fingerprint",
        "summary missing",
        "seconds a string",
        "digest a number",
        "policies of numbers",
        "audit block a list",
        "coverage gaps of strings",
        "agents of numbers",
        "live inventory a string",
        "deep nesting",
        "not JSON",
        "empty",
        "a list",
        "null",
    ],
)
def test_a_shard_that_does_not_match_the_report_schema_is_exit_2(shards, tmp_path, capsys, name) -> None:
    bad = _write(tmp_path, "bad.json", _mutations(shards["s2"])[name])
    good = _write(tmp_path, "good.json", shards["s1"])
    line = _refused(capsys, tmp_path, good, bad)
    assert line.startswith("agentgov: ") and "bad.json: not an agentgov JSON report" in line


def test_a_shard_that_is_not_utf8_or_a_directory_is_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"a": "\xff"}')
    assert "bad.json: not an agentgov JSON report" in _refused(capsys, tmp_path, bad)
    d = tmp_path / "dir.json"
    d.mkdir()
    assert "dir.json: not an agentgov JSON report: is a directory" in _refused(capsys, tmp_path, d)


def test_the_demo_shards_split_one_organization(shards) -> None:
    """Each `audit --demo` run builds the demo Organization anew: with moto's random account ids, the two shards
    audited two different Organizations (and a shard could be empty); seeded, they split one."""
    seen = [{f["account"] for f in shards[s]["findings"] if f.get("account")} for s in ("s1", "s2")]
    assert all(seen) and not (seen[0] & seen[1])
    assert len(seen[0] | seen[1]) == 4  # the management account and its three members
