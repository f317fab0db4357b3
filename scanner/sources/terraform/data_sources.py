"""Data sources whose attributes the files settle: they echo their arguments.

Most data sources are read at apply time and their attributes are Unknown.
Some return what their arguments already say: ``data
"aws_bedrock_foundation_model"`` with ``model_id = "amazon.nova-pro-v1:0"``
has that ``model_id``, and its ``model_arn`` is the foundation-model ARN of
that id (in a region known at apply time). Each entry below builds the
attributes of one instance from its evaluated arguments; any attribute it
does not know stays Unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentgov.scanner.model import Expr, Unknown, make_expr


def _read(address: str, name: str) -> Unknown:
    return Unknown(f"{name} of data source {address} is read at apply time")


def _foundation_model(props: dict[str, Any], address: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        n: _read(address, n)
        for n in (
            "model_name",
            "provider_name",
            "customizations_supported",
            "inference_types_supported",
            "input_modalities",
            "output_modalities",
            "response_streaming_supported",
        )
    }
    mid = props.get("model_id")
    if isinstance(mid, (str, Expr)) and mid != "":
        region = Unknown(f"the region of data source {address} is known at apply time")
        out.update(
            model_id=mid,
            id=mid,
            model_arn=make_expr(
                ["arn:", Unknown(f"the partition of data source {address}"), ":bedrock:", region, "::foundation-model/", mid]
            ),
        )
    else:
        reason = mid if isinstance(mid, Unknown) else _read(address, "model_id")
        out.update(model_id=reason, id=reason, model_arn=reason)
    return out


def _iam_policy(props: dict[str, Any], address: str) -> dict[str, Any]:
    """``data "aws_iam_policy"``: a literal ``arn`` is its ARN; a literal ``name`` is kept on the
    unknown ARN's origin (``data:aws_iam_policy:<name>``), so AG105 can judge an AWS managed
    policy looked up by name. Everything else is read at apply time."""
    why = f"data source {address} is read at apply time"
    out: dict[str, Any] = {
        k: Unknown(why, origin="data:aws_iam_policy")
        for k in ("arn", "attachment_count", "description", "id", "name", "path", "path_prefix", "policy", "policy_id", "tags")
    }
    arn, name = props.get("arn"), props.get("name")
    if isinstance(arn, str) and arn:
        out["arn"] = out["id"] = arn
        out["name"] = arn.rsplit("/", 1)[-1]
    elif isinstance(name, str) and name and props.get("path_prefix") is None:
        out["name"] = name
        out["arn"] = Unknown(why, origin=f"data:aws_iam_policy:{name}")
    return out


#: data source type -> (evaluated arguments, address) -> attributes
ECHO_DATA_SOURCES: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "aws_bedrock_foundation_model": _foundation_model,
    "aws_iam_policy": _iam_policy,
}
