"""``agentgov audit --demo``: a live audit of an in-process moto Organization.

Three member accounts x two regions with agents a team would deploy (good
ones, and ones with the mistakes the policies catch), one denied call, no AWS
account, no network, no credentials: moto (the ``demo`` extra) answers every
call in-process, completed by ``awsmock``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

REGIONS = ["us-east-1", "eu-west-1"]


#: moto's random seed for the demo Organization (its account ids fall in both halves of ``--shard i/2``)
DEMO_SEED = 20261206


@contextmanager
def estate() -> Iterator[list[str]]:
    """The demo Organization, alive for the ``with`` block; yields the member account ids."""
    try:
        from moto import mock_aws
    except ImportError:  # pragma: no cover - depends on the installation
        raise RuntimeError("the demo needs moto: in the agentgov repository, pip install '.[demo]'") from None
    from agentgov.demo import awsmock as M

    saved = {
        k: os.environ.get(k)
        for k in (
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL",
            "MOTO_EC2_LOAD_DEFAULT_AMIS",
        )
    }
    os.environ.update(AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo", AWS_DEFAULT_REGION="us-east-1")
    # moto gives every EC2 backend (each account and region) its ~1,200 public AMIs with random ids: about half a
    # second of CPU and megabytes each, for images nothing in the demo reads
    os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
    for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(k, None)
    collecting = gc.isenabled()
    gc.disable()  # while the estate is built: see below
    try:
        with M.shared_models():
            M.install()  # in the block: moto's EC2 module, imported here, reads the EC2 model through 3 new sessions
            with mock_aws(), M.strict_sts():
                from moto.moto_api._internal import mock_random

                # the same Organization every run (account ids, agent ids): `audit --demo --shard i/n` runs audit one
                # estate between them, and a demo report can be compared with the last one
                mock_random.seed(DEMO_SEED)
                payments, research, sandbox = M.organization(3)
                for account in (payments, research, sandbox):
                    M.enable_regions(account, REGIONS)
                M.session_in(M.MANAGEMENT).client("iam").create_role(
                    RoleName=M.AUDIT_ROLE, AssumeRolePolicyDocument=M.trust({"AWS": f"arn:aws:iam::{M.MANAGEMENT}:root"})
                )
                s = M.session_in(payments)
                M.deploy_agent(s, "us-east-1", "payments")  # a well-configured agent
                M.deploy_agent(s, "eu-west-1", "refunds", guardrail=False, secret_in_env=True, alias_version="DRAFT")
                s = M.session_in(research)
                M.deploy_agent(s, "us-east-1", "research", wildcard_role=True, vpc=False)
                core = M.deploy_agentcore(s, "eu-west-1", "research-runtime", tags={"owner": "team-research"})
                # code interpreters (one PUBLIC, one in a VPC), a PUBLIC browser, a policy engine a gateway enforces
                M.deploy_agentcore_tools(
                    s, "eu-west-1", "research-tools", runtime_id=core["runtime_id"], gateway_role=core["role"]
                )
                # account-level guardrails: an enforced guardrail configuration (payments, eu-west-1), and an
                # Organizations Bedrock policy on the sandbox account (a management-account guardrail, eu-west-1)
                M.deploy_enforced_guardrail(M.session_in(payments), "eu-west-1", "payments-enforced")
                M.deploy_org_bedrock_policy(
                    sandbox, {"eu-west-1": M.published_guardrail(M.session_in(M.MANAGEMENT), "eu-west-1", "org-guardrail")}
                )
                s = M.session_in(sandbox)
                M.deploy_agent(s, "eu-west-1", "sandbox", tags={"owner": "team-sandbox"})
                M.deny(sandbox, "lambda", "ListTags")  # the audit role lacks lambda:ListTags there: AG801 is UNKNOWN
                for account in (M.MANAGEMENT, payments, research, sandbox):  # for --security-hub-import
                    for region in REGIONS:
                        M.session_in(account).client("securityhub", region_name=region).enable_security_hub(
                            EnableDefaultStandards=False
                        )
                # the estate lives until the audit is done: the collector need not walk it again at each full collection
                # of the audit (hundreds of thousands of objects, botocore's models and moto's backends among them)
                gc.collect()
                gc.freeze()
                if collecting:
                    gc.enable()
                yield [payments, research, sandbox]
    finally:
        if collecting:
            gc.enable()
        gc.unfreeze()
        M.reset()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def options(**kw: Any) -> Any:
    from agentgov.audit.run import AuditOptions
    from agentgov.demo import awsmock as M

    return AuditOptions(role_name=M.AUDIT_ROLE, org=True, regions=list(REGIONS), **kw)
