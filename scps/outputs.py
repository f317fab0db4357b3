"""What ``agentgov scp`` builds and prints: the SCP documents compiled from the pack and the configuration, the files
``scp build`` writes, and ``scp explain``'s text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built on every agentgov start: the compiler is imported only when used
    from .compiler import Build

BASELINE_DIR = Path(__file__).resolve().parent / "baseline"
BEDROCK_POLICY_FILE = (
    "agentgov-bedrock-policy.json"  # type BEDROCK_POLICY (aws organizations create-policy --type BEDROCK_POLICY)
)


def compile_from(config: Path | None, only: list[str], policy_dirs: list[Path] | None = None) -> Build:
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.pack import load_effective, refuse_partial

    from .compiler import ScpError, build

    # the built-in pack, the user packs and the overrides; PackError / ConfigError: the CLI names the file and the
    # reason (exit 2), and a user policy that cannot be loaded stops the build (nothing half-written)
    pack = refuse_partial(load_effective(config, policy_dirs or []))
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
    if b.residual_gaps:
        lines.append("residual gaps (what these SCPs do not prevent):")
        lines += [f"  - {g}" for g in b.residual_gaps]
    if b.bedrock_policy is not None:
        regions = ", ".join(b.bedrock_policy["bedrock"]["guardrail_inference"])
        lines.append(f"{BEDROCK_POLICY_FILE} [AG206]: enforces the registered guardrail on every model call in {regions}")
    else:
        lines.append("not built: AG206 Organizations Bedrock policy: parameter org_enforced_guardrails is not configured")
    return "\n".join(lines) + "\n"
