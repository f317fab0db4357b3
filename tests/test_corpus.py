"""The public corpus (../shared/corpus): cfn-lint as the oracle of our loader, and a whole scan.

Skips cleanly when the corpus is absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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
    r"Fn::ForEach loop not expanded: its collection is known only at deploy time",  # a parameter without default
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
