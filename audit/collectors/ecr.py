"""ECR: private repositories (encryption, scan on push) and the registry's scanning configuration (BASIC or
ENHANCED, which is Amazon Inspector, with its rules), for the repositories of AgentCore runtimes' images (AG907).

Property names are the API's snake-cased (``encryption_configuration.kms_key``,
``image_scanning_configuration.scan_on_push``, ``rules[].repository_filters[].filter``), which are CloudFormation's
and Terraform's after normalization. The registry's configuration has no ARN: its identity is
``ecr-registry-scanning/<account>``.

Read only in a region whose registry an AgentCore runtime's image names (``WHEN``): nothing else the policies judge
reaches a repository or the registry's scanning.
"""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live
from agentgov.audit.collectors.resolve import When
from agentgov.scanner.model import Unknown

AREA = "ecr"
SCOPE = "regional"
SERVICE = "ecr"
KINDS = ("ecr_repository", "ecr_scanning_configuration")
WHEN = When("pulls its image from an ECR repository there (an AgentCore runtime)", referenced=("ecr_repository",))

CALLS = (
    Call(SERVICE, "DescribeRepositories", "ecr:DescribeRepositories"),
    Call(SERVICE, "GetRegistryScanningConfiguration", "ecr:GetRegistryScanningConfiguration"),
)


def collect(ctx: Context) -> None:
    with ctx.enumeration("ecr_repository"):
        for repo in ctx.items(SERVICE, "DescribeRepositories", "repositories"):
            with ctx.reading(SERVICE, "DescribeRepositories", repo):
                props = live(repo)
                ctx.add("ecr_repository", "AWS::ECR::Repository", repo["repositoryArn"], props, name=repo["repositoryName"])
    with ctx.enumeration("ecr_scanning_configuration"):
        answer = ctx.call(SERVICE, "GetRegistryScanningConfiguration")
        with ctx.reading(SERVICE, "GetRegistryScanningConfiguration", answer):
            if "scanningConfiguration" in answer:
                props = live(answer["scanningConfiguration"])
            else:  # optional in the output shape: the scan type is then not known, never BASIC by default
                missing = Unknown("GetRegistryScanningConfiguration answered no scanningConfiguration")
                props = {"scan_type": missing, "rules": missing}
            props["registry_id"] = answer.get("registryId")
            ctx.add(
                "ecr_scanning_configuration",
                "AWS::ECR::RegistryScanningConfiguration",
                f"ecr-registry-scanning/{ctx.account}",
                props,
            )
