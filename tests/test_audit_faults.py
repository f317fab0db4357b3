"""The audit under faults and interruption (issue 15, high 3).

A loopback proxy (``tests/faultproxy.py``) in front of a moto server answers nothing (black hole),
dies after a few requests, answers slowly, or answers garbage. Each run must end within its
deadlines, name the accounts it could not finish as coverage gaps, exit 3, and leave no spool;
SIGINT, SIGTERM and SIGHUP stop it without waiting for the calls in flight.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from faultproxy import FaultProxy  # tests/faultproxy.py

from agentgov.cli.main import main

pytest.importorskip("moto", reason="moto is in the test extras")

FAKE = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def estate(tmp_path_factory) -> Any:
    """A moto server on loopback with an Organization of two members (an agent in the first)."""
    import agentgov.demo.awsmock as M
    from agentgov.demo.awsmock.server import serve

    saved = {k: os.environ.get(k) for k in [*FAKE, "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"]}
    os.environ.update(FAKE)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(k, None)
    try:
        with serve() as url:
            os.environ["AWS_ENDPOINT_URL"] = url
            members = M.organization(2)
            M.deploy_agent(M.session_in(members[0]), "us-east-1", "faulty", guardrail=False)
            accounts = tmp_path_factory.mktemp("faults") / "accounts.txt"
            accounts.write_text("\n".join(members) + "\n")
            yield {"url": url, "members": members, "accounts": accounts}
            urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).read()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def spool_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "tmp"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


def _audit(estate: Any, proxy: FaultProxy, out: Path, *extra: str) -> int:
    os.environ["AWS_ENDPOINT_URL"] = proxy.url
    try:
        return main(
            ["audit", "--accounts", str(estate["accounts"]), "--role-name", "AgentgovAudit", "--regions", "us-east-1"]
            + ["--format", "json", "--output", str(out), *extra]
        )
    finally:
        os.environ["AWS_ENDPOINT_URL"] = estate["url"]


def _gaps(out: Path) -> list[dict[str, Any]]:
    return json.loads(out.read_text())["audit"]["coverage_gaps"]


def test_through_the_proxy_without_faults_the_audit_completes(estate, tmp_path, spool_dir) -> None:
    with FaultProxy(estate["url"]) as proxy:
        rc = _audit(estate, proxy, tmp_path / "r.json")
    assert rc == 1  # the agent without a guardrail fails
    assert _gaps(tmp_path / "r.json") == []
    assert proxy.requests > 20
    assert list(spool_dir.iterdir()) == []


def test_an_endpoint_that_never_answers_makes_every_account_a_gap_without_waiting_for_its_calls(estate, spool_dir) -> None:
    from agentgov.audit.run import AuditOptions, run_audit
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.pack import load_pack

    pack = load_pack()
    params = effective_parameters(load_config(None, pack.parameters), pack.parameters)
    with FaultProxy(estate["url"], "blackhole") as proxy:
        os.environ["AWS_ENDPOINT_URL"] = proxy.url
        try:
            opts = AuditOptions(
                role_name="AgentgovAudit",
                accounts=estate["members"],
                regions=["us-east-1"],
                account_timeout=5.0,  # long enough for the first call to reach the proxy on a busy machine
                read_timeout=120.0,  # each hung call would hold the run for two minutes
                max_attempts=1,
            )
            result = run_audit(opts, pack, params)
        finally:
            os.environ["AWS_ENDPOINT_URL"] = estate["url"]
        hanging = proxy.hanging
    with result:
        gaps = result.audit["coverage_gaps"]
        assert sorted(g["account"] for g in gaps) == sorted(estate["members"])
        assert {g["code"] for g in gaps} == {"Timeout"}
        assert all("per-account deadline of 5 s" in g["message"] and "sts AssumeRole" in g["message"] for g in gaps)
        assert hanging >= 1  # the calls in flight were left behind, not waited for
        assert proxy.requests <= len(estate["members"])  # one unanswered AssumeRole each, no retry storm
    assert list(spool_dir.iterdir()) == []


def test_an_endpoint_that_dies_after_some_requests_is_gaps_and_exit_3(estate, tmp_path, spool_dir) -> None:
    out = tmp_path / "r.json"
    with FaultProxy(estate["url"], "die", after=12) as proxy:
        rc = _audit(estate, proxy, out, "--account-timeout", "4")
    assert rc == 3
    gaps = _gaps(out)
    assert {g["account"] for g in gaps} == set(estate["members"])
    assert list(spool_dir.iterdir()) == []
    assert proxy.requests < 400  # bounded retries, not a loop


def test_a_slow_endpoint_runs_into_the_deadline_and_names_what_was_unfinished(estate, tmp_path, spool_dir) -> None:
    out = tmp_path / "r.json"
    with FaultProxy(estate["url"], "slow", delay=0.3) as proxy:
        rc = _audit(estate, proxy, out, "--account-timeout", "2", "--workers", "2")
    assert rc == 3
    gaps = _gaps(out)
    assert {g["account"] for g in gaps} == set(estate["members"])
    timeouts = [g for g in gaps if g["code"] == "Timeout"]
    assert timeouts and all("unfinished:" in g["message"] for g in timeouts)
    assert list(spool_dir.iterdir()) == []
    assert proxy.requests < 200


def test_the_run_timeout_stops_the_whole_audit(estate, tmp_path, spool_dir) -> None:
    out = tmp_path / "r.json"
    with FaultProxy(estate["url"], "blackhole") as proxy:
        rc = _audit(estate, proxy, out, "--timeout", "5", "--account-timeout", "600")
        hanging = proxy.hanging
    assert rc == 3
    gaps = _gaps(out)
    assert sorted(g["account"] for g in gaps) == sorted(estate["members"])
    assert all(g["code"] == "Timeout" and "--timeout of 5 s ran out" in g["message"] for g in gaps)
    assert hanging >= 1  # the calls in flight were left behind
    assert list(spool_dir.iterdir()) == []


def test_garbage_answers_are_gaps_and_counted_as_failed_calls(estate, tmp_path, spool_dir) -> None:
    out = tmp_path / "r.json"
    with FaultProxy(estate["url"], "garbage") as proxy:
        rc = _audit(estate, proxy, out, "--account-timeout", "30")
    assert rc == 3
    doc = json.loads(out.read_text())
    gaps = doc["audit"]["coverage_gaps"]
    assert {g["account"] for g in gaps} == set(estate["members"])
    assert all(g["api"] == "sts AssumeRole" for g in gaps)
    assert doc["audit"]["failed_calls"] >= len(estate["members"])  # unparseable answers are failed calls
    assert any("ResponseParserError" in k for k in doc["audit"]["failed_calls_by_operation"])
    assert proxy.requests < 100
    assert list(spool_dir.iterdir()) == []


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_stops_the_audit_writes_what_it_has_and_removes_the_spool(estate, tmp_path, sig) -> None:
    out = tmp_path / "r.json"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with FaultProxy(estate["url"], "blackhole") as proxy:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(FAKE, AWS_ENDPOINT_URL=proxy.url, TMPDIR=str(tmp))
        cmd = [sys.executable, "-m", "agentgov.cli", "audit", "--accounts", str(estate["accounts"])]
        cmd += ["--role-name", "AgentgovAudit", "--regions", "us-east-1", "--format", "json", "--output", str(out)]
        proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
        try:
            assert proxy.seen.wait(60), "the audit never reached the endpoint"
            proc.send_signal(getattr(signal, sig))
            _, err = proc.communicate(timeout=60)  # the hung calls (30 s x 8 attempts each) are not waited for
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
    assert proc.returncode == 3, err
    assert "Traceback" not in err
    gaps = _gaps(out)
    assert sorted(g["account"] for g in gaps) == sorted(estate["members"])
    assert all(g["code"] == "Interrupted" and sig in g["message"] for g in gaps)
    assert f"stopped by {sig}" in err
    assert list(tmp.iterdir()) == []
