"""The README is the front door: its two commands, its tour and its layout tree say what the code does."""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def _blocks(text: str, lang: str = "sh") -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def test_the_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    first, second = _blocks(README)[:2]
    assert first.strip() == "pip install . && agentgov scan examples/"
    install, _, test_command = second.strip().partition(" && ")
    assert install == "pip install -e '.[test]'"
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.M), f".ci/run does not run {test_command!r}"
    assert len(README.splitlines()) <= 250


def test_the_layout_tree_matches_the_packages_and_folders() -> None:
    tree = README.split("## Layout", 1)[1].split("```", 2)[1]
    listed = set(re.findall(r"^([a-z_]+)/ ", tree, re.M))
    package_dirs = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"].values())
    assert package_dirs <= listed, f"packages missing from the README's tree: {package_dirs - listed}"
    assert listed - package_dirs == {"tests", "bench", "docs", "examples"}
    for folder in listed:
        assert (REPO / folder).is_dir(), folder
    top = {p.name for p in REPO.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in {"build", "dist"}}
    top = {t for t in top if not t.endswith(".egg-info") and t != "__pycache__"}
    assert top == listed, f"top-level folders not in the README's tree: {top - listed}; listed but absent: {listed - top}"


def test_every_docs_link_of_the_readme_exists() -> None:
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if "://" not in target:
            assert (REPO / target).exists(), target


@pytest.mark.slow
def test_the_tour_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Each `agentgov` line of the 60-second tour, in order, in a fresh directory holding examples/."""
    pytest.importorskip("moto", reason="the tour's audit --demo needs the demo extra (in the test extras)")
    from agentgov.cli.main import main

    tour = _blocks(README.split("## A 60-second tour", 1)[1])[0]
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    expected = {"scan": 1, "audit": 1, "evidence": 0}  # findings fail in the examples and the demo; evidence commands succeed
    ran = 0
    for line in tour.splitlines():
        command = line.split("  #", 1)[0].strip()
        command = command.split(" && ")[-1]
        if not command.startswith("agentgov "):
            continue
        argv = shlex.split(command)[1:]
        rc = main(argv)
        out = capsys.readouterr()
        assert rc == expected[argv[0]], f"{command}: exit {rc}\n{out.err[-2000:]}"
        ran += 1
    assert ran >= 5
    assert (tmp_path / "agentgov.sarif").stat().st_size > 0
    assert (tmp_path / "evidence" / "demo" / "manifest.json").exists()


def test_the_version_is_declared_once_in_each_place_a_release_sets_it() -> None:
    from agentgov.scanner import __version__

    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"] == __version__


def test_every_package_folder_is_in_the_wheel() -> None:
    """A sub-package missing from [tool.setuptools] packages is absent from `pip install .` (editable installs hide it)."""
    setuptools_cfg = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = set(setuptools_cfg["packages"])
    for name, folder in setuptools_cfg["package-dir"].items():
        for init in (REPO / folder).rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            rel = init.parent.relative_to(REPO / folder)
            package = ".".join([name, *rel.parts])
            assert package in declared, f"{package} ({init.parent.relative_to(REPO)}) is not in pyproject's packages"
