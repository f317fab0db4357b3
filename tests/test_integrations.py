"""pre-commit hook and GitHub action: well-formed, and what they run is an agentgov command that exists."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from agentgov.cli.main import _parser

REPO = Path(__file__).resolve().parents[1]


def _site_dirs() -> list[str]:
    """Every site-packages directory this interpreter imports from: a virtualenv's own, and with
    --system-site-packages the base interpreter's too (where setuptools may live)."""
    dirs = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages")) and os.path.isdir(p)]
    return list(dict.fromkeys([*site.getsitepackages(), *dirs]))


def test_pre_commit_hook_runs_agentgov_scan_on_iac_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "agentgov-scan" and hook["language"] == "python"
    args = _parser().parse_args(shlex.split(hook["entry"])[1:] + ["main.tf"])
    assert args.command == "scan"
    rx = re.compile(hook["files"])
    assert all(rx.search(f) for f in ("infra/main.tf", "stack.yaml", "cdk.out/App.template.json", "t.template"))
    assert not rx.search("README.md")


def test_github_action_installs_from_its_own_checkout_scans_uploads_sarif_and_keeps_the_exit_code():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))["run"]
    assert '"$GITHUB_ACTION_PATH"' in install and "pip install agentgov" not in install  # never from an index
    assert "version" not in action["inputs"]  # the ref in uses: is the version
    scan = next(s for s in steps if s.get("id") == "scan")
    cmd = scan["run"].split("agentgov scan", 1)[1].split("\n")[0:2]
    argv = ["scan", "infra/"] + shlex.split(
        " ".join(cmd).replace("\\", " ").replace('"$AGENTGOV_THRESHOLD"', "high").replace("$AGENTGOV_PATHS", "")
    )
    args = _parser().parse_args(argv)
    assert args.format == ["sarif", "text"] and [str(o) for o in args.output] == ["agentgov.sarif"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    for step in steps:  # inputs reach the shell through env only (no expression spliced into a script)
        assert "${{" not in step.get("run", ""), step.get("run")
    workflow = yaml.safe_load((REPO / "examples" / "github" / "agentgov.yml").read_text())
    assert workflow["permissions"]["security-events"] == "write"


def _offline_env(root: Path) -> dict[str, str]:
    """Installs from this checkout without a package index: a new environment sees this one's packages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PIP_"))}
    env.update(
        PYTHONPATH=os.pathsep.join(_site_dirs()),
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of --no-build-isolation
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


@pytest.fixture(scope="module")
def action_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh virtualenv standing in for the runner's setup-python, first on PATH."""
    root = tmp_path_factory.mktemp("action")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)  # pip from ensurepip, offline
    env = _offline_env(root)
    env.update(PATH=f"{root / 'venv' / 'bin'}{os.pathsep}{env['PATH']}", VIRTUAL_ENV=str(root / "venv"))
    return env


def _run_action(workspace: Path, env: dict[str, str], inputs: dict[str, str]) -> tuple[int, dict[str, str]]:
    """Run action.yml's shell steps in order as the runner does (bash -eo pipefail, env from inputs and step outputs)."""
    action = yaml.safe_load((REPO / "action.yml").read_text())
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
    outputs: dict[str, dict[str, str]] = {}
    github_output = workspace / "github_output"

    def expr(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            ref = m.group(1).strip()
            if ref.startswith("inputs."):
                return values[ref[len("inputs.") :]]
            step, _, key = ref[len("steps.") :].partition(".outputs.")
            return outputs.get(step, {}).get(key, "")

        return re.sub(r"\$\{\{(.*?)\}\}", one, text)

    rc = 0
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue  # uses: steps (setup-python, upload-sarif) are GitHub's
        github_output.write_text("")
        step_env = env | {k: expr(str(v)) for k, v in (step.get("env") or {}).items()}
        step_env.update(GITHUB_ACTION_PATH=str(REPO), GITHUB_OUTPUT=str(github_output))
        run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workspace, env=step_env,
                             capture_output=True, text=True, timeout=600)  # fmt: skip
        assert "Traceback" not in run.stderr, run.stderr
        outputs[step.get("id", "")] = dict(ln.split("=", 1) for ln in github_output.read_text().splitlines() if "=" in ln)
        rc = run.returncode
        if rc != 0:
            break
    return rc, outputs.get("scan", {})


def test_the_actions_steps_run_install_scan_and_keep_the_exit_code(tmp_path: Path, action_env: dict[str, str]) -> None:
    ws = tmp_path / "repo"
    (ws / "infra").mkdir(parents=True)
    (ws / "more").mkdir()
    shutil.copy(REPO / "tests/policies/AG301/cfn/fail_no_vpc.yaml", ws / "infra" / "agent.yaml")
    (ws / "more" / "README.md").write_text("# nothing to scan\n")
    rc, scan = _run_action(ws, action_env, {"paths": "infra/ more/", "severity-threshold": "low"})
    assert scan == {"exit": "1"} and rc == 1  # the findings fail the job after the SARIF is written
    assert "agentgov" in (ws / "agentgov.sarif").read_text()
    installed = subprocess.run(
        [str(Path(action_env["VIRTUAL_ENV"]) / "bin" / "agentgov"), "--version"], capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr  # installed into the runner's Python from the action's checkout
    rc, scan = _run_action(ws, action_env, {"paths": "infra/", "severity-threshold": "critical"})
    assert scan == {"exit": "0"} and rc == 0
    # an input is data, never shell: no command runs from it
    rc, scan = _run_action(ws, action_env, {"paths": "infra/; touch pwned $(touch pwned2)"})
    assert not (ws / "pwned").exists() and not (ws / "pwned2").exists()
    # paths that do not exist: a usage error, exit 2 (it was 3, a coverage gap, before a missing path became the
    # user's mistake named in one line; tests/test_bad_input.py)
    assert scan["exit"] == "2" and rc == 2


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
    # inside a virtualenv, "system site packages" are the base interpreter's, not this environment's:
    # the hook's environment sees this one's packages through PYTHONPATH (their .pth files are not run there)
    env["PYTHONPATH"] = os.pathsep.join([*_site_dirs(), *filter(None, [env.get("PYTHONPATH")])])
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


# ------------------------------------------------------------ editor support: the settings and examples of docs/configuration.md


def _readme_blocks(lang: str, after: str) -> list[str]:
    text = (REPO / "docs" / "configuration.md").read_text()
    start = text.index(after)
    nxt = text.find("\n# ", start + 1)
    section = text[start : nxt if nxt > 0 else len(text)]
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


def test_editor_settings_name_the_schemas_the_readme_writes() -> None:
    import json
    import tomllib

    (commands,) = _readme_blocks("sh", "## Editor support")
    written = dict(
        (m.group(2), m.group(1)) for m in re.finditer(r"agentgov schema (\S+)\s+> (\S+)", commands)
    )  # path -> schema name
    assert set(written.values()) == {"agentgov-toml", "waivers", "policy", "user-policy"}
    for name in written.values():
        _parser().parse_args(["schema", name])  # a name `agentgov schema` accepts
    (vscode,) = _readme_blocks("json", "## Editor support")
    yaml_schemas = json.loads(vscode)["yaml.schemas"]
    assert {written[p.removeprefix("./")] for p in yaml_schemas} == {"waivers", "policy", "user-policy"}
    taplo = tomllib.loads(_readme_blocks("toml", "## Editor support")[0])
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

    config_example = tomllib.loads(_readme_blocks("toml", "# Configuration")[0])
    jsonschema.validate(config_example, toml_schema)
    with pytest.raises(jsonschema.ValidationError):  # a misspelt setting is flagged in the editor
        jsonschema.validate({"agentgov": {"severity_treshold": "high"}}, toml_schema)
    with pytest.raises(jsonschema.ValidationError):  # so is a setting outside the [agentgov] table
        jsonschema.validate({"severity_threshold": "high"}, toml_schema)

    waivers = yaml.safe_load(_readme_blocks("yaml", "## Waivers")[0])
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
