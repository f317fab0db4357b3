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
NEVER = ("boto3", "botocore", "moto", "cfn_lint", "checkov")
#: agentgov's own packages a scan has no use for (the parser of their commands is built, their code is not loaded)
NOT_SCANNING = ("agentgov.audit", "agentgov.drift", "agentgov.integrations", "agentgov.demo")

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
    code = PROBE.format(watched=(*NEVER, "pydantic"))
    env = {**os.environ, "AGENTGOV_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in proc.stderr.splitlines() if line.startswith("PROBE ")]
    assert lines, proc.stderr
    result = json.loads(lines[-1][len("PROBE ") :])
    not_scanning = [m for m in result["agentgov"] if m.startswith(NOT_SCANNING)]
    if argv[0] == "scan":
        assert not not_scanning, f"agentgov scan imported {not_scanning}"
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
