"""``scan --jobs``: the same findings, byte for byte, whatever the number of processes (issue 16 step 4).

The pool only starts above ``parallel.FANOUT_BYTES`` of input; these tests lower
the threshold to 0 so that the small fixture directories are loaded by worker
processes too, and compare every rendering with a scan in one process.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
import time
from pathlib import Path

import pytest

from agentgov.scanner import engine, parallel
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.discover import build_inventory
from agentgov.scanner.engine import scan

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
POLICIES = REPO / "tests" / "policies"


def _rendered(paths: list[Path], pack, jobs: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from agentgov.cli.render import render

    result = scan(paths, pack, effective_parameters(Config(), pack.parameters), jobs=jobs)
    result.seconds = 0.0
    args = argparse.Namespace(show_pass=True, no_pass=False, severity_threshold="high")
    out = {}
    for fmt in ("json", "sarif", "text"):
        text = render(fmt, result, args, False)
        out[fmt] = text if isinstance(text, str) else "".join(text)
    return out


def _pools_started(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each Loader of the test started a pool."""
    started: list[bool] = []
    init = parallel.Loader.__init__

    def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        init(self, *args, **kwargs)
        started.append(self.parallel)

    monkeypatch.setattr(parallel.Loader, "__init__", recording)
    return started


def _forks_recorded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process ids of the forked policy evaluations of the test."""
    pids: list[int] = []
    forked = parallel._forked

    def recording(send, fn):  # type: ignore[no-untyped-def]
        pids.append(os.getpid())  # in the child: lost with it, unless it is the parent that runs this
        forked(send, fn)

    monkeypatch.setattr(parallel, "_forked", recording)
    in_fork = parallel.in_fork

    def counting(mine, theirs):  # type: ignore[no-untyped-def]
        pids.append(-1)
        return in_fork(mine, theirs)

    monkeypatch.setattr(parallel, "in_fork", counting)
    return pids


def assert_same_in_one_and_two_processes(paths: list[Path], pack, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parallel, "FANOUT_BYTES", 0)
    monkeypatch.setattr(engine, "FORK_RESOURCES", 0)
    started = _pools_started(monkeypatch)
    forks = _forks_recorded(monkeypatch)
    one = _rendered(paths, pack, 1)
    assert forks == []
    two = _rendered(paths, pack, 2)
    assert started == [False, True]  # the second scan did load in worker processes
    assert forks == [-1]  # and shared the policies with a forked one (its own record stays in the child)
    for fmt in one:
        assert one[fmt] == two[fmt], fmt


@pytest.mark.parametrize(
    "paths",
    [
        [FIXTURES / "terraform"],  # a root with local modules and a plan
        [FIXTURES / "cdk", POLICIES / "AG102"],  # nested stacks (the parent passes parameters to the child) in a worker
        [POLICIES / "AG101", POLICIES / "AG201", POLICIES / "AG303", POLICIES / "AG901"],  # both sources, errors
    ],
    ids=["terraform", "cdk-nested", "policy-fixtures"],
)
def test_findings_are_the_same_in_one_and_two_processes(paths, pack, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    assert_same_in_one_and_two_processes([p.relative_to(REPO) for p in paths], pack, monkeypatch)


@pytest.mark.slow
def test_a_corpus_part_is_the_same_in_one_and_two_processes(corpus, pack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parts = [
        corpus / "agentic" / "aws-ia__terraform-aws-bedrock",
        corpus / "agentic" / "aws-ia__terraform-aws-agentcore",
        corpus / "general" / "aws-samples__bedrock-serverless-workshop",
    ]
    parts = [p for p in parts if p.is_dir()]
    if not parts:
        pytest.skip("the corpus folders of this test are not present")
    monkeypatch.chdir(corpus)
    assert_same_in_one_and_two_processes([p.relative_to(corpus) for p in parts], pack, monkeypatch)


def test_a_small_scan_starts_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started for a small scan")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    inv = build_inventory([FIXTURES / "terraform"], jobs=8)
    assert len(inv) > 0


@pytest.mark.skipif(os.name != "posix", reason="the failing worker is inherited through fork")
def test_a_unit_a_worker_fails_on_is_loaded_by_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "FANOUT_BYTES", 0)
    expected = build_inventory([FIXTURES / "terraform", FIXTURES / "cdk"], jobs=1)

    def broken(fn, args):  # type: ignore[no-untyped-def]
        raise RuntimeError("the worker fails")

    monkeypatch.setattr(parallel, "_in_worker", broken)
    started = _pools_started(monkeypatch)
    got = build_inventory([FIXTURES / "terraform", FIXTURES / "cdk"], jobs=2)
    assert started == [True]
    assert list(got.resources) == list(expected.resources)
    assert got.errors == expected.errors


@pytest.mark.skipif(os.name != "posix", reason="the failing child is inherited through fork")
def test_policies_a_forked_evaluation_fails_on_are_judged_by_the_parent(pack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    paths = [Path("tests/fixtures/terraform"), Path("tests/policies/AG101")]
    monkeypatch.setattr(engine, "FORK_RESOURCES", 0)
    one = _rendered(paths, pack, 1)

    def dies(send, fn):  # type: ignore[no-untyped-def]
        os._exit(3)  # the child dies before it sends anything

    monkeypatch.setattr(parallel, "_forked", dies)
    assert _rendered(paths, pack, 2) == one


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    from agentgov.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["scan", str(FIXTURES / "terraform"), "--jobs", "0"])
    assert exc.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="shared() forks on Linux only")
def test_shared_work_is_whole_and_in_order_when_the_child_dies_after_taking_items() -> None:
    parent = os.getpid()
    taken: list[int] = []

    def work(i: int) -> list[int]:
        if os.getpid() != parent:
            taken.append(i)
            if len(taken) == 3:
                os._exit(5)  # the child dies holding the third item it took, and never sends the first two
            time.sleep(0.01)
        return [i, i * i]

    assert parallel.shared(12, work) == [[i, i * i] for i in range(12)]


@pytest.mark.skipif(sys.platform != "linux", reason="shared() forks on Linux only")
def test_both_processes_take_items() -> None:
    parent = os.getpid()

    def work(i: int) -> tuple[int, bool]:
        time.sleep(0.02)  # long enough that neither process drains the counter alone
        return i, os.getpid() == parent

    got = parallel.shared(20, work)
    assert [i for i, _ in got] == list(range(20))
    assert {here for _, here in got} == {True, False}
