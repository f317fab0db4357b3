"""moto, completed with what moto 5.2 lacks for agentgov's live audit.

Used by the tests, ``agentgov audit --demo`` and the benchmark alike; it
imports moto, so only those import it (moto is the ``demo`` extra).

moto implements Bedrock agents and knowledge bases but raises
NotImplementedError for agent versions, aliases, action groups, knowledge-base
associations, collaborators, data sources and every guardrail call, drops an
agent's guardrail configuration, and lets anyone assume any role (even one
that does not exist). ``install()`` adds those operations to moto's own
response classes once, for every test (in-process ``mock_aws`` or moto's
server alike):

* requests are parsed and responses serialized by moto's botocore-model
  machinery (``parse_parameters`` / ``ActionResult``), so both have exactly
  the shapes of botocore's service model;
* the state lives on moto's own backends (per account and region), next to
  moto's agents and knowledge bases: an action group can only be added to an
  agent moto knows, an alias created without routing publishes a numbered
  version (a snapshot of the draft, its action groups and knowledge bases),
  as Bedrock does; ``mock_aws`` resets it with everything else;
* Lambda ``ListFunctions``, IAM ``GetAccountAuthorizationDetails``, KMS
  ``ListKeys``/``ListResourceTags`` and the AgentCore list calls answer in pages (``MaxItems``/``Marker``), as AWS does and moto does not;
* S3 ``ListBuckets`` with ``MaxBuckets`` answers every bucket (moto cuts
  the list without a continuation token);
* ``enable_regions(account, regions)`` makes EC2 ``DescribeRegions`` answer
  only those regions in that account (moto answers every region; AWS only
  the enabled ones);
* ``strict_sts()`` makes AssumeRole fail (AccessDenied) for a role that does
  not exist or whose trust policy requires another external id;
* ``throttle(account, service, operation, times)`` answers the next calls
  with the service's throttling error;
* Config ``PutEvaluations`` keeps what a custom rule reports, and
  ``GetComplianceDetailsByConfigRule`` reads it back (``config_service.py``);
* Security Hub's ``BatchImportFindings`` and ``GetFindings`` answer as AWS
  documents them (an enabled hub, the account's own default product, updates
  that replace but keep what customers own, workflow resets, filters;
  ``securityhub.py``);
* IAM ``CreateServiceSpecificCredential`` and ``ListServiceSpecificCredentials`` (Bedrock API keys among them;
  ``iam_credentials.py``); ``GenerateServiceLastAccessedDetails`` and ``GetServiceLastAccessedDetails``, with
  ``record_access`` and ``job_status`` to script what a role used and how its jobs answer (``iam_last_accessed.py``);
* AgentCore code interpreters, browsers, policy engines and their policies
  (``agentcore_tools.py``), Bedrock's enforced guardrail configuration
  (``enforced_guardrails.py``), Organizations' ``BEDROCK_POLICY`` type and
  ``DescribeEffectivePolicy`` (``organizations.py``), on moto's own backends;
  AgentCore runtime endpoints in pages;
* Bedrock Flows: flows, their updates and published versions (``flows.py``);
* ``deny(account, service, operation)`` makes one API answer
  AccessDenied(Exception) in one account, with the error shape of the
  service's model (a permission the audit role lacks).
"""

from __future__ import annotations

from agentgov.demo.awsmock.estate import (
    AUDIT_ROLE,
    MANAGEMENT,
    TAGS,
    aws_managed_policies,
    deploy_agent,
    deploy_agentcore,
    deploy_agentcore_tools,
    deploy_controls,
    deploy_enforced_guardrail,
    deploy_flow,
    deploy_org_bedrock_policy,
    deploy_scp,
    deploy_unrelated,
    observe_runtime,
    organization,
    published_guardrail,
    scanned_registry,
    seed_agents,
    session_in,
    shared_models,
    trust,
    vector_store,
)
from agentgov.demo.awsmock.patches import deny, enable_regions, install, reset, strict_sts, throttle

__all__ = [
    "AUDIT_ROLE",
    "aws_managed_policies",
    "MANAGEMENT",
    "TAGS",
    "deny",
    "deploy_agent",
    "deploy_agentcore",
    "deploy_controls",
    "enable_regions",
    "install",
    "organization",
    "reset",
    "seed_agents",
    "session_in",
    "strict_sts",
    "throttle",
    "trust",
    "deploy_agentcore_tools",
    "deploy_enforced_guardrail",
    "deploy_flow",
    "deploy_org_bedrock_policy",
    "deploy_scp",
    "deploy_unrelated",
    "shared_models",
    "published_guardrail",
    "scanned_registry",
    "observe_runtime",
    "vector_store",
]
