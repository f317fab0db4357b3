"""The scan path stays light: no AWS SDK, no comparison tools, and no pydantic
for text output without a configuration file once the validated pack is cached.

Each check runs in a fresh interpreter (``sys.modules`` of the test process is
full of everything pytest and other tests imported).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: never on the scan path: the AWS SDK, moto, the comparison tools, the HTML templating (only --format html needs it:
#: ``jinja2`` is checked apart) and rich (the text report writes its own ANSI colours)
NEVER = ("boto3", "botocore", "moto", "cfn_lint", "checkov", "rich")
#: agentgov's own packages a scan has no use for
NOT_SCANNING = (
    "agentgov.audit",
    "agentgov.drift",
    "agentgov.integrations",
    "agentgov.demo",
    "agentgov.scps",
    "agentgov.config_rules",
)
#: the modules of the package ``agentgov.cli`` a scan loads: the command, its report rendering and what they share; the
#: module of every other sub-command stays unloaded (the parser lists them by name and help line only)
CLI_OF_SCAN = {"agentgov.cli", "agentgov.cli.main", "agentgov.cli.common", "agentgov.cli.options", "agentgov.cli.scan"}
CLI_OF_SCAN |= {"agentgov.cli.render"}

PROBE = """
import json, sys
from agentgov.cli.main import main
rc = main(sys.argv[1:])
watched = {watched!r}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in watched)
agentgov = sorted(m for m in sys.modules if m.startswith("agentgov."))
sys.stderr.write("\\nPROBE " + json.dumps({{"rc": rc, "loaded": loaded, "agentgov": agentgov}}) + "\\n")
"""


def probe(cwd: Path, cache: Path, *argv: str) -> tuple[int, set[str]]:
    """Run ``agentgov <argv>`` in a new interpreter; (exit code, top-level watched modules loaded)."""
    code = PROBE.format(watched=(*NEVER, "jinja2", "pydantic"))
    env = {**os.environ, "AGENTGOV_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in proc.stderr.splitlines() if line.startswith("PROBE ")]
    assert lines, proc.stderr
    result = json.loads(lines[-1][len("PROBE ") :])
    not_scanning = [m for m in result["agentgov"] if m.startswith(NOT_SCANNING)]
    if argv[0] == "scan":
        assert not not_scanning, f"agentgov scan imported {not_scanning}"
        other_commands = {m for m in result["agentgov"] if m.startswith("agentgov.cli.")} - CLI_OF_SCAN
        assert not other_commands, f"agentgov scan imported the modules of other commands: {sorted(other_commands)}"
        if "html" not in argv:
            assert "jinja2" not in {m.split(".")[0] for m in result["loaded"]}, "jinja2 on a scan path without HTML"
    return result["rc"], {m.split(".")[0] for m in result["loaded"]}


@pytest.fixture
def work(tmp_path) -> Path:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    (tmp_path / "main.tf").write_text(
        'resource "aws_bedrockagent_agent" "a" {\n  agent_name = "a"\n  foundation_model = "m"\n'
        '  agent_resource_role_arn = "arn:aws:iam::123456789012:role/a"\n}\n'
    )
    return tmp_path


def test_text_scan_imports_no_sdk_and_no_pydantic_once_the_pack_is_cached(work, tmp_path):
    cache = tmp_path / "cache"
    # first run: the pack is validated (pydantic allowed) and cached
    rc, loaded = probe(work, cache, "scan", "examples/", "--format", "text")
    assert rc == 1
    assert not loaded & set(NEVER), loaded
    assert "pydantic" in loaded, "the probe should see the validation's pydantic import (is the probe broken?)"
    assert list(cache.glob("pack-*.json")), "the validated pack was not cached"
    # second run: from the cache, nothing heavy
    rc, loaded = probe(work, cache, "scan", "examples/", "--format", "text")
    assert rc == 1
    assert loaded == set(), f"imported on the text scan path: {sorted(loaded)}"
    # Terraform too
    rc, loaded = probe(work, cache, "scan", "main.tf", "examples/", "--format", "text")
    assert rc == 1
    assert loaded == set(), f"imported on the text scan path: {sorted(loaded)}"


def test_the_probe_sees_agentgov_modules_a_command_imports(work, tmp_path):
    """The guard against audit/drift/checkov/demo modules on the scan path can fail: drift loads drift."""
    code = PROBE.format(watched=("pydantic",))
    env = {**os.environ, "AGENTGOV_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", code, "drift", "--iac", "main.tf", "--live", "missing.json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads([line for line in proc.stderr.splitlines() if line.startswith("PROBE ")][-1][len("PROBE ") :])
    assert "agentgov.drift.compare" in result["agentgov"]


def test_json_output_imports_no_pydantic_a_config_file_may_but_never_the_sdk(work, tmp_path):
    cache = tmp_path / "cache"
    probe(work, cache, "scan", "examples/")  # warm the cache
    rc, loaded = probe(work, cache, "scan", "examples/", "--format", "json", "--format", "sarif", "--output", "x.sarif")
    assert rc == 1
    assert loaded == set(), f"imported on the JSON/SARIF scan path: {sorted(loaded)}"
    (work / "agentgov.toml").write_text('[agentgov]\nseverity_threshold = "critical"\n')
    rc, loaded = probe(work, cache, "scan", "examples/", "--format", "sarif")
    assert rc == 1  # AG402 is critical
    assert loaded <= {"pydantic"}, loaded


def test_html_output_may_load_jinja2_and_still_no_other_command(work, tmp_path):
    """The report format that needs jinja2 may load it; the guard against it elsewhere is not blind to it."""
    cache = tmp_path / "cache"
    rc, loaded = probe(work, cache, "scan", "examples/", "--format", "html", "--output", "r.html")
    assert rc == 1 and (work / "r.html").is_file()
    assert not loaded & set(NEVER), loaded


def loaded_by(work: Path, tmp_path: Path, *argv: str) -> list[str]:
    """agentgov's modules loaded by ``agentgov <argv>`` (which may exit through SystemExit: --help)."""
    code = (
        "import sys\nfrom agentgov.cli.main import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(m for m in sys.modules if m.startswith('agentgov.'))))"
    )
    env = {**os.environ, "AGENTGOV_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-c", code, *argv], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    line = [x for x in proc.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return line.split()[1:]


def test_the_parser_loads_only_the_module_of_the_command_asked_for(work, tmp_path):
    """``agentgov --help`` lists every command without loading one; ``agentgov audit --help`` loads the audit's command
    module (its options), not the scan's nor the audit itself."""
    from agentgov.cli.main import COMMANDS

    top = loaded_by(work, tmp_path, "--help")
    assert not [m for m in top if m.startswith("agentgov.cli.") and m not in ("agentgov.cli.main", "agentgov.cli.common")]
    audit = loaded_by(work, tmp_path, "audit", "--help")
    assert "agentgov.cli.audit" in audit
    modules = {f"agentgov.cli.{module}" for _, module, _ in COMMANDS}
    assert [m for m in audit if m in modules] == ["agentgov.cli.audit"]
    assert not [m for m in audit if m.startswith("agentgov.audit")], audit
