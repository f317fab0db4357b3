"""The normalized resource model every source produces and every policy reads.

Values inside ``Resource.properties`` are plain JSON-like Python values
(dict, list, str, int, float, bool, None) plus three symbolic types:

* ``Unknown``  - a value that cannot be resolved from what was scanned
                 (a parameter without default, an import, a remote module, a
                 denied API call). It carries the reason. Never a guess.
* ``Ref``      - a reference to another resource of the same stack (a
                 CloudFormation logical id, a Terraform address), optionally to
                 one of its attributes. The graph turns these into edges.
* ``Expr``     - a string built from literal parts and Refs/Unknowns
                 (``Fn::Sub``, ``Fn::Join``, Terraform interpolation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

_T = TypeVar("_T", bound=type)


def _pickled_by_fields(cls: _T) -> _T:
    """Pickle instances of the slotted dataclass ``cls`` as its constructor's arguments.

    The default of a slotted dataclass calls a Python ``__setstate__`` that looks up the fields for every object:
    a scan's results cross from worker processes to the parent (``--jobs``) as a few hundred thousand of these,
    and unpickling them was several times slower than building them. A ``kw_only`` class gets its keywords."""
    names = tuple(f.name for f in fields(cls))
    if any(f.kw_only for f in fields(cls)):

        def reduce_kw(self: Any) -> tuple[Any, ...]:
            return (_construct, (type(self), {n: getattr(self, n) for n in names}))

        setattr(cls, "__reduce__", reduce_kw)  # noqa: B010 (a method assigned to a class: mypy refuses the attribute form)
    else:

        def reduce_positional(self: Any) -> tuple[Any, ...]:
            return (type(self), tuple(getattr(self, n) for n in names))

        setattr(cls, "__reduce__", reduce_positional)  # noqa: B010
    return cls


def _construct(cls: type, kwargs: dict[str, Any]) -> Any:
    return cls(**kwargs)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be resolved; ``reason`` says why.

    ``origin`` says where the value will come from when that is known
    (``"parameter:Name"`` for a CloudFormation parameter without default,
    ``"variable:name"`` for a Terraform input variable): a secret passed that
    way lands in plaintext in the resource's configuration, whatever its value.
    """

    reason: str
    origin: str | None = None

    def __str__(self) -> str:  # shown in messages
        return f"<unknown: {self.reason}>"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class ShapedUnknown(Unknown):
    """An ``Unknown`` whose form is known: every value it can take fully matches
    the regular expression ``shape`` (a GuardrailVersion's ``Version`` is a number
    assigned at deploy time). A condition can still tell that it is not ``DRAFT``."""

    shape: str = ""


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Unlisted(Unknown):
    """The members of a relation that a live listing did not return (an agent's action groups when
    ``ListAgentActionGroups`` was denied): there may be some or none, so the relation's existence is unknown too."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a resource of the same stack: ``target`` is its local id."""

    target: str
    attr: str | None = None

    def __str__(self) -> str:
        return f"${{{self.target}{'.' + self.attr if self.attr else ''}}}"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Expr:
    """A string made of literal parts, ``Ref`` and ``Unknown`` parts."""

    parts: tuple[Any, ...]

    def __str__(self) -> str:
        return "".join(_part_text(p) for p in self.parts)

    @property
    def literal(self) -> str:
        """The literal text only (what a secret detector may look at)."""
        return "".join(p for p in self.parts if isinstance(p, str))

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(p for p in self.parts if isinstance(p, Ref))

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        return tuple(p for p in self.parts if isinstance(p, Unknown))


def _part_text(p: Any) -> str:
    """A part of a built string as a reader expects it: ``${AWS::StackName}``, ``${Param}``, ``${var.x}``."""
    if isinstance(p, Unknown) and p.origin:
        kind, _, name = p.origin.partition(":")
        if kind == "variable":
            return "${var." + name + "}"
        if kind in ("pseudo", "parameter"):
            return "${" + name + "}"
    return str(p)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Choice:
    """One of several values, decided by a condition the scan cannot settle
    (CloudFormation ``Fn::If`` on a parameter without default). Policies judge
    every option: a configuration that can be deployed is a configuration."""

    condition: str
    options: tuple[Any, ...]

    def __str__(self) -> str:
        return f"<{self.condition} ? {' | '.join(str(o) for o in self.options)}>"


class _Missing:
    """``AWS::NoValue`` and other deliberately absent values."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "MISSING"  # the one instance, also across processes

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def make_expr(parts: Iterable[Any]) -> Any:
    """Join parts into a str when all are literal, else into an ``Expr``.

    Adjacent literals are merged; a part that is itself an Expr is flattened.
    """
    out: list[Any] = []
    for p in parts:
        if isinstance(p, Expr):
            items: Iterable[Any] = p.parts
        else:
            items = (p,)
        for item in items:
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, (int, float)):
                item = str(item)
            elif item is None:
                item = ""
            if isinstance(item, str):
                if not item:
                    continue
                if out and isinstance(out[-1], str):
                    out[-1] = out[-1] + item
                    continue
            out.append(item)
    if not out:
        return ""
    if len(out) == 1 and isinstance(out[0], str):
        return out[0]
    return Expr(tuple(out))


def is_symbolic(value: Any) -> bool:
    return isinstance(value, (Unknown, Ref, Expr, Choice))


def first_unknown(value: Any) -> Unknown | None:
    """The first Unknown inside ``value`` (recursively), if any."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Expr):
        unknowns = value.unknowns
        return unknowns[0] if unknowns else None
    if isinstance(value, Choice):
        for v in value.options:
            u = first_unknown(v)
            if u is not None:
                return u
    elif isinstance(value, dict):
        for v in value.values():
            u = first_unknown(v)
            if u is not None:
                return u
    elif isinstance(value, list):
        for v in value:
            u = first_unknown(v)
            if u is not None:
                return u
    return None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Location:
    """Where a resource or attribute is: file:line:column for IaC, a URI for live."""

    file: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@_pickled_by_fields
@dataclass(slots=True)
class RawResource:
    """What a source hands to the normalizer: one resource in its native shape.

    ``properties`` use the source's own attribute names (CloudFormation
    PascalCase, Terraform snake_case); ``locations`` maps a dotted native path
    (``Environment.Variables.DB_PASSWORD`` / ``environment.variables.DB_PASSWORD``,
    list indexes as numbers) to its position.
    """

    source: str  # "cloudformation" | "terraform" | "terraform-plan" | "aws"
    type: str  # AWS::Bedrock::Agent, aws_bedrockagent_agent, ...
    local_id: str  # logical id / Terraform address (module path included)
    properties: dict[str, Any]
    location: Location
    stack: str  # the unit references resolve within (template file, TF root dir)
    display_name: str | None = None  # aws:cdk:path, ...
    locations: dict[str, Location] = field(default_factory=dict)
    suppressions: list[dict[str, Any]] = field(default_factory=list)
    account: str | None = None
    region: str | None = None
    arn: str | None = None


@_pickled_by_fields
@dataclass(slots=True, kw_only=True)
class Resource:
    """One normalized resource, whichever source it came from.

    A plain slotted dataclass: sources are trusted code, and a scan creates
    tens of thousands of these (pydantic validates policies, configuration
    and findings, where input comes from people).
    """

    kind: str
    id: str  # logical id, Terraform address, or ARN (live)
    key: str  # unique in the inventory: "<stack>#<id>"
    source: str
    source_type: str
    stack: str
    location: Location
    name: str | None = None  # the resource's own name property when known
    display_name: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    tags: Any = None  # dict[str, Any] | Unknown | None (None: the kind has no tags)
    attr_locations: dict[str, Location] = field(default_factory=dict)
    account: str | None = None
    region: str | None = None
    arn: Any = None
    suppressions: list[dict[str, Any]] = field(default_factory=list)
    parent: str | None = None  # key of the resource this one is part of
    #: live: relations whose members were not all listed (an agent's action groups when ListAgentActionGroups was
    #: denied), each with why; the graph gives the resource an Unknown member for each, so nothing judges it complete
    unlisted: dict[str, str] | None = None

    @property
    def label(self) -> str:
        return self.display_name or self.id

    def attr_location(self, path: str | None) -> Location:
        """The location of ``path`` (or of its closest known ancestor).

        List indexes may be left out of ``path``: Terraform blocks are lists,
        so ``environment.variables.X`` finds ``environment.0.variables.X``.
        """
        p = path or ""
        locs = self.attr_locations
        while p:
            loc = locs.get(p)
            if loc is not None:
                return loc
            head = p.split(".", 1)[0]  # a key that reads p without its indexes starts so, or with an index
            for key, loc in locs.items():
                if (key.startswith(head) or key[:1].isdigit()) and ".".join(s for s in key.split(".") if not s.isdigit()) == p:
                    return loc
            if "." not in p:
                break
            p = p.rsplit(".", 1)[0]
        return self.location


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Edge:
    src: str  # resource key
    rel: str  # "role", "guardrail", "action_group", "function", ...
    dst: str | Unknown  # resource key, or Unknown when the target is outside the scan
    via: str | None = None  # the attribute path that made the edge


@_pickled_by_fields
@dataclass(slots=True)
class ParseError:
    """A file that could not be scanned (becomes an ERROR finding)."""

    file: str
    reason: str
    line: int | None = None
    column: int | None = None


@dataclass
class Skipped:
    """Files a scan was given or found but did not scan, by reason: how many, and the first ``SHOWN`` names."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    SHOWN = 5

    def add(self, reason: str, name: str | Callable[[], str]) -> None:
        """Count one file; ``name`` may be a function giving it (only called for the first few)."""
        self.counts[reason] = self.counts.get(reason, 0) + 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < self.SHOWN:
            shown.append(name if isinstance(name, str) else name())

    def merge(self, other: Skipped) -> None:
        for reason, n in other.counts.items():
            self.counts[reason] = self.counts.get(reason, 0) + n
            shown = self.examples.setdefault(reason, [])
            shown.extend(other.examples.get(reason, [])[: self.SHOWN - len(shown)])

    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        """``3 not an IaC file type (README.md, a.py, ...); 1 ...``, the most frequent reason first."""
        parts = []
        for reason, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            names = self.examples.get(reason, [])
            more = ", ..." if n > len(names) else ""
            parts.append(f"{n} {reason} ({', '.join(names)}{more})")
        return "; ".join(parts)


@dataclass
class Inventory:
    resources: dict[str, Resource] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    files_scanned: int = 0
    files_skipped: int = 0  # YAML/JSON that is not IaC
    #: every file not scanned (not IaC by its name or content, ignored by Terraform), by reason
    skipped: Skipped = field(default_factory=Skipped, repr=False)
    _out: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _in: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _out_rel: dict[tuple[str, str], list[Edge]] = field(default_factory=dict, repr=False)  # (src, rel) -> edges
    _in_rel: dict[tuple[str, str], list[Edge]] = field(default_factory=dict, repr=False)  # (dst, rel) -> edges
    _by_kind: dict[str, list[Resource]] = field(default_factory=dict, repr=False)
    roles_of: dict[str, set[str]] = field(default_factory=dict, repr=False)  # key -> qualifiers
    #: results computed once per inventory by analyzers (blast radius, ...), by analyzer name
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: live collection: (account, region or None, kind) whose collection completed without a gap
    collected: set[tuple[str, str | None, str]] = field(default_factory=set, repr=False)
    #: live (account, region, kind) whose collection failed, and why (the call, its error code, the IAM action)
    uncollected: dict[tuple[str, str | None, str], str] = field(default_factory=dict, repr=False)

    def uncollected_of(
        self, account: str | None, kinds: str | Iterable[str], region: str | None = None
    ) -> tuple[str, str | None, str] | None:
        """(kind, region, why) of the first (in sorted order) of ``kinds`` whose collection failed in ``account``, in
        ``region`` or for the whole account (a global kind's region is None); None when every one was read."""
        wanted = {kinds} if isinstance(kinds, str) else set(kinds)
        for (a, r, kind), why in sorted(self.uncollected.items(), key=str):
            if a == account and kind in wanted and r in (None, region):
                return kind, r, why
        return None

    def add(self, resource: Resource) -> None:
        self.resources[resource.key] = resource
        self._by_kind.setdefault(resource.kind, []).append(resource)

    def add_edge(self, edge: Edge) -> None:
        self.edges.append(edge)
        self._out.setdefault(edge.src, []).append(edge)
        self._out_rel.setdefault((edge.src, edge.rel), []).append(edge)
        if isinstance(edge.dst, str):
            self._in.setdefault(edge.dst, []).append(edge)
            self._in_rel.setdefault((edge.dst, edge.rel), []).append(edge)

    def of_kind(self, kind: str) -> list[Resource]:
        return self._by_kind.get(kind, [])

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources.values())

    def __len__(self) -> int:
        return len(self.resources)

    def out_edges(self, key: str, rel: str | None = None) -> list[Edge]:
        return list(self._out.get(key, ()) if rel is None else self._out_rel.get((key, rel), ()))

    def in_edges(self, key: str, rel: str | None = None) -> list[Edge]:
        return list(self._in.get(key, ()) if rel is None else self._in_rel.get((key, rel), ()))

    def index(self, name: str, build: Callable[[Inventory], Any]) -> Any:
        """``build(self)``, computed once while the inventory does not change (a join the policies repeat for
        every resource: which agents use a role, which attachments name it)."""
        stamp = (len(self.resources), len(self.edges))
        hit = self.cache.get(f"index:{name}")
        if hit is None or hit[0] != stamp:
            hit = (stamp, build(self))
            self.cache[f"index:{name}"] = hit
        return hit[1]

    def related(self, resource: Resource, rel: str) -> list[Resource | Unknown]:
        """Targets of ``resource``'s edges named ``rel`` (Unknown when outside the scan)."""
        out: list[Resource | Unknown] = []
        for e in self.out_edges(resource.key, rel):
            out.append(self.resources[e.dst] if isinstance(e.dst, str) else e.dst)
        return out

    def referrers(self, resource: Resource, rel: str) -> list[Resource]:
        """Resources whose ``rel`` edge points at ``resource``."""
        return [self.resources[e.src] for e in self.in_edges(resource.key, rel)]

    def merge(self, other: Inventory) -> None:
        for r in other.resources.values():
            self.add(r)
        for e in other.edges:
            self.add_edge(e)
        self.errors.extend(other.errors)
        self.collected |= other.collected
        self.uncollected.update(other.uncollected)
        self.files_scanned += other.files_scanned
        self.files_skipped += other.files_skipped
        self.skipped.merge(other.skipped)

    def has_qualifier(self, resource: Resource, qualifier: str) -> bool:
        return qualifier in self.roles_of.get(resource.key, ())


def seen_in(res: Resource, iac: str = "in the scanned files") -> str:
    """Where what ``res`` names was looked for: ``iac`` (the scanned files), or, for a live resource, the records read
    from its account (a live message never speaks of files)."""
    return f"among the resources read from account {res.account}" if res.source == "aws" else iac


def walk(value: Any, path: str) -> Iterable[Any]:
    """Values at a dotted ``path``, descending through lists and Choices.

    A ``Choice`` option (one branch of an unresolved ``Fn::If``) that lacks the
    path yields ``MISSING``: "absent in one deployable variant" must be seen
    by checks that require the attribute.
    """
    parts = path.split(".") if path else []
    stack: list[tuple[Any, int, bool]] = [(value, 0, False)]
    while stack:
        node, i, alt = stack.pop()
        if isinstance(node, Choice):
            stack.extend((o, i, True) for o in reversed(node.options))
            continue
        if isinstance(node, list):
            stack.extend((x, i, alt) for x in reversed(node))
            continue
        if i == len(parts):
            yield node
            continue
        if isinstance(node, Unknown):
            yield node
            continue
        if isinstance(node, dict) and parts[i] in node:
            stack.append((node[parts[i]], i + 1, alt))
        elif alt:
            yield MISSING
