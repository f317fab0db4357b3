"""AG809 and its data: agentgov's copy of the Bedrock model lifecycle page (scanner/data/model_lifecycle.json), its
parser (the --refresh path), and the live verdicts on GetFoundationModel's modelLifecycle (moto, completed by
agentgov.demo.awsmock)."""

from __future__ import annotations

import datetime as dt

import pytest

from agentgov.scanner import model_lifecycle as ml
from agentgov.scanner.analyzers._models import foundation_model_id

# the shape of the page's two forms (a table of models with a scheduled EOL date, a bulleted list of those past it),
# with rows of the page as read on 2026-12-06
PAGE = """
## Legacy and end-of-life (EOL) models

| Model provider | Model name | Model ID | Regions | Legacy date | EOL date | Public extended access start date |
| --- | --- | --- | --- | --- | --- | --- |
| Anthropic | Claude Opus 4.1 | anthropic.claude-opus-4-1-20250805-v1:0 | us-east-1, us-east-2, us-west-2 | July 8, 2026 | January 8, 2027 | October 8, 2026 |

- **Anthropic**
  - **Model name:** Claude 3 Haiku
  - **Model ID:** anthropic.claude-3-haiku-20240307-v1:0
  - **Regions:** eu-west-1, us-east-1 / **Legacy date:** March 10, 2026 / **EOL date:** September 10, 2026 / **Public extended access start date:** June 10, 2026
  - **Regions:** us-gov-east-1 / **Legacy date:** March 10, 2026 / **EOL date:** September 10, 2026 / **Public extended access start date:** June 10, 2026

- **Cohere**
  - **Model name:** Command R
  - **Model ID:** cohere.command-r-v1:0
  - **Regions:** us-east-1, us-west-2
  - **Legacy date:** February 19, 2026
  - **EOL date:** August 19, 2026
"""


def test_copy_is_fresh_and_cites_its_source():
    head = ml.header()
    today = dt.date.today().isoformat()
    assert ml.problems(head, today) == [], f"{ml.problems(head, today)}: refresh with python -m agentgov.scanner.model_lifecycle"
    assert head["source"].startswith("https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle")
    assert head["count"] == len(ml._load()["models"]) >= 1


@pytest.mark.parametrize(
    ("head", "words"),
    [
        ({"format": 1, "count": 13, "source_date": "2026-04-30"}, "stale"),
        ({"format": 1, "count": 0, "source_date": "2026-12-01"}, "empty"),
        ({"format": 1, "count": 13, "source_date": "Dec 2026"}, "not a date"),
        ({"format": 2, "count": 13, "source_date": "2026-12-01"}, "format 2"),
    ],
)
def test_problems_notices_a_stale_empty_or_foreign_copy(head, words):
    found = ml.problems(head, "2026-12-06")
    assert len(found) == 1 and words in found[0], found


def test_the_page_parser_reads_tables_and_bulleted_entries():
    rows = ml.parse(PAGE)
    assert rows == {
        "anthropic.claude-opus-4-1-20250805-v1:0": {
            "legacy": "2026-07-08",
            "eol": "2027-01-08",
            "regions": ["us-east-1", "us-east-2", "us-west-2"],
        },
        "anthropic.claude-3-haiku-20240307-v1:0": {
            "legacy": "2026-03-10",
            "eol": "2026-09-10",
            "regions": ["eu-west-1", "us-east-1", "us-gov-east-1"],
        },
        "cohere.command-r-v1:0": {"legacy": "2026-02-19", "eol": "2026-08-19", "regions": ["us-east-1", "us-west-2"]},
    }


def test_refresh_refuses_a_page_without_models(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text("# Model lifecycle\nNo table here.\n")
    before = ml.DATA_FILE.read_text()
    assert ml.refresh([str(page)]) == 2
    assert ml.refresh([str(tmp_path / "missing.md")]) == 2
    assert ml.DATA_FILE.read_text() == before
    err = capsys.readouterr().err
    assert "no model with a legacy date" in err and "cannot be read" in err


def test_status_by_date():
    row = ml.Lifecycle("m", "2026-07-08", "2027-01-08", ())
    assert [row.status(d) for d in ("2026-07-07", "2026-07-08", "2027-01-07", "2027-01-08")] == [
        "ACTIVE",
        "LEGACY",
        "LEGACY",
        "EOL",
    ]


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
        ("arn:aws:bedrock:us-east-1::foundation-model/cohere.command-r-v1:0", "cohere.command-r-v1:0"),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.cohere.command-r-v1:0", "cohere.command-r-v1:0"),
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", None),
        ("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc", None),
    ],
)
def test_foundation_model_id(text, model):
    assert foundation_model_id(text) == model


# ------------------------------------------------------------ live


def _verdicts(pack, params):
    from agentgov.audit.run import AuditOptions, run_audit

    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=["AG809"])
    return {NAMES.get(f.resource_id, f.resource_id): f for f in result.findings if f.policy_id == "AG809"}


S = None


@pytest.fixture
def awsmock():
    pytest.importorskip("moto")
    import agentgov.demo.awsmock as mod

    global S
    S = mod
    return mod


NAMES: dict[str, str] = {}


def _agent(ab, name, model):
    arn = ab.create_agent(
        agentName=name,
        agentResourceRoleArn="arn:aws:iam::123456789012:role/agent",
        foundationModel=model,
        idleSessionTTLInSeconds=600,  # moto answers without it when it is not given; Bedrock defaults it
    )
    NAMES[arn["agent"]["agentArn"]] = name


@pytest.mark.slow
def test_live_verdicts_read_the_model_lifecycle(awsmock, aws, pack, params):
    (member,) = awsmock.organization(1)
    ab = awsmock.session_in(member).client("bedrock-agent", region_name="us-east-1")
    _agent(ab, "active", "us.anthropic.claude-haiku-4-5-20251001-v1:0")
    _agent(ab, "legacy", "anthropic.claude-sonnet-4-5-20250929-v1:0")
    _agent(ab, "eol", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")
    _agent(ab, "unoffered", "acme.model-that-bedrock-does-not-offer-v1:0")
    _agent(ab, "provisioned", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefghijkl")
    v = _verdicts(pack, params)
    assert {k: f.status.value for k, f in v.items()} == {
        "active": "PASS",
        "legacy": "FAIL",
        "eol": "FAIL",
        "unoffered": "UNKNOWN",
        "provisioned": "UNKNOWN",
    }
    assert "LEGACY (end of life 2027-04-08)" in v["legacy"].message
    assert "does not offer the model" in v["unoffered"].message
    assert "provisioned throughput" in v["provisioned"].message


@pytest.mark.slow
def test_a_denied_get_foundation_model_makes_it_unknown_naming_the_call(awsmock, aws, pack, params):
    (member,) = awsmock.organization(1)
    _agent(
        awsmock.session_in(member).client("bedrock-agent", region_name="us-east-1"), "a", "anthropic.claude-3-haiku-20240307-v1:0"
    )
    awsmock.deny(member, "bedrock", "GetFoundationModel")
    (f,) = _verdicts(pack, params).values()
    assert f.status.value == "UNKNOWN" and "GetFoundationModel" in f.message, f.message
