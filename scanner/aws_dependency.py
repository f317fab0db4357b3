"""boto3 is optional (extra ``aws``): the commands that talk to AWS check for it before anything else.

``agentgov scan`` and everything it imports never need it; without it, ``agentgov audit``,
``evidence publish``, KMS signing, ``evidence verify s3://...``, ``scp deploy``,
``config-rules build`` (it reads botocore's AWS Config model) and the Config rule's
runtime say which extra to install and exit 2, instead of a traceback.
"""

from __future__ import annotations

from importlib.util import find_spec

INSTALL = "pip install 'agentgov[aws]'"


def missing_boto3(what: str, *, agentcore: bool = False) -> str | None:
    """None when boto3 can be used for ``what``; else the one-line reason, naming the extra to install.

    ``agentcore``: the run also calls bedrock-agentcore-control, which botocore has only since 1.42
    (checkov, for one, pins boto3 1.35.49).
    """
    if find_spec("boto3") is None or find_spec("botocore") is None:
        return f"{what} needs boto3: {INSTALL}"
    if agentcore:
        import botocore
        from botocore.loaders import create_loader  # not a session: it would read AWS_PROFILE and the config files

        if "bedrock-agentcore-control" not in create_loader().list_available_services("service-2"):
            return (f"{what} needs boto3>=1.42: this environment has botocore {botocore.__version__}, "
                    f"which has no bedrock-agentcore-control client: {INSTALL}")
    return None
