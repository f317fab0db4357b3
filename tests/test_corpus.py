"""The public corpus (../shared/corpus): cfn-lint as the oracle of our loader, and a whole scan.

Skips cleanly when the corpus is absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import CORPUS

from agentgov.scanner.discover import collect, read_text
from agentgov.scanner.sources.cloudformation import NotATemplate, looks_like_template, parse_template
from agentgov.scanner.sources.yamlload import LoadError

# every reason an ERROR finding may give on the corpus: genuine problems of the files
GENUINE = [
    r"unsupported YAML tag '!Rain::",  # AWS Rain preprocessor templates, not CloudFormation until rain packages them
    r"^invalid YAML: ",
    r"^invalid JSON: ",
    r"^template has no Resources section$",  # a file with AWSTemplateFormatVersion but no resources
    r"has a Type that is not a string",  # Rain module references ({Type: {Rain::Module: ...}})
    r"syntax error",  # HCL
    r"not UTF-8",
    r"^duplicate .*\(first declared at ",  # Terraform: a block declared twice in one module (terraform rejects it too)
    r"^remote module .* is not downloaded \(run terraform init\)",  # the corpus holds no .terraform directories
    r"is outside the scanned directory; the resources it defines are not assessed$",  # a module of another checkout
]


def _cfn_files(corpus: Path):
    files = collect([corpus])
    for path, display in files.cfn:
        try:
            text = read_text(path, display)
        except LoadError:
            continue
        if looks_like_template(text):
            yield path, display, text


def test_cloudformation_loader_agrees_with_cfn_lint(corpus):
    """Same resources and the same line for each, on every template both can read."""
    from cfnlint.decode import decode_str

    compared = 0
    disagreements = []
    for path, display, text in _cfn_files(corpus):
        try:
            ours = parse_template(path, display, text)
        except (LoadError, NotATemplate):
            continue
        try:
            theirs, matches = decode_str(text)
        except Exception:  # cfn-lint's own crash on a hostile file: not an oracle there
            continue
        if matches or not isinstance(theirs, dict) or not isinstance(theirs.get("Resources"), dict):
            continue
        compared += 1
        our_lines = {lid: ours.marks.get(f"Resources.{lid}", (None,))[0] for lid in ours.body["Resources"]}
        their_lines = {str(k): k.start_mark.line + 1 for k in theirs["Resources"]}
        if our_lines != their_lines:
            disagreements.append((display, sorted(set(our_lines.items()) ^ set(their_lines.items()), key=str)[:4]))
    assert compared > 1000, f"only {compared} templates compared"
    assert not disagreements, f"{len(disagreements)} templates disagree with cfn-lint, e.g. {disagreements[:5]}"


def test_whole_corpus_scans_and_every_error_is_genuine(corpus, pack):
    from agentgov.scanner.config import Config, effective_parameters
    from agentgov.scanner.engine import scan

    old = os.getcwd()
    os.chdir(corpus)
    try:
        result = scan([Path(".")], pack, effective_parameters(Config(), pack.parameters))
    finally:
        os.chdir(old)
    errors = [f for f in result.findings if f.status.value == "ERROR"]
    unexplained = [(f.location.file, f.message) for f in errors if not any(re.search(g, f.message) for g in GENUINE)]
    assert not unexplained, f"errors that are not known-genuine parse problems: {unexplained[:10]}"
    kinds: dict[str, int] = {}
    for r in result.inventory:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    # the corpus is fixed; these floors catch a source that silently stops seeing resources
    assert kinds.get("agent", 0) >= 50, kinds
    assert kinds.get("role", 0) >= 2000, kinds
    assert kinds.get("function", 0) >= 1000, kinds
    assert result.inventory.files_scanned >= 3000


# ------------------------------------------------------------- no PASS on a part not assessed

#: the blast radius of an agent names the gaps of its other roles and tools apart: those do not decide
#: the policy of the role the finding is about
_OTHERS = "of the agent's other roles or tools not assessed"
_GAP_WORDS = re.compile(r"\bnot (?:be )?(?:assessed|analy[sz]ed)\b")


def silent_gaps(value, path: str = "") -> list[str]:
    """Where a finding's message or evidence says a part of what it judged was not assessed."""
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("not_assessed", "aws_managed_not_analyzed") and v:
                out.append(f"{path}{k}")
            out.extend(silent_gaps(v, f"{path}{k}."))
    elif isinstance(value, (list, tuple)):
        for v in value:
            out.extend(silent_gaps(v, path))
    elif isinstance(value, str) and _GAP_WORDS.search(value) and _OTHERS not in value:
        out.append(f"{path}: {value[:160]}")
    return out


def test_silent_gaps_finds_what_a_pass_must_not_carry():
    assert silent_gaps({"agents": [{"blast_radius": "1 service(s) on 1 resource(s); 2 part(s) not assessed"}]})
    assert silent_gaps({"not_assessed": ["policy p: Effect known only at deploy time"]}) == ["not_assessed"]
    assert silent_gaps("AWS managed policies are counted by name, their documents are not analyzed")
    assert not silent_gaps({"agents": [{"blast_radius": f"1 service(s); 1 part(s) {_OTHERS}"}], "not_assessed": []})


def test_no_pass_on_the_agentic_corpus_depends_on_a_part_not_assessed(pack):
    """A PASS whose own message or evidence says part of it was not assessed is a silent PASS: it must be UNKNOWN."""
    from agentgov.scanner.config import Config, effective_parameters
    from agentgov.scanner.engine import scan

    agentic = CORPUS / "agentic"
    if not agentic.is_dir():
        pytest.skip(f"agentic corpus not present at {agentic}")
    old = os.getcwd()
    os.chdir(agentic)
    try:
        result = scan([Path(".")], pack, effective_parameters(Config(), pack.parameters))
    finally:
        os.chdir(old)
    passes = [f for f in result.findings if f.status.value == "PASS"]
    assert len(passes) > 1000
    silent = [
        (f.policy_id, f"{f.location.file}:{f.location.line}", gaps[0])
        for f in passes
        for gaps in [silent_gaps(f.message) + silent_gaps(f.evidence)]
        if gaps
    ]
    assert not silent, f"{len(silent)} PASS findings depend on a part not assessed, e.g. {silent[:5]}"
