"""Reference resolution: properties that name other resources become edges.

Edges are found by reference, not by name guessing: a ``Ref`` (CloudFormation
``Ref``/``GetAtt``, a Terraform attribute reference) points at one resource of
the same stack; a literal ARN or name is matched against the scanned
resources of the expected kind (ARN, then name in the same stack, then name
anywhere); what points outside the scanned files is an ``Unknown`` edge with
the reason, so a policy about "the role of this agent" can say UNKNOWN rather
than guess.
"""

from __future__ import annotations

from typing import Any

from .model import Edge, Expr, Inventory, Ref, Resource, ShapedUnknown, Unknown, Unlisted, walk

#: an executor or a permission may name the function, one of its aliases or one of its versions
_FUNCTION_OR_ALIAS = ("function", "function_alias", "function_version")

#: AgentCore resources that deliver application logs and traces through CloudWatch Logs delivery (AG605)
DELIVERING_KINDS = ("agent_runtime", "gateway", "memory", "code_interpreter", "browser")

# (kind, attribute path, relation, target kinds, reverse relation or None)
REFERENCES: list[tuple[str, str, str, tuple[str, ...], str | None]] = [
    # first: what names a function may name one of these instead (see _through_alias)
    ("function_alias", "function_name", "function", ("function",), None),
    ("function_version", "function_name", "function", ("function",), None),
    ("agent", "agent_resource_role_arn", "role", ("role",), None),
    ("agent", "guardrail_configuration.guardrail_identifier", "guardrail", ("guardrail",), None),
    ("agent", "customer_encryption_key_arn", "kms_key", ("kms_key",), None),
    ("agent", "knowledge_bases.knowledge_base_id", "knowledge_base", ("knowledge_base",), None),
    ("agent", "agent_collaborators.agent_descriptor.alias_arn", "collaborator", ("agent_alias",), None),
    ("action_group", "agent_id", "agent", ("agent",), "action_group"),
    ("action_group", "action_group_executor.lambda", "function", _FUNCTION_OR_ALIAS, None),
    ("agent_alias", "agent_id", "agent", ("agent",), "alias"),
    ("agent_version", "agent_id", "agent", ("agent",), "version"),
    ("agent_version", "agent_resource_role_arn", "role", ("role",), None),  # live: an alias-routed version's own role
    ("knowledge_base_association", "agent_id", "agent", ("agent",), None),
    ("knowledge_base_association", "knowledge_base_id", "knowledge_base", ("knowledge_base",), None),
    ("agent_collaborator", "agent_id", "agent", ("agent",), None),
    ("agent_collaborator", "agent_descriptor.alias_arn", "collaborator", ("agent_alias",), None),
    ("knowledge_base", "role_arn", "role", ("role",), None),
    (
        "knowledge_base",
        "storage_configuration.opensearch_serverless_configuration.collection_arn",
        "vector_store",
        ("aoss_collection",),
        "knowledge_base",
    ),
    ("data_source", "knowledge_base_id", "knowledge_base", ("knowledge_base",), "data_source"),
    ("data_source", "data_source_configuration.s3_configuration.bucket_arn", "bucket", ("bucket",), None),
    ("guardrail_version", "guardrail_identifier", "guardrail", ("guardrail",), "version"),
    ("guardrail_version", "guardrail_arn", "guardrail", ("guardrail",), "version"),  # Terraform's name
    ("agent_runtime", "role_arn", "role", ("role",), None),
    ("agent_runtime", "container_repository", "image_repository", ("ecr_repository",), None),
    ("agent_runtime_endpoint", "agent_runtime_id", "agent_runtime", ("agent_runtime",), "endpoint"),
    ("gateway", "role_arn", "role", ("role",), None),
    ("gateway", "kms_key_arn", "kms_key", ("kms_key",), None),
    ("gateway", "policy_engine_configuration.arn", "policy_engine", ("policy_engine",), "gateway"),
    ("policy_engine", "encryption_key_arn", "kms_key", ("kms_key",), None),
    ("gateway_target", "gateway_identifier", "gateway", ("gateway",), "target"),
    ("waf_association", "resource_arn", "protects", ("gateway",), "web_acl_association"),
    (
        "agentcore_resource_policy",
        "resource_arn",
        "resource",
        ("agent_runtime", "agent_runtime_endpoint", "gateway"),
        "resource_policy",
    ),
    ("gateway_target", "target_configuration.mcp.lambda.lambda_arn", "function", _FUNCTION_OR_ALIAS, None),
    ("memory", "memory_execution_role_arn", "role", ("role",), None),
    ("memory", "encryption_key_arn", "kms_key", ("kms_key",), None),
    ("code_interpreter", "execution_role_arn", "role", ("role",), None),
    ("browser", "execution_role_arn", "role", ("role",), None),
    ("function", "role", "role", ("role",), None),
    ("invocation_logging", "logging_config.cloudwatch_config.role_arn", "role", ("role",), None),
    ("invocation_logging", "logging_config.cloudwatch_config.log_group_name", "log_group", ("log_group",), "logged_by"),
    ("log_data_protection_policy", "log_group_name", "log_group", ("log_group",), "data_protection_policy"),
    ("log_delivery_source", "resource_arns", "delivers_for", DELIVERING_KINDS, "delivery_source"),
    ("log_delivery", "delivery_source_name", "source", ("log_delivery_source",), "delivery"),
    ("log_delivery", "delivery_destination_arn", "destination", ("log_delivery_destination",), None),
    (
        "log_delivery_destination",
        "delivery_destination_configuration.destination_resource_arn",
        "log_group",
        ("log_group",),
        None,
    ),
    ("flow", "execution_role_arn", "role", ("role",), None),
    ("flow_version", "flow_arn", "flow", ("flow",), "version"),
    ("custom_model", "role_arn", "role", ("role",), None),
    ("model_customization_job", "role_arn", "role", ("role",), None),
    ("model_invocation_job", "role_arn", "role", ("role",), None),
    ("notebook", "role_arn", "role", ("role",), None),
    ("role_last_accessed", "role_arn", "role", ("role",), None),
    ("function_permission", "function_name", "function", _FUNCTION_OR_ALIAS, "permission"),
    ("role_policy", "roles", "role", ("role",), "policy"),
    ("managed_policy", "roles", "role", ("role",), "policy"),
    ("policy_attachment", "roles", "role", ("role",), None),
    ("policy_attachment", "policy_arns", "policy", ("managed_policy",), None),
    ("role", "managed_policy_arns", "policy", ("managed_policy",), None),
    ("user", "managed_policy_arns", "policy", ("managed_policy",), None),
    # users and groups: a group's policies are its users' (AG109, AG110)
    ("role_policy", "users", "user", ("user",), "policy"),
    ("role_policy", "groups", "group", ("group",), "policy"),
    ("managed_policy", "users", "user", ("user",), "policy"),
    ("managed_policy", "groups", "group", ("group",), "policy"),
    ("policy_attachment", "users", "user", ("user",), None),
    ("policy_attachment", "groups", "group", ("group",), None),
    ("group", "managed_policy_arns", "policy", ("managed_policy",), None),
    ("user", "groups", "group", ("group",), None),
    ("group_membership", "users", "user", ("user",), None),
    ("group_membership", "groups", "group", ("group",), None),
    ("service_credential", "user_name", "user", ("user",), None),
    ("function", "vpc_config.subnet_ids", "subnet", ("subnet",), None),
    ("agent_runtime", "network_configuration.network_mode_config.subnets", "subnet", ("subnet",), None),
    ("code_interpreter", "network_configuration.vpc_config.subnets", "subnet", ("subnet",), None),
    ("browser", "network_configuration.vpc_config.subnets", "subnet", ("subnet",), None),
    ("subnet", "vpc_id", "vpc", ("vpc",), "subnet"),
    ("route_table", "vpc_id", "vpc", ("vpc",), "route_table"),
    ("anomaly_subscription", "monitor_arn_list", "monitor", ("anomaly_monitor",), "subscription"),
    ("route", "route_table_id", "route_table", ("route_table",), "route"),
    ("route_table_association", "subnet_id", "subnet", ("subnet",), "route_table_association"),
    ("route_table_association", "route_table_id", "route_table", ("route_table",), "association"),
    ("route_table_association", "vpc_id", "vpc", ("vpc",), "main_route_table_association"),
    ("vpc_endpoint", "vpc_id", "vpc", ("vpc",), "vpc_endpoint"),
    ("vpc_endpoint_policy", "vpc_endpoint_id", "vpc_endpoint", ("vpc_endpoint",), "endpoint_policy"),
    ("secret_rotation", "secret_id", "secret", ("secret",), "rotation"),
    ("bucket_object_lock", "bucket", "bucket", ("bucket",), "object_lock"),
    ("bucket_public_access_block", "bucket", "bucket", ("bucket",), "public_access_block"),
    ("bucket_versioning", "bucket", "bucket", ("bucket",), "versioning"),
]

#: log groups Bedrock and AgentCore write to (agents' traces, runtimes' application logs, vended logs)
AGENT_LOG_GROUP_PREFIXES = ("/aws/bedrock-agentcore/", "/aws/bedrock/", "/aws/vendedlogs/bedrock-agentcore/")

#: which relation makes a role an agent role, from which kinds
AGENT_ROLE_USERS = (
    "agent",
    "agent_version",
    "knowledge_base",
    "agent_runtime",
    "gateway",
    "memory",
    "code_interpreter",
    "browser",
)
BEDROCK_PRINCIPALS = ("bedrock.amazonaws.com", "bedrock-agentcore.amazonaws.com")
#: what else a role that trusts Bedrock serves: a role these use and no agent uses is not an agent role
OTHER_ROLE_USERS = ("invocation_logging", "flow", "custom_model", "model_customization_job", "model_invocation_job", "notebook")


def _arn_name(text: str) -> str:
    """Last name segment of an ARN or a plain name; a Lambda function's name without its qualifier
    (``arn:aws:lambda:r:a:function:NAME:live`` and ``function:NAME:3`` name the function NAME)."""
    if ":function:" in text:
        return text.split(":function:", 1)[1].split(":", 1)[0]
    tail = text.rsplit(":", 1)[-1] if text.startswith("arn:") else text
    return tail.rsplit("/", 1)[-1]


class _Index:
    def __init__(self, inv: Inventory):
        self.by_arn: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], list[str]] = {}
        for r in inv:
            if isinstance(r.arn, str):
                self.by_arn[r.arn] = r.key
                # a live resource is also named by its id, the ARN's last segment (an agent's guardrail may be
                # set by bare id, a key by key id): matched as a name is
                tail = _arn_name(r.arn)
                if tail and tail != r.name:
                    self.by_name.setdefault((r.kind, tail), []).append(r.key)
            if r.name:
                self.by_name.setdefault((r.kind, r.name), []).append(r.key)

    def by_name_in(self, inv: Inventory, kinds: tuple[str, ...], name: str, stack: str) -> str | None:
        candidates = [k for kind in kinds for k in self.by_name.get((kind, name), ())]
        if not candidates:
            return None
        same = [k for k in candidates if inv.resources[k].stack == stack]
        if len(same) == 1:
            return same[0]
        if len(candidates) == 1:
            return candidates[0]
        return None


def _target(inv: Inventory, idx: _Index, src: Resource, value: Any, kinds: tuple[str, ...]) -> str | Unknown | None:
    if value is None or value == "":
        return None
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        key: str | None = value.target if "#" in value.target else f"{src.stack}#{value.target}"
        if key in inv.resources:
            return key
        return Unknown(f"{value.target} is not a resource agentgov models")
    if isinstance(value, Expr):
        refs = value.refs
        if refs:
            return _target(inv, idx, src, refs[-1], kinds)
        lit = value.literal
        name = _arn_name(lit) if lit else ""
        if name:
            key = idx.by_name_in(inv, kinds, name, src.stack)
            if key:
                return key
        u = value.unknowns
        return u[0] if u else Unknown(f"{value} is not defined in the scanned files")
    if isinstance(value, str):
        if value in idx.by_arn:
            return idx.by_arn[value]
        key = idx.by_name_in(inv, kinds, _arn_name(value), src.stack)
        if key:
            return key
        if value.startswith("arn:aws:iam::aws:policy/"):
            return None  # an AWS managed policy: a property, not a resource
        return _outside(inv, src, value, kinds)
    return None


def _outside(inv: Inventory, src: Resource, value: str, kinds: tuple[str, ...]) -> Unknown:
    """What a literal reference that names no resource of the inventory is: outside the scanned files, or
    (live) not among the account's records, with the call that failed when that kind's collection did."""
    if src.source != "aws":
        return Unknown(f"{value} is not defined in the scanned files")
    gap = inv.uncollected_of(src.account, kinds, src.region)
    if gap:
        kind, region, why = gap
        return Unknown(f"{value}: the {kind.replace('_', ' ')}s of account {src.account} in {region} were not read: {why}")
    return Unknown(f"{value} is not among the resources read from account {src.account}")


def _pinned_guardrail(inv: Inventory, idx: _Index, agent: Resource, dst: str | Unknown) -> str | Unknown:
    """A live agent's guardrail is the published version it pins (a record of its own, ``<arn>:<version>``, with that
    version's policies), not the guardrail's DRAFT; IaC judges the guardrail as written."""
    if not isinstance(dst, str):
        return dst
    g = inv.resources[dst]
    if g.source != "aws" or not isinstance(g.arn, str):
        return dst
    pinned = [v for v in walk(agent.properties, "guardrail_configuration.guardrail_version") if isinstance(v, str)]
    if len(pinned) != 1 or pinned[0] == "DRAFT":
        return dst
    key = idx.by_arn.get(f"{g.arn}:{pinned[0]}")
    if key:
        return key
    unread = g.properties.get("published_versions")
    if isinstance(unread, Unknown):
        return Unknown(f"version {pinned[0]} of guardrail {g.label} was not read: {unread.reason}")
    return Unknown(f"guardrail {g.label} has no version {pinned[0]} among the versions read from account {g.account}")


def resolve_edges(inv: Inventory) -> None:
    """Add the edges of ``REFERENCES`` and compute agent_role / agent_function."""
    idx = _Index(inv)
    for kind, path, rel, kinds, reverse in REFERENCES:
        for r in list(inv.of_kind(kind)):
            for value in walk(r.properties, path):
                dst = _target(inv, idx, r, value, kinds)
                if dst is None:
                    continue
                if kind == "agent" and rel == "guardrail":
                    dst = _pinned_guardrail(inv, idx, r, dst)
                if isinstance(dst, str) and inv.resources[dst].kind not in kinds:
                    continue
                for d in _through_alias(inv, dst, kind):
                    inv.add_edge(Edge(r.key, rel, d, via=path))
                    if reverse and isinstance(d, str):
                        inv.add_edge(Edge(d, reverse, r.key, via=path))
    for r in list(inv):
        for rel, why in sorted((r.unlisted or {}).items()):
            inv.add_edge(Edge(r.key, rel, Unlisted(why), via=rel))
    _link_associations(inv)
    _fold_split_resources(inv)
    _link_tables(inv, idx)
    _qualify(inv)
    from .scopes import qualify_scopes  # agent VPC endpoints, agent secrets, secret parameters

    qualify_scopes(inv)
    _qualify_state(inv)


def _through_alias(inv: Inventory, dst: str | Unknown, src_kind: str) -> list[str | Unknown]:
    """A Lambda alias or version stands for its function (what an action group or gateway runs through it)."""
    if not isinstance(dst, str) or src_kind in ("function_alias", "function_version"):
        return [dst]
    target = inv.resources[dst]
    if target.kind not in ("function_alias", "function_version"):
        return [dst]
    found = [e.dst for e in inv.out_edges(dst, "function")]
    return found or [Unknown(f"{target.kind.replace('_', ' ')} {target.label} names no function of the scanned files")]


# association resources that join two resources: (kind, from-relation, to-relation, attribute)
_ASSOCIATIONS = (
    ("knowledge_base_association", "agent", "knowledge_base", "knowledge_base_id"),  # agent -> knowledge base
    ("agent_collaborator", "agent", "collaborator", "agent_descriptor.alias_arn"),  # supervisor -> collaborator alias
    ("policy_attachment", "role", "policy", "policy_arn"),  # role -> attached policy
    ("policy_attachment", "user", "policy", "policy_arn"),  # user -> attached policy
    ("policy_attachment", "group", "policy", "policy_arn"),  # group -> attached policy
    ("group_membership", "user", "group", "groups"),  # user -> its group
)


def _link_associations(inv: Inventory) -> None:
    """Association resources (Terraform's mostly) become direct edges between what they join."""
    for kind, src_rel, dst_rel, attr in _ASSOCIATIONS:
        for assoc in inv.of_kind(kind):
            targets = [e.dst for e in inv.out_edges(assoc.key, dst_rel)]
            for src in (e.dst for e in inv.out_edges(assoc.key, src_rel)):
                if isinstance(src, str):
                    for dst in targets:
                        inv.add_edge(Edge(src, dst_rel, dst, via=f"{assoc.id}.{attr}"))


def _principals(doc: Any) -> set[str]:
    out: set[str] = set()
    for stmt in walk(doc, "Statement"):
        if isinstance(stmt, dict) and stmt.get("Effect") == "Allow":
            for p in walk(stmt, "Principal.Service"):
                if isinstance(p, str):
                    out.add(p)
    return out


def _qualify(inv: Inventory) -> None:
    q = inv.roles_of
    for fkey in _agent_functions(inv):
        q.setdefault(fkey, set()).add("agent_function")
    for kind in AGENT_ROLE_USERS:
        for r in inv.of_kind(kind):
            for e in inv.out_edges(r.key, "role"):
                if isinstance(e.dst, str):
                    q.setdefault(e.dst, set()).add("agent_role")
    for fkey, quals in list(q.items()):
        if "agent_function" in quals:
            for e in inv.out_edges(fkey, "role"):
                if isinstance(e.dst, str):
                    q.setdefault(e.dst, set()).add("agent_role")
    _qualify_trust_only(inv)


def _qualify_trust_only(inv: Inventory) -> None:
    """A role that trusts Bedrock or AgentCore and that nothing scanned uses is an agent role (it can be
    handed to an agent outside the files; the reason goes into its findings' evidence); one the files show
    serving something else only (model invocation logging, a flow, a model customization job, a notebook)
    is not."""
    why = inv.cache.setdefault("agent_role_why", {})
    for role in inv.of_kind("role"):
        if inv.has_qualifier(role, "agent_role"):
            continue
        trusted = sorted(_principals(role.properties.get("assume_role_policy")) & set(BEDROCK_PRINCIPALS))
        if not trusted:
            continue
        users = [inv.resources[e.src] for e in inv.in_edges(role.key, "role")]
        others = sorted({f"{u.kind.replace('_', ' ')} {u.label}" for u in users if u.kind in OTHER_ROLE_USERS})
        if others:
            why[role.key] = f"not an agent role: it trusts {', '.join(trusted)} but serves {', '.join(others)} only"
            continue
        inv.roles_of.setdefault(role.key, set()).add("agent_role")
        why[role.key] = (
            f"judged as an agent role: nothing in the scanned files uses it, and it trusts {', '.join(trusted)},"
            " so it can be handed to an agent outside the files"
        )


def _agent_functions(inv: Inventory) -> list[str]:
    """Functions an agent calls: an action group's or a gateway target's, or one a Bedrock principal may invoke."""
    callers = [*inv.of_kind("action_group"), *inv.of_kind("gateway_target")]
    for perm in inv.of_kind("function_permission"):
        principal = perm.properties.get("principal")
        if isinstance(principal, str) and principal in BEDROCK_PRINCIPALS:
            callers.append(perm)
    return [e.dst for c in callers for e in inv.out_edges(c.key, "function") if isinstance(e.dst, str)]


# ------------------------------------- Terraform's split configuration resources

# (kind of the split resource, relation to what it configures, property it carries)
_SPLIT_RESOURCES = (
    ("bucket_object_lock", "bucket", "object_lock_configuration"),
    ("bucket_public_access_block", "bucket", "public_access_block_configuration"),
    ("bucket_versioning", "bucket", "versioning_configuration"),
    ("log_data_protection_policy", "log_group", "data_protection_policy"),
)


def _fold_split_resources(inv: Inventory) -> None:
    """A separate configuration resource (``aws_s3_bucket_versioning``...) becomes the property of
    what it configures, shaped as CloudFormation's inline property, so one attribute path judges
    both; its attribute locations come along (a finding points at the separate resource's line)."""
    for kind, rel, prop in _SPLIT_RESOURCES:
        for r in inv.of_kind(kind):
            value = r.properties.get(prop)
            if value is None:
                continue
            for e in inv.out_edges(r.key, rel):
                if not isinstance(e.dst, str):
                    continue
                dst = inv.resources[e.dst]
                dst.properties[prop] = value  # the separate resource wins over a legacy inline block
                dst.attr_locations[prop] = r.location
                for k, loc in r.attr_locations.items():
                    if k == prop or k.startswith(prop + "."):
                        dst.attr_locations[k] = loc


# ------------------------------------------------ tables an agent's code reaches

#: where code names the tables it uses: (kind, path of an environment map)
_ENVIRONMENTS = (("function", "environment.variables"), ("agent_runtime", "environment_variables"))


def _table_of(inv: Inventory, idx: _Index, src: Resource, value: Any, literal_ok) -> str | None:
    """The key of the DynamoDB table ``value`` names, when it names one."""
    if isinstance(value, str):
        if not literal_ok(value):
            return None
        candidates = idx.by_name.get(("table", _arn_name(value)), ())
        same = [k for k in candidates if inv.resources[k].stack == src.stack]
        return same[0] if len(same) == 1 else None
    if isinstance(value, Expr) and not value.refs:
        return _table_of(inv, idx, src, value.literal, literal_ok) if ":dynamodb:" in value.literal else None
    if isinstance(value, (Ref, Expr)):
        dst = _target(inv, idx, src, value, ("table",))
        if isinstance(dst, str) and inv.resources[dst].kind == "table":
            return dst
    return None


def _link_tables(inv: Inventory, idx: _Index) -> None:
    """Edges ``table`` from functions and runtimes (environment) and roles (policy Resource) to tables."""
    if not inv.of_kind("table"):
        return
    for kind, path in _ENVIRONMENTS:
        for r in inv.of_kind(kind):
            for env in walk(r.properties, path):
                if not isinstance(env, dict):
                    continue
                for name, v in env.items():
                    dst = _table_of(inv, idx, r, v, lambda s: True)
                    if dst:
                        inv.add_edge(Edge(r.key, "table", dst, via=f"{path}.{name}"))
                        inv.add_edge(Edge(dst, "reached_by", r.key, via=f"{path}.{name}"))
    arn = lambda s: ":dynamodb:" in s and ":table/" in s  # noqa: E731
    for role in inv.of_kind("role"):
        docs: list[tuple[Resource, Any]] = [(role, d) for d in walk(role.properties, "inline_policies.document")]
        for e in inv.out_edges(role.key, "policy"):
            if isinstance(e.dst, str):
                pol = inv.resources[e.dst]
                docs.append((pol, pol.properties.get("document")))
        seen: set[str] = set()
        for where, doc in docs:
            for stmt in walk(doc, "Statement"):
                if not isinstance(stmt, dict) or stmt.get("Effect") != "Allow":
                    continue
                for v in walk(stmt.get("Resource"), ""):
                    dst = _table_of(inv, idx, where, v, arn)
                    if dst and dst not in seen:
                        seen.add(dst)
                        inv.add_edge(Edge(role.key, "table", dst, via=f"{where.id} Resource"))
                        inv.add_edge(Edge(dst, "reached_by", role.key, via=f"{where.id} Resource"))


def _qualify_state(inv: Inventory) -> None:
    """agent_table: tables an agent's code reaches; knowledge_base_bucket: buckets a data source reads."""
    q = inv.roles_of
    for table in inv.of_kind("table"):
        for e in inv.in_edges(table.key, "table"):
            src = inv.resources[e.src]
            if src.kind == "agent_runtime" or inv.has_qualifier(src, "agent_function") or inv.has_qualifier(src, "agent_role"):
                q.setdefault(table.key, set()).add("agent_table")
                break
    for ds in inv.of_kind("data_source"):
        for e in inv.out_edges(ds.key, "bucket"):
            if isinstance(e.dst, str):
                q.setdefault(e.dst, set()).add("knowledge_base_bucket")
    for source in inv.of_kind("log_delivery_source"):  # where an AgentCore resource's logs are delivered
        if not any(isinstance(e.dst, str) for e in inv.out_edges(source.key, "delivers_for")):
            continue
        for d in inv.out_edges(source.key, "delivery"):
            for dest in inv.out_edges(d.dst, "destination") if isinstance(d.dst, str) else []:
                for g in inv.out_edges(dest.dst, "log_group") if isinstance(dest.dst, str) else []:
                    if isinstance(g.dst, str):
                        q.setdefault(g.dst, set()).add("agent_log_group")
    for group in inv.of_kind("log_group"):
        name = group.properties.get("log_group_name")
        if isinstance(name, Expr):  # !Sub "/aws/bedrock-agentcore/${Name}": its literal start
            name = name.parts[0] if name.parts and isinstance(name.parts[0], str) else None
        if inv.in_edges(group.key, "log_group") or (isinstance(name, str) and name.startswith(AGENT_LOG_GROUP_PREFIXES)):
            q.setdefault(group.key, set()).add("agent_log_group")


RELATIONS: frozenset[str] = frozenset(
    {r for _, _, r, _, _ in REFERENCES}
    | {r for *_, r in REFERENCES if r}
    | {"knowledge_base", "collaborator", "policy", "table", "reached_by"}
)

# attributes whose value is fixed by the resource type, whatever the template says
_KNOWN_ATTRIBUTES: dict[tuple[str, str], Any] = {
    ("aws_bedrockagent_agent", "agent_version"): "DRAFT",  # the agent resource is always its draft
    ("AWS::Bedrock::Agent", "AgentVersion"): "DRAFT",
    ("aws_bedrock_guardrail", "version"): "DRAFT",  # the guardrail resource is its working draft
    ("AWS::Bedrock::Guardrail", "Version"): "DRAFT",  # "This value will always be DRAFT" (CFN reference)
    # a published guardrail version: a number assigned at deploy time
    ("aws_bedrock_guardrail_version", "version"): ShapedUnknown(
        "the version number Bedrock assigns when it publishes the guardrail version", shape=r"[1-9][0-9]{0,7}"
    ),
    ("AWS::Bedrock::GuardrailVersion", "Version"): ShapedUnknown(
        "the version number Bedrock assigns when it publishes the guardrail version", shape=r"[1-9][0-9]{0,7}"
    ),
    # Terraform's Cloud Control provider: the CloudFormation types under snake_case names
    ("awscc_bedrock_agent", "agent_version"): "DRAFT",
    ("awscc_bedrock_guardrail", "version"): "DRAFT",
    ("awscc_bedrock_guardrail_version", "version"): ShapedUnknown(
        "the version number Bedrock assigns when it publishes the guardrail version", shape=r"[1-9][0-9]{0,7}"
    ),
}


def known_attribute(inv: Inventory, src: Resource, ref: Ref) -> Any:
    """The value of ``ref`` when the target's type fixes it, else ``ref`` itself."""
    if ref.attr is None:
        return ref
    key = ref.target if "#" in ref.target else f"{src.stack}#{ref.target}"
    target = inv.resources.get(key)
    if target is None:
        return ref
    return _KNOWN_ATTRIBUTES.get((target.source_type, ref.attr), ref)
