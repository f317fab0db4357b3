"""The policy file schema (pydantic). ``agentgov schema`` publishes it as JSON Schema.

A policy is one YAML file: identity, metadata, the resources it judges, its
check (declarative conditions, optionally a named analyzer) and its
remediation. Everything is validated when the pack loads: a typo is a load
error naming the file, never a surprise at output time.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

Severity = Literal["info", "low", "medium", "high", "critical"]
Pillar = Literal["observe", "monitor", "protect", "restore", "govern"]

AttrOp = Literal[
    "present",
    "absent",
    "equals",
    "not_equals",
    "in",
    "not_in",
    "matches",
    "not_matches",
    "lt",
    "le",
    "gt",
    "ge",
    "truthy",
    "falsy",
    "not_empty",
    "has_keys",
    "has_tag",
    "not_has_tag",
]
ATTR_OPS: tuple[str, ...] = get_args(AttrOp)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttrCondition(_Strict):
    """Compare the values at ``attr`` (a dotted path through properties; ``tags``
    reads the normalized tags, ``@kind`` the resource's kind) with ``value`` or a
    configuration ``param``. ``default`` is the value AWS applies when the
    attribute is absent: it is judged in the attribute's place."""

    attr: str
    op: AttrOp
    value: Any = None
    param: str | None = None
    quantifier: Literal["all", "any"] = "all"
    message: str | None = None
    where: Condition | None = Field(
        default=None,
        description=(
            "Element matching: `attr` names list elements, `where` (a condition whose paths are relative "
            "to one element) selects them, and `op` is `present` (some element matches) or `absent` "
            "(no element matches)."
        ),
    )
    #: the value AWS applies when the attribute is absent (judged instead of "absent")
    default: Any = None

    @model_validator(mode="after")
    def _operand(self) -> AttrCondition:
        if self.where is not None:
            if self.op not in ("present", "absent"):
                raise ValueError(f"with 'where', op must be 'present' or 'absent', not {self.op!r}")
            if self.value is not None or self.param is not None:
                raise ValueError("with 'where', give no 'value' or 'param' (the 'where' condition carries them)")
            return self
        needs = self.op not in ("present", "absent", "truthy", "falsy", "not_empty")
        if needs and self.value is None and self.param is None:
            raise ValueError(f"op {self.op!r} needs a 'value' or a 'param'")
        if self.value is not None and self.param is not None:
            raise ValueError("give either 'value' or 'param', not both")
        if self.op in ("matches", "not_matches") and isinstance(self.value, str):
            try:
                re.compile(self.value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {self.value!r}: {exc}") from None
        return self


class RelatedCondition(_Strict):
    """Follow edges named ``related`` and judge the resources found with ``check``.

    Without ``check`` the relation only has to exist: any target, in the scan or
    outside it, passes (``if_none`` says what no target at all means)."""

    related: str
    check: Condition | None = None
    quantifier: Literal["all", "any"] = "all"
    if_none: Literal["pass", "fail", "unknown"] = "fail"
    message: str | None = None


class ExistsSpec(_Strict):
    """Is there a resource of ``kind`` in ``scope`` that satisfies ``check``?

    For controls that live beside the judged resource rather than on it
    (account-level logging, trails, alarms): PASS when one candidate passes,
    else UNKNOWN when one is unknown, else FAIL when candidates exist but all
    fail, else ``if_none`` with ``message``. ``where`` narrows the candidates
    (a resource it fails is not one: an alarm on another metric is not a cost
    alarm that fails). ``scope``: ``stack`` (the judged
    resource's template or Terraform root module; on a live account, the
    account), ``stack_region`` (the same on IaC; on a live account, the account
    and the region: for regional controls such as invocation logging),
    ``account`` / ``region`` (anywhere scanned, same account / account and
    region when both are known), ``scan`` (anywhere scanned).

    On a live inventory, a kind whose collection completed for the judged
    resource's account and region (``Inventory.collected``) and found nothing
    is a FAIL: the account has none. Otherwise ``if_none`` applies.
    """

    kind: str
    where: Condition | None = None
    check: Condition | None = None
    scope: Literal["stack", "stack_region", "account", "region", "scan"] = "stack"
    if_none: Literal["pass", "fail", "unknown"] = "unknown"
    message: str | None = None


class ExistsCondition(_Strict):
    exists: ExistsSpec


class AnalyzerCondition(_Strict):
    """Call a named analyzer written once in ``agentgov.scanner.analyzers``."""

    analyzer: str
    params: dict[str, Any] = Field(default_factory=dict)


class WhenCondition(_Strict):
    """Applicability: judge ``then`` only when ``when`` holds. When it does not, the
    verdict is PASS with ``message`` (say why the policy does not apply); when it is
    unknown, the verdict is ``then``'s if that passes, else UNKNOWN."""

    when: Condition
    then: Condition
    message: str | None = None


class UsedByCondition(_Strict):
    """Judge with ``check``, and name the resources whose ``used_by`` edges point at
    the judged one (of ``kinds``, when given): evidence ``used_by``, and a closing
    message on a FAIL or UNKNOWN (which agents use this guardrail)."""

    used_by: str
    check: Condition
    kinds: list[str] = Field(default_factory=list)


class AllCondition(_Strict):
    """Every condition holds: FAIL when one fails, else UNKNOWN when one is unknown, else PASS."""

    all: list[Condition]


class AnyCondition(_Strict):
    """Some condition holds: PASS when one passes, else UNKNOWN when one is unknown, else FAIL."""

    any: list[Condition]


class NotCondition(_Strict):
    """PASS and FAIL swapped (UNKNOWN stays UNKNOWN); ``message`` is the FAIL message."""

    not_: Condition = Field(alias="not")
    message: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _condition_kind(v: Any) -> str | None:
    """Which condition a mapping is, by its distinguishing key (clear errors, no union noise)."""
    if isinstance(v, BaseModel):
        return {
            AllCondition: "all",
            AnyCondition: "any",
            NotCondition: "not",
            AttrCondition: "attr",
            RelatedCondition: "related",
            AnalyzerCondition: "analyzer",
            WhenCondition: "when",
            UsedByCondition: "used_by",
            ExistsCondition: "exists",
        }.get(type(v))
    if isinstance(v, dict):
        for key in ("all", "any", "not", "related", "exists", "analyzer", "when", "used_by", "attr"):
            if key in v:
                return key
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[AttrCondition, Tag("attr")]
    | Annotated[RelatedCondition, Tag("related")]
    | Annotated[AnalyzerCondition, Tag("analyzer")]
    | Annotated[WhenCondition, Tag("when")]
    | Annotated[UsedByCondition, Tag("used_by")]
    | Annotated[ExistsCondition, Tag("exists")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message="a condition needs one of the keys all, any, not, attr, related, exists, analyzer, when, used_by",
    ),
]
RelatedCondition.model_rebuild()
ExistsSpec.model_rebuild()
ExistsCondition.model_rebuild()
AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()
AttrCondition.model_rebuild()
WhenCondition.model_rebuild()
UsedByCondition.model_rebuild()


class Remediation(_Strict):
    summary: str
    cloudformation: str
    terraform: str


class Parameter(_Strict):
    """A tunable value a policy reads from configuration."""

    description: str
    type: Literal["string", "integer", "number", "list", "boolean"]
    default: Any = None  # None: no default; the policy is UNKNOWN until configured


class Form(_Strict):
    """A policy's detective (AWS Config) form, as the catalog states it."""

    summary: str


ConditionBlock = dict[str, dict[str, str | list[str]]]


class ScpStatement(_Strict):
    """One Deny statement template of a policy's SCP form.

    Strings may hold ``${parameter}`` (a configuration parameter: a string,
    or a list that becomes a list of values) and, with ``foreach``, ``${item}``
    (one statement per element of the list parameter ``foreach`` names). The
    compiler adds the break-glass exemption to every statement.
    """

    sid: str = Field(pattern=r"^[A-Za-z0-9]+$", description="statement id (the compiler appends the foreach item)")
    explain: str = Field(description="what the statement denies, in plain words (agentgov scp explain)")
    action: list[str] = Field(min_length=1)
    resource: str | list[str] = "*"
    not_resource: list[str] | None = None
    condition: ConditionBlock = Field(default_factory=dict)
    foreach: str | None = Field(None, description="a list parameter: one statement per element, as ${item}")
    requires: list[str] = Field(default_factory=list, description="parameters that must be configured (no default)")


class Preventive(_Strict):
    """A policy's preventive form: Service Control Policy statements compiled by ``agentgov scp build``."""

    summary: str
    statements: list[ScpStatement] = Field(default_factory=list)


class Policy(_Strict):
    id: str
    title: str
    severity: Severity
    pillar: Pillar
    resource: list[str] = Field(min_length=1)
    rationale: str
    remediation: Remediation
    references: list[str] = Field(default_factory=list)
    parameters: list[str] = Field(default_factory=list)
    #: the check can only be settled on live accounts (IaC yields UNKNOWN when it cannot)
    live_only: bool = False
    #: attribute paths the check reads that only IaC records have, per kind (``{kind: [paths]}``): a live
    #: record has the same fact under another name the check also reads, or the fact is IaC's own. The
    #: model contract test (tests/test_audit_contract.py) requires every other path it reads on a live
    #: kind to be produced by a collector.
    iac_only: dict[str, list[str]] = Field(default_factory=dict)
    #: the Service Control Policy form (None: the policy has no preventive form, and why is in the summary of detective)
    preventive: Preventive | None = None
    #: the AWS Config form (None: IaC only)
    detective: Form | None = None
    check: Condition

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not re.fullmatch(r"AG\d{3}", v):
            raise ValueError(f"policy id {v!r} is not of the form AGnnn")
        return v

    @field_validator("iac_only")
    @classmethod
    def _iac_only(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, paths in v.items():
            bad = [p for p in paths if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", p)]
            if bad:
                raise ValueError(f"iac_only {kind}: not attribute paths (snake_case, dotted): {', '.join(map(repr, bad))}")
            if len(set(paths)) != len(paths):
                raise ValueError(f"iac_only {kind}: a path is listed twice")
        return v


#: a user policy's id: a prefix the team chooses (2-8 capital letters, never ``AG``: the built-in namespace) and 3-4 digits
USER_ID = r"(?!AG)[A-Z]{2,8}\d{3,4}"


class UserPolicy(Policy):
    """A policy of a user pack (``policy_paths`` / ``--policies DIR``): the built-in schema, its own id namespace."""

    id: str = Field(
        description="the team's prefix (2-8 capital letters, not starting with AG) and 3-4 digits, e.g. ORG001",
        json_schema_extra={"pattern": f"^{USER_ID}$"},  # for editors (the validator below says why an id is refused)
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if v.startswith("AG"):
            raise ValueError(
                f"policy id {v!r} is in the AG namespace, which is agentgov's own: choose a prefix of your team's (e.g. ORG001)"
            )
        if not re.fullmatch(USER_ID, v):
            raise ValueError(
                f"policy id {v!r} is not a team prefix (2-8 capital letters, not starting with AG) and 3-4 digits, e.g. ORG001"
            )
        return v


class ParameterFile(_Strict):
    parameters: dict[str, Parameter]


class Control(_Strict):
    """One control of a framework and the policies that give evidence toward it."""

    title: str
    policies: list[str] = Field(min_length=1)

    @field_validator("policies")
    @classmethod
    def _ids(cls, v: list[str]) -> list[str]:
        bad = [x for x in v if not re.fullmatch(r"AG\d{3}|" + USER_ID, x)]
        if bad:
            raise ValueError(f"not policy ids: {', '.join(map(repr, bad))}")
        if len(set(v)) != len(v):
            raise ValueError("a policy is listed twice")
        return v


class Framework(_Strict):
    title: str
    url: str
    controls: dict[str, Control] = Field(min_length=1)


class FrameworkFile(_Strict):
    """``policies/frameworks.yaml``: framework -> control -> policy ids."""

    frameworks: dict[str, Framework] = Field(min_length=1)
