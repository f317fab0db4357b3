import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Tests never read or write the user's pack cache."""
    os.environ["AGENTGOV_CACHE_DIR"] = str(tmp_path_factory.mktemp("agentgov-cache"))
    yield


@pytest.fixture(scope="session")
def pack():
    from agentgov.scanner.pack import load_pack

    return load_pack()


@pytest.fixture(scope="session")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not present at {CORPUS} (shared/ beside the clone)")
    return CORPUS


@pytest.fixture
def aws(monkeypatch):
    """An in-process moto AWS, completed by agentgov's awsmock, with assumed roles that switch accounts."""
    pytest.importorskip("moto", reason="moto is in the test extras")
    from moto import mock_aws

    import agentgov.demo.awsmock as S

    for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    S.install()
    import completion_check

    completion_check.activate()  # every answer of the completion is checked against botocore's model
    since = len(completion_check.VIOLATIONS)
    with mock_aws(), S.strict_sts(), completion_check.checking():
        yield
    S.reset()
    wrong = completion_check.new_violations(since)
    if wrong:
        pytest.fail(f"the moto completion answered against botocore's model: {wrong[:5]}")


@pytest.fixture(scope="module")
def params(pack):
    """The pack's parameters with their defaults (no agentgov.toml)."""
    from agentgov.scanner.config import effective_parameters, load_config

    return effective_parameters(load_config(None, pack.parameters), pack.parameters)


@pytest.fixture(scope="module")
def examples_result(pack):
    """A scan of examples/ and AG201's CloudFormation fixtures with the default configuration (from the repository root)."""
    from agentgov.scanner.config import Config, effective_parameters
    from agentgov.scanner.engine import scan

    old = os.getcwd()
    os.chdir(REPO)
    try:
        return scan([Path("examples"), Path("tests/policies/AG201/cfn")], pack, effective_parameters(Config(), pack.parameters))
    finally:
        os.chdir(old)


# ------------------------------------------------------------ the slow marker
# `pytest -m "not slow"` is the inner loop (about a minute): it leaves out what drives moto (the in-process Organization,
# the demo audit, a moto server, botocore-shaped answers), the whole-corpus runs, cfn-lint over generated templates,
# pre-commit's real hook environment, headless Chromium and the property-based inputs and loaders. The full suite runs them all (.ci/run).
SLOW_MODULES = {
    "test_audit.py",
    "test_audit_collectors.py",
    "test_audit_scale.py",
    "test_securityhub.py",
    "test_loaders_property.py",
    "test_audit_contract.py",
    "test_audit_denial_matrix.py",
    "test_audit_faults.py",
    "test_audit_live_shapes.py",
    "test_audit_regions.py",
    "test_audit_stock_moto.py",
    "test_awsmock_shapes.py",
    "test_html_report.py",
    "test_inputs_property.py",
    "test_merge_inputs.py",
}
SLOW_FIXTURES = {"aws", "corpus", "pre_commit_env", "action_env"}
SLOW_NAMES = ("demo", "cfn_lint", "moto", "tour")


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.name.lower()
        if (
            item.path.name in SLOW_MODULES
            or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or any(word in name for word in SLOW_NAMES)
        ):
            item.add_marker(pytest.mark.slow)
