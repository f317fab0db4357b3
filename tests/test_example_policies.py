"""The example user pack (issue 18, item 9): four realistic policies with fixtures that pass their own test run."""

from __future__ import annotations

import json
from pathlib import Path

from agentgov.cli.main import main
from agentgov.scanner.pack import load_effective

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "policies"


def test_the_example_pack_loads_whole():
    pack = load_effective(None, [EXAMPLE], read_config=False)
    assert not pack.not_loaded
    mine = sorted(pid for pid, src in pack.sources.items() if src == str(EXAMPLE))
    assert mine == ["ORG001", "ORG002", "ORG003", "ORG004"]
    assert pack.get("ORG004").scp_statements and all(pack.get(p).detective for p in mine)
    assert [m.control for m in pack.mappings("ORG003")] == ["AIP-3"]


def test_the_example_pack_passes_policies_test(capsys):
    capsys.readouterr()
    assert main(["policies", "test", str(EXAMPLE)]) == 0
    out = capsys.readouterr()[0]
    assert "4 policies tested: 4 ok" in out
    for pid in ("ORG001", "ORG002", "ORG003", "ORG004"):
        assert f"\n{pid:10} inline             2 " in out  # a CloudFormation and a Terraform fixture each


def test_scanning_the_examples_skips_the_packs_fixtures(capsys):
    capsys.readouterr()
    main(["scan", str(REPO / "examples"), "--format", "json", "--policies", str(EXAMPLE)])
    report = json.loads(capsys.readouterr()[0])
    assert not [f for f in report["findings"] if "fixtures" in f["location"]["file"]]
    assert {f["policy_id"] for f in report["findings"]} & {"ORG001", "ORG004"}  # the examples' agents are judged
