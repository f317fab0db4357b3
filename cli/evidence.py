"""``agentgov evidence keygen | build | publish | verify``, and ``scan --evidence``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentgov.reports.evidence.sign import Signature

from agentgov.cli import options
from agentgov.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, Parser
from agentgov.cli.common import err as _err

NAME = "evidence"


def add_parser(sub: Any) -> None:
    ev = sub.add_parser(NAME, help="signed, hash-chained evidence bundles: build, publish to S3 Object Lock, verify")
    esub = ev.add_subparsers(dest="evidence_command", metavar="ACTION", parser_class=Parser)
    k = esub.add_parser("keygen", help="make an Ed25519 signing key pair")
    k.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        help="directory for NAME.key.pem and NAME.pub.pem (default ., the working directory)",
    )
    k.add_argument("--name", default="agentgov-evidence", help="file name stem of the key pair (default agentgov-evidence)")
    b = esub.add_parser("build", help="build a bundle from a JSON report (agentgov scan/audit --format json)")
    b.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="RESULT.json", help="the JSON report to bundle (required)"
    )
    b.add_argument("--out", type=Path, required=True, metavar="DIR", help="bundle directory (must be empty or absent)")
    options.add_signing(b)
    options.add_config(b, "the framework mappings and configuration when the report has none")
    p = esub.add_parser("publish", help="upload a bundle to an S3 bucket with Object Lock COMPLIANCE retention")
    p.add_argument("bundle", type=Path, metavar="DIR", help="the bundle directory (agentgov evidence build, or --evidence)")
    p.add_argument("--bucket", required=True, help="the S3 bucket, created with Object Lock enabled (required)")
    p.add_argument("--prefix", default="", help="key prefix of the bundle's objects in the bucket (default none: the root)")
    p.add_argument(
        "--retention-days", type=int, help="retention to set (default: evidence_retention_days from the configuration)"
    )
    options.add_config(p, "evidence_retention_days")
    v = esub.add_parser("verify", help="check hashes, signature and chain of bundles (directories or s3://bucket/prefix)")
    v.add_argument(
        "bundles", nargs="+", metavar="DIR_OR_S3", help="bundle directories or s3://bucket/prefix locations, oldest first"
    )
    v.add_argument("--public-key", type=Path, action="append", default=[], help="a trusted signer's public key (repeatable)")
    v.add_argument("--anchor", metavar="SHA256", help="manifest hash (sha256:...) the chain must start at")
    v.add_argument(
        "--head", metavar="SHA256", help="manifest hash (sha256:...) the chain must end at: its newest bundle (pins the end)"
    )
    v.add_argument("--min-sequence", type=int, metavar="N", help="the newest bundle's sequence must be at least N (pins the end)")


def _signer(args: Any) -> Callable[[bytes], Signature]:
    from agentgov.reports.evidence.sign import SigningError, sign_with_file, sign_with_kms

    if args.kms_key_id:
        from agentgov.audit.aws_dependency import missing_boto3

        missing = missing_boto3("signing with --kms-key-id")
        if missing:
            raise SigningError(missing)
        return lambda data: sign_with_kms(data, args.kms_key_id)
    if not args.signing_key:
        raise SigningError("a bundle is always signed: give --signing-key KEY.pem (agentgov evidence keygen) or --kms-key-id")
    path = args.signing_key
    sign_with_file(b"probe", path)  # a bad key fails before anything is written
    return lambda data: sign_with_file(data, path)


def pack_context(
    config: Path | None, policy_dirs: list[Path] | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, str]], dict[str, Any]]:
    """(frameworks, policy titles/pillars, effective configuration) from the pack the run used (built-in, the user
    packs, the overrides) and the configuration."""
    from agentgov.scanner.config import effective, load_config
    from agentgov.scanner.pack import load_effective

    pack = load_effective(config, policy_dirs or [])
    cfg = load_config(config, pack.parameters)
    titles = {p.id: {"title": p.title, "pillar": p.pillar, "severity": p.severity} for p in pack}
    return pack.frameworks, titles, effective(cfg, pack.parameters, pack)


def write_bundle(report: dict[str, Any], out: Path, args: Any, config: Path | None) -> int:
    from agentgov.reports.evidence.bundle import EvidenceError, build
    from agentgov.reports.evidence.sign import SigningError

    try:
        signer = _signer(args)
        frameworks, titles, eff = pack_context(config, getattr(args, "policies", None))
        scope = args.scope or f"repository:{Path.cwd().name}"
        manifest = build(report, out, signer, scope, previous=args.previous, configuration=report.get("configuration") or eff,
                         frameworks=frameworks, pack_titles=titles)  # fmt: skip
    except (SigningError, EvidenceError) as exc:  # PackError / ConfigError: the CLI names them (exit 2)
        _err(str(exc))
        return EXIT_USAGE
    from agentgov.reports.evidence.bundle import manifest_hash

    _err(f"evidence bundle {out}: {len(manifest['files'])} files, sequence {manifest['sequence']}, "
         f"manifest {manifest_hash(out)}, signed by {manifest['signature']['key_id']}")  # fmt: skip
    return EXIT_OK


def run(args: Any) -> int:
    cmd = args.evidence_command
    if cmd == "keygen":
        from agentgov.reports.evidence.sign import SigningError, keygen

        try:
            priv, pub = keygen(args.out, args.name)
        except (SigningError, OSError) as exc:
            _err(str(exc))
            return EXIT_USAGE
        sys.stdout.write(f"private key {priv} (keep it secret)\npublic key  {pub} (give it to the auditors)\n")
        return EXIT_OK
    if cmd == "build":
        from agentgov.reports.input_validation import InputInvalid, read_report

        try:
            report = read_report(args.source)
        except InputInvalid as exc:
            _err(f"{args.source}: not an agentgov JSON report (agentgov scan --format json): {exc}")
            return EXIT_USAGE
        try:
            return write_bundle(report, args.out, args, args.config)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # valid types, contents no report has
            _err(f"{args.source}: not an agentgov JSON report this agentgov can render ({type(exc).__name__}: {exc})")
            return EXIT_USAGE
    if cmd in ("publish", "verify"):
        from agentgov.audit.aws_dependency import missing_boto3

        remote = cmd == "publish" or any(str(b).startswith("s3://") for b in getattr(args, "bundles", None) or [])
        missing = missing_boto3(f"agentgov evidence {cmd}" + (" s3://..." if cmd == "verify" else "")) if remote else None
        if missing:
            _err(missing)
            return EXIT_USAGE
    if cmd == "publish":
        return _publish(args)
    if cmd == "verify":
        return _verify(args)
    _err("evidence: give an action (keygen, build, publish, verify)")
    return EXIT_USAGE


def _publish(args: Any) -> int:
    from agentgov.reports.evidence.archive import ArchiveError, publish

    days = args.retention_days
    if days is not None and not 1 <= days <= 36500:
        _err(f"evidence publish: --retention-days {days}: give a number of days from 1 to 36500 (retain-until is in the future)")
        return EXIT_USAGE
    if days is None:
        try:
            _, _, eff = pack_context(args.config)
            days = int(eff["parameters"].get("evidence_retention_days", {}).get("value") or 365)
        except Exception as exc:  # a bad configuration is reported, not raised
            _err(f"configuration: {exc}")
            return EXIT_USAGE
    try:
        receipt = publish(args.bundle, args.bucket, args.prefix, days)
    except ArchiveError as exc:
        _err(str(exc))
        return EXIT_FAIL
    except Exception as exc:  # botocore: credentials, network, access denied
        _err(f"publish to s3://{args.bucket} failed: {type(exc).__name__}: {exc}")
        return EXIT_FAIL
    sys.stdout.write(f"published {len(receipt.objects)} objects to s3://{receipt.bucket}/{receipt.prefix}/ "
                     f"(COMPLIANCE until {receipt.retain_until}); receipt {args.bundle / 'receipt.json'}\n")  # fmt: skip
    return EXIT_OK


def _verify(args: Any) -> int:
    import shutil

    trusted = []
    if not args.public_key:
        _err(
            "evidence verify: give --public-key KEY.pem, the signer's key you trust"
            " (without it a bundle re-signed by anyone would verify)"
        )
        return EXIT_USAGE
    from agentgov.reports.evidence.sign import fingerprint

    for k in args.public_key:
        try:
            trusted.append(k.read_bytes())
            fingerprint(trusted[-1])
        except OSError as exc:
            _err(f"{k}: cannot read the public key: {exc.strerror or exc}")
            return EXIT_USAGE
        except (ValueError, TypeError):
            _err(f"{k}: not a PEM public key (give the signer's .pub.pem, never a private key)")
            return EXIT_USAGE
    downloads: list[Path] = []
    try:
        return _verify_dirs(args, trusted, downloads)
    finally:
        for d in downloads:  # what was fetched from S3 is not left behind
            shutil.rmtree(d, ignore_errors=True)


def _verify_dirs(args: Any, trusted: list[bytes], downloads: list[Path]) -> int:
    from agentgov.reports.evidence.verify import verify_bundle, verify_chain

    dirs: list[Path] = []
    remote_problems: list[str] = []
    for b in args.bundles:
        if b.startswith("s3://"):
            from agentgov.reports.evidence.archive import ArchiveError, fetch

            try:
                root, found, problems = fetch(b)
            except (ArchiveError, Exception) as exc:
                _err(f"{b}: {exc}")
                return EXIT_FAIL
            downloads.append(root)
            dirs.extend(found)
            remote_problems.extend(problems)
        else:
            dirs.append(Path(b))
    checks = [verify_bundle(d, trusted or None) for d in dirs]
    bad = bool(remote_problems)
    for p in remote_problems:
        sys.stdout.write(f"S3     - {p}\n")
    for c in checks:
        state = "OK" if c.ok else "FAILED"
        seq = c.manifest.get("sequence") if c.manifest else "?"
        sys.stdout.write(f"{state}  {c.path}  (sequence {seq}, manifest {c.manifest_sha256}, signer {c.signer})\n")
        for p in c.problems:
            sys.stdout.write(f"  - {p}\n")
        for w in c.warnings:
            sys.stdout.write(f"  ! {w}\n")
        bad = bad or not c.ok
    pinned = args.anchor or args.head or args.min_sequence is not None
    chain = verify_chain(checks, args.anchor, args.head, args.min_sequence) if (len(checks) > 1 or pinned) else []
    for p in chain:
        sys.stdout.write(f"CHAIN  - {p}\n")
    if len(checks) > 1 and not chain:
        sys.stdout.write(f"CHAIN  OK  {len(checks)} bundles linked{' from the anchor' if args.anchor else ''}\n")
    return EXIT_FAIL if (bad or chain) else EXIT_OK
