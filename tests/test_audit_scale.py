"""An audit's results streamed per account (issue 5, scale): what is spooled renders as the same data in memory does,
only a few accounts are held at once, the spool is deleted, and ``merge`` keeps the shards' agents and audit blocks."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("moto")


import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit import live_inventory  # noqa: E402
from agentgov.audit import run as audit_mod  # noqa: E402
from agentgov.audit.results import finding_key  # noqa: E402
from agentgov.audit.run import AuditOptions, in_shard, run_audit  # noqa: E402
from agentgov.cli.main import main  # noqa: E402
from agentgov.reports import asff, json_report, junit, sarif, text  # noqa: E402
from agentgov.scanner.engine import ScanResult  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*with code AccessDenied does not match:UserWarning")


def _estate(n: int = 3) -> list[str]:
    members = S.organization(n, audit_role=[True] * (n - 1) + [False])  # the last one: a coverage gap
    for i, m in enumerate(members[:-1]):
        s = S.session_in(m)
        S.deploy_agent(s, "us-east-1", f"orders{i}", guardrail=i % 2 == 0, wildcard_role=i == 1)
        S.deploy_agent(s, "us-west-2", f"refunds{i}", secret_in_env=True)
    return members


_STAMP = re.compile(r'"(CreatedAt|UpdatedAt)": "[^"]+"')


def test_spooled_reports_are_what_the_same_results_in_memory_render(aws, pack, params):
    members = _estate()
    result = run_audit(
        AuditOptions(
            role_name=S.AUDIT_ROLE, accounts=members, regions=["us-east-1", "us-west-2"], workers=4, keep_inventory=True
        ),
        pack,
        params,
    )
    findings = result.findings
    assert findings == sorted(findings, key=finding_key)  # the accounts' files read back in one sorted order
    assert {f.account for f in findings} == set(members)
    assert any(f.policy_id == "AG000" for f in findings) and any(f.status.value == "FAIL" for f in findings)
    # the same findings and estate, held in memory the way a scan holds them
    memory = ScanResult(result.inventory, findings, result.policies, result.pack_digest, result.seconds, dict(result.stats))
    memory.audit = result.audit  # type: ignore[attr-defined]
    # its live inventory built from the estate in memory (the JSON report asks the result for it: reports sit below
    # the audit), against the audit's, read back from its spool
    gaps = list(result.audit["coverage_gaps"])
    memory.live_inventory = lambda: {  # type: ignore[attr-defined]
        "resources": live_inventory.resource_records(result.inventory),
        "collected": live_inventory.collected_records(result.inventory, gaps),
    }
    assert list(result.agent_records()) == memory.agent_records() and len(memory.agent_records()) == 4
    for render in (
        lambda r: text.render(r, show_pass=True),
        json_report.render,
        lambda r: json_report.render(r, include_pass=False),
        lambda r: json.dumps(sarif.render(r), indent=2) + "\n",
        junit.render,
    ):
        assert render(result) == render(memory)
    assert "".join(sarif.chunks(result)) == json.dumps(sarif.render(memory), indent=2) + "\n"
    assert _STAMP.sub("", asff.render(result)) == _STAMP.sub(
        "", json.dumps(asff.build(memory)[0], indent=2, ensure_ascii=False) + "\n"
    )
    doc = json.loads(json_report.render(result))
    assert doc["audit"]["accounts"] == 3 and doc["audit"]["calls"] == sum(doc["audit"]["calls_by_service"].values()) > 0
    assert [g["account"] for g in doc["audit"]["coverage_gaps"]] == [members[-1]]
    failed = doc["audit"]["failed_calls_by_operation"]  # the missing role: denied AssumeRole, by operation and code
    assert failed.get("sts.AssumeRole AccessDenied", 0) >= 1 and sum(failed.values()) == doc["audit"]["failed_calls"]
    spool = result.spool.dir
    assert spool.is_dir() and list(spool.glob("findings-*.jsonl"))
    result.close()
    assert not spool.exists()


def test_only_a_few_accounts_are_held_at_once(aws, pack, params, monkeypatch):
    members = S.organization(6)
    for i, m in enumerate(members):
        S.deploy_agent(S.session_in(m), "us-east-1", f"a{i}", vpc=False)
    held, peak = set(), [0]
    real_assume = audit_mod.assume

    def assume(base, account, opts, partition="aws"):
        held.add(account)
        peak[0] = max(peak[0], len(held))
        return real_assume(base, account, opts, partition)

    monkeypatch.setattr(audit_mod, "assume", assume)
    from agentgov.audit import results as audit_results

    original = audit_results.AuditResult.add

    def add(self, findings, agents, kinds, inventory=None):
        original(self, findings, agents, kinds, inventory)
        held.difference_update({f.account for f in findings})

    monkeypatch.setattr(audit_results.AuditResult, "add", add)
    with run_audit(
        AuditOptions(role_name=S.AUDIT_ROLE, accounts=members, regions=["us-east-1"], workers=6, accounts_in_flight=2),
        pack,
        params,
    ) as result:
        assert {f.account for f in result.iter_findings()} == set(members)
    assert peak[0] <= 2, peak  # without the bound all six accounts are entered before the first is evaluated


def test_the_cli_leaves_no_spool_behind_and_merge_keeps_agents_and_audit_blocks(aws, tmp_path, monkeypatch):
    members = _estate(4)
    (tmp_path / "accounts.txt").write_text("\n".join(members) + "\n")
    monkeypatch.chdir(tmp_path)
    spool_root = tmp_path / "tmp"
    spool_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_root))
    base = ["audit", "--accounts", "accounts.txt", "--role-name", S.AUDIT_ROLE, "--regions", "us-east-1", "us-west-2"]
    assert main([*base, "--format", "json", "--output", "full.json", "--format", "text", "--output", "full.txt"]) == 1
    for i in (1, 2):  # account ids are random: a shard may hold none of them (nothing to fail, exit 0)
        expected = (1, 3) if any(in_shard(m, (i, 2)) for m in members) else (0,)
        assert main([*base, "--shard", f"{i}/2", "--format", "json", "--output", f"s{i}.json"]) in expected
    assert not list(spool_root.iterdir())  # every run deleted its spool
    assert (
        main(
            [
                "merge",
                "s1.json",
                "s2.json",
                "--format",
                "json",
                "--output",
                "m.json",
                "--format",
                "sarif",
                "--output",
                "m.sarif",
                "--format",
                "junit",
                "--output",
                "m.xml",
                "--format",
                "text",
                "--output",
                "m.txt",
            ]
        )
        == 1
    )
    assert not list(spool_root.iterdir())
    full, merged = (json.loads((tmp_path / n).read_text()) for n in ("full.json", "m.json"))
    key = lambda f: (f["fingerprint"], f["status"])  # noqa: E731
    assert sorted(map(key, merged["findings"])) == sorted(map(key, full["findings"]))
    assert merged["agents"] == full["agents"] and len(full["agents"]) == 6
    assert merged["summary"]["resources"] == full["summary"]["resources"] > 0
    a, b = merged["audit"], full["audit"]
    assert (a["accounts"], a["regions"], len(a["coverage_gaps"])) == (b["accounts"], b["regions"], 1) == (4, 2, 1)
    assert sorted(a["shard"].split(",")) == ["1/2", "2/2"] and len(a["run_id"].split(",")) == 2
    # the blast radius the merged non-JSON reports lacked
    radius = json.loads((tmp_path / "m.sarif").read_text())["runs"][0]["properties"]["agentBlastRadius"]
    assert [r["agent"] for r in radius] == [r["id"] for r in full["agents"]]
    assert 'name="agent blast radius"' in (tmp_path / "m.xml").read_text()
    merged_text, full_text = (tmp_path / "m.txt").read_text(), (tmp_path / "full.txt").read_text()
    assert "Agent blast radius" in merged_text and "Audited 4 account(s) x 2 region(s)" in merged_text
    strip = lambda t: re.sub(r"\(\d+ API calls, |in \d+\.\d+s", "", t)  # noqa: E731 (calls and time differ per run)
    assert strip(merged_text) == strip(full_text)
    import jsonschema

    schema = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "report.schema.json").read_text())
    for doc in (full, merged):
        jsonschema.Draft202012Validator(schema).validate(doc)
    from agentgov.reports.report_schema import Report

    assert Report.model_validate(full).audit.calls == full["audit"]["calls"]


def test_the_completion_answers_through_moto_s_server_too(monkeypatch):
    """The operations awsmock adds (every guardrail call, action groups, knowledge-base links) over HTTP, as the benchmark uses them."""
    import urllib.request

    import boto3

    from agentgov.demo.awsmock.server import serve

    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with serve() as url:
        assert url.startswith("http://127.0.0.1:")
        try:
            session = boto3.session.Session(region_name="eu-west-1")
            monkeypatch.setenv("AWS_ENDPOINT_URL", url)
            (out,) = S.seed_agents(session, "eu-west-1", 1, prefix="served")
            br = session.client("bedrock")
            assert br.get_guardrail(guardrailIdentifier=out["guardrail"])["name"] == "served0-guardrail"
            ab = session.client("bedrock-agent")
            agent_id = out["agent"].rsplit("/", 1)[-1]
            (kb,) = ab.list_agent_knowledge_bases(agentId=agent_id, agentVersion="DRAFT")["agentKnowledgeBaseSummaries"]
            assert out["knowledge_base"].endswith(kb["knowledgeBaseId"])
            (group,) = ab.list_agent_action_groups(agentId=agent_id, agentVersion="DRAFT")["actionGroupSummaries"]
            assert group["actionGroupName"] == "orders"
        finally:
            urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).read()
