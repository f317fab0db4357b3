"""AG907: an AgentCore runtime's container image comes from an ECR repository encrypted with a customer-managed KMS
key and scanned on push or by Amazon Inspector.

The repository is the graph's ``image_repository`` edge, from the runtime's ``container_repository`` (derived from
``agent_runtime_artifact.container_configuration.container_uri`` by the normalizer, and by the live collector).

* key: ``encryption_configuration.encryption_type`` KMS or KMS_DSSE with a ``kms_key`` that is a customer-managed
  key (AES256, no type, or KMS without a key, which is the AWS-managed ``aws/ecr``, fail); on a live account the key
  record (``key_manager``) says whether a key ARN is the customer's;
* scanning: the registry's scanning configuration (``AWS::ECR::RegistryScanningConfiguration`` /
  ``aws_ecr_registry_scanning_configuration``, GetRegistryScanningConfiguration) with a rule whose ``WILDCARD``
  filter covers the repository's name and scans on push or continuously (ENHANCED is Amazon Inspector); else,
  under BASIC scanning, the repository's own ``image_scanning_configuration.scan_on_push``. Under ENHANCED scanning a
  repository that no rule covers is not scanned (the repository setting is ignored). In IaC a registry configuration
  outside the runtime's stack may cover the repository: with none in the stack and scan on push off, UNKNOWN.
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk

PATH = "agent_runtime_artifact.container_configuration.container_uri"
_AWS_ALIAS = re.compile(r"(^|[:/])alias/aws/")
_SCANS = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")


def _block(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if len(value) == 1 else None
    return value


def _key(inv: Any, repo: Resource) -> tuple[str, str]:
    """(PASS/FAIL/UNKNOWN, why) of the repository's encryption."""
    enc = _block(repo.properties.get("encryption_configuration"))
    if enc is None:
        return FAIL, "it is encrypted with AES256 (no KMS key)"
    if not isinstance(enc, dict):
        return UNKNOWN, "its encryption configuration is known only at deploy time"
    etype = enc.get("encryption_type")
    if isinstance(etype, (Unknown, Choice, Ref, Expr)):
        return UNKNOWN, "its encryption type is known only at deploy time"
    if etype not in ("KMS", "KMS_DSSE"):
        return FAIL, f"it is encrypted with {etype or 'AES256'} (no KMS key)"
    key = enc.get("kms_key")
    if key is None or key == "":
        return FAIL, "it is encrypted with the AWS-managed key aws/ecr, not a customer-managed one"
    if isinstance(key, str):
        if _AWS_ALIAS.search(key):
            return FAIL, f"it is encrypted with the AWS-managed key {key}"
        if repo.source == "aws":
            found = [k for k in inv.of_kind("kms_key") if k.arn == key or k.properties.get("key_id") == key]
            manager = found[0].properties.get("key_manager") if found else None
            if manager == "AWS":
                return FAIL, f"it is encrypted with the AWS-managed key {key}"
            if manager != "CUSTOMER":
                why = manager.reason if isinstance(manager, Unknown) else "it is not among the keys read"
                return UNKNOWN, f"whether its key {key} is customer-managed cannot be told: {why}"
        return PASS, ""
    if isinstance(key, (Ref, Expr)):
        return PASS, ""  # a key of the files (AWS-managed keys cannot be created) or an ARN built from one
    return UNKNOWN, f"its KMS key is {key.reason if isinstance(key, Unknown) else 'known only at deploy time'}"


def _covers(pattern: Any, name: str) -> bool | None:
    if not isinstance(pattern, str):
        return None
    rx = "".join(".*" if ch == "*" else re.escape(ch) for ch in pattern)
    return re.fullmatch(rx, name) is not None


def _same_registry(cfg: Resource, repo: Resource) -> bool:
    if repo.source == "aws":
        return cfg.source == "aws" and cfg.account == repo.account and cfg.region == repo.region
    return cfg.stack == repo.stack


def _scan(inv: Any, repo: Resource) -> tuple[str, str]:
    """(PASS/FAIL/UNKNOWN, why) of the repository's scanning."""
    name = repo.properties.get("repository_name") or repo.name
    if not isinstance(name, str):
        return UNKNOWN, "its name is known only at deploy time"
    configs = [c for c in inv.of_kind("ecr_scanning_configuration") if _same_registry(c, repo)]
    if repo.source == "aws":
        gap = inv.uncollected_of(repo.account, "ecr_scanning_configuration", repo.region)
        if gap:
            return UNKNOWN, f"the registry's scanning configuration was not read: {gap[2]}"
    enhanced = False
    for cfg in configs:
        stype = cfg.properties.get("scan_type")
        if isinstance(stype, Unknown) and repo.source == "aws":
            return UNKNOWN, f"the registry's scan type is not known: {stype.reason}"
        if not isinstance(stype, str):
            return UNKNOWN, "the registry's scan type is known only at deploy time"
        enhanced = enhanced or stype == "ENHANCED"
        rules = cfg.properties.get("rules")
        for rule in rules if isinstance(rules, list) else []:
            freq = rule.get("scan_frequency") if isinstance(rule, dict) else None
            filters = rule.get("repository_filters") if isinstance(rule, dict) else None
            for f in filters if isinstance(filters, list) else []:
                hit = _covers(f.get("filter") if isinstance(f, dict) else None, name)
                if hit is None:
                    return UNKNOWN, "a registry scanning filter is known only at deploy time"
                if hit and freq in _SCANS:
                    what = "Amazon Inspector (enhanced scanning)" if stype == "ENHANCED" else "basic scanning on push"
                    return PASS, f"{what}, rule {f.get('filter')} {freq}"
    if enhanced:
        return FAIL, "the registry uses enhanced scanning and no rule covers it (its own scan-on-push is ignored)"
    on_push = list(walk(repo.properties, "image_scanning_configuration.scan_on_push"))
    value = on_push[0] if on_push else None
    if value is True or (isinstance(value, str) and value.lower() == "true"):
        return PASS, "scan on push"
    if isinstance(value, (Unknown, Choice, Ref, Expr)):
        return UNKNOWN, "its scan-on-push setting is known only at deploy time"
    if repo.source == "aws" or configs:  # the registry's one scanning configuration was read (or is in the stack)
        return FAIL, "images are not scanned on push and no registry scanning rule covers it"
    return UNKNOWN, (
        "scan on push is off and no registry scanning configuration of its stack covers it"
        " (one set outside the files, such as Inspector's enhanced scanning, may)"
    )


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    uris = [u for u in walk(res.properties, PATH) if u is not None]
    if not uris:
        code = list(walk(res.properties, "agent_runtime_artifact.code_configuration"))
        if code and code[0] is not None:
            return Verdict(PASS, ["the runtime runs code from S3 (code configuration), not a container image"], path=PATH)
        return Verdict(UNKNOWN, ["the runtime's artifact is known only at deploy time"], path=PATH)
    edges = inv.out_edges(res.key, "image_repository")
    repos = [inv.resources[e.dst] for e in edges if isinstance(e.dst, str)]
    if not repos:
        if not edges:
            return Verdict(UNKNOWN, [f"the container image {uris[0]} is not in an ECR repository agentgov can read"], path=PATH)
        dst = edges[0].dst
        why = dst.reason if isinstance(dst, Unknown) else "it cannot be resolved"
        return Verdict(UNKNOWN, [f"the image's ECR repository cannot be judged: {why}"], path=PATH)
    repo = repos[0]
    evidence: dict[str, Any] = {"repository": repo.label}
    key, key_why = _key(inv, repo)
    scan, scan_why = _scan(inv, repo)
    evidence["scanning"] = scan_why if scan == PASS else None
    fails = [f"its key: {key_why}"] if key == FAIL else []
    fails += [f"its scanning: {scan_why}"] if scan == FAIL else []
    if fails:
        return Verdict(
            FAIL, [f"the runtime's image repository {repo.label} fails: {'; '.join(fails)}"], path=PATH, evidence=evidence
        )
    unknown = [w for s, w in ((key, key_why), (scan, scan_why)) if s == UNKNOWN]
    if unknown:
        return Verdict(UNKNOWN, [f"repository {repo.label}: {u}" for u in unknown], path=PATH, evidence=evidence)
    return Verdict(PASS, path=PATH, evidence=evidence)
