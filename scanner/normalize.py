"""RawResource (native shape) -> Resource (normalized shape policies read).

Normalized properties use snake_case names. Terraform attribute names are
already the snake_case of CloudFormation's, so most properties need only the
case change; what differs between the two (role policies, function schemas,
tags) is renamed here, per kind, once. Nested blocks stay lists; a policy's
attribute path walks through lists, so ``guardrail_configuration.guardrail_identifier``
reads a CloudFormation mapping and a Terraform block alike.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .kinds import AWSCC_TYPES, TYPE_TO_KIND
from .model import MISSING, Choice, Expr, Location, RawResource, Ref, Resource, Unknown, make_expr, walk

# keys whose whole content is kept as written (documents, free-form maps)
_OPAQUE = {
    "CostFilters",  # a budget's filters: {"Service": ["Amazon Bedrock"], ...}, keys as AWS Budgets names them
    "PolicyDocument",
    "AssumeRolePolicyDocument",
    "KeyPolicy",
    "PolicyText",
    "ResourcePolicy",
    "Payload",
    "Tags",
    "Variables",
    "EnvironmentVariables",
    "Definition",
    "DefinitionString",
    "Metadata",
    "DataProtectionPolicy",
}
# keys whose child keys are user names but whose values are structures
_KEEP_CHILD_KEYS = {"Parameters"}


@lru_cache(maxsize=4096)
def snake(name: str) -> str:
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.replace("-", "_").lower()


def _snake_tree(value: Any, keep_keys: bool = False) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if keep_keys:
                out[k] = _snake_tree(v)
            elif k in _OPAQUE:
                out[snake(k)] = v
            elif k in _KEEP_CHILD_KEYS:
                out[snake(k)] = _snake_tree(v, keep_keys=True)
            else:
                out[snake(k)] = _snake_tree(v)
        return out
    if isinstance(value, list):
        return [_snake_tree(v) for v in value]
    if isinstance(value, Choice):
        return Choice(value.condition, tuple(_snake_tree(o) for o in value.options))
    return value


def _snake_path(path: str) -> str:
    out = []
    mode = 0  # 0 normal, 1 opaque (rest unchanged), 2 keep next key
    for seg in path.split("."):
        if mode == 1 or seg.isdigit():
            out.append(seg)
            continue
        if mode == 2:
            out.append(seg)
            mode = 0
            continue
        out.append(snake(seg))
        if seg in _OPAQUE:
            mode = 1
        elif seg in _KEEP_CHILD_KEYS:
            mode = 2
    return ".".join(out)


# ---------------------------------------------------------------- renames


def _rename(props: dict[str, Any], locs: dict[str, Location], renames: list[tuple[str, str]]) -> None:
    """Rename top-level properties, and the locations under them."""
    for src, dst in renames:
        if src in props:
            props[dst] = props.pop(src)
        _relocate(locs, rf"^{re.escape(src)}(?=\.|$)", dst)


# ------------------------------------------------------- policy documents

_PLACEHOLDER = re.compile(r"@@agentgov:(\d+)@@")  # JSON-safe marker of a symbolic part


def parse_policy_document(value: Any) -> Any:
    """A policy document as a dict; JSON text (even with interpolated Refs) is parsed."""
    if isinstance(value, (dict, Unknown)) or value is None:
        return value
    if isinstance(value, Choice):
        return Choice(value.condition, tuple(parse_policy_document(o) for o in value.options))
    if isinstance(value, Ref):
        return Unknown(f"policy document is the value of {value}")
    parts: tuple[Any, ...]
    if isinstance(value, str):
        parts = (value,)
    elif isinstance(value, Expr):
        parts = value.parts
    else:
        return Unknown("policy document of an unexpected type")
    symbols: list[Any] = []
    text = []
    for p in parts:
        if isinstance(p, str):
            text.append(p)
        else:
            symbols.append(p)
            text.append(f"@@agentgov:{len(symbols) - 1}@@")
    raw = "".join(text)
    if not raw.strip():
        return None
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        if symbols:
            return Unknown("policy document built from values known only at deploy time")
        return Unknown("policy document is not valid JSON")
    return _restore(doc, symbols) if symbols else doc


def _restore(node: Any, symbols: list[Any]) -> Any:
    if isinstance(node, str):
        if "@@agentgov:" not in node:
            return node
        pieces: list[Any] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(node):
            pieces.append(node[pos : m.start()])
            pieces.append(symbols[int(m.group(1))])
            pos = m.end()
        pieces.append(node[pos:])
        return make_expr(pieces)
    if isinstance(node, dict):
        return {k: _restore(v, symbols) for k, v in node.items()}
    if isinstance(node, list):
        return [_restore(v, symbols) for v in node]
    return node


# ------------------------------------------------------------------- tags


def _tags(raw: RawResource, props: dict[str, Any]) -> Any:
    if raw.source.startswith("terraform"):
        if "tags_all" in props:
            t = props.get("tags_all")
        else:
            t = props.get("tags")
    else:
        t = props.get("tags")
    if t is None or t is MISSING:
        return {}
    if isinstance(t, (Unknown, Ref, Expr)):
        return t if isinstance(t, Unknown) else Unknown("tags are computed from values known only at deploy time")
    if isinstance(t, Choice):
        return Unknown(f"tags depend on condition {t.condition}")
    if isinstance(t, dict):
        return dict(t)
    if isinstance(t, list):  # CloudFormation [{Key, Value}]
        out: dict[str, Any] = {}
        for item in t:
            if isinstance(item, dict) and isinstance(item.get("Key"), str):
                out[item["Key"]] = item.get("Value")
            elif isinstance(item, dict) and isinstance(item.get("key"), str):
                out[item["key"]] = item.get("value")
            else:
                return Unknown("a tag whose key is known only at deploy time")
        return out
    return Unknown("tags of an unexpected shape")


# ------------------------------------------------------------ kind hooks

Hook = Callable[[RawResource, dict[str, Any], dict[str, Location]], None]


def _role(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    if raw.source == "cloudformation" or raw.type == "awscc_iam_role":  # awscc: CloudFormation's names in snake_case
        _rename(
            p,
            locs,
            [
                ("role_name", "name"),
                ("assume_role_policy_document", "assume_role_policy"),
                ("policies", "inline_policies"),
            ],
        )
        for item in p.get("inline_policies", []) if isinstance(p.get("inline_policies"), list) else []:
            if isinstance(item, dict):
                item["name"] = item.pop("policy_name", None)
                item["document"] = item.pop("policy_document", None)
        _relocate(locs, r"^inline_policies\.(\d+)\.policy_name", r"inline_policies.\1.name")
        _relocate(locs, r"^inline_policies\.(\d+)\.policy_document", r"inline_policies.\1.document")
    else:
        _rename(p, locs, [("inline_policy", "inline_policies")])
        for item in p.get("inline_policies", []) if isinstance(p.get("inline_policies"), list) else []:
            if isinstance(item, dict):
                item["document"] = item.pop("policy", None)
        _relocate(locs, r"^inline_policies\.(\d+)\.policy", r"inline_policies.\1.document")
    p["assume_role_policy"] = parse_policy_document(p.get("assume_role_policy"))
    pols = p.get("inline_policies")
    if isinstance(pols, list):
        for item in pols:
            if isinstance(item, dict):
                item["document"] = parse_policy_document(item.get("document"))


def _user_or_group(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """AWS::IAM::User (UserName, Policies, ManagedPolicyArns, Groups) and AWS::IAM::Group (GroupName, Policies,
    ManagedPolicyArns) under the role's names; aws_iam_user and aws_iam_group have ``name`` and keep their policies
    and memberships in other resources (aws_iam_user_policy, aws_iam_group_policy_attachment,
    aws_iam_user_group_membership, ...)."""
    if raw.source != "cloudformation":
        return
    _rename(p, locs, [("user_name", "name"), ("group_name", "name"), ("policies", "inline_policies")])
    for item in p.get("inline_policies", []) if isinstance(p.get("inline_policies"), list) else []:
        if isinstance(item, dict):
            item["name"] = item.pop("policy_name", None)
            item["document"] = parse_policy_document(item.pop("policy_document", None))
    _relocate(locs, r"^inline_policies\.(\d+)\.policy_name", r"inline_policies.\1.name")
    _relocate(locs, r"^inline_policies\.(\d+)\.policy_document", r"inline_policies.\1.document")


def _relocate(locs: dict[str, Location], pattern: str, repl: str) -> None:
    rx, head = _relocation(pattern)
    for key in [k for k in locs if k.startswith(head)] if head else list(locs):
        new = rx.sub(repl, key, count=1)
        if new != key:
            locs[new] = locs.pop(key)


@functools.cache
def _relocation(pattern: str) -> tuple[re.Pattern[str], str]:
    """The compiled pattern and, for one anchored at the start (``^``), the literal text every key it matches begins
    with: a role's dozens of paths are tested with ``str.startswith`` before the expression runs (a quarter of the
    regular-expression substitutions of a whole-corpus scan were these)."""
    head = ""
    if pattern.startswith("^"):
        i = 1
        while i < len(pattern):
            ch = pattern[i]
            if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in ".-/_":
                head += pattern[i + 1]
                i += 2
            elif ch.isalnum() or ch == "_":
                head += ch
                i += 1
            else:
                break
        # a quantifier after the literal makes its last character optional: it is not part of what every match begins with
        if i < len(pattern) and pattern[i] in "?*{":
            head = head[:-1]
    return re.compile(pattern), head


def _policy(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """AWS::IAM::Policy / RolePolicy / UserPolicy / GroupPolicy / ManagedPolicy, aws_iam_role_policy /
    aws_iam_user_policy / aws_iam_group_policy / aws_iam_policy: ``roles``, ``users``, ``groups`` (lists) and
    ``document``."""
    if raw.source == "cloudformation":
        _rename(p, locs, [("policy_name", "name"), ("managed_policy_name", "name"), ("policy_document", "document")])
        for one, many in (("role_name", "roles"), ("user_name", "users"), ("group_name", "groups")):
            if one in p:  # AWS::IAM::RolePolicy, UserPolicy, GroupPolicy
                p[many] = [p.pop(one)]
                _relocate(locs, f"^{one}", f"{many}.0")
        if p.get("roles") is None:
            p["roles"] = []
    else:
        _rename(p, locs, [("policy", "document")])
        _one_to_list(p, locs)
    p["document"] = parse_policy_document(p.get("document"))


def _one_to_list(p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform's ``role`` / ``user`` / ``group`` (one name) as ``roles`` / ``users`` / ``groups`` (a list)."""
    for one, many in (("role", "roles"), ("user", "users"), ("group", "groups")):
        if one in p:
            p[many] = [p.pop(one)]
            _relocate(locs, f"^{one}(?=\\.|$)", f"{many}.0")


def _attachment(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """aws_iam_{role,user,group}_policy_attachment (one principal, one ARN), aws_iam_policy_attachment (roles, users,
    groups, one ARN), aws_iam_{role,user,group}_policy_attachments_exclusive (one principal by name, ARNs)."""
    _one_to_list(p, locs)
    if raw.type.endswith("_policy_attachments_exclusive"):
        many = {"aws_iam_role": "roles", "aws_iam_user": "users", "aws_iam_group": "groups"}[raw.type.split("_policy_")[0]]
        p[many] = [p.pop(f"{many[:-1]}_name", None)]
        p["policy_arns"] = p.pop("policy_arns", [])
    elif "policy_arn" in p:
        p["policy_arns"] = [p.pop("policy_arn")]


def _group_membership(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """AWS::IAM::UserToGroupAddition (GroupName, Users), aws_iam_user_group_membership (user, groups),
    aws_iam_group_membership (group, users): ``users`` and ``groups``, lists of names."""
    if raw.source == "cloudformation":
        if "group_name" in p:
            p["groups"] = [p.pop("group_name")]
            _relocate(locs, "^group_name", "groups.0")
    else:
        _one_to_list(p, locs)


def _function(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    if raw.type == "AWS::Serverless::Function":
        tracing = p.pop("tracing", None)
        if tracing is not None:
            p["tracing_config"] = {"mode": tracing}
            if "tracing" in locs:
                locs["tracing_config.mode"] = locs.pop("tracing")


def _action_group(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    # Terraform nests functions one level deeper: function_schema.member_functions.functions
    fs = p.get("function_schema")
    if isinstance(fs, list):
        funcs: list[Any] = []
        for block in fs:
            mf = block.get("member_functions") if isinstance(block, dict) else None
            for m in mf if isinstance(mf, list) else []:
                if isinstance(m, dict) and isinstance(m.get("functions"), list):
                    funcs.extend(m["functions"])
        p["function_schema"] = {"functions": funcs}
        _relocate(locs, r"^function_schema\.0\.member_functions\.0\.functions", "function_schema.functions")


def _agent(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    pass


def _blocks(node: Any, key: str) -> list[dict[str, Any]]:
    """The mappings under ``key`` of ``node`` (a Terraform block is a list of them)."""
    v = node.get(key) if isinstance(node, dict) else None
    items = v if isinstance(v, list) else [v]
    return [b for b in items if isinstance(b, dict)]


def _gateway_target(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform spells some gateway-target blocks differently from CloudFormation.

    ``open_api_schema``/``smithy_model { inline_payload { payload = "..." } }`` is
    CloudFormation's ``InlinePayload: "..."``; ``tool_filter``/``tool_override``
    blocks are ``ToolFilters``/``ToolOverrides``.
    """
    if raw.source == "cloudformation":
        return
    for cfg in _blocks(p, "target_configuration"):
        for mcp in _blocks(cfg, "mcp"):
            for key in ("open_api_schema", "smithy_model"):
                for schema in _blocks(mcp, key):
                    inline = schema.get("inline_payload")
                    if isinstance(inline, list) and len(inline) == 1 and isinstance(inline[0], dict) and "payload" in inline[0]:
                        schema["inline_payload"] = inline[0]["payload"]
            for api in _blocks(mcp, "api_gateway"):
                for tc in _blocks(api, "api_gateway_tool_configuration"):
                    for old, new in (("tool_filter", "tool_filters"), ("tool_override", "tool_overrides")):
                        if old in tc:
                            tc[new] = tc.pop(old)
    _relocate(locs, r"\.(open_api_schema|smithy_model)\.(\d+)\.inline_payload\.\d+\.payload$", r".\1.\2.inline_payload")
    _relocate(locs, r"\.tool_filter(?=\.|$)", ".tool_filters")
    _relocate(locs, r"\.tool_override(?=\.|$)", ".tool_overrides")


def _browser(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform's ``recording`` block is CloudFormation's ``RecordingConfig``."""
    if raw.source != "cloudformation":
        _rename(p, locs, [("recording", "recording_config")])


_ECR_URI = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)")
_ECR_PATH = re.compile(r"\.amazonaws\.com(?:\.cn)?/([^:@]+)")


def container_repository(uri: Any) -> Any:
    """The ECR repository a container URI pulls from: its ARN for a literal ECR URI, the reference for
    ``${aws_ecr_repository.x.repository_url}:tag`` / ``!Sub ${Repo.RepositoryUri}:tag``, the repository name when only
    the registry's account or region is symbolic; None when the URI is not an ECR image."""
    if isinstance(uri, str):
        m = _ECR_URI.match(uri)
        return f"arn:aws:ecr:{m.group(2)}:{m.group(1)}:repository/{m.group(3)}" if m else None
    if isinstance(uri, Expr):
        if uri.refs:
            return uri
        m = _ECR_PATH.search(uri.literal)
        return m.group(1) if m else uri
    return uri


def _agent_runtime(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    uris = list(walk(p.get("agent_runtime_artifact"), "container_configuration.container_uri"))
    if uris:
        p["container_repository"] = container_repository(uris[0])


def _ecr_scanning(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform's ``rule`` / ``repository_filter`` blocks are the API's ``rules`` / ``repositoryFilters``."""
    if "rule" in p:
        p["rules"] = p.pop("rule")
    rules = p.get("rules")
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, dict) and "repository_filter" in rule:
            rule["repository_filters"] = rule.pop("repository_filter")


def _aoss_security_policy(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """The policy document (JSON text, or Terraform's ``jsonencode`` value) parsed: a network policy is a list of
    rule sets, an encryption policy one object."""
    doc = p.get("policy")
    p["policy"] = doc if isinstance(doc, list) else parse_policy_document(doc)


#: Terraform's names of a route's destination and egress-only gateway -> the API's (DescribeRouteTables' Routes)
_ROUTE_NAMES = (
    ("cidr_block", "destination_cidr_block"),
    ("ipv6_cidr_block", "destination_ipv6_cidr_block"),
    ("egress_only_gateway_id", "egress_only_internet_gateway_id"),
)


def _route_names(route: Any) -> None:
    if isinstance(route, dict):
        for src, dst in _ROUTE_NAMES:
            if src in route and dst not in route:
                route[dst] = route.pop(src)


def _route_table(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform's inline ``route`` blocks as the API's ``routes``; aws_default_route_table is its VPC's main route
    table (``main``), the VPC named through the ``default_route_table_id`` it is given."""
    if "route" in p:
        p["routes"] = p.pop("route")
        _relocate(locs, r"^route(?=\.|$)", "routes")
    routes = p.get("routes")
    for route in routes if isinstance(routes, list) else []:
        _route_names(route)
    if raw.type == "aws_default_route_table":
        p["main"] = True
        if "vpc_id" not in p and "default_route_table_id" in p:
            p["vpc_id"] = p["default_route_table_id"]  # aws_vpc.x.default_route_table_id: a reference to the VPC


def _route(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    _route_names(p)


def _route_table_association(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """aws_main_route_table_association makes its route table the main one of ``vpc_id``."""
    if raw.type == "aws_main_route_table_association":
        p["main"] = True


def _budget(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """CloudFormation's ``Budget`` object and Terraform's blocks as DescribeBudgets' members (``budget_type``,
    ``cost_filters`` {"Service": [...]}, ``filter_expression``), and the notifications as
    ``notifications_with_subscribers`` (Terraform: a ``notification`` block each, its subscribers inline)."""
    if raw.source == "cloudformation":
        body = p.pop("budget", None)
        if isinstance(body, dict):
            for k, v in body.items():
                p.setdefault(k, v)
            _relocate(locs, r"^budget\.", "")
        return
    filters = p.pop("cost_filter", None)
    if isinstance(filters, list):
        cost: dict[str, Any] = {}
        for f in filters:
            if isinstance(f, dict) and isinstance(f.get("name"), str):
                cost[f["name"]] = f.get("values")
        p["cost_filters"] = cost
        _relocate(locs, r"^cost_filter(?=\.|$)", "cost_filters")
    elif isinstance(p.get("cost_filters"), dict):  # the provider's old map form
        pass
    notes = p.pop("notification", None)
    if isinstance(notes, list):
        p["notifications_with_subscribers"] = [
            {
                "notification": {k: v for k, v in n.items() if not k.startswith("subscriber_")},
                "subscribers": [
                    *(n.get("subscriber_email_addresses") or []),
                    *(n.get("subscriber_sns_topic_arns") or []),
                ],
            }
            for n in notes
            if isinstance(n, dict)
        ]
        _relocate(locs, r"^notification(?=\.|$)", "notifications_with_subscribers")


def _anomaly_subscription(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform's ``subscriber`` blocks as the API's ``subscribers``."""
    if "subscriber" in p:
        p["subscribers"] = p.pop("subscriber")
        _relocate(locs, r"^subscriber(?=\.|$)", "subscribers")


def _agentcore_resource_policy(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    p["policy"] = parse_policy_document(p.get("policy"))


def _vpc_endpoint(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """CloudFormation PolicyDocument and Terraform policy are one ``policy`` document."""
    if raw.source == "cloudformation":
        _rename(p, locs, [("policy_document", "policy")])
    if "policy" in p:
        p["policy"] = parse_policy_document(p.get("policy"))


def _rename_in(items: Any, src: str, dst: str) -> None:
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict) and src in item:
            item[dst] = item.pop(src)


def _trail(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform's singular blocks -> CloudFormation's plural names; enable_logging -> is_logging."""
    if raw.source == "cloudformation":
        return
    _rename(
        p,
        locs,
        [
            ("advanced_event_selector", "advanced_event_selectors"),
            ("event_selector", "event_selectors"),
            ("enable_logging", "is_logging"),
        ],
    )
    _rename_in(p.get("advanced_event_selectors"), "field_selector", "field_selectors")
    _relocate(locs, r"^advanced_event_selectors\.(\d+)\.field_selector(?=\.|$)", r"advanced_event_selectors.\1.field_selectors")
    _rename_in(p.get("event_selectors"), "data_resource", "data_resources")
    _relocate(locs, r"^event_selectors\.(\d+)\.data_resource(?=\.|$)", r"event_selectors.\1.data_resources")


def _alarm(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """Terraform metric_query { metric {...} } -> CloudFormation Metrics[].MetricStat.Metric."""
    if raw.source == "cloudformation":
        return
    _rename(p, locs, [("metric_query", "metrics")])
    metrics = p.get("metrics")
    for q in metrics if isinstance(metrics, list) else []:
        if isinstance(q, dict) and "metric" in q:
            q["metric_stat"] = {"metric": q.pop("metric")}
    _relocate(locs, r"^metrics\.(\d+)\.metric(?=\.|$)", r"metrics.\1.metric_stat.metric")


def retention_days(p: dict[str, Any]) -> None:
    """default_retention.retention_days: Days, or Years x 365 (what AG804 compares).

    AWS sends one of the two (each at least 1); a 0 beside the other (as moto answers) is absent,
    and when both are set the shorter retention is the one judged."""
    for rule_holder in walk_dicts(p, ("object_lock_configuration", "rule")):
        retention = rule_holder.get("default_retention")
        for dr in retention if isinstance(retention, list) else [retention]:
            if not isinstance(dr, dict):
                continue
            days, years = dr.get("days"), dr.get("years")
            if years in (0, None) and days in (0, None):
                continue
            if years in (0, None) or (days not in (0, None) and not isinstance(days, int)):
                dr["retention_days"] = days  # (a symbolic value is judged UNKNOWN with its reason)
                continue
            try:
                from_years = int(years) * 365
            except (TypeError, ValueError):
                dr["retention_days"] = years  # symbolic: judged UNKNOWN with its reason
                continue
            dr["retention_days"] = from_years if days in (0, None) else min(days, from_years)


def walk_dicts(p: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The dicts at ``path`` (through lists) in ``p``."""
    nodes = [p]
    for key in path:
        nxt = []
        for n in nodes:
            for item in n if isinstance(n, list) else [n]:
                if isinstance(item, dict) and key in item:
                    v = item[key]
                    nxt.extend(v if isinstance(v, list) else [v])
        nodes = nxt
    return [n for n in nodes if isinstance(n, dict)]


def _bucket(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    if raw.source != "cloudformation":
        # legacy inline versioning { enabled = true } -> versioning_configuration.status
        ver = p.get("versioning")
        if isinstance(ver, list) and "versioning_configuration" not in p:
            conf = []
            for block in ver:
                if isinstance(block, dict):
                    en = block.get("enabled")
                    status = ("Enabled" if en else "Suspended") if isinstance(en, bool) else en
                    conf.append({"status": status if status is not None else "Suspended"})
            p["versioning_configuration"] = conf
            _relocate(locs, r"^versioning\.(\d+)\.enabled", r"versioning_configuration.\1.status")
    retention_days(p)


def _object_lock(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """aws_s3_bucket_object_lock_configuration: shaped like the bucket's own ObjectLockConfiguration."""
    conf = {k: p[k] for k in ("object_lock_enabled", "rule") if k in p}
    conf.setdefault("object_lock_enabled", "Enabled")  # the resource's default
    p["object_lock_configuration"] = [conf]
    retention_days(p)
    for key in list(locs):
        if key.startswith("rule") or key.startswith("object_lock_enabled"):
            locs["object_lock_configuration." + key] = locs[key]


def _public_access_block(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """aws_s3_bucket_public_access_block: shaped like the bucket's PublicAccessBlockConfiguration."""
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    p["public_access_block_configuration"] = {k: p.get(k, False) for k in flags}  # each flag defaults to false
    for k in flags:
        if k in locs:
            locs[f"public_access_block_configuration.{k}"] = locs[k]


def _table(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """PITR at point_in_time_recovery_specification.point_in_time_recovery_enabled for every source."""
    if raw.source != "cloudformation":
        pitr = p.pop("point_in_time_recovery", None)
        if pitr is not None:
            p["point_in_time_recovery_specification"] = [
                {"point_in_time_recovery_enabled": b.get("enabled", False)} if isinstance(b, dict) else b
                for b in (pitr if isinstance(pitr, list) else [pitr])
            ]
            _relocate(
                locs,
                r"^point_in_time_recovery\.(\d+)\.enabled",
                r"point_in_time_recovery_specification.\1.point_in_time_recovery_enabled",
            )
            _relocate(locs, r"^point_in_time_recovery(?=\.|$)", "point_in_time_recovery_specification")
    elif raw.type == "AWS::DynamoDB::GlobalTable" and isinstance(p.get("replicas"), list):
        # every replica must have PITR: one entry per replica, absent = off
        specs = []
        for rep in p["replicas"]:
            spec = rep.get("point_in_time_recovery_specification") if isinstance(rep, dict) else None
            specs.append(spec if isinstance(spec, dict) else {"point_in_time_recovery_enabled": False})
        p["point_in_time_recovery_specification"] = specs
        for key in list(locs):
            m = re.match(r"^replicas\.(\d+)\.point_in_time_recovery_specification(.*)$", key)
            if m:
                locs[f"point_in_time_recovery_specification.{m.group(1)}{m.group(2)}"] = locs[key]


#: a guardrail's nested members under CreateGuardrail's names (Terraform's and the live record's):
#: CloudFormation's ContentFiltersTierConfig / TopicsTierConfig and GuardrailProfileArn
_GUARDRAIL_RENAMES = (
    ("content_policy_config", "content_filters_tier_config", "tier_config"),
    ("topic_policy_config", "topics_tier_config", "tier_config"),
    ("cross_region_config", "guardrail_profile_arn", "guardrail_profile_identifier"),
)


def _guardrail(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    for top, src, dst in _GUARDRAIL_RENAMES:
        blocks = p.get(top)
        for block in blocks if isinstance(blocks, list) else [blocks]:
            if isinstance(block, dict) and src in block:
                block[dst] = block.pop(src)
        _relocate(locs, rf"^{top}((?:\.\d+)?)\.{src}(?=\.|$)", rf"{top}\1.{dst}")


def _log_group(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """AWS::Logs::LogGroup (LogGroupName, KmsKeyId, DataProtectionPolicy), aws_cloudwatch_log_group (name, kms_key_id):
    DescribeLogGroups' names (log_group_name, kms_key_id); a data-protection policy as a parsed document."""
    if raw.source != "cloudformation" and "name" in p:
        _rename(p, locs, [("name", "log_group_name")])
    if isinstance(p.get("data_protection_policy"), (str, Expr)):
        p["data_protection_policy"] = parse_policy_document(p["data_protection_policy"])


def _log_data_protection_policy(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """aws_cloudwatch_log_data_protection_policy (log_group_name, policy_document): the log group's policy, parsed."""
    if "policy_document" in p:
        p["data_protection_policy"] = parse_policy_document(p.pop("policy_document"))
        _relocate(locs, r"^policy_document(?=\.|$)", "data_protection_policy")


def _custom_model(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """aws_bedrock_custom_model (custom_model_kms_key_id, custom_model_name): GetCustomModel's names (model_kms_key_arn,
    model_name), so AG807 reads one path in Terraform and on live accounts."""
    _rename(p, locs, [("custom_model_kms_key_id", "model_kms_key_arn"), ("custom_model_name", "model_name")])


def _log_delivery_source(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """ResourceArn / resource_arn (one resource) as DescribeDeliverySources' resource_arns (a list)."""
    if "resource_arn" in p:
        existing = p.get("resource_arns")
        arns: list[Any] = existing if isinstance(existing, list) else []
        p["resource_arns"] = [p.pop("resource_arn"), *arns]
        _relocate(locs, r"^resource_arn(?=\.|$)", "resource_arns.0")


def _log_delivery_destination(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """CloudFormation's DestinationResourceArn under DescribeDeliveryDestinations' (and Terraform's) block."""
    if "destination_resource_arn" in p:
        p["delivery_destination_configuration"] = {"destination_resource_arn": p.pop("destination_resource_arn")}
        _relocate(locs, r"^destination_resource_arn", "delivery_destination_configuration.destination_resource_arn")


#: Terraform's ``aws_bedrockagent_flow`` blocks -> the API's FlowDefinition members: (location pattern, replacement),
#: applied in order; the data follows the same steps in ``_tf_flow_definition``
_TF_FLOW_LOCATIONS = (
    (r"^definition\.0(?=\.|$)", "definition"),
    (r"^definition\.node\.(\d+)", r"definition.nodes.\1"),
    (r"^definition\.connection\.(\d+)", r"definition.connections.\1"),
    (r"^(definition\.nodes\.\d+)\.input\.(\d+)", r"\1.inputs.\2"),
    (r"^(definition\.nodes\.\d+)\.output\.(\d+)", r"\1.outputs.\2"),
    (r"^(definition\.nodes\.\d+\.configuration)\.0(?=\.|$)", r"\1"),
    (r"^(definition\.nodes\.\d+\.configuration\.\w+)\.0(?=\.|$)", r"\1"),
    (r"^(definition\.nodes\.\d+\.configuration\.\w+\.(?:guardrail_configuration|source_configuration))\.0(?=\.|$)", r"\1"),
    (r"^(definition\.nodes\.\d+\.configuration\.\w+\.source_configuration\.\w+)\.0(?=\.|$)", r"\1"),
)


def _one(value: Any) -> Any:
    """A Terraform block (a list of one) as the object it stands for; anything else unchanged."""
    return value[0] if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) else value


def _tf_flow_definition(definition: Any) -> Any:
    """aws_bedrockagent_flow's ``definition`` block in the API's shape, down to what a node's guardrail and model are:
    ``node``/``connection`` blocks are ``nodes``/``connections``, a node's ``input``/``output`` blocks its ``inputs``/
    ``outputs``; its configuration, the node type's block, its ``guardrail_configuration`` and ``source_configuration``
    (``inline``/``resource``) are objects. Deeper blocks (templates, inference settings) stay Terraform's lists."""
    d = _one(definition)
    if not isinstance(d, dict):
        return d
    d = dict(d)
    for src, dst in (("node", "nodes"), ("connection", "connections")):
        if src in d:
            d[dst] = d.pop(src)
    nodes = d.get("nodes")
    if isinstance(nodes, list):
        d["nodes"] = [_tf_flow_node(n) for n in nodes]
    return d


def _tf_flow_node(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    node = dict(node)
    for src, dst in (("input", "inputs"), ("output", "outputs")):
        if src in node:
            node[dst] = node.pop(src)
    conf = _one(node.get("configuration"))
    if isinstance(conf, dict):
        conf = {k: _one(v) for k, v in conf.items()}
        for block in conf.values():
            if isinstance(block, dict):
                for k in ("guardrail_configuration", "source_configuration"):
                    if k in block:
                        block[k] = _one(block[k])
                source = block.get("source_configuration")
                if isinstance(source, dict):
                    block["source_configuration"] = {k: _one(v) for k, v in source.items()}
        node["configuration"] = conf
    return node


def _snake_keys(value: Any) -> Any:
    """Every key snake-cased, nested ``Definition``s too (a loop node's; ``_snake_tree`` keeps those as written)."""
    if isinstance(value, dict):
        return {snake(k): _snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake_keys(v) for v in value]
    if isinstance(value, Choice):
        return Choice(value.condition, tuple(_snake_keys(o) for o in value.options))
    return value


_SUBSTITUTION = re.compile(r"\$\{([^}]+)\}")


def _substitute(value: Any, subs: dict[str, Any]) -> Any:
    """DefinitionSubstitutions applied to the definition's strings (``${name}``): a literal value replaces its
    placeholder; a placeholder whose value is known only at deploy time stays as written (it is set, to some value)."""
    if isinstance(value, str) and "${" in value:

        def repl(m: re.Match[str]) -> str:
            got = subs.get(m.group(1))
            return str(got).lower() if isinstance(got, bool) else str(got) if isinstance(got, (str, int, float)) else m.group(0)

        return _SUBSTITUTION.sub(repl, value)
    if isinstance(value, dict):
        return {k: _substitute(v, subs) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, subs) for v in value]
    return value


def _flow(raw: RawResource, p: dict[str, Any], locs: dict[str, Location]) -> None:
    """A flow's definition as the API's FlowDefinition in snake_case (``definition.nodes.N.configuration.prompt.
    guardrail_configuration.guardrail_identifier``), however it was written: CloudFormation's ``Definition`` (kept
    as written by the source: its names are snake-cased here) or ``DefinitionString`` (JSON in the API's names,
    parsed), Terraform's ``definition`` blocks, awscc's maps. A definition in an S3 object (``DefinitionS3Location``)
    or JSON built from values known only at deploy time is an ``Unknown`` saying so."""
    if raw.type == "aws_bedrockagent_flow":
        if "definition" in p:
            p["definition"] = _tf_flow_definition(p["definition"])
        for pattern, repl in _TF_FLOW_LOCATIONS:
            _relocate(locs, pattern, repl)
        return
    subs = p.get("definition_substitutions")
    definition = p.get("definition")
    if definition is None and p.get("definition_string") is not None:
        text = p["definition_string"]
        definition = parse_policy_document(text)
        if isinstance(text, Unknown):
            definition = Unknown(f"the flow's DefinitionString is {text.reason}", text.origin)
        elif isinstance(definition, Unknown):
            definition = Unknown(
                "the flow's DefinitionString is built from values known only at deploy time"
                if "deploy time" in definition.reason
                else "the flow's DefinitionString is not valid JSON",
                definition.origin,
            )
        if "definition_string" in locs:
            locs["definition"] = locs["definition_string"]
    elif definition is None and p.get("definition_s3_location") is not None:
        where = p["definition_s3_location"]
        obj = f"s3://{where.get('bucket')}/{where.get('key')}" if isinstance(where, dict) else "an S3 object"
        definition = Unknown(f"the flow's definition is in {obj} (DefinitionS3Location), read only at deploy time")
        if "definition_s3_location" in locs:
            locs["definition"] = locs["definition_s3_location"]
    if definition is None:
        return
    definition = _snake_keys(definition)
    if isinstance(subs, dict) and subs:
        definition = _substitute(definition, subs)
    p["definition"] = definition
    for key in [k for k in locs if k.startswith("definition.")]:
        locs[".".join(s if s.isdigit() else snake(s) for s in key.split("."))] = locs.pop(key)


_HOOKS: dict[str, Hook] = {
    "flow": _flow,
    "role": _role,
    "role_policy": _policy,
    "managed_policy": _policy,
    "policy_attachment": _attachment,
    "group": _user_or_group,
    "group_membership": _group_membership,
    "function": _function,
    "action_group": _action_group,
    "agent": _agent,
    "gateway_target": _gateway_target,
    "browser": _browser,
    "vpc_endpoint": _vpc_endpoint,
    "vpc_endpoint_policy": _vpc_endpoint,
    "trail": _trail,
    "alarm": _alarm,
    "bucket": _bucket,
    "bucket_object_lock": _object_lock,
    "bucket_public_access_block": _public_access_block,
    "table": _table,
    "guardrail": _guardrail,
    "log_group": _log_group,
    "log_data_protection_policy": _log_data_protection_policy,
    "log_delivery_source": _log_delivery_source,
    "log_delivery_destination": _log_delivery_destination,
    "aoss_security_policy": _aoss_security_policy,
    "agentcore_resource_policy": _agentcore_resource_policy,
    "agent_runtime": _agent_runtime,
    "route_table": _route_table,
    "budget": _budget,
    "anomaly_subscription": _anomaly_subscription,
    "route": _route,
    "route_table_association": _route_table_association,
    "ecr_scanning_configuration": _ecr_scanning,
    "user": _user_or_group,
    "custom_model": _custom_model,
}

_NAME_KEYS = {
    "agent": ("agent_name",),
    "agent_alias": ("agent_alias_name",),
    "action_group": ("action_group_name",),
    "role": ("name",),
    "function": ("function_name",),
    "guardrail": ("name",),
    "knowledge_base": ("name",),
    "agent_runtime": ("agent_runtime_name",),
    "ecr_repository": ("repository_name", "name"),
    "bucket": ("bucket_name", "bucket"),
    "table": ("table_name", "name"),
    "log_group": ("log_group_name",),
    "custom_model": ("model_name",),
    "model_invocation_job": ("job_name",),
}


def _key(raw: RawResource, local_id: str) -> str:
    return f"{raw.stack}#{local_id}"


def normalize(raw: RawResource) -> list[Resource]:
    """One raw resource -> normalized resources (an agent's inline action groups are their own)."""
    kind = TYPE_TO_KIND.get(raw.type)
    if kind is None:
        return []
    if raw.source == "cloudformation":
        props = _snake_tree(raw.properties)
        locs = {_snake_path(k): v for k, v in raw.locations.items()}
    else:
        props = dict(raw.properties)
        locs = dict(raw.locations)
    hook = _HOOKS.get(kind)
    if hook:
        hook(raw, props, locs)
    out: list[Resource] = []
    key = _key(raw, raw.local_id)
    if kind == "agent" and (raw.source == "cloudformation" or raw.type in AWSCC_TYPES):  # inline action groups
        out.extend(_inline_action_groups(raw, key, props, locs))
    name = None
    for nk in _NAME_KEYS.get(kind, ("name",)):
        v = props.get(nk)
        if v is not None:
            name = v if isinstance(v, str) else str(v)
            break
    out.insert(
        0,
        Resource(
            kind=kind,
            id=raw.local_id,
            key=key,
            source=raw.source,
            source_type=raw.type,
            stack=raw.stack,
            name=name,
            display_name=raw.display_name,
            properties=props,
            tags=_tags(raw, props),
            location=raw.location,
            attr_locations=locs,
            account=raw.account,
            region=raw.region,
            arn=raw.arn,
            suppressions=raw.suppressions,
        ),
    )
    return out


def _inline_action_groups(raw: RawResource, agent_key: str, props: dict[str, Any], locs: dict[str, Location]) -> list[Resource]:
    groups = props.get("action_groups")
    if not isinstance(groups, list):
        return []
    out = []
    for i, g in enumerate(groups):
        if not isinstance(g, dict):
            continue
        prefix = f"action_groups.{i}."
        glocs = {k[len(prefix) :]: v for k, v in locs.items() if k.startswith(prefix)}
        gp = dict(g)
        gp["agent_id"] = Ref(raw.local_id)
        lid = f"{raw.local_id}/ActionGroups/{i}"
        name = g.get("action_group_name")
        out.append(
            Resource(
                kind="action_group",
                id=lid,
                key=_key(raw, lid),
                source=raw.source,
                source_type=f"{raw.type}.ActionGroup",  # AWS::Bedrock::Agent.ActionGroup, awscc_bedrock_agent.ActionGroup
                stack=raw.stack,
                name=name if isinstance(name, str) else None,
                display_name=f"{raw.display_name}/ActionGroups/{i}" if raw.display_name else None,
                properties=gp,
                tags=None,
                location=locs.get(f"action_groups.{i}", raw.location),
                attr_locations=glocs,
                account=raw.account,
                region=raw.region,
                suppressions=raw.suppressions,
                parent=agent_key,
            )
        )
    return out
