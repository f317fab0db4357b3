"""Meta-tests over the whole pack, and the registry's fail-fast loading."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from agentgov.policies.registry import PACK, PACK_DIR, PackError
from agentgov.scanner.pack import load_pack

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO.parent / "shared" / "spec" / "POLICIES.md"


def test_pack_list_matches_files():
    files = sorted(p.stem for p in PACK_DIR.glob("AG*.yaml"))
    assert files == sorted(PACK), "policies/AG*.yaml and registry.PACK disagree"
    assert len(set(PACK)) == len(PACK)


def test_ids_are_in_the_catalog():
    if not CATALOG.exists():
        pytest.skip(f"the catalog is not present at {CATALOG} (shared/ beside the clone)")
    catalog = set(re.findall(r"^\| (AG\d{3}) \|", CATALOG.read_text(), re.M))
    assert set(PACK) <= catalog


def test_every_policy_is_documented(pack):
    for p in pack:
        assert len(p.rationale) > 80, p.id
        assert p.remediation.summary and p.remediation.cloudformation.strip() and p.remediation.terraform.strip(), p.id
        assert p.references, p.id
        assert all(r.startswith("https://") for r in p.references), p.id


#: policies CloudFormation cannot settle at all (no resource type exists): their
#: CloudFormation fixtures show the UNKNOWN instead
CFN_CANNOT_DECLARE = {
    "AG601": "CloudFormation has no resource type for Bedrock model invocation logging",
    "AG109": "CloudFormation has no resource type for IAM service-specific credentials (Bedrock API keys)",
}
#: policies whose resource kinds CloudFormation has no type for at all: nothing in a template is judged, so their
#: CloudFormation fixtures (none_*) show that no finding comes from a template (golden: none is expected)
CFN_HAS_NO_KIND = {
    "AG807": "CloudFormation has no resource type for custom or imported models, customization or batch-inference jobs",
}
#: policies whose IaC verdict is never PASS (the catalog row says so): their fixtures show the UNKNOWN instead
IAC_CANNOT_PASS = {"AG809": "a model id in IaC is judged by a copy of the LEGACY list, which cannot show a model is ACTIVE"}
#: policies whose IaC verdict is never FAIL: an account-level control the files can show present, never absent
IAC_CANNOT_FAIL = {
    "AG651": "an alarm, budget or anomaly monitor of the account outside the files satisfies it (POLICIES.md, issue 19)"
}
#: policies whose IaC verdict is always UNKNOWN (the catalog row says "IaC: UNKNOWN"): their fixtures in both families
#: show the UNKNOWN only; the live test on the moto completion shows FAIL and PASS
IAC_ALWAYS_UNKNOWN = {"AG111": "IAM service last accessed is recorded by AWS, not written in templates"}


@pytest.mark.parametrize("pid", PACK)
def test_fixtures_exist_both_ways_in_cloudformation(pid):
    d = REPO / "tests" / "policies" / pid / "cfn"
    names = [p.name for p in d.iterdir()]
    if pid in CFN_CANNOT_DECLARE or pid in IAC_ALWAYS_UNKNOWN:
        assert any(n.startswith("unknown_") for n in names), f"{pid}: no unknown CloudFormation fixture"
        return
    if pid in IAC_CANNOT_FAIL:
        assert not any(n.startswith("fail_") for n in names), f"{pid}: a failing CloudFormation fixture ({IAC_CANNOT_FAIL[pid]})"
        assert {n.split("_", 1)[0] for n in names} >= {"pass", "unknown"}, f"{pid}: no passing and unknown fixtures"
        return
    if pid in CFN_HAS_NO_KIND:
        assert any(n.startswith("none_") for n in names), f"{pid}: no CloudFormation fixture showing it judges nothing"
        return
    assert any(n.startswith("fail_") for n in names), f"{pid}: no failing CloudFormation fixture"
    if pid in IAC_CANNOT_PASS:
        assert any(n.startswith("unknown_") for n in names), f"{pid}: no unknown CloudFormation fixture"
        return
    assert any(n.startswith("pass_") for n in names), f"{pid}: no passing CloudFormation fixture"


@pytest.mark.parametrize("pid", PACK)
def test_fixtures_exist_both_ways_in_terraform(pid):
    d = REPO / "tests" / "policies" / pid / "tf"
    names = [p.name for p in d.rglob("*.tf")]  # tf/ and each sub-folder of it is a root module
    if pid in IAC_CANNOT_FAIL:
        assert not any(n.startswith("fail_") for n in names), f"{pid}: a failing Terraform fixture ({IAC_CANNOT_FAIL[pid]})"
        assert {n.split("_", 1)[0] for n in names} >= {"pass", "unknown"}, f"{pid}: no passing and unknown fixtures"
        return
    if pid in IAC_ALWAYS_UNKNOWN:
        assert names and all(n.startswith("unknown_") for n in names), f"{pid}: IaC fixtures other than unknown ones"
        return
    assert any(n.startswith("fail_") for n in names), f"{pid}: no failing Terraform fixture"
    if pid in IAC_CANNOT_PASS:
        assert any(n.startswith("unknown_") for n in names), f"{pid}: no unknown Terraform fixture"
        return
    assert any(n.startswith("pass_") for n in names), f"{pid}: no passing Terraform fixture"


def _copy_pack(tmp_path: Path) -> Path:
    d = tmp_path / "pack"
    shutil.copytree(PACK_DIR, d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return d


def _load(d: Path, ids=None):
    return load_pack(d, ids=ids or PACK, use_cache=False)


def test_builtin_pack_loads_without_cache():
    assert set(_load(PACK_DIR).policies) == set(PACK)


@pytest.mark.parametrize(
    "edit, needle",
    [
        (lambda t: t.replace("severity: high", "severity: severe"), "severity"),
        (lambda t: t.replace("analyzer: least_privilege", "analyzer: least_priviledge"), "unknown analyzer 'least_priviledge'"),
        (lambda t: t.replace("resource: [agent_role]", "resource: [agent_rol]"), "unknown resource kind 'agent_rol'"),
        (lambda t: t.replace("id: AG101", "id: AG102"), "named AG101 but declares id AG102"),
        (lambda t: t + "\nunexpected_key: 1\n", "unexpected_key"),
        (lambda t: t + "\nparameters: [no_such_parameter]\n", "unknown parameter 'no_such_parameter'"),
        (lambda t: t[: t.index("check:")] + "check:\n  attr: x\n  op: equals\n", "needs a 'value' or a 'param'"),
        (lambda t: "id: [", "cannot read policy file"),
    ],
)
def test_bad_policy_file_fails_at_load_naming_file_and_reason(tmp_path, edit, needle):
    d = _copy_pack(tmp_path)
    f = d / "AG101.yaml"
    f.write_text(edit(f.read_text()))
    with pytest.raises(PackError) as exc:
        _load(d)
    assert "AG101.yaml" in str(exc.value)
    assert needle in str(exc.value)


def test_duplicate_id_in_pack_list_fails(tmp_path):
    with pytest.raises(PackError, match="duplicate policy id AG101"):
        _load(_copy_pack(tmp_path), ids=("AG101", "AG101"))


def test_missing_file_fails(tmp_path):
    d = _copy_pack(tmp_path)
    (d / "AG201.yaml").unlink()
    with pytest.raises(PackError, match="AG201.yaml: policy AG201 is listed in the pack but its file cannot be read"):
        _load(d)


def test_bad_regex_fails_at_load(tmp_path):
    d = _copy_pack(tmp_path)
    f = d / "AG701.yaml"
    f.write_text(f.read_text().replace("value: DRAFT", "value: DRAFT\n      op2: x"))
    with pytest.raises(PackError, match="AG701.yaml"):
        _load(d)


def test_cache_is_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTGOV_CACHE_DIR", str(tmp_path / "cache"))
    d = _copy_pack(tmp_path)
    first = load_pack(d)
    assert list((tmp_path / "cache").glob("pack-*.json"))
    f = d / "AG201.yaml"
    f.write_text(f.read_text().replace("severity: high", "severity: severe"))
    with pytest.raises(PackError, match="severity"):
        load_pack(d)  # an edited file misses the cache and is validated again
    f.write_text(f.read_text().replace("severity: severe", "severity: low"))
    assert load_pack(d).policies["AG201"].severity == "low"
    assert first.policies["AG201"].severity == "high"


def _catalog_rows():
    if not CATALOG.exists():
        pytest.skip(f"the catalog is not present at {CATALOG} (shared/ beside the clone)")
    rows = {}
    for line in CATALOG.read_text().splitlines():
        m = re.match(r"^\| (AG\d{3}) \| (.*) \| (info|low|medium|high|critical) \| (.*?) \| (.*?) \|$", line)
        if m:
            rows[m.group(1)] = {"severity": m.group(3), "scp": m.group(4), "config": m.group(5)}
    return rows


def test_severity_and_forms_agree_with_the_catalog(pack):
    rows = _catalog_rows()
    for p in pack:
        row = rows[p.id]
        assert p.severity == row["severity"], f"{p.id}: severity {p.severity}, catalog says {row['severity']}"
        has_scp = row["scp"].startswith(("yes", "partial"))  # "partial (...)": a preventive form that covers part of it
        assert bool(p.preventive) == has_scp, f"{p.id}: preventive form {p.preventive!r}, catalog SCP column {row['scp']!r}"
        has_config = row["config"].startswith("yes")
        assert bool(p.detective) == has_config, f"{p.id}: detective form {p.detective!r}, catalog Config column {row['config']!r}"


def test_every_policy_maps_to_a_framework_and_every_mapping_names_a_policy(pack):
    assert pack.frameworks, "policies/frameworks.yaml is missing or empty"
    for p in pack:
        assert pack.mappings(p.id), f"{p.id} maps to no framework control"
    for fid, fw in pack.frameworks.items():
        for cid, ctl in fw["controls"].items():
            assert set(ctl["policies"]) <= set(pack.policies), f"{fid} {cid}"


def test_a_mapping_to_an_unknown_policy_fails_at_load(tmp_path):
    d = _copy_pack(tmp_path)
    (d / "frameworks.yaml").write_text(
        "frameworks:\n  x:\n    title: X\n    url: https://example.com\n    controls:\n      C1: {title: c, policies: [AG999]}\n"
    )
    with pytest.raises(PackError, match=r"frameworks.yaml: x control 'C1' names policies the pack does not have: AG999"):
        _load(d)
    (d / "frameworks.yaml").write_text(
        "frameworks:\n  x:\n    title: X\n    url: u\n    controls:\n      C1: {title: c, policies: [ag1]}\n"
    )
    with pytest.raises(PackError, match=r"frameworks.yaml:\d+: .*not policy ids"):
        _load(d)


def test_every_analyzer_module_has_its_check_and_every_one_is_used_by_a_policy():
    """An analyzer is the module named as the policies name it: each has its check(); none is left unused."""
    from agentgov.policies.compiled import AnalyzerCall, conditions
    from agentgov.scanner.analyzers import ANALYZERS
    from agentgov.scanner.pack import load_pack

    for name in ANALYZERS:
        fn = ANALYZERS[name]
        assert callable(fn) and fn.__name__ == "check" and fn.__module__ == f"agentgov.scanner.analyzers.{name}", name
    used = {c.analyzer for p in load_pack() for c in conditions(p.check) if isinstance(c, AnalyzerCall)}
    assert used == set(ANALYZERS), f"analyzer modules no policy names: {sorted(set(ANALYZERS) - used)}"
    assert len(ANALYZERS) == 36


def test_the_analyzer_names_are_the_analyzer_modules():
    """``analyzers.NAMES`` is the registry, not whatever files happen to be in the folder: the two agree."""
    from agentgov.scanner import analyzers

    modules = {p.stem for p in Path(analyzers.__file__).parent.glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(analyzers.NAMES)
    assert len(set(analyzers.NAMES)) == len(analyzers.NAMES)


def test_a_helper_module_is_not_an_analyzer_and_an_unknown_name_is_refused():
    from agentgov.scanner.analyzers import ANALYZERS

    assert "_tools" not in ANALYZERS and "_guardrails" not in ANALYZERS
    with pytest.raises(KeyError):
        ANALYZERS["least_priviledge"]
