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
    from agentgov.policies.registry import load_pack

    return load_pack()


@pytest.fixture(scope="session")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not present at {CORPUS}")
    return CORPUS
