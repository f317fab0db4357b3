"""``agentgov drift``: what is written (IaC) against what is deployed (a live audit's JSON report).

The IaC is scanned by the same engine, configuration and parameters as
``agentgov scan``; the live side is one or more ``agentgov audit --format
json`` reports (or ``agentgov merge`` of shards), whose ``live_inventory``
section lists every collected resource with its ARN, physical name, stack
tags and what was collected whole.

An IaC resource matches live resources by the first of these rules that finds
any (strongest first):

1. **ARN**: the resource's own ARN when the IaC states it (a Terraform plan or
   ``terraform show -json`` state carries ``arn``/``agent_arn``/...), or the ARN
   Terraform state records for its address (``terraform.tfstate`` next to the
   configuration, ``--tf-state FILE``, a plan's ``prior_state``).
2. **stack tags**: the live resource's ``aws:cloudformation:stack-name`` and
   ``aws:cloudformation:logical-id`` tags equal the template's stack name and
   the resource's logical id. The stack name of a template is, in order:
   ``--stack-name TEMPLATE=NAME`` (or a bare ``--stack-name NAME`` for every
   template), the CDK ``manifest.json`` beside the template (its
   ``stackName``, else the artifact id), a ``samconfig.toml`` in the template's
   directory (``stack_name`` of ``[default.deploy.parameters]`` or
   ``[default.global.parameters]``), else the file name without its suffix
   (and without CDK's ``.template``).
3. **physical name**: the same kind and the same literal name (agent name,
   AgentCore runtime, gateway, memory, guardrail, knowledge base, role,
   function, ... name), within the IaC's account/region when it states them.
   A name built from a parameter or variable without default is no name.
4. **parent**: an alias or action group whose agent matched, by its own name
   under that live agent.

The comparison's result (``DriftResult``) is rendered by ``agentgov.reports.drift_*``.
Reports: live agents no scanned IaC defines (unmanaged), IaC agents not
deployed (scoped to what the live result collected whole; otherwise "not
assessed"), and policy verdicts that differ on matched resources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentgov.scanner.findings import Status, fingerprint
from agentgov.scanner.model import Ref, Resource

#: the agents the headline is about (``--all-kinds`` widens unmanaged/not-deployed to NAMED_KINDS)
AGENT_KINDS = ("agent", "agent_runtime", "gateway")
#: kinds whose physical name identifies them within an account and region
NAMED_KINDS = (
    "agent",
    "agent_runtime",
    "gateway",
    "memory",
    "guardrail",
    "knowledge_base",
    "role",
    "function",
    "managed_policy",
    "bucket",
    "table",
    "trail",
    "alarm",
    "secret",
    "code_interpreter",
    "browser",
    "flow",
    "user",
    "group",
)
#: kinds found under their parent (an agent) by name
CHILD_KINDS = ("agent_alias", "action_group")
#: attributes that hold a resource's own ARN in Terraform plan/state values (never another resource's)
OWN_ARN_KEYS = (
    "arn",
    "agent_arn",
    "agent_alias_arn",
    "agent_runtime_arn",
    "gateway_arn",
    "guardrail_arn",
    "knowledge_base_arn",
    "memory_arn",
    "code_interpreter_arn",
    "browser_arn",
)
FAIL_ON = ("unmanaged", "undeployed", "verdicts")
SETTLED = (Status.PASS.value, Status.FAIL.value)
_ARN = re.compile(r"^arn:[^:]+:[^:]*:([^:]*):(\d{12})?:")


class DriftInputError(Exception):
    """A live result or state file that cannot be used (exit 2); the message names the file and the reason."""


# ------------------------------------------------------------------------ the live side


@dataclass
class LiveResource:
    id: str
    kind: str
    type: str
    location: str
    arn: str | None = None
    name: str | None = None
    account: str | None = None
    region: str | None = None
    cloudformation: dict[str, str] | None = None
    tags_unknown: str | None = None
    parent: str | None = None

    @property
    def ref(self) -> tuple[str | None, str]:
        return (self.account, self.id)


@dataclass
class Live:
    reports: list[str] = field(default_factory=list)
    resources: dict[tuple[str | None, str], LiveResource] = field(default_factory=dict)
    findings: dict[tuple[str | None, str, str], dict[str, Any]] = field(default_factory=dict)
    policies: set[str] = field(default_factory=set)
    collected: set[tuple[str, str | None, str]] = field(default_factory=set)
    digests: set[str] = field(default_factory=set)
    gaps: list[str] = field(default_factory=list)

    @property
    def accounts(self) -> set[str]:
        return {a for a, _, _ in self.collected} | {r.account for r in self.resources.values() if r.account}

    @property
    def regions(self) -> set[str]:
        return {r for _, r, _ in self.collected if r}


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DriftInputError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DriftInputError(f"{path}: the {what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DriftInputError(
            f"{path}: the {what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise DriftInputError(f"{path}: the {what} is not valid JSON: nested too deeply") from None


def _check_report_schema(path: Path) -> None:
    """The live result matches the JSON report's schema (wrong types never reach the matching)."""
    from agentgov.reports.input_validation import InputInvalid, live_result_model, validate_text

    try:
        validate_text(path.read_bytes(), live_result_model())
    except OSError as exc:
        raise DriftInputError(f"{path}: cannot read the live result: {exc.strerror or exc}") from None
    except InputInvalid as exc:
        raise DriftInputError(f"{path}: malformed live result: {exc}") from None


def load_live(paths: Iterable[Path]) -> Live:
    """The live results, joined (a resource two reports hold is one); DriftInputError names the file and the reason."""
    live = Live()
    for path in paths:
        doc = _read_json(path, "live result")
        if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list) or not isinstance(doc.get("tool"), dict):
            raise DriftInputError(
                f"{path}: not an agentgov JSON report (no 'tool' and 'findings'); "
                "give the output of 'agentgov audit --format json'"
            )
        section = doc.get("live_inventory")
        if section is None:
            located = [f.get("location", {}).get("file", "") for f in doc["findings"] if isinstance(f, dict)]
            if located and not any(str(x).startswith("aws://") for x in located):
                raise DriftInputError(
                    f"{path}: a scan report (its findings are in files), not a live audit result; "
                    "give the output of 'agentgov audit --format json'"
                )
            raise DriftInputError(
                f"{path}: the report has no resource inventory ('live_inventory'), which matching needs; "
                "it was written by an older agentgov: run 'agentgov audit --format json' again"
            )
        _check_report_schema(path)
        try:
            for r in section["resources"]:
                res = LiveResource(
                    id=str(r["id"]),
                    kind=str(r["kind"]),
                    type=str(r["type"]),
                    location=str(r["location"]),
                    arn=r.get("arn"),
                    name=r.get("name"),
                    account=r.get("account"),
                    region=r.get("region"),
                    cloudformation=r.get("cloudformation") if isinstance(r.get("cloudformation"), dict) else None,
                    tags_unknown=r.get("tags_unknown"),
                    parent=r.get("parent"),
                )
                live.resources.setdefault(res.ref, res)
            for c in section["collected"]:
                for kind in c["kinds"]:
                    live.collected.add((str(c["account"]), c.get("region"), str(kind)))
            for f in doc["findings"]:
                if f["policy_id"] == "AG000":
                    if f.get("status") == Status.ERROR.value:
                        live.gaps.append(str(f.get("message")))
                    continue
                live.findings.setdefault((f.get("account"), str(f["resource_id"]), str(f["policy_id"])), f)
            live.policies.update(str(p) for p in doc.get("policies") or [])
            if doc["tool"].get("policy_pack_digest"):
                live.digests.add(str(doc["tool"]["policy_pack_digest"]))
        except (KeyError, TypeError, AttributeError) as exc:
            raise DriftInputError(f"{path}: malformed live result ({type(exc).__name__}: {exc})") from None
        live.reports.append(str(path))
    return live


# ------------------------------------------------------------------------ Terraform state


def _address(module: str | None, type_: str, name: str, index: Any) -> str:
    addr = f"{module + '.' if module else ''}{type_}.{name}"
    if index is None:
        return addr
    return f"{addr}[{json.dumps(index) if isinstance(index, str) else index}]"


def _state_v4(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``terraform.tfstate`` (format 4): address -> attributes."""
    out: dict[str, dict[str, Any]] = {}
    for res in doc.get("resources") or []:
        if not isinstance(res, dict) or res.get("mode", "managed") != "managed":
            continue
        for inst in res.get("instances") or []:
            if isinstance(inst, dict) and isinstance(inst.get("attributes"), dict):
                out[_address(res.get("module"), str(res.get("type")), str(res.get("name")), inst.get("index_key"))] = inst[
                    "attributes"
                ]
    return out


def _shown(values: Any) -> dict[str, dict[str, Any]]:
    """``terraform show -json`` values (a state, or a plan's ``prior_state``): address -> attributes."""
    out: dict[str, dict[str, Any]] = {}
    stack = [values.get("root_module")] if isinstance(values, dict) else []
    while stack:
        module = stack.pop()
        if not isinstance(module, dict):
            continue
        for res in module.get("resources") or []:
            if isinstance(res, dict) and res.get("mode", "managed") == "managed" and isinstance(res.get("values"), dict):
                out[str(res.get("address"))] = res["values"]
        stack.extend(module.get("child_modules") or [])
    return out


def state_addresses(doc: Any) -> dict[str, dict[str, Any]] | None:
    """Address -> attributes from a state (v4 file, or shown as JSON) or a plan's prior state; None if ``doc`` is neither."""
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("resources"), list) and isinstance(doc.get("version"), int) and "values" not in doc:
        return _state_v4(doc) if doc["version"] == 4 else None
    if "terraform_version" in doc or "format_version" in doc:
        if isinstance(doc.get("prior_state"), dict):
            return _shown(doc["prior_state"].get("values"))
        if isinstance(doc.get("values"), dict):
            return _shown(doc["values"])
    return None


@dataclass
class StateIndex:
    """Addresses to attributes, per Terraform root directory (None: a --tf-state file, for every root)."""

    by_root: dict[Path | None, dict[str, dict[str, Any]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, root: Path | None, addresses: dict[str, dict[str, Any]], file: str) -> None:
        self.by_root.setdefault(root, {}).update(addresses)
        self.files.append(file)

    def lookup(self, stack: str, address: str, stack_is_file: bool = False) -> dict[str, Any] | None:
        root = _resolve(stack)
        if stack_is_file and root is not None:  # a plan/state JSON file: the state beside it
            root = root.parent
        for key in (root, None):
            attrs = self.by_root.get(key, {}).get(address)
            if attrs is not None:
                return attrs
        return None


def _resolve(p: str | Path) -> Path | None:
    try:
        return Path(p).resolve()
    except (OSError, RuntimeError):
        return None


def load_states(iac_paths: Iterable[Path], explicit: Iterable[Path]) -> StateIndex:
    """``*.tfstate`` under the IaC paths, or beside an IaC file, (for the root directory they sit in) and ``--tf-state``
    files (for every root); JSON files under the IaC paths that are a shown state or a plan with ``prior_state`` count too."""
    index = StateIndex()
    for path in explicit:
        addresses = state_addresses(_read_json(path, "Terraform state"))
        if addresses is None:
            raise DriftInputError(f"{path}: not a Terraform state (terraform.tfstate format 4, or 'terraform show -json')")
        index.add(None, addresses, str(path))
    for root in iac_paths:
        candidates = (
            [root, *sorted(root.parent.glob("*.tfstate"))]
            if root.is_file()
            else sorted(p for pattern in ("*.tfstate", "*.json") for p in root.rglob(pattern) if ".terraform" not in p.parts)
        )
        for path in candidates:
            if path.suffix not in (".tfstate", ".json"):
                continue
            try:
                with path.open("rb") as fh:
                    head = fh.read(4096)
            except OSError:
                continue  # the scan reports files it cannot read
            if b"terraform_version" not in head and b'"lineage"' not in head and b"format_version" not in head:
                continue
            try:
                addresses = state_addresses(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                if path.suffix == ".tfstate":
                    raise DriftInputError(f"{path}: the Terraform state is not valid JSON") from None
                continue
            if addresses:
                index.add(_resolve(path.parent), addresses, str(path))
    return index


# ------------------------------------------------------------------------ stack names


class StackNames:
    """The CloudFormation stack name of each template (see the module docstring for the rule)."""

    def __init__(self, given: Iterable[str] = ()):
        self.default: str | None = None
        self.per_file: list[tuple[str, str]] = []
        for item in given:
            if "=" in item:
                tpl, _, name = item.partition("=")
                self.per_file.append((tpl.strip(), name.strip()))
            else:
                self.default = item.strip()
        self._cache: dict[str, tuple[str, str]] = {}

    def of(self, template: str) -> tuple[str, str]:
        """(stack name, where it comes from)."""
        if template not in self._cache:
            self._cache[template] = self._find(template)
        return self._cache[template]

    def _find(self, template: str) -> tuple[str, str]:
        path = Path(template)
        resolved = _resolve(path)
        for tpl, name in self.per_file:
            if tpl == template or _resolve(tpl) == resolved or path.name == tpl:
                return name, f"--stack-name {tpl}={name}"
        if self.default:
            return self.default, f"--stack-name {self.default}"
        cdk = _cdk_stack(path)
        if cdk:
            return cdk, f"CDK manifest {path.parent / 'manifest.json'}"
        sam = _samconfig_stack(path)
        if sam:
            return sam
        stem = path.name
        for suffix in (".json", ".yaml", ".yml", ".template"):
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
        return stem, "the template's file name"


def _cdk_stack(path: Path) -> str | None:
    manifest = path.parent / "manifest.json"
    if not manifest.is_file():
        return None
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for art_id, art in (doc.get("artifacts") or {}).items() if isinstance(doc, dict) else ():
        if not isinstance(art, dict) or art.get("type") != "aws:cloudformation:stack":
            continue
        props = art.get("properties") or {}
        if props.get("templateFile") == path.name:
            return str(props.get("stackName") or art_id)
    return None


def _samconfig_stack(path: Path) -> tuple[str, str] | None:
    import tomllib

    cfg = path.parent / "samconfig.toml"
    if not cfg.is_file():
        return None
    try:
        doc = tomllib.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    default = doc.get("default")
    env = default if isinstance(default, dict) else {}
    for section in ("deploy", "global"):
        params = (env.get(section) or {}).get("parameters") or {}
        name = params.get("stack_name")
        tpl = params.get("template_file") or params.get("template")
        if isinstance(name, str) and (not tpl or Path(tpl).name == path.name or path.name in ("template.yaml", "template.yml")):
            return name, f"{cfg} [default.{section}.parameters]"
    return None


# ------------------------------------------------------------------------ matching


@dataclass
class Match:
    iac: Resource
    live: LiveResource
    by: str  # "arn", "terraform state", "stack tags", "name", "parent"
    detail: str = ""


def _literal_name(r: Resource) -> str | None:
    from agentgov.scanner.normalize import _NAME_KEYS

    for key in _NAME_KEYS.get(r.kind, ("name",)):
        v = r.properties.get(key)
        if isinstance(v, str) and v:
            return v
    return None


def _iac_arns(r: Resource, states: StateIndex) -> tuple[list[str], str | None]:
    """(ARNs, the state file's note when they come from Terraform state)."""
    out: list[str] = []
    if isinstance(r.arn, str) and r.arn.startswith("arn:"):
        out.append(r.arn)
    if r.source == "terraform-plan":
        for k in OWN_ARN_KEYS:
            v = r.properties.get(k)
            if isinstance(v, str) and v.startswith("arn:"):
                out.append(v)
    if out:
        return out, None
    if r.source in ("terraform", "terraform-plan"):
        attrs = states.lookup(r.stack, r.id, stack_is_file=r.source == "terraform-plan")
        if attrs:
            arns = [attrs[k] for k in OWN_ARN_KEYS if isinstance(attrs.get(k), str) and attrs[k].startswith("arn:")]
            return arns, "terraform state"
    return [], None


def _where(r: Resource, arns: list[str]) -> tuple[str | None, str | None]:
    """(account, region) the IaC states, from the resource or its ARN."""
    account, region = r.account, r.region
    for a in arns:
        m = _ARN.match(a)
        if m:
            region = region or (m.group(1) or None)
            account = account or m.group(2)
    return account, region


def match(iac: list[Resource], live: Live, states: StateIndex, stacks: StackNames) -> list[Match]:
    by_arn: dict[str, list[LiveResource]] = {}
    by_name: dict[tuple[str, str], list[LiveResource]] = {}
    by_stack: dict[tuple[str, str], list[LiveResource]] = {}
    children: dict[tuple[str | None, str, str, str], list[LiveResource]] = {}
    for lr in live.resources.values():
        for a in {x for x in (lr.arn, lr.id) if x is not None}:
            by_arn.setdefault(a, []).append(lr)
        if lr.name and lr.kind in NAMED_KINDS:
            by_name.setdefault((lr.kind, lr.name), []).append(lr)
        cf = lr.cloudformation or {}
        if cf.get("stack_name") and cf.get("logical_id"):
            by_stack.setdefault((cf["stack_name"], cf["logical_id"]), []).append(lr)
        if lr.parent and lr.name and lr.kind in CHILD_KINDS:
            children.setdefault((lr.account, lr.parent, lr.kind, lr.name), []).append(lr)

    out: list[Match] = []
    matched_keys: dict[str, list[LiveResource]] = {}
    pending_children: list[Resource] = []
    for r in iac:
        if r.kind in CHILD_KINDS:
            pending_children.append(r)
            continue
        arns, note = _iac_arns(r, states)
        found = [(lr, note or "arn", a) for a in arns for lr in by_arn.get(a, ()) if lr.kind == r.kind]
        if not found and r.source == "cloudformation":
            stack, why = stacks.of(r.stack)
            found = [
                (lr, "stack tags", f"stack {stack} ({why}), logical id {r.id}")
                for lr in by_stack.get((stack, r.id), ())
                if lr.kind == r.kind
            ]
        if not found and r.kind in NAMED_KINDS:
            name = _literal_name(r)
            if name:
                account, region = _where(r, arns)
                found = [
                    (lr, "name", name)
                    for lr in by_name.get((r.kind, name), ())
                    if (account is None or lr.account == account) and (region is None or lr.region is None or lr.region == region)
                ]
        for lr, by, detail in found:
            out.append(Match(r, lr, by, detail))
        if found:
            matched_keys[r.key] = [lr for lr, _, _ in found]
    for r in pending_children:
        parent = r.parent
        agent_id = r.properties.get("agent_id")
        if parent is None and isinstance(agent_id, Ref):
            parent = f"{r.stack}#{agent_id.target}"
        name = _literal_name(r)
        for lp in matched_keys.get(parent or "", []):
            for lr in children.get((lp.account, lp.id, r.kind, name or ""), ()):
                out.append(Match(r, lr, "parent", f"{name} under {lp.id}"))
    return out


# ------------------------------------------------------------------------ the report


@dataclass
class DriftOptions:
    strict: bool = False
    all_kinds: bool = False


@dataclass
class DriftResult:
    iac_paths: list[str]
    live: Live
    scan: Any
    matches: list[Match]
    unmanaged: list[dict[str, Any]]
    undeployed: list[dict[str, Any]]
    not_assessed: list[dict[str, Any]]
    verdicts: list[dict[str, Any]]
    ignored: list[dict[str, Any]]
    state_files: list[str]
    notes: list[str]
    options: DriftOptions

    def counts(self) -> dict[str, int]:
        return {
            "matched": len(self.matches),
            "unmanaged": len(self.unmanaged),
            "undeployed": len(self.undeployed),
            "not_assessed": len(self.not_assessed),
            "verdicts": len(self.verdicts),
            "ignored_verdicts": len(self.ignored),
        }

    def drifted(self, fail_on: Iterable[str]) -> bool:
        c = self.counts()
        return any(c[k] for k in fail_on)

    #: what fails the run unless ``--fail-on`` says otherwise (the text report names a narrower choice)
    default_fail_on = FAIL_ON

    def match_records(self) -> list[dict[str, Any]]:
        """Each match as the reports write it: the rule, its detail, the IaC and the live resource."""
        return [{"by": m.by, "detail": m.detail, "iac": _iac_ref(m.iac), "live": _live_ref(m.live)} for m in self.matches]


def _iac_ref(r: Resource) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "type": r.source_type, "name": _literal_name(r), "location": str(r.location)}


def _live_ref(lr: LiveResource) -> dict[str, Any]:
    return {
        "id": lr.id,
        "kind": lr.kind,
        "type": lr.type,
        "name": lr.name,
        "account": lr.account,
        "region": lr.region,
        "location": lr.location,
    }


def _in_scope(live: Live, kind: str, account: str | None, region: str | None) -> str | None:
    """None when the live result collected ``kind`` whole where the IaC resource would be; else why it cannot tell."""
    if account is not None and account not in live.accounts:
        return f"account {account} is not in the live result"
    for a, rg, k in live.collected:
        if k == kind and (account is None or a == account) and (region is None or rg == region):
            return None
    where = " ".join(x for x in (f"account {account}" if account else "", f"region {region}" if region else "") if x)
    return (
        f"the live result did not collect {kind} resources completely{' in ' + where if where else ' anywhere'} (coverage gaps)"
    )


def _compare(m: Match, iac_f: Any, live_f: dict[str, Any], live_only: bool, strict: bool) -> tuple[str | None, str | None]:
    """('drift'|'ignored'|None, reason) for one policy on one matched pair."""
    a, b = iac_f.status.value, str(live_f.get("status"))
    if a == b:
        return None, None
    if live_only:
        return "ignored", "a live-only policy: it judges account-level state that IaC does not hold, so only the audit settles it"
    if Status.ERROR.value in (a, b):
        side = "IaC" if a == Status.ERROR.value else "live"
        return "ignored", f"the policy could not be evaluated on the {side} side"
    if Status.SUPPRESSED.value in (a, b):
        side = "IaC" if a == Status.SUPPRESSED.value else "live"
        sup = iac_f.suppression if a == Status.SUPPRESSED.value else live_f.get("suppression")
        why = f": {sup.get('reason')}" if isinstance(sup, dict) and sup.get("reason") else ""
        return "ignored", f"suppressed on the {side} side{why}"
    if Status.UNKNOWN.value in (a, b):
        if strict:
            return "drift", None
        side = "IaC" if a == Status.UNKNOWN.value else "the live audit"
        msg = iac_f.message if a == Status.UNKNOWN.value else live_f.get("message")
        return "ignored", f"{side} cannot settle it ({msg}); --strict counts it"
    return "drift", None


def compare(scan: Any, live: Live, matches: list[Match], strict: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from agentgov.scanner.engine import _identity

    iac_by_fp = {f.fingerprint: f for f in scan.findings}
    policies = {p.id: p for p in scan.policies}
    common = [pid for pid in policies if pid in live.policies]
    drift: list[dict[str, Any]] = []
    ignored: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    for m in matches:
        pair = (m.iac.key, m.live.id, m.live.account)
        for pid in common:
            if (*pair, pid) in seen:
                continue
            seen.add((*pair, pid))
            iac_f = iac_by_fp.get(fingerprint(pid, m.iac.account, m.iac.region, _identity(m.iac)))
            live_f = live.findings.get((m.live.account, m.live.id, pid))
            if iac_f is None or live_f is None:
                continue  # the policy does not judge this resource on one side
            what, reason = _compare(m, iac_f, live_f, policies[pid].live_only, strict)
            if what is None:
                continue
            item = {
                "policy_id": pid,
                "title": iac_f.title,
                "severity": iac_f.severity.value,
                "matched_by": m.by,
                "iac": {
                    "status": iac_f.status.value,
                    "resource": m.iac.id,
                    "location": str(iac_f.location),
                    "message": iac_f.message,
                },
                "live": {
                    "status": live_f.get("status"),
                    "resource": m.live.id,
                    "account": m.live.account,
                    "region": m.live.region,
                    "location": (live_f.get("location") or {}).get("file") or m.live.location,
                    "message": live_f.get("message"),
                },
            }
            if what == "drift":
                drift.append(item)
            else:
                ignored.append({**item, "reason": reason})
    key = lambda d: (d["iac"]["location"], d["policy_id"], d["live"]["account"] or "", d["live"]["resource"])  # noqa: E731
    return sorted(drift, key=key), sorted(ignored, key=key)


def run(
    scan: Any, iac_paths: list[str], live: Live, states: StateIndex, stacks: StackNames, options: DriftOptions
) -> DriftResult:
    iac = list(scan.inventory)
    matches = match(iac, live, states, stacks)
    headline = NAMED_KINDS if options.all_kinds else AGENT_KINDS
    managed = {m.live.ref for m in matches}
    matched_iac = {m.iac.key for m in matches}
    unmanaged = []
    for lr in sorted(live.resources.values(), key=lambda x: (x.account or "", x.region or "", x.kind, x.id)):
        if lr.kind not in headline or lr.ref in managed:
            continue
        item = _live_ref(lr)
        notes = []
        cf = lr.cloudformation or {}
        if cf.get("stack_name"):
            notes.append(
                f"created by CloudFormation stack {cf['stack_name']} (logical id {cf.get('logical_id')}), whose template was not scanned"
            )
        if lr.tags_unknown:
            notes.append(f"its tags could not be read ({lr.tags_unknown}): a stack match could not be tried")
        item["note"] = "; ".join(notes) or None
        unmanaged.append(item)
    undeployed, not_assessed = [], []
    for r in sorted(iac, key=lambda x: (str(x.location.file), x.location.line or 0, x.id)):
        if r.kind not in headline or r.key in matched_iac:
            continue
        arns, note = _iac_arns(r, states)
        account, region = _where(r, arns)
        item = _iac_ref(r)
        why_not = _in_scope(live, r.kind, account, region)
        if why_not is not None:
            not_assessed.append({**item, "reason": why_not})
            continue
        if arns:
            item["reason"] = (
                f"{'Terraform state records' if note else 'the IaC states'} {arns[0]}, which the live result does not hold"
            )
        else:
            item["reason"] = (
                "no live resource has its ARN, stack tags or name"
                if _literal_name(r) or r.source == "cloudformation"
                else "no live resource has its ARN or stack tags, and its name is not literal"
            )
        undeployed.append(item)
    verdicts, ignored = compare(scan, live, matches, options.strict)
    notes = []
    if live.digests and scan.pack_digest not in live.digests:
        notes.append(
            "the live result was made with another policy pack (policy_pack_digest differs): verdicts may differ for that reason"
        )
    for e in scan.inventory.errors:
        notes.append(f"IaC {e.file}{':' + str(e.line) if e.line else ''}: not scanned: {e.reason}")
    for g in live.gaps:
        notes.append(f"live coverage gap: {g}")
    return DriftResult(
        list(iac_paths), live, scan, matches, unmanaged, undeployed, not_assessed, verdicts, ignored, states.files, notes, options
    )
