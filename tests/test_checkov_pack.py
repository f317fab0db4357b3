"""The pack inside checkov (`agentgov checkov-dir`).

Unit tests of the generator and of the conf -> Resource adapters need no checkov.
The agreement test runs checkov with ``--external-checks-dir`` on the golden
fixtures of every policy checkov can run and compares its verdict per resource
with ``agentgov scan``'s. checkov runs in its own environment (it pins boto3 and
ships a module named hcl2): the interpreter is ``$AGENTGOV_CHECKOV_PYTHON``, else
``.ci/.venv-checkov/bin/python`` (which ``.ci/run`` creates); without either the
test is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentgov.integrations import checkov_pack
from agentgov.policies.compiled import AnalyzerCall, Exists, Related, UsedBy, conditions
from agentgov.scanner.analyzers import ANALYZERS
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan
from agentgov.scanner.kinds import QUALIFIED_KINDS
from agentgov.scanner.model import Expr, Ref, Unknown
from agentgov.scanner.pack import load_pack

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "policies"
PACK = load_pack()
PARAMS = effective_parameters(Config(), PACK.parameters)


# ------------------------------------------------------------------ classification


def test_every_analyzer_is_classified_once():
    single, cross = set(checkov_pack.SINGLE_RESOURCE_ANALYZERS), set(checkov_pack.CROSS_RESOURCE_ANALYZERS)
    assert not single & cross
    assert single | cross == set(ANALYZERS), "a new analyzer must be classified for checkov (checkov_pack.py)"


def test_expressible_policies_read_one_resource_only():
    plans = checkov_pack.plans(PACK)
    assert len(plans) == len(PACK.policies)
    for p in plans:
        conds = list(conditions(p.policy.check))
        if not p.expressible:
            assert p.not_run, f"{p.policy.id} is not run in checkov without a reason"
            continue
        assert not p.policy.live_only
        assert not any(isinstance(c, (Related, UsedBy, Exists)) for c in conds), p.policy.id
        assert all(c.analyzer in checkov_pack.SINGLE_RESOURCE_ANALYZERS for c in conds if isinstance(c, AnalyzerCall)), (
            p.policy.id
        )
        assert p.kinds and not set(p.kinds) & set(QUALIFIED_KINDS), p.policy.id
    # policies judging only graph-qualified kinds (agent functions...) or with relations never run in checkov
    by_id = {p.policy.id: p for p in plans}
    assert not by_id["AG301"].expressible and "graph" in by_id["AG301"].not_run[0]
    assert not by_id["AG205"].expressible and not by_id["AG601"].expressible
    assert by_id["AG201"].cfn_types == ("AWS::Bedrock::Agent",) and by_id["AG201"].tf_types == (
        "aws_bedrockagent_agent",
        "awscc_bedrock_agent",
    )
    # AG804 reads object_lock_configuration, which Terraform may set in a separate resource the graph folds in
    assert by_id["AG804"].cfn_types and not by_id["AG804"].tf_types
    assert any("aws_s3_bucket_object_lock_configuration" in r for r in by_id["AG804"].not_run)
    # AG801 runs on its base kinds; agent roles and functions are named as not covered
    assert "agent_role" not in by_id["AG801"].kinds and any("agent roles" in r for r in by_id["AG801"].not_run)
    # action groups are inline in a CloudFormation agent
    assert by_id["AG502"].cfn_types == ("AWS::Bedrock::Agent",)


def test_written_directory(tmp_path):
    files = checkov_pack.write_dir(tmp_path, PACK, "9.9")
    names = {f.name for f in files}
    expressible = [p for p in checkov_pack.plans(PACK) if p.expressible]
    assert names == {"__init__.py", "README.txt"} | {f"agentgov_{p.policy.id.lower()}.py" for p in expressible}
    assert not list(tmp_path.glob("*.json")) and not list(tmp_path.glob("*.yaml")), "checkov would load these as policies"
    for p in expressible:
        text = (tmp_path / f"agentgov_{p.policy.id.lower()}.py").read_text()
        compile(text, p.policy.id, "exec")
        assert f"policy_id={p.policy.id!r}" in text and repr(p.policy.title) in text
        assert ("AgentgovCfnCheck)" in text) == bool(p.cfn_types) and ("AgentgovTfCheck)" in text) == bool(p.tf_types)
        assert "def scan_resource_conf" not in text  # no logic copied: the runtime judges with the pack
    readme = (tmp_path / "README.txt").read_text()
    for pid in PACK.policies:
        assert f"  {pid}  " in readme
    # a module of a policy that is no longer expressible is removed on regeneration
    (tmp_path / "agentgov_ag999.py").write_text("raise SystemExit")
    checkov_pack.write_dir(tmp_path, PACK, "9.9")
    assert not (tmp_path / "agentgov_ag999.py").exists()


def test_checkov_dir_command(tmp_path, capsys):
    from agentgov.cli.main import main

    assert main(["checkov-dir", "--out", str(tmp_path / "checks")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "checks")
    assert (tmp_path / "checks" / "agentgov_ag201.py").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["checkov-dir", "--out", str(blocker / "sub")]) == 2
    assert "cannot write" in capsys.readouterr().err


# ------------------------------------------------------------------ adapters


def test_terraform_conf_is_unwrapped_and_references_resolved():
    conf = {
        "__start_line__": 3,
        "__end_line__": 9,
        "__address__": "aws_bedrockagent_agent.a",
        "agent_name": ["a"],
        "guardrail_configuration": [
            {
                "guardrail_identifier": ["aws_bedrock_guardrail.g.guardrail_id"],
                "guardrail_version": ["${aws_bedrock_guardrail.g.version}"],
            }
        ],
        "instruction": ["arn:aws:kms:${var.region}:1:key/${aws_kms_key.k.key_id}"],
        "foundation_model": ["var.model"],
        "tags": [{"owner": "me"}],
        "count": [1],
    }
    body = checkov_pack.tf_body(conf)
    assert body["agent_name"] == "a" and body["tags"] == {"owner": "me"} and "count" not in body
    g = body["guardrail_configuration"][0]
    assert g["guardrail_identifier"] == Ref("aws_bedrock_guardrail.g", "guardrail_id")
    assert g["guardrail_version"] == Ref("aws_bedrock_guardrail.g", "version")
    assert isinstance(body["foundation_model"], Unknown) and body["foundation_model"].origin == "variable:model"
    ins = body["instruction"]
    assert isinstance(ins, Expr) and Ref("aws_kms_key.k", "key_id") in ins.parts and ins.literal.startswith("arn:aws:kms:")
    assert checkov_pack.tf_value("amazon.titan-text-express-v1") == "amazon.titan-text-express-v1"  # a dotted literal stays one


def test_terraform_dynamic_block_is_unknown():
    conf = {
        "dynamic": [{"guardrail_configuration": [{"guardrail_identifier": ["gr-1"]}]}],
        "guardrail_configuration": [{"guardrail_identifier": ["gr-1"]}],
    }
    body = checkov_pack.tf_body(conf)
    assert isinstance(body["guardrail_configuration"], Unknown) and "for_each" in body["guardrail_configuration"].reason


def test_terraform_reference_to_a_guardrail_draft_fails_ag202():
    conf = {
        "__address__": "aws_bedrockagent_agent.a",
        "guardrail_configuration": [
            {
                "guardrail_identifier": ["aws_bedrock_guardrail.g.guardrail_id"],
                "guardrail_version": ["aws_bedrock_guardrail.g.version"],
            }
        ],
    }
    res, inv, _ = checkov_pack.tf_resources(conf, "aws_bedrockagent_agent", "a", "/tf/main.tf")
    status, msgs = checkov_pack.judge("AG202", ("agent",), res, inv, PACK, PARAMS)
    assert status == "FAIL" and "DRAFT" in msgs[0]  # the guardrail resource's version is always DRAFT
    conf["guardrail_configuration"][0]["guardrail_version"] = ["aws_bedrock_guardrail_version.g.version"]
    res, inv, _ = checkov_pack.tf_resources(conf, "aws_bedrockagent_agent", "a", "/tf/main.tf")
    assert checkov_pack.judge("AG202", ("agent",), res, inv, PACK, PARAMS)[0] == "PASS"


def test_cloudformation_conf_reads_the_template_parameters_and_conditions(tmp_path, monkeypatch):
    tpl = tmp_path / "t.yaml"
    tpl.write_text(
        "Parameters:\n  Use: {Type: String, Default: 'yes'}\n  Gr: {Type: String}\n"
        "Conditions:\n  WithGr: !Equals [!Ref Use, 'yes']\n"
        "Resources:\n  G: {Type: AWS::Bedrock::Guardrail, Properties: {Name: g}}\n"
        "  Agent: {Type: AWS::Bedrock::Agent, Properties: {AgentName: a}}\n"
    )
    monkeypatch.chdir(tmp_path)
    checkov_pack._TEMPLATES.clear()

    def conf(gc):
        return {
            "Type": "AWS::Bedrock::Agent",
            "Properties": {
                "AgentName": "a",
                "GuardrailConfiguration": gc,
                "__file__": "./t.yaml",
                "__startline__": 7,
                "__endline__": 7,
                "resource_type": "AWS::Bedrock::Agent",
            },
        }

    cases = [
        ({"Fn::If": ["WithGr", {"GuardrailIdentifier": "gr-1", "GuardrailVersion": "1"}, {"Ref": "AWS::NoValue"}]}, "PASS"),
        ({"GuardrailIdentifier": {"Ref": "Gr"}, "GuardrailVersion": "1"}, "UNKNOWN"),  # a parameter without default
        ({"GuardrailIdentifier": {"Fn::GetAtt": ["G", "GuardrailId"]}}, "FAIL"),
        (
            {"GuardrailIdentifier": {"Fn::GetAtt": ["G", "GuardrailId"]}, "GuardrailVersion": {"Fn::GetAtt": ["G", "Version"]}},
            "PASS",
        ),
    ]
    for gc, want in cases:
        res, inv, note = checkov_pack.cfn_resources(conf(gc), "Agent", "/t.yaml")
        assert note is None and [r.id for r in res] == ["Agent"]
        assert "resource_type" not in res[0].properties and "__file__" not in str(res[0].properties)
        assert checkov_pack.judge("AG201", ("agent",), res, inv, PACK, PARAMS)[0] == want, gc
    # AG202 knows a guardrail resource's Version is DRAFT from the referenced resource's Type alone
    res, inv, _ = checkov_pack.cfn_resources(conf(cases[3][0]), "Agent", "/t.yaml")
    assert checkov_pack.judge("AG202", ("agent",), res, inv, PACK, PARAMS)[0] == "FAIL"
    assert inv.resources["t.yaml#G"].properties == {}  # the other resource is a typed stub, never its properties


def test_cloudformation_metadata_suppression_is_kept():
    conf = {
        "Type": "AWS::Bedrock::Agent",
        "Properties": {"AgentName": "a"},
        "Metadata": {"agentgov": {"ignore": [{"id": "AG201", "reason": "enforced by an Organizations Bedrock policy"}]}},
    }
    res, inv, _ = checkov_pack.cfn_resources(conf, "Agent", "/missing.yaml")
    assert checkov_pack.judge("AG201", ("agent",), res, inv, PACK, PARAMS) == (
        "SUPPRESSED",
        ["enforced by an Organizations Bedrock policy"],
    )
    assert checkov_pack.judge("AG202", ("agent",), res, inv, PACK, PARAMS)[0] == "PASS"  # another policy is not suppressed


def test_cloudformation_inline_action_groups_are_judged_worst_first(tmp_path):
    conf = {
        "Type": "AWS::Bedrock::Agent",
        "Properties": {
            "AgentName": "a",
            "ActionGroups": [
                {"ActionGroupName": "ok"},
                {"ActionGroupName": "ci", "ParentActionGroupSignature": "AMAZON.CodeInterpreter"},
            ],
        },
    }
    res, inv, note = checkov_pack.cfn_resources(conf, "Agent", "/missing.yaml")
    assert note and "judged on the resource alone" in note
    status, msgs = checkov_pack.judge("AG502", ("action_group",), res, inv, PACK, PARAMS)
    assert status == "FAIL" and msgs[0].startswith("Agent/ActionGroups/1:")
    conf["Properties"]["ActionGroups"].pop()
    res, inv, _ = checkov_pack.cfn_resources(conf, "Agent", "/missing.yaml")
    assert checkov_pack.judge("AG502", ("action_group",), res, inv, PACK, PARAMS)[0] == "PASS"
    conf["Properties"].pop("ActionGroups")
    res, inv, _ = checkov_pack.cfn_resources(conf, "Agent", "/missing.yaml")
    assert checkov_pack.judge("AG502", ("action_group",), res, inv, PACK, PARAMS) == (None, [])  # nothing to judge


# ------------------------------------------------------------------ checkov itself


def test_the_docs_recipe_is_what_ci_installs_and_what_the_agreement_test_needs():
    """docs/checkov.md's install command is the one .ci/run builds checkov's environment with: an editable install of
    the clone (the agreement test below requires checkov's interpreter to import agentgov from this checkout); never
    an install by name from a package index, where agentgov is not published."""
    doc = (REPO / "docs" / "checkov.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    recipe = [line.split("#")[0].strip() for line in doc.splitlines() if "pip install" in line and line.lstrip().startswith('"$')]
    assert recipe == ["\"$CHECKOV_ENV/bin/python\" -m pip install -e '.[checkov]'"], recipe
    ci_install = [line.strip() for line in ci.splitlines() if "pip install" in line and "$CKV" in line]
    assert len(ci_install) == 1 and ci_install[0].endswith("-m pip install --quiet --disable-pip-version-check -e '.[checkov]'")
    assert "pip install 'agentgov" not in doc and "pip install agentgov" not in doc


def _checkov_python() -> str | None:
    env = os.environ.get("AGENTGOV_CHECKOV_PYTHON")
    if env:
        return env
    ci = REPO / ".ci" / ".venv-checkov" / "bin" / "python"
    return str(ci) if ci.exists() else None


#: where checkov's resource configuration lacks what agentgov reads, and why; the checkov verdict is the
#: conservative one in each case (never PASSED where agentgov does not pass)
KNOWN_DIFFERENCES = {
    ("AG201", "/AG201/tf/fail_dynamic_guardrail_off.tf", "aws_bedrockagent_agent.toggled"): (
        "FAILED",
        "SKIPPED",
        "checkov's configuration keeps a dynamic block's content but not its for_each (here empty)",
    ),
    ("AG801", "/AG801/tf/pass_default_tags.tf", "aws_bedrock_guardrail.tagged"): (
        "PASSED",
        "FAILED",
        "the provider's default_tags are not in checkov's resource configuration",
    ),
    ("AG903", "/AG903/tf/fail_no_key.tf", "aws_bedrockagentcore_memory.null_key_by_default"): (
        "FAILED",
        "SKIPPED",
        "checkov leaves a variable whose default is null as the text var.NAME",
    ),
    ("AG905", "/AG905/tf/pass_no_exception_level.tf", "aws_bedrockagentcore_gateway.null_by_default"): (
        "PASSED",
        "SKIPPED",
        "checkov leaves a variable whose default is null as the text var.NAME",
    ),
    ("AG906", "/AG906/tf/unknown_clients_variable.tf", "aws_bedrockagentcore_agent_runtime.clients_variable"): (
        "SKIPPED",
        "FAILED",
        "checkov leaves a variable without a default as the text var.NAME, which is not a list of allowed clients",
    ),
    ("AG201", "/AG201/cfn/fail_foreach_deploy_time_collection.yaml", "AWS::Bedrock::Agent.Bare&{Name}"): (
        "FAILED",
        None,
        "checkov does not expand an Fn::ForEach over a deploy-time collection: the resource it makes has no result",
    ),
    ("AG201", "/AG201/cfn/unknown_foreach_deploy_time_collection.yaml", "AWS::Bedrock::Agent.Agent${Team}"): (
        "SKIPPED",
        None,
        "checkov does not expand an Fn::ForEach over a deploy-time collection: the resource it makes has no result",
    ),
}

_WORST = ("FAIL", "ERROR", "UNKNOWN", "SUPPRESSED", "PASS")
_AS_CHECKOV = {"FAIL": "FAILED", "PASS": "PASSED", "UNKNOWN": "SKIPPED", "ERROR": "SKIPPED", "SUPPRESSED": "SKIPPED"}


def _agentgov_verdicts(plans) -> dict[tuple[str, str, str], str]:
    """agentgov scan's verdicts on each policy's fixtures, keyed as checkov reports them (worst per checkov resource)."""
    out: dict[tuple[str, str, str], str] = {}
    for p in plans:
        pid = p.policy.id
        old = os.getcwd()
        os.chdir(FIXTURES / pid)
        try:
            result = scan([Path(".")], PACK, PARAMS, only=[pid])
        finally:
            os.chdir(old)
        types = set(p.cfn_types) | set(p.tf_types)
        for f in result.findings:
            rid, rtype = f.resource_id, f.resource_type
            if rtype.endswith(".ActionGroup"):  # inline in a CloudFormation agent: checkov's resource is the agent
                rid, rtype = rid.split("/", 1)[0], rtype.rsplit(".", 1)[0]
            if f.resource_kind not in p.kinds or rtype not in types:
                continue  # a part of the policy checkov does not run (named in p.not_run)
            resource = f"{rtype}.{rid}" if rtype.startswith("AWS::") else rid.split("[", 1)[0]  # count: one block
            key = (pid, f"/{pid}/{f.location.file}", resource)
            cur = out.get(key)
            if cur is None or _WORST.index(f.status.value) < _WORST.index(cur):
                out[key] = f.status.value
    return {k: _AS_CHECKOV[v] for k, v in out.items()}


@pytest.fixture(scope="module")
def checkov_run(tmp_path_factory):
    py = _checkov_python()
    if py is None:
        pytest.skip("no checkov environment: set AGENTGOV_CHECKOV_PYTHON, or run .ci/run (creates .ci/.venv-checkov)")
    probe = subprocess.run(
        [
            py,
            "-c",
            "import checkov.version as v, agentgov.scanner as s, boto3; print(v.version); print(s.__file__); print(boto3.__version__)",
        ],
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 0, f"{py} cannot import checkov and agentgov: {probe.stderr.strip()[-500:]}"
    version, where, boto = probe.stdout.split()
    assert Path(where).resolve().parent == (REPO / "scanner").resolve(), (
        f"{py} imports agentgov from {where}, not from this checkout"
    )
    plans = [p for p in checkov_pack.plans(PACK) if p.expressible]
    work = tmp_path_factory.mktemp("checkov")
    for p in plans:
        shutil.copytree(FIXTURES / p.policy.id, work / p.policy.id, ignore=shutil.ignore_patterns("expected.yaml"))
    checks = work / "_agentgov_checks"
    out = subprocess.run(
        [sys.executable, "-m", "agentgov.cli", "checkov-dir", "--out", str(checks)], capture_output=True, text=True, cwd=work
    )
    assert out.returncode == 0 and out.stdout.strip() == str(checks), out.stderr
    r = subprocess.run(
        [
            py,
            "-m",
            "checkov.main",
            "-d",
            ".",
            "--external-checks-dir",
            str(checks),
            "--framework",
            "cloudformation",
            "terraform",
            "--check",
            ",".join(p.policy.id for p in plans),
            "-o",
            "json",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
    )
    assert r.returncode in (0, 1), r.stderr[-2000:]
    data = json.loads(r.stdout)
    return {
        "plans": plans,
        "reports": data if isinstance(data, list) else [data],
        "stderr": r.stderr,
        "version": version,
        "boto3": boto,
    }


def _records(run):
    for rep in run["reports"]:
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for c in rep["results"].get(kind, []):
                if c["file_path"].startswith(f"/{c['check_id']}/"):  # a policy's own fixtures
                    yield c


def test_checkov_reports_what_agentgov_scan_reports(checkov_run):
    ours = _agentgov_verdicts(checkov_run["plans"])
    theirs = {(c["check_id"], c["file_path"], c["resource"]): c["check_result"]["result"] for c in _records(checkov_run)}
    assert len(ours) > 150
    assert any(k[2].startswith("awscc_") for k in ours)  # the awscc provider's AgentCore types are judged too
    assert {k[0] for k in theirs} == {p.policy.id for p in checkov_run["plans"]}  # every generated check ran
    differ = {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)}
    known = {k: v[:2] for k, v in KNOWN_DIFFERENCES.items()}
    assert differ == known, "checkov and agentgov scan disagree beyond the known differences:\n" + "\n".join(
        f"{k}: agentgov {a}, checkov {b}" for k, (a, b) in sorted(differ.items()) if known.get(k) != (a, b)
    )
    agree = len(set(ours) | set(theirs)) - len(differ)
    assert (
        f"{agree} of {len(set(ours) | set(theirs))} agree" in (REPO / "docs" / "checkov.md").read_text()
    )  # the figure of docs/checkov.md
    for sign in ("Cannot load external check", "Failed to run check AG", "Custom policy"):
        assert sign not in checkov_run["stderr"], sign


def test_checkov_results_carry_the_policy_title_and_reasons(checkov_run):
    titles = {p.policy.id: p.policy.title for p in checkov_run["plans"]}
    records = list(_records(checkov_run))
    for c in records:
        assert c["check_name"] == titles[c["check_id"]]
        if c["check_result"]["result"] == "SKIPPED":
            assert c["check_result"]["suppress_comment"].startswith("agentgov UNKNOWN: "), c
    assert any(c["check_result"]["result"] == "SKIPPED" for c in records)
    # Terraform results carry agentgov's messages as checkov details
    assert any(c["check_result"]["result"] == "FAILED" and c.get("details") for c in records)


def test_agentgov_runs_in_checkovs_environment(checkov_run, tmp_path):
    """agentgov installed into checkov's environment: checkov keeps its boto3 and hcl2, and agentgov scan works there."""
    py = _checkov_python()
    probe = subprocess.run(
        [
            py,
            "-c",
            "import importlib.metadata as m\n"
            "for d in ('boto3', 'bc-python-hcl2', 'python-hcl2'):\n"
            "    try: print(d, m.version(d))\n"
            "    except m.PackageNotFoundError: print(d, '-')",
        ],
        capture_output=True,
        text=True,
    )
    versions = dict(line.split() for line in probe.stdout.splitlines())
    assert versions["bc-python-hcl2"] != "-" and versions["python-hcl2"] == "-", versions  # checkov's hcl2 module is its own
    r = subprocess.run(
        [py, "-m", "agentgov.cli", "scan", ".", "--policy", "AG201", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=FIXTURES / "AG201",
    )
    assert r.returncode == 1, r.stderr
    theirs = sorted((f["resource_id"], f["status"]) for f in json.loads(r.stdout)["findings"])
    old = os.getcwd()
    os.chdir(FIXTURES / "AG201")
    try:
        ours = sorted((f.resource_id, f.status.value) for f in scan([Path(".")], PACK, PARAMS, only=["AG201"]).findings)
    finally:
        os.chdir(old)
    assert theirs == ours
    major_minor = tuple(int(x) for x in versions["boto3"].split(".")[:2])
    if major_minor < (1, 42):  # checkov's pin: the audit refuses it with the reason instead of failing on AgentCore calls
        a = subprocess.run([py, "-m", "agentgov.cli", "audit", "--demo"], capture_output=True, text=True, cwd=tmp_path)
        assert a.returncode == 2 and "agentgov audit needs a newer boto3 (1.42 or later)" in a.stderr, a.stderr


def test_readme_lists_what_runs_in_checkov_and_what_does_not():
    section = (REPO / "docs" / "checkov.md").read_text()
    ran, not_run = section.split("Not run inside checkov", 1)
    import re

    listed_run = set(re.findall(r"^\| (AG\d{3}) \|", ran, re.M))
    listed_not = {pid for row in re.findall(r"^\| (AG\d{3}(?:, AG\d{3})*) \|", not_run, re.M) for pid in row.split(", ")}
    plans = checkov_pack.plans(PACK)
    assert listed_run == {p.policy.id for p in plans if p.expressible}
    assert listed_not == {p.policy.id for p in plans if not p.expressible}
    assert f"The {len(KNOWN_DIFFERENCES)} others" in section  # the README's figure is this test's
