"""boto3 is optional (extra ``aws``): the commands that talk to AWS check for it before anything else.

``agentgov scan`` and everything it imports never need it; without it, ``agentgov audit``,
``evidence publish``, KMS signing, ``evidence verify s3://...``, ``scp deploy``,
``config-rules build`` (it reads botocore's AWS Config model) and the Config rule's
runtime say which extra to install and exit 2, instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.util import find_spec
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentgov.audit.collectors.base import Call

#: agentgov is installed from its repository, never from a package index (docs/development.md#releases)
INSTALL = "install agentgov with its aws extra (in the agentgov repository: pip install '.[aws]')"


def missing_boto3(what: str, *, agentcore: bool = False) -> str | None:
    """None when boto3 can be used for ``what``; else the one-line reason, naming the extra to install.

    ``agentcore``: the run also calls bedrock-agentcore-control, which botocore has only since 1.42
    (checkov, for one, pins boto3 1.35.49).
    """
    if find_spec("boto3") is None or find_spec("botocore") is None:
        return f"{what} needs boto3: {INSTALL}"
    if agentcore:
        import botocore

        lacking = missing_operations()
        if lacking:
            shown = ", ".join(lacking[:4]) + (f" and {len(lacking) - 4} more" if len(lacking) > 4 else "")
            return (
                f"{what} needs a newer boto3 (1.42 or later): this environment's botocore {botocore.__version__} "
                f"lacks {shown}: in the agentgov repository, pip install -U '.[aws]'"
            )
    return None


def missing_operations(calls: Iterable[Call] | None = None, services: tuple[str, ...] = ("bedrock",)) -> list[str]:
    """The declared calls (default: every collector's) of the services named by prefix (default the Bedrock and
    AgentCore ones, which gain operations release by release; EC2's model alone takes a second to read) that the
    installed botocore's service models do not have, as "service Operation" (a service it lacks whole counts once)."""
    from botocore.loaders import create_loader  # not a session: it would read AWS_PROFILE and the config files

    if calls is None:
        from agentgov.audit.collectors import member_calls, organization_calls

        calls = [*member_calls(), *organization_calls()]
    calls = [c for c in calls if c.service.startswith(services)]
    loader = create_loader()
    available = set(loader.list_available_services("service-2"))
    out: list[str] = []
    models: dict[str, set[str]] = {}
    for c in sorted({(c.service, c.operation) for c in calls}):
        service, operation = c
        if service not in available:
            if f"{service} (the whole service)" not in out:
                out.append(f"{service} (the whole service)")
            continue
        if service not in models:
            models[service] = set(loader.load_service_model(service, "service-2").get("operations", {}))
        if operation not in models[service]:
            out.append(f"{service} {operation}")
    return out
