"""``--security-hub-import``: BatchImportFindings into moto's Security Hub (completed by ``awsmock/securityhub.py``),
through the audit role of each account, as ``agentgov audit`` and ``merge`` run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("moto")


import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit import securityhub as SH  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402
from agentgov.cli.main import _parser, main  # noqa: E402
from agentgov.reports import asff  # noqa: E402
from agentgov.scanner.findings import Status  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*with code AccessDenied does not match:UserWarning")
REGIONS = ["us-east-1", "us-west-2"]
T0 = 1_796_000_000.0  # a fixed clock: the second run is an hour later


def _estate(enable: dict[str, list[str]] | None = None) -> tuple[str, str]:
    """Two member accounts with an agent each (one with a secret in its function's environment); Security Hub on
    in the regions ``enable`` says (default: both, in both)."""
    a, b = S.organization(2)
    S.deploy_agent(S.session_in(a), "us-east-1", "orders", secret_in_env=True)
    S.deploy_agent(S.session_in(b), "us-west-2", "research", guardrail=False)
    for account in (a, b):
        for region in REGIONS if enable is None else enable.get(account, []):
            S.session_in(account).client("securityhub", region_name=region).enable_security_hub(EnableDefaultStandards=False)
    return a, b


def _opts(accounts: list[str], **kw) -> AuditOptions:
    return AuditOptions(role_name=S.AUDIT_ROLE, accounts=accounts, regions=REGIONS, workers=4, **kw)


def _hub(account: str, region: str) -> dict[str, dict]:
    client = S.session_in(account).client("securityhub", region_name=region)
    out = {}
    for page in client.get_paginator("get_findings").paginate(
        Filters={"GeneratorId": [{"Value": "agentgov/", "Comparison": "PREFIX"}]}, PaginationConfig={"PageSize": 100}
    ):
        for f in page["Findings"]:
            assert f["Id"] not in out
            out[f["Id"]] = f
    return out


def test_a_rerun_updates_every_finding_instead_of_duplicating_it(aws, pack, params):
    a, b = _estate()
    calls: list[tuple[str, str]] = []
    opts = _opts([a, b], hooks=[("before-call", lambda model, **_: calls.append((model.service_model.service_name, model.name)))])
    result = run_audit(opts, pack, params)
    live = [f for f in result.findings if f.account]
    calls.clear()
    first = SH.import_findings(result, opts, now=T0)
    assert not first.failures and first.created == len(live) and first.updated == first.archived == 0
    # the import calls only what it declares (and what the IAM policy generated from the declaration allows)
    assert set(calls) <= {(c.service, c.operation) for c in SH.IMPORT_CALLS} | {("sts", "AssumeRole")}
    assert {("securityhub", "BatchImportFindings"), ("securityhub", "GetFindings")} <= set(calls)
    before = {**_hub(a, "us-east-1"), **_hub(a, "us-west-2"), **_hub(b, "us-east-1"), **_hub(b, "us-west-2")}
    assert set(before) == {f"agentgov/{f.policy_id}/{f.fingerprint}" for f in live}
    assert all(f["UpdatedAt"] == f["CreatedAt"] == "2026-11-30T00:53:20.000Z" for f in before.values())

    second = SH.import_findings(run_audit(opts, pack, params), opts, now=T0 + 3600)
    assert not second.failures and second.created == 0 and second.updated == len(live) and second.archived == 0
    after = {**_hub(a, "us-east-1"), **_hub(a, "us-west-2"), **_hub(b, "us-east-1"), **_hub(b, "us-west-2")}
    assert set(after) == set(before)  # GetFindings: as many findings as before
    for fid, f in after.items():
        assert f["CreatedAt"] == before[fid]["CreatedAt"]  # kept from the first import
        assert f["UpdatedAt"] == "2026-11-30T01:53:20.000Z" != before[fid]["UpdatedAt"]
        assert f["Workflow"] == before[fid]["Workflow"] and f["RecordState"] == "ACTIVE"
    # each account's findings are in that account, under its own default product
    for f in after.values():
        assert f["ProductArn"].endswith(f":{f['AwsAccountId']}:product/{f['AwsAccountId']}/default")


def test_a_fixed_finding_becomes_passed_and_a_deleted_agents_findings_are_archived(aws, pack, params):
    a, b = _estate()
    opts = _opts([a, b])
    result = run_audit(opts, pack, params)
    secret = next(f for f in result.findings if f.status == Status.FAIL and f.account == a and "PAYMENTS_API_KEY" in f.message)
    agent_b = {f.resource_id for f in result.findings if f.account == b and f.resource_kind == "agent"}
    assert agent_b
    assert not SH.import_findings(result, opts, now=T0).failures
    fid = f"agentgov/{secret.policy_id}/{secret.fingerprint}"
    assert _hub(a, "us-east-1")[fid]["Compliance"]["Status"] == "FAILED"

    lam = S.session_in(a).client("lambda", region_name="us-east-1")
    lam.update_function_configuration(FunctionName="orders-actions", Environment={"Variables": {"TABLE_NAME": "orders"}})
    ab = S.session_in(b).client("bedrock-agent", region_name="us-west-2")
    for agent in ab.list_agents()["agentSummaries"]:
        ab.delete_agent(agentId=agent["agentId"], skipResourceInUseCheck=True)
    again = run_audit(opts, pack, params)
    outcome = SH.import_findings(again, opts, now=T0 + 3600)
    assert not outcome.failures and outcome.archived > 0
    fixed = _hub(a, "us-east-1")[fid]
    assert fixed["Compliance"]["Status"] == "PASSED" and fixed["RecordState"] == "ACTIVE"
    assert fixed["Severity"]["Label"] == "INFORMATIONAL"  # from FindingProviderFields (the update sends no top-level Severity)
    hub_b = _hub(b, "us-west-2")
    now_ids = {f"agentgov/{f.policy_id}/{f.fingerprint}" for f in again.findings}
    gone = [f for f in hub_b.values() if f["Id"] not in now_ids]  # the agent, its aliases and versions
    assert {f["Resources"][0]["Id"] for f in gone} >= agent_b
    assert all(f["RecordState"] == "ARCHIVED" and f["UpdatedAt"] == "2026-11-30T01:53:20.000Z" for f in gone)
    assert outcome.archived == len(gone)
    kept = [f for f in hub_b.values() if f["Id"] in now_ids]
    assert kept and all(f["RecordState"] == "ACTIVE" for f in kept)  # the function is still there
    # a region whose every resource is gone: its findings are archived too
    lam_b = S.session_in(b).client("lambda", region_name="us-west-2")
    lam_b.delete_function(FunctionName="research-actions")
    last = SH.import_findings(run_audit(opts, pack, params), opts, now=T0 + 7200)
    assert not last.failures and all(f["RecordState"] == "ARCHIVED" for f in _hub(b, "us-west-2").values())
    assert (b, "us-west-2") not in last.places


def test_a_partial_failure_names_each_refused_finding_imports_the_others_and_exits_non_zero(
    aws, tmp_path, monkeypatch, capsys, pack, params
):
    a, b = _estate(enable={})  # Security Hub off everywhere, then on in us-east-1 only, in both accounts
    for account in (a, b):
        S.session_in(account).client("securityhub", region_name="us-east-1").enable_security_hub(EnableDefaultStandards=False)
    opts = _opts([a, b])
    result = run_audit(opts, pack, params)
    outcome = SH.import_findings(result, opts, now=T0)
    refused = {(f.account, f.region) for f in outcome.failures}
    assert refused == {(b, "us-west-2")}  # b's agent is in us-west-2, where Security Hub is off
    want = {f"agentgov/{f.policy_id}/{f.fingerprint}" for f in result.findings if f.account == b and f.region == "us-west-2"}
    assert {f.id for f in outcome.failures} == want and all(f.code == "InvalidAccessException" for f in outcome.failures)
    assert outcome.created == sum(1 for f in result.findings if f.account) - len(want)
    assert len(_hub(a, "us-east-1")) + len(_hub(b, "us-east-1")) == outcome.created

    # the CLI: each refused finding on stderr with its reason, the run's exit code non-zero
    (tmp_path / "accounts.txt").write_text(f"{a}\n{b}\n")
    capsys.readouterr()
    rc = main(["audit", "--accounts", str(tmp_path / "accounts.txt"), "--role-name", S.AUDIT_ROLE, "--regions", *REGIONS,
               "--policy", "AG201", "--security-hub-import", "--format", "json", "--output", str(tmp_path / "r.json")])  # fmt: skip
    err = capsys.readouterr().err
    report = json.loads((tmp_path / "r.json").read_text())
    b_west = [f for f in report["findings"] if f["account"] == b and f["region"] == "us-west-2"]
    assert b_west and all(f"not imported: agentgov/AG201/{f['fingerprint']} in account {b} region us-west-2: InvalidAccessException" in err
                          for f in b_west)  # fmt: skip
    assert f"{len(b_west)} failed" in err
    assert rc == 1  # b's agent has no guardrail: AG201 fails
    # with nothing failing, the refused import alone makes the exit code 3
    rc = main(["audit", "--accounts", str(tmp_path / "accounts.txt"), "--role-name", S.AUDIT_ROLE, "--regions", *REGIONS,
               "--policy", "AG201", "--severity-threshold", "critical", "--security-hub-import"])  # fmt: skip
    assert "not imported" in capsys.readouterr().err and rc == 3


def test_throttled_imports_are_retried_until_they_go_through(aws, pack, params):
    a, b = _estate()
    opts = _opts([a])
    result = run_audit(opts, pack, params)
    S.throttle(a, "securityhub", "BatchImportFindings", 2)
    outcome = SH.import_findings(result, opts, now=T0)
    from agentgov.demo.awsmock.patches import _THROTTLED

    assert _THROTTLED[(a, "securityhub", "BatchImportFindings")] == 0  # both throttled answers were given
    assert not outcome.failures and outcome.created == sum(1 for f in result.findings if f.account)
    assert len(_hub(a, "us-east-1")) + len(_hub(a, "us-west-2")) == outcome.created


def test_a_rerun_within_the_same_millisecond_still_advances_updated_at(aws, pack, params):
    a, b = _estate()
    opts = _opts([a])
    result = run_audit(opts, pack, params)
    assert not SH.import_findings(result, opts, now=T0).failures
    outcome = SH.import_findings(result, opts, now=T0)  # the same clock: Security Hub would ignore an equal UpdatedAt
    assert not outcome.failures and outcome.updated == outcome.imported > 0
    assert {f["UpdatedAt"] for f in _hub(a, "us-east-1").values()} == {"2026-11-30T00:53:20.001Z"}


def test_batches_hold_at_most_100_findings(aws, pack, params, monkeypatch):
    a, b = _estate()
    opts = _opts([a, b])
    result = run_audit(opts, pack, params)
    sizes: list[int] = []
    real = SH._send

    def counting(client, batch, *args, **kw):
        sizes.append(len(batch))
        return real(client, batch, *args, **kw)

    assert SH.BATCH == 100  # Security Hub's maximum; a smaller one here shows the batching
    monkeypatch.setattr(SH, "BATCH", 7)
    monkeypatch.setattr(SH, "_send", counting)
    outcome = SH.import_findings(result, opts, now=T0)
    assert not outcome.failures and max(sizes) == 7 and sum(sizes) == outcome.created
    # the mock, as Security Hub, refuses a request of more than 100
    client = S.session_in(a).client("securityhub", region_name="us-east-1")
    f = _hub(a, "us-east-1")
    one = next(iter(f.values()))
    with pytest.raises(client.exceptions.InvalidInputException):
        client.batch_import_findings(Findings=[{**{k: one[k] for k in ("SchemaVersion", "ProductArn", "GeneratorId", "AwsAccountId",
                                                                       "CreatedAt", "UpdatedAt", "Title", "Description", "Resources")},
                                                "Id": f"x{i}"} for i in range(101)])  # fmt: skip


def test_the_mock_keeps_customer_fields_resets_a_resolved_workflow_and_filters_get_findings(aws):
    account = S.organization(1)[0]
    client = S.session_in(account).client("securityhub", region_name="us-east-1")
    product = f"arn:aws:securityhub:us-east-1:{account}:product/{account}/default"

    def finding(fid: str, compliance: str, **extra):
        return {"SchemaVersion": "2018-10-08", "Id": fid, "ProductArn": product, "GeneratorId": "agentgov/AG201", "AwsAccountId": account,
                "CreatedAt": "2026-01-01T00:00:00.000Z", "UpdatedAt": "2026-01-01T00:00:00.000Z", "Title": "t", "Description": "d",
                "Resources": [{"Type": "Other", "Id": fid}], "Compliance": {"Status": compliance}, **extra}  # fmt: skip

    answer = client.batch_import_findings(Findings=[finding("f1", "PASSED", Workflow={"Status": "RESOLVED"})])
    assert answer["FailedCount"] == 1 and answer["FailedFindings"][0]["ErrorCode"] == "InvalidAccess"  # Security Hub is off
    with pytest.raises(client.exceptions.InvalidAccessException):
        client.get_findings()
    client.enable_security_hub(EnableDefaultStandards=False)
    other = finding("f2", "FAILED", ProductArn=product.replace(account, "123456789012"))
    answer = client.batch_import_findings(
        Findings=[
            finding(
                "f1",
                "PASSED",
                Workflow={"Status": "RESOLVED"},
                Note={"Text": "checked", "UpdatedBy": "secops", "UpdatedAt": "2026-01-01T00:00:00.000Z"},
            ),
            other,
        ]
    )
    assert answer["SuccessCount"] == 1 and [x["Id"] for x in answer["FailedFindings"]] == ["f2"]  # another account's product
    # an update: the provider's Note and Workflow are ignored, what it dropped is dropped, a PASSED -> FAILED reopens
    client.batch_import_findings(
        Findings=[finding("f1", "FAILED", Workflow={"Status": "SUPPRESSED"}, UpdatedAt="2026-01-02T00:00:00.000Z")]
    )
    (f1,) = client.get_findings()["Findings"]
    assert f1["Workflow"]["Status"] == "NEW" and f1["Note"]["Text"] == "checked" and f1["Compliance"]["Status"] == "FAILED"
    assert f1["UpdatedAt"] == "2026-01-02T00:00:00.000Z"
    # an update that is not later than the stored finding is ignored, as AWS documents (and not a failure)
    answer = client.batch_import_findings(Findings=[finding("f1", "PASSED", UpdatedAt="2026-01-02T00:00:00.000Z")])
    assert answer["FailedCount"] == 0 and client.get_findings()["Findings"][0]["Compliance"]["Status"] == "FAILED"
    client.batch_import_findings(Findings=[finding("f3", "FAILED", GeneratorId="other/tool")])
    got = client.get_findings(Filters={"GeneratorId": [{"Value": "agentgov/", "Comparison": "PREFIX"}]})["Findings"]
    assert [f["Id"] for f in got] == ["f1"]
    got = client.get_findings(Filters={"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
                                       "Id": [{"Value": "f1", "Comparison": "NOT_EQUALS"}]})["Findings"]  # fmt: skip
    assert [f["Id"] for f in got] == ["f3"]


def test_merge_imports_the_joined_shards(aws, tmp_path, capsys, pack, params):
    a, b = _estate()
    (tmp_path / "accounts.txt").write_text(f"{a}\n{b}\n")
    for i in (1, 2):
        assert main(["audit", "--accounts", str(tmp_path / "accounts.txt"), "--role-name", S.AUDIT_ROLE, "--regions", *REGIONS,
                     "--shard", f"{i}/2", "--format", "json", "--output", str(tmp_path / f"s{i}.json")]) in (0, 1)  # fmt: skip
    assert main(["merge", str(tmp_path / "s1.json"), str(tmp_path / "s2.json"), "--security-hub-import"]) == 2
    assert "give --role-name" in capsys.readouterr().err
    capsys.readouterr()
    rc = main(["merge", str(tmp_path / "s1.json"), str(tmp_path / "s2.json"), "--security-hub-import", "--role-name", S.AUDIT_ROLE,
               "--format", "json", "--output", str(tmp_path / "m.json")])  # fmt: skip
    assert rc == 1
    merged = [f for f in json.loads((tmp_path / "m.json").read_text())["findings"] if f["account"]]
    hub = {**_hub(a, "us-east-1"), **_hub(a, "us-west-2"), **_hub(b, "us-east-1"), **_hub(b, "us-west-2")}
    assert set(hub) == {f"agentgov/{f['policy_id']}/{f['fingerprint']}" for f in merged}
    assert f"{len(merged)} finding(s) imported" in capsys.readouterr().err


def test_iam_policy_and_role_template_declare_the_import_actions_only_when_asked(capsys):
    from agentgov.scanner import iam_data

    assert main(["audit", "iam-policy"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert not any(a.startswith("securityhub:") for s in plain["Statement"] for a in s["Action"])
    assert main(["audit", "iam-policy", "--security-hub-import"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (st,) = [s for s in doc["Statement"] if s["Sid"] == "AgentgovSecurityHubImport"]
    assert st["Action"] == ["securityhub:BatchImportFindings", "securityhub:GetFindings"]
    for action in st["Action"]:
        service, name = action.split(":")
        assert iam_data.service_actions(service)[name.lower()].name == action  # real actions
    assert main(["audit", "role-template", "--auditor-account", "111111111111", "--security-hub-import"]) == 0
    tpl = json.loads(capsys.readouterr().out)
    statements = tpl["Resources"]["AgentgovAuditRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert st in statements


def test_the_readme_commands_of_the_security_hub_section_are_valid_agentgov_commands():
    import re
    import shlex

    from agentgov.cli.main import _parser

    section = (Path(__file__).resolve().parents[1] / "docs" / "security-hub.md").read_text()
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [
        shlex.split(line.split(" #", 1)[0].split(" >", 1)[0])[1:] for line in block.splitlines() if line.startswith("agentgov ")
    ]
    assert len(commands) >= 9
    for argv in commands:
        args = _parser().parse_args(argv)  # exits 2 on an unknown option
        assert args.command in ("scan", "audit", "merge")
    assert any("--security-hub-import" in c and c[0] == "merge" for c in commands)
    assert any("ocsf" in c for c in commands)


def test_findings_refused_for_throttling_are_sent_again_and_other_refusals_are_reported_once():
    """What moto never answers (a FailedFindings entry for throttling), with botocore's Stubber (the issue allows it):
    the answers are checked against Security Hub's model."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("securityhub", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    product = "arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default"
    batch = [{"SchemaVersion": "2018-10-08", "Id": f"agentgov/AG201/{i}", "ProductArn": product, "GeneratorId": "agentgov/AG201",
              "AwsAccountId": "111111111111", "CreatedAt": "2026-01-01T00:00:00.000Z", "UpdatedAt": "2026-01-01T00:00:00.000Z",
              "Title": "t", "Description": "d", "Resources": [{"Type": "Other", "Id": f"r{i}"}]} for i in range(3)]  # fmt: skip
    with Stubber(client) as stub:
        stub.add_response(
            "batch_import_findings",
            {
                "FailedCount": 2,
                "SuccessCount": 1,
                "FailedFindings": [
                    {"Id": batch[1]["Id"], "ErrorCode": "TooManyRequestsException", "ErrorMessage": "Rate exceeded"},
                    {"Id": batch[2]["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "Resources.0.Id is too long"},
                ],
            },
            {"Findings": batch},
        )
        stub.add_response(
            "batch_import_findings", {"FailedCount": 0, "SuccessCount": 1, "FailedFindings": []}, {"Findings": [batch[1]]}
        )
        outcome, slept = SH.Outcome(), []
        took = SH._send(client, batch, "111111111111", "us-east-1", outcome, slept.append)
        stub.assert_no_pending_responses()
    assert took == {batch[0]["Id"], batch[1]["Id"]} and slept == [1.0]
    assert [(f.id, f.code, f.message) for f in outcome.failures] == [
        (batch[2]["Id"], "InvalidInput", "Resources.0.Id is too long")
    ]


def test_global_findings_go_to_the_home_region_given(aws, pack, params):
    """IAM roles and account-level checks have no region: they go to the Security Hub home region the user names
    (``--security-hub-region``), in the import as in ``--format asff``; regional findings stay where they are."""
    a, b = _estate()
    opts = _opts([a, b])
    result = run_audit(opts, pack, params)
    live = [f for f in result.findings if f.account]
    assert any(f.region is None for f in live) and any(f.region == "us-east-1" for f in live)
    out = SH.import_findings(result, opts, now=T0, home_region="us-west-2")
    assert not out.failures and out.created == len(live)
    hub = {r: {**_hub(a, r), **_hub(b, r)} for r in REGIONS}
    for f in live:
        fid = f"agentgov/{f.policy_id}/{f.fingerprint}"
        assert fid in hub[f.region or "us-west-2"], (f.policy_id, f.region)
    rendered = json.loads(asff.render(result, home="us-west-2"))
    global_ids = {f"agentgov/{f.policy_id}/{f.fingerprint}" for f in live if f.region is None}
    assert {d["ProductArn"].split(":")[3] for d in rendered if d["Id"] in global_ids} == {"us-west-2"}
    _parser().parse_args(["audit", "--demo", "--security-hub-import", "--security-hub-region", "eu-west-1"])
    _parser().parse_args(["merge", "s.json", "--format", "asff", "--security-hub-region", "eu-west-1"])
