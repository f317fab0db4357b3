"""pre-commit hook and GitHub action: well-formed, and what they run is an agentgov command that exists."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from agentgov.cli.main import _parser

REPO = Path(__file__).resolve().parents[1]


def test_pre_commit_hook_runs_agentgov_scan_on_iac_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "agentgov-scan" and hook["language"] == "python"
    args = _parser().parse_args(shlex.split(hook["entry"])[1:] + ["main.tf"])
    assert args.command == "scan"
    rx = re.compile(hook["files"])
    assert all(rx.search(f) for f in ("infra/main.tf", "stack.yaml", "cdk.out/App.template.json", "t.template"))
    assert not rx.search("README.md")


def test_github_action_scans_uploads_sarif_and_keeps_the_exit_code():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scan = next(s for s in steps if s.get("id") == "scan")["run"]
    cmd = scan.split("agentgov scan", 1)[1].split("\n")[0:2]
    argv = ["scan", "infra/"] + shlex.split(" ".join(cmd).replace("\\", " ").replace('"${{ inputs.severity-threshold }}"', "high")
                                             .replace("${{ inputs.paths }}", ""))  # fmt: skip
    args = _parser().parse_args(argv)
    assert args.format == ["sarif", "text"] and [str(o) for o in args.output] == ["agentgov.sarif"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert steps[-1]["run"].strip() == "exit ${{ steps.scan.outputs.exit }}"
    workflow = yaml.safe_load((REPO / "examples" / "github" / "agentgov.yml").read_text())
    assert workflow["permissions"]["security-events"] == "write"


# ------------------------------------------------------------ pre-commit try-repo, for real

PRE_COMMIT = shutil.which("pre-commit")


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """pre-commit installs the hook's environment as a user's machine would (a virtualenv with
    `pip install .` of this repository), offline: the virtualenv sees this environment's
    packages, so pip resolves agentgov's dependencies without an index."""
    if PRE_COMMIT is None:
        pytest.skip("pre-commit is not installed (it is in the test extras: pip install -e '.[test]')")
    if subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip(f"{REPO} is not a git clone: pre-commit try-repo needs one")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        VIRTUALENV_SYSTEM_SITE_PACKAGES="1",
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of --no-build-isolation
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
    )  # fmt: skip
    return env


def _fixture_repo(root: Path, env: dict[str, str]) -> Path:
    repo = root / "infra"
    (repo / "agents").mkdir(parents=True)
    (repo / "ci").mkdir()
    shutil.copy(REPO / "tests/policies/AG301/cfn/fail_no_vpc.yaml", repo / "agents/agent.yaml")
    (repo / "ci/workflow.yml").write_text("name: ci\non: push\njobs: {}\n")  # YAML, not IaC
    (repo / "README.md").write_text("# infra\n")  # not matched by the hook's `files`
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True, env=env)
    return repo


def _try_repo(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(REPO), "agentgov-scan", "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_pre_commit_try_repo_blocks_a_commit_with_a_failing_template(tmp_path: Path, pre_commit_env: dict[str, str]) -> None:
    repo = _fixture_repo(tmp_path, pre_commit_env)
    run = _try_repo(repo, pre_commit_env, "agents/agent.yaml")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert re.search(r"agentgov scan \(agent governance policies\)\.+Failed", out), out
    assert "AG301 Action-group Lambda functions run in a VPC" in out
    assert "at agents/agent.yaml:11" in out  # file:line of the function, relative to the user's repository


def test_pre_commit_try_repo_passes_files_that_are_not_iac(tmp_path: Path, pre_commit_env: dict[str, str]) -> None:
    repo = _fixture_repo(tmp_path, pre_commit_env)
    run = _try_repo(repo, pre_commit_env, "ci/workflow.yml", "README.md")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert re.search(r"agentgov scan \(agent governance policies\)\.+Passed", out), out


# ------------------------------------------------------------ editor support: the README's settings and examples


def _readme_blocks(lang: str, after: str) -> list[str]:
    text = (REPO / "README.md").read_text()
    start = text.index(after)
    nxt = text.find("\n## ", start + 1)
    section = text[start : nxt if nxt > 0 else len(text)]
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


def test_editor_settings_name_the_schemas_the_readme_writes() -> None:
    import json
    import tomllib

    (commands,) = _readme_blocks("sh", "### Editor support")
    written = dict(
        (m.group(2), m.group(1)) for m in re.finditer(r"agentgov schema (\S+)\s+> (\S+)", commands)
    )  # path -> schema name
    assert set(written.values()) == {"agentgov-toml", "waivers", "policy"}
    for name in written.values():
        _parser().parse_args(["schema", name])  # a name `agentgov schema` accepts
    (vscode,) = _readme_blocks("json", "### Editor support")
    yaml_schemas = json.loads(vscode)["yaml.schemas"]
    assert {written[p.removeprefix("./")] for p in yaml_schemas} == {"waivers", "policy"}
    taplo = tomllib.loads(_readme_blocks("toml", "### Editor support")[0])
    (rule,) = taplo["rule"]
    assert written[rule["schema"]["path"].removeprefix("./")] == "agentgov-toml"
    assert any(fnmatch_path("agentgov.toml", g) for g in rule["include"])


def fnmatch_path(name: str, glob: str) -> bool:
    import fnmatch

    return fnmatch.fnmatch(name, glob) or fnmatch.fnmatch("x/" + name, glob)


def test_readme_examples_are_valid_against_the_editor_schemas() -> None:
    import datetime as dt
    import json
    import tomllib

    import jsonschema

    from agentgov.cli.schema import schemas

    generated = schemas()
    for name, schema in generated.items():  # the copies editors read are the current ones
        assert json.loads((REPO / "docs/schemas" / f"{name}.schema.json").read_text()) == schema, name
    toml_schema, waiver_schema, policy_schema = generated["agentgov-toml"], generated["waivers"], generated["policy"]

    config_example = tomllib.loads(_readme_blocks("toml", "## Configuration")[0])
    jsonschema.validate(config_example, toml_schema)
    with pytest.raises(jsonschema.ValidationError):  # a misspelt setting is flagged in the editor
        jsonschema.validate({"agentgov": {"severity_treshold": "high"}}, toml_schema)
    with pytest.raises(jsonschema.ValidationError):  # so is a setting outside the [agentgov] table
        jsonschema.validate({"severity_threshold": "high"}, toml_schema)

    waivers = yaml.safe_load(_readme_blocks("yaml", "### Waivers")[0])
    as_json = json.loads(json.dumps(waivers, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))
    jsonschema.validate(as_json, waiver_schema)
    broken = {"waivers": [dict(as_json["waivers"][0], expires="someday", extra=1)]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, waiver_schema)

    for path in sorted((REPO / "policies").glob("AG*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), policy_schema)


def test_a_taplo_schema_directive_does_not_disturb_the_configuration(tmp_path: Path) -> None:
    from agentgov.scanner.config import load_config

    cfg = tmp_path / "agentgov.toml"
    cfg.write_text('#:schema ./.vscode/agentgov-toml.schema.json\n[agentgov]\nseverity_threshold = "high"\n')
    assert load_config(cfg, {}).severity_threshold == "high"
