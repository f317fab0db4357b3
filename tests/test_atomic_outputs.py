"""Outputs are whole or absent, and never an input of the same run (issue 15, medium 4).

Every report, baseline and evidence file is written to a temporary file beside its target and
renamed when complete; an output path that is also an input, or two formats to one path, is
refused before anything runs (exit 2, one line).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.scanner import safe_write

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples/cloudformation/orders-agent.yaml"
EXIT_USAGE = 2


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith("."))


def test_merge_refuses_to_write_over_its_input(tmp_path: Path, capsys) -> None:
    shard = tmp_path / "X.json"
    shard.write_text('{"shard": "kept"}')
    assert main(["merge", str(shard), "-o", str(shard)]) == EXIT_USAGE
    line = _one_line(capsys)
    assert "X.json is also an input" in line
    assert shard.read_text() == '{"shard": "kept"}'


def test_merge_refuses_an_input_named_another_way(tmp_path: Path, capsys, monkeypatch) -> None:
    shard = tmp_path / "X.json"
    shard.write_text("{}")
    (tmp_path / "link.json").symlink_to(shard)
    monkeypatch.chdir(tmp_path)
    assert main(["merge", "X.json", "-o", "./link.json"]) == EXIT_USAGE
    assert "is also an input" in _one_line(capsys)
    assert shard.read_text() == "{}"


def test_scan_refuses_two_formats_to_one_path(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.out"
    assert main(["scan", str(EXAMPLE), "-f", "json", "-o", str(out), "-f", "sarif", "-o", str(out)]) == EXIT_USAGE
    assert "given for two formats" in _one_line(capsys)
    assert not out.exists()


def test_scan_refuses_to_write_its_report_over_a_scanned_file(tmp_path: Path, capsys) -> None:
    tpl = tmp_path / "t.yaml"
    tpl.write_text(EXAMPLE.read_text())
    assert main(["scan", str(tpl), "-f", "json", "-o", str(tpl)]) == EXIT_USAGE
    assert "is also an input" in _one_line(capsys)
    assert tpl.read_text() == EXAMPLE.read_text()


def test_drift_refuses_to_write_over_its_live_result(tmp_path: Path, capsys) -> None:
    live = tmp_path / "live.json"
    live.write_text("{}")
    assert main(["drift", "--iac", str(EXAMPLE), "--live", str(live), "-f", "json", "-o", str(live)]) == EXIT_USAGE
    assert "is also an input" in _one_line(capsys)
    assert live.read_text() == "{}"


def test_a_report_that_fails_half_way_leaves_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    from agentgov.reports import json_report

    out = tmp_path / "report.json"
    out.write_text("previous report\n")

    def crash(result, include_pass=True):
        yield '{"half": '
        raise KeyboardInterrupt  # the user's Ctrl-C in the middle of writing

    monkeypatch.setattr(json_report, "chunks", crash)
    assert main(["scan", str(EXAMPLE), "-f", "json", "-o", str(out)]) == 130
    assert out.read_text() == "previous report\n"
    assert _leftovers(tmp_path) == []


def test_a_complete_report_replaces_the_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous report\n")
    main(["scan", str(EXAMPLE), "-f", "json", "-o", str(out)])
    assert json.loads(out.read_text())["summary"]
    assert _leftovers(tmp_path) == []


def test_atomic_writer_keeps_the_target_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), safe_write.atomic_writer(target) as fh:
        fh.write("new, half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []
    safe_write.write_text(target, ["n", "ew"])
    assert target.read_text() == "new"


def test_a_baseline_written_half_way_leaves_the_previous_one(tmp_path: Path, monkeypatch) -> None:
    from agentgov.scanner import suppress

    target = tmp_path / "baseline.json"
    target.write_text("previous baseline")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", boom)
    with pytest.raises(suppress.SuppressionError, match="cannot write baseline"):
        suppress.write_baseline(target, [])
    assert target.read_text() == "previous baseline"
    assert _leftovers(tmp_path) == []


def test_an_evidence_bundle_that_fails_half_way_leaves_no_directory(tmp_path: Path, monkeypatch) -> None:
    from agentgov.reports import html_report
    from agentgov.reports.evidence import bundle

    report = json.loads(_scan_json(tmp_path))

    def crash(context):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(html_report, "render", crash)
    out = tmp_path / "bundle"
    with pytest.raises(RuntimeError):
        bundle.build(report, out, signer=None, scope="repo:x")
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def _scan_json(tmp_path: Path) -> str:
    out = tmp_path / "scan.json"
    main(["scan", str(EXAMPLE), "-f", "json", "-o", str(out)])
    text = out.read_text()
    out.unlink()
    return text


def test_keygen_never_replaces_a_public_key(tmp_path: Path) -> None:
    from agentgov.reports.evidence.sign import SigningError, keygen

    pub = tmp_path / "agentgov-evidence.pub.pem"
    pub.write_text("the key the auditors hold\n")
    with pytest.raises(SigningError, match="already exists"):
        keygen(tmp_path)
    assert pub.read_text() == "the key the auditors hold\n"
    assert not (tmp_path / "agentgov-evidence.key.pem").exists()
