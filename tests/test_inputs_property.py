"""Every file a command reads is checked before use: mutated valid examples never crash (issue 15, close the classes).

Hypothesis mutates a valid example of each input (an audit shard for ``merge``, a live result for
``drift``, a baseline, a waiver file, a configuration, an evidence manifest, a report for
``evidence build``): a value replaced by one of another type, a key dropped or added, a value
nested 100,000 deep, the text truncated or made of other bytes. Each run either accepts the
file (a mutation can stay valid) or refuses it with exit 2 and one line naming the file, and
writes nothing; never a traceback. An evidence manifest that changed fails verification (exit 1)
with the reason.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentgov.cli.main import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples/cloudformation/orders-agent.yaml"
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# ------------------------------------------------------------------ mutations

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20))
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8
)


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in list(doc.items())[:40]:
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:5]):
            out.extend(_paths(v, (*prefix, i)))
    return out


@st.composite
def mutated(draw: Any, doc: Any) -> tuple[str, Any]:
    """(what was done, the mutated document, or bytes for a text-level mutation)."""
    kind = draw(st.sampled_from(["replace", "replace", "drop", "add", "deep", "truncate", "bytes"]))
    if kind == "truncate":
        return kind, ("text", draw(st.integers(0, 200)))
    if kind == "bytes":
        return kind, draw(st.binary(max_size=60))
    doc = copy.deepcopy(doc)
    paths = _paths(doc)
    path = draw(st.sampled_from(paths))
    parent: Any = None
    node = doc
    for p in path:
        parent, node = node, node[p]
    if kind == "replace":
        value = draw(VALUES.filter(lambda v: type(v) is not type(node)))
    elif kind == "deep":
        value = "DEEP"
    elif kind == "drop":
        if parent is None:
            return kind, {}
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
        return kind, doc
    else:  # add
        if isinstance(node, dict):
            node[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
            return kind, doc
        value = [node, draw(VALUES)]
    if parent is None:
        return kind, value
    parent[path[-1]] = value
    return kind, doc


DEEP = "[" * 100_000 + "]" * 100_000


def _json_text(doc: Any) -> str:
    return json.dumps(doc).replace('"DEEP"', DEEP)


def _render(mutation: tuple[str, Any], valid_text: str, dump: Any) -> bytes:
    kind, doc = mutation
    if kind == "truncate":
        return valid_text.encode()[: doc[1]]
    if kind == "bytes":
        return doc
    return dump(doc).encode()


def _check(capsys: Any, argv: list[str], name: str, written: Path | None, refused: int = 2) -> None:
    capsys.readouterr()
    rc = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if rc == refused:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        if refused == 2:
            assert len(lines) == 1 and name in lines[0], err
            assert written is None or not written.exists()
    else:
        assert rc in (0, 1, 3), (rc, err)


# ------------------------------------------------------------------ valid examples


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, Any]:
    """A scan's JSON report, made an audit's (an audit block and a live inventory, as an audit writes them)."""
    d = tmp_path_factory.mktemp("report")
    main(["scan", str(EXAMPLE), "--format", "json", "--output", str(d / "r.json")])
    doc = json.loads((d / "r.json").read_text())
    doc["audit"] = {"run_id": "r", "shard": None, "accounts": 1, "regions": 1, "calls": 3, "failed_calls": 0,
                    "calls_by_service": {"sts": 1}, "failed_calls_by_operation": {}, "seconds": 1.0, "coverage_gaps": []}  # fmt: skip
    doc["live_inventory"] = {
        "resources": [
            {
                "id": "arn:aws:bedrock:us-east-1:111122223333:agent/A",
                "arn": "arn:aws:bedrock:us-east-1:111122223333:agent/A",
                "kind": "agent",
                "type": "AWS::Bedrock::Agent",
                "name": "orders",
                "account": "111122223333",
                "region": "us-east-1",
                "location": "aws://111122223333/us-east-1/a",
                "cloudformation": None,
                "tags_unknown": None,
                "parent": None,
            }  # fmt: skip
        ],
        "collected": [{"account": "111122223333", "region": "us-east-1", "kinds": ["agent"]}],
    }
    return doc


def _mutated_copy(report: dict, data: Any, path: Path) -> Path:
    """``report`` with one mutation drawn from ``data``, written to ``path``."""
    path.write_bytes(_render(data.draw(mutated(report)), json.dumps(report), _json_text))
    return path


@SETTINGS
@given(data=st.data())
def test_merge_refuses_mutated_shards(report, tmp_path, capsys, data) -> None:
    shard = _mutated_copy(report, data, tmp_path / "shard.json")
    out = tmp_path / "merged.json"
    out.unlink(missing_ok=True)
    _check(capsys, ["merge", str(shard), "--output", str(out)], "shard.json", out)


@SETTINGS
@given(data=st.data())
def test_drift_refuses_mutated_live_results(report, tmp_path, capsys, data) -> None:
    live = _mutated_copy(report, data, tmp_path / "live.json")
    out = tmp_path / "drift.json"
    out.unlink(missing_ok=True)
    _check(
        capsys, ["drift", "--iac", str(EXAMPLE), "--live", str(live), "--format", "json", "--output", str(out)], "live.json", out
    )


def _evidence_build(tmp_path: Path, src: Path, out: Path) -> list[str]:
    """``agentgov evidence build`` of ``src`` into ``out``, signed with a key made once under ``tmp_path``."""
    from agentgov.reports.evidence.sign import keygen

    if not (tmp_path / "keys").exists():
        keygen(tmp_path / "keys")
    return [
        "evidence",
        "build",
        "--from",
        str(src),
        "--out",
        str(out),
        "--signing-key",
        str(tmp_path / "keys/agentgov-evidence.key.pem"),
    ]


@SETTINGS
@given(data=st.data())
def test_evidence_build_refuses_mutated_reports(report, tmp_path, capsys, data) -> None:
    src = _mutated_copy(report, data, tmp_path / "report.json")
    out = tmp_path / "bundle"
    shutil.rmtree(out, ignore_errors=True)
    argv = _evidence_build(tmp_path, src, out)
    _check(capsys, argv, "report.json", out)


@pytest.mark.parametrize(
    ("suppression", "reason"),
    [
        ({"kind": "inline", "source": "a.yaml:3"}, "findings.0.suppression.reason: missing"),
        ({"kind": "inline", "reason": 7, "source": "a.yaml:3"}, "findings.0.suppression.reason: a string is required"),
        ({"kind": "vendor", "reason": "r", "source": "s"}, "findings.0.suppression.kind: 'inline' or 'waiver'"),
        ({"kind": "waiver", "reason": "r", "source": "s", "owner": []}, "findings.0.suppression.owner:"),
    ],
)
def test_evidence_build_refuses_a_suppression_the_reports_cannot_render(report, tmp_path, capsys, suppression, reason) -> None:
    """Found by the property test above: a suppressed finding without a reason passed the schema (a suppression is
    an object there) and crashed the evidence report's template."""
    doc = json.loads(json.dumps(report))
    doc["findings"][0]["status"] = "SUPPRESSED"
    doc["findings"][0]["suppression"] = suppression
    src = tmp_path / "report.json"
    src.write_text(json.dumps(doc))
    out = tmp_path / "bundle"
    argv = _evidence_build(tmp_path, src, out)
    _check(capsys, argv, "report.json", out)
    capsys.readouterr()
    assert main(argv) == 2
    assert reason in capsys.readouterr().err


BASELINE = {
    "agentgov_baseline": 1,
    "findings": [{"fingerprint": "f" * 16, "policy": "AG201", "resource": "Agent", "status": "FAIL"}],
}


@SETTINGS
@given(data=st.data())
def test_scan_refuses_mutated_baselines(tmp_path, capsys, data) -> None:
    m = data.draw(mutated(BASELINE))
    b = tmp_path / "baseline.json"
    b.write_bytes(_render(m, json.dumps(BASELINE), _json_text))
    out = tmp_path / "r.json"
    out.unlink(missing_ok=True)
    _check(capsys, ["scan", str(EXAMPLE), "--baseline", str(b), "--format", "json", "--output", str(out)], "baseline.json", out)


WAIVERS = {"waivers": [{"policy": "AG201", "resource": "Agent*", "owner": "team", "reason": "accepted", "expires": "2099-01-01"}]}


def _yaml_text(doc: Any) -> str:
    return yaml.safe_dump(doc).replace("DEEP", DEEP)


@SETTINGS
@given(data=st.data())
def test_scan_refuses_mutated_waivers(tmp_path, capsys, data) -> None:
    m = data.draw(mutated(WAIVERS))
    w = tmp_path / "waivers.yaml"
    w.write_bytes(_render(m, yaml.safe_dump(WAIVERS), _yaml_text))
    out = tmp_path / "r.json"
    out.unlink(missing_ok=True)
    _check(capsys, ["scan", str(EXAMPLE), "--waivers", str(w), "--format", "json", "--output", str(out)], "waivers.yaml", out)


CONFIG = {
    "agentgov": {
        "severity_threshold": "high",
        "fail_on_unknown": False,
        "skip_policies": ["AG105"],
        "parameters": {
            "required_tags": ["owner", "environment"],
            "session_table_pattern": "(?i)session",
            "max_function_timeout": 60,
        },
    }
}


def _toml_value(v: Any) -> str:
    if v == "DEEP":
        return "[" * 100_000 + "]" * 100_000
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(x)}" for k, x in v.items() if x is not None) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v if x is not None) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v) if v == v and abs(v) != float("inf") else "0.0"
    if v is None:
        return '""'
    return json.dumps(v) if isinstance(v, str) else str(v)


def _toml_text(doc: Any) -> str:
    if not isinstance(doc, dict):
        return f"x = {_toml_value(doc)}\n"
    lines = []
    for k, v in doc.items():
        if isinstance(v, dict):
            lines.append(f"[{json.dumps(str(k))}]")
            lines += [f"{json.dumps(str(a))} = {_toml_value(b)}" for a, b in v.items() if b is not None]
        elif v is not None:
            lines.insert(0, f"{json.dumps(str(k))} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(data=st.data())
def test_scan_refuses_mutated_configurations(tmp_path, capsys, data) -> None:
    m = data.draw(mutated(CONFIG))
    c = tmp_path / "agentgov.toml"
    c.write_bytes(_render(m, _toml_text(CONFIG), _toml_text))
    out = tmp_path / "r.json"
    out.unlink(missing_ok=True)
    _check(capsys, ["scan", str(EXAMPLE), "--config", str(c), "--format", "json", "--output", str(out)], "agentgov.toml", out)


@pytest.fixture(scope="module")
def signed_bundle(tmp_path_factory) -> Path:
    from agentgov.reports.evidence.sign import keygen

    d = tmp_path_factory.mktemp("bundle")
    keygen(d / "keys")
    assert (
        main(["scan", str(EXAMPLE), "--evidence", str(d / "b"), "--signing-key", str(d / "keys/agentgov-evidence.key.pem")]) == 1
    )
    return d


@SETTINGS
@given(data=st.data())
def test_verify_fails_mutated_manifests_with_the_reason(signed_bundle, tmp_path, capsys, data) -> None:
    b = tmp_path / "b"
    shutil.rmtree(b, ignore_errors=True)
    shutil.copytree(signed_bundle / "b", b)
    valid = (b / "manifest.json").read_text()
    m = data.draw(mutated(json.loads(valid)))
    text = _render(m, valid, _json_text)
    (b / "manifest.json").write_bytes(text)
    capsys.readouterr()
    rc = main(["evidence", "verify", str(b), "--public-key", str(signed_bundle / "keys/agentgov-evidence.pub.pem")])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if text != valid.encode():
        assert rc == 1 and ("manifest" in out or "signature" in out), out
