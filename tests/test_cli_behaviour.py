"""The CLI around the scan: what a scan that finds nothing says, what --write-baseline returns, where docs go.

(A path that does not exist: tests/test_bad_input.py and tests/test_cli.py, exit 2 with one line naming it.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.scanner.suppress import load_baseline

REPO = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


@pytest.fixture
def no_iac(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "repo"
    d.mkdir()
    for i in range(7):
        (d / f"notes{i}.md").write_text("# notes\n")
    (d / "tool.py").write_text("print(1)\n")
    (d / "ci.yaml").write_text("jobs: {build: {runs-on: ubuntu-latest}}\n")
    (d / "package.json").write_text('{"name": "x"}\n')
    (d / ".hidden.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    (d / ".git").mkdir()
    (d / ".git" / "config.yaml").write_text("a: 1\n")  # a skipped directory: not walked, not counted
    monkeypatch.chdir(tmp_path)
    return d


def test_a_directory_without_iac_names_what_it_skipped_and_why(no_iac, capsys):
    assert main(["scan", "repo"]) == EXIT_USAGE
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("agentgov: no IaC files found in repo ") and "nothing was scanned" in line
    assert "skipped 11 file(s): " in line
    # counts per reason, the most frequent first, the first five names, "..." for the rest
    assert "8 not IaC by their extension" in line
    assert "(repo/notes0.md, repo/notes1.md, repo/notes2.md, repo/notes3.md, repo/notes4.md, ...)" in line
    assert "2 YAML/JSON that is not a CloudFormation template" in line and "(repo/ci.yaml, repo/package.json)" in line
    assert "1 hidden or backup .tf files, which Terraform ignores (repo/.hidden.tf)" in line
    assert line.index("8 not IaC") < line.index("2 YAML/JSON") < line.index("1 hidden or backup")
    assert ".git" not in line


def test_files_named_one_by_one_that_are_not_iac_are_a_note_not_an_error(no_iac, capsys):
    """A pre-commit hook passes every changed .yaml/.json: a workflow file is not IaC, which is no failure."""
    assert main(["scan", "repo/ci.yaml", "repo/package.json"]) == EXIT_OK
    err = capsys.readouterr().err
    assert err.startswith("agentgov: note: no IaC file among repo/ci.yaml, repo/package.json: nothing was scanned; ")
    assert "skipped 2 file(s): 2 YAML/JSON that is not a CloudFormation template (repo/ci.yaml, repo/package.json)" in err


def test_an_empty_directory_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "empty"]) == EXIT_USAGE
    assert capsys.readouterr().err.rstrip().endswith("nothing was scanned; no file at all")


def test_write_baseline_exits_0_once_written_and_2_when_it_cannot_be(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "examples" / "cloudformation", tmp_path / "cfn")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "cfn"]) == EXIT_FAIL  # the examples fail policies
    assert main(["scan", "cfn", "--write-baseline", "base.json"]) == EXIT_OK
    assert "finding(s) to baseline base.json" in capsys.readouterr().err
    assert load_baseline(tmp_path / "base.json")
    assert main(["scan", "cfn", "--baseline", "base.json"]) == EXIT_OK  # nothing new
    (tmp_path / "adir").mkdir()
    assert main(["scan", "cfn", "--write-baseline", "adir"]) == EXIT_USAGE
    # a path that does not exist still wins over the baseline written: the run was not what was asked
    assert main(["scan", "cfn", "nope", "--write-baseline", "b2.json"]) == EXIT_USAGE


def test_docs_is_a_maintainer_command_that_needs_out(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["docs"])
    assert exc.value.code == EXIT_USAGE
    assert "the following arguments are required: --out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [], "agentgov docs wrote into the working directory"
    assert main(["docs", "--out", "generated"]) == EXIT_OK
    assert (tmp_path / "generated" / "policies.md").is_file()
    assert main(["docs", "--out", "generated", "--check"]) == EXIT_OK
