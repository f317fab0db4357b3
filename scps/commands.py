"""``agentgov scp build | explain | deploy``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser is built on every agentgov start: the compiler is imported only when used
    from .compiler import Build

BASELINE_DIR = Path(__file__).resolve().parent / "baseline"
BEDROCK_POLICY_FILE = (
    "agentgov-bedrock-policy.json"  # type BEDROCK_POLICY (aws organizations create-policy --type BEDROCK_POLICY)
)
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def add_parser(sub: Any, parser_class: Any) -> None:
    scp = sub.add_parser("scp", help="compile the preventive side of the pack into Service Control Policies")
    ssub = scp.add_subparsers(dest="scp_command", metavar="ACTION", parser_class=parser_class)
    b = ssub.add_parser("build", help="write the SCP documents (JSON) built from the policies and the configuration")
    b.add_argument("--config", type=Path, help="agentgov.toml or pyproject.toml")
    b.add_argument("--out", type=Path, default=Path("scps-out"), help="output directory (default scps-out)")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file in --out differs")
    b.add_argument("--policy", action="append", default=[], metavar="ID", help="only this policy (repeatable)")
    e = ssub.add_parser("explain", help="each statement: the policy it comes from and what it denies, in plain words")
    e.add_argument("--config", type=Path)
    e.add_argument("--policy", action="append", default=[], metavar="ID")
    d = ssub.add_parser("deploy", help="create or update the SCPs in AWS Organizations and attach them (idempotent)")
    d.add_argument("--target", required=True, metavar="OU_OR_ACCOUNT", help="root id, OU id or account id")
    d.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    d.add_argument("--config", type=Path)
    d.add_argument("--policy", action="append", default=[], metavar="ID")


def _err(msg: str) -> None:
    sys.stderr.write(f"agentgov: {msg}\n")


def compile_from(config: Path | None, only: list[str]) -> Build:
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.pack import load_pack

    from .compiler import ScpError, build

    pack = load_pack()  # PackError / ConfigError: the CLI names the file and the reason (exit 2)
    cfg = load_config(config, pack.parameters)
    unknown = [p for p in only if p.upper() not in pack.policies]
    if unknown:
        raise ScpError(f"unknown policy id(s): {', '.join(unknown)}")
    return build(pack, effective_parameters(cfg, pack.parameters), [p.upper() for p in only] or None)


def files(b: Build) -> dict[str, str]:
    """The files ``scp build`` writes: one JSON document per SCP (pretty-printed; AWS counts it minified),
    and AG206's Organizations Bedrock policy when ``org_enforced_guardrails`` is configured."""
    out = {f"{d['name']}.json": json.dumps(d["document"], indent=2) + "\n" for d in b.documents}
    if b.bedrock_policy is not None:
        out[BEDROCK_POLICY_FILE] = json.dumps(b.bedrock_policy, indent=2) + "\n"
    return out


def write(b: Build, out: Path, check: bool = False) -> list[str]:
    from agentgov.scanner.generated import write_generated

    wanted = files(b)
    old = (
        [p for p in [*out.glob("agentgov-scp-*.json"), *out.glob(BEDROCK_POLICY_FILE)] if p.name not in wanted]
        if out.is_dir()
        else []
    )
    return write_generated(wanted, out, check, obsolete=sorted(old))


def explain(b: Build) -> str:
    from .compiler import minified

    lines = []
    for d in b.documents:
        lines.append(f"{d['name']} ({len(minified(d['document']))} of 5120 characters)")
        for s in d["statements"]:
            lines.append(f"  {s.sid}  [{s.policy_id}]")
            lines.append(f"      denies {s.explain}")
            bg = (s.statement.get("Condition") or {}).get("ArnNotLike", {}).get("aws:PrincipalArn")
            if bg:
                lines.append(f"      except for {', '.join(bg)} (break glass)")
    for sk in b.skipped:
        lines.append(f"not built: {sk.policy_id} {sk.sid}: {sk.reason}")
    if b.bedrock_policy is not None:
        regions = ", ".join(b.bedrock_policy["bedrock"]["guardrail_inference"])
        lines.append(f"{BEDROCK_POLICY_FILE} [AG206]: enforces the registered guardrail on every model call in {regions}")
    else:
        lines.append("not built: AG206 Organizations Bedrock policy: parameter org_enforced_guardrails is not configured")
    return "\n".join(lines) + "\n"


def main(args: Any) -> int:
    from .compiler import ScpError

    try:
        b = compile_from(getattr(args, "config", None), getattr(args, "policy", []))
    except ScpError as exc:
        _err(str(exc))
        return EXIT_USAGE
    for sk in b.skipped:
        _err(f"not built: {sk.policy_id} {sk.sid}: {sk.reason}")
    if args.scp_command in (None, "explain"):
        sys.stdout.write(explain(b))
        return EXIT_OK
    if args.scp_command == "build":
        stale = write(b, args.out, check=args.check)
        for name in stale:
            sys.stdout.write(f"{'stale' if args.check else 'wrote'} {args.out / name}\n")
        return EXIT_FAIL if (args.check and stale) else EXIT_OK
    if args.scp_command == "deploy":
        from agentgov.audit.aws_dependency import missing_boto3

        missing = missing_boto3("agentgov scp deploy")
        if missing:
            _err(missing)
            return EXIT_USAGE
        from .deploy import deploy

        try:
            actions = deploy(b.documents, args.target, dry_run=args.dry_run)
        except Exception as exc:  # botocore errors: a clear line, not a traceback
            _err(f"deploy to {args.target} failed: {type(exc).__name__}: {exc}")
            return EXIT_FAIL
        for a in actions:
            sys.stdout.write(f"{'(dry run) ' if args.dry_run else ''}{a}\n")
        return EXIT_OK
    return EXIT_USAGE
