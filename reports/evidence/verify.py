"""Offline verification of evidence bundles and of their chain.

``verify_bundle`` checks that every file the manifest lists is there with its
SHA-256 and size, that nothing was added, and that ``manifest.sig`` is a
valid signature of ``manifest.json`` by ``signer.pub.pem`` — and, given
trusted keys, that the signer is one of them (without a trusted key a
re-signed bundle would verify: the report says so). ``verify_chain`` checks
that each bundle names the SHA-256 of the previous bundle's manifest, that
sequences follow each other, that the scope and signer stay the same, and
that the chain starts at a given anchor. Every problem is one sentence
naming the file, the link or the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle import MANIFEST, PUBLIC_KEY, SIGNATURE, UNLISTED, manifest_hash, sha256_file
from .sign import fingerprint, verify_signature


@dataclass
class BundleCheck:
    path: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    signer: str | None = None
    manifest_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(bundle: Path, trusted: list[bytes] | None = None) -> BundleCheck:
    """The manifest checked against its schema, then the signature, then each file's size, then its hash.

    The cheap checks come first: a manifest that is not signed by a trusted key is not hashed through.
    """
    chk = BundleCheck(str(bundle))
    mpath = bundle / MANIFEST
    data = _read_manifest(mpath, chk)
    if data is None:
        return chk
    manifest = json.loads(data)
    chk.manifest = manifest
    chk.manifest_sha256 = manifest_hash(bundle)
    if not _signature_ok(bundle, data, manifest, trusted, chk):
        return chk  # the files are not hashed for a manifest nobody trusted signed
    listed = set()
    for entry in manifest["files"]:
        name = entry["path"]
        if "/" in name or name.startswith(".") or name in UNLISTED:
            chk.problems.append(f"manifest lists an invalid path {name!r}")
            continue
        listed.add(name)
        p = bundle / name
        if not p.is_file():
            chk.problems.append(f"{name}: listed in the manifest but missing from the bundle (deleted)")
            continue
        size = p.stat().st_size
        if size != entry["size"]:  # before hashing: a grown file is not read through
            chk.problems.append(f"{name}: size {size}, the manifest says {entry['size']}")
            continue
        digest = sha256_file(p)
        if digest != entry["sha256"]:
            chk.problems.append(f"{name}: changed since signing (SHA-256 {digest}, the manifest says {entry['sha256']})")
    for p in sorted(bundle.iterdir()):
        if p.name not in listed and p.name not in UNLISTED:
            chk.problems.append(f"{p.name}: not in the manifest (added after signing)")
    chk.problems.extend(_receipt_problems(bundle, manifest, chk.manifest_sha256 or ""))
    return chk


def _receipt_problems(bundle: Path, manifest: dict[str, Any], manifest_sha256: str) -> list[str]:
    """``receipt.json`` (written by publish, after signing, so not signed) must describe this bundle's upload:
    its prefix names this manifest's sequence and hash, and its objects are exactly the bundle's files."""
    from .bundle import RECEIPT

    path = bundle / RECEIPT
    if not path.exists():
        return []
    try:
        receipt = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        return [f"{RECEIPT}: not a publish receipt ({type(exc).__name__})"]
    objects = receipt.get("objects") if isinstance(receipt, dict) else None
    prefix = receipt.get("prefix") if isinstance(receipt, dict) else None
    if not isinstance(objects, list) or not isinstance(prefix, str) or not all(isinstance(o, dict) for o in objects):
        return [f"{RECEIPT}: not a publish receipt (bucket, prefix, objects)"]
    digest = manifest_sha256.split(":", 1)[-1][:16]
    expected_tail = f"{manifest['sequence']:06d}-{digest}"
    if prefix.rstrip("/").rsplit("/", 1)[-1] != expected_tail:
        return [
            f"{RECEIPT}: its prefix {prefix!r} is not this bundle's upload (expected one ending in {expected_tail}): forged or copied"
        ]
    names = {f["path"] for f in manifest["files"]} | {MANIFEST, SIGNATURE, PUBLIC_KEY}
    keys = {str(o.get("key", "")) for o in objects}
    got = {k[len(prefix.rstrip("/")) + 1 :] for k in keys if k.startswith(prefix.rstrip("/") + "/")}
    if len(got) != len(keys) or got != names:
        return [f"{RECEIPT}: its objects are not this bundle's files ({len(keys)} objects, {len(names)} files): forged or edited"]
    return []


def _read_manifest(mpath: Path, chk: BundleCheck) -> bytes | None:
    from agentgov.reports.input_validation import InputInvalid, validate_text

    from .manifest_schema import MAX_MANIFEST_BYTES, Manifest

    try:
        if mpath.stat().st_size > MAX_MANIFEST_BYTES:
            chk.problems.append(f"{mpath}: larger than {MAX_MANIFEST_BYTES} bytes: not an agentgov evidence manifest")
            return None
        data = mpath.read_bytes()
    except OSError as exc:
        chk.problems.append(f"{mpath}: cannot read the manifest: {exc.strerror or exc}")
        return None
    try:
        validate_text(data, Manifest)
    except InputInvalid as exc:
        chk.problems.append(f"{mpath}: not an agentgov evidence manifest: {exc}")
        return None
    return data


def _signature_ok(bundle: Path, data: bytes, manifest: dict[str, Any], trusted: list[bytes] | None, chk: BundleCheck) -> bool:
    sig_meta = manifest["signature"]
    try:
        signature = (bundle / SIGNATURE).read_bytes()
        pub = (bundle / PUBLIC_KEY).read_bytes()
    except OSError as exc:
        chk.problems.append(f"{exc.filename}: missing: the bundle is not signed")
        return False
    try:
        chk.signer = fingerprint(pub)
    except ValueError:
        chk.problems.append(f"{PUBLIC_KEY}: not a PEM public key")
        return False
    if trusted:
        fps = {fingerprint(k) for k in trusted}
        if chk.signer not in fps:
            chk.problems.append(f"signed by {chk.signer}, which is not a trusted key (trusted: {', '.join(sorted(fps))})")
            return False
    else:
        chk.warnings.append(
            f"signer {chk.signer} not checked against a trusted key (give --public-key): a re-signed bundle would pass"
        )
    if not verify_signature(data, signature, pub, str(sig_meta["algorithm"])):
        chk.problems.append(
            f"{SIGNATURE}: not a valid {sig_meta['algorithm']} signature of {MANIFEST} by {PUBLIC_KEY} "
            f"({chk.signer}): the manifest was changed or replaced after signing"
        )
        return False
    if not str(sig_meta["key_id"]).startswith(chk.signer):
        chk.problems.append(f"{MANIFEST}: says it was signed by {sig_meta['key_id']}, but {PUBLIC_KEY} is {chk.signer}")
        return False
    return True


def _manifest(chk: BundleCheck) -> dict[str, Any]:
    """The manifest of a bundle read with one (verify_chain keeps only those)."""
    return chk.manifest or {}


def verify_chain(
    checks: list[BundleCheck], anchor: str | None = None, head: str | None = None, min_sequence: int | None = None
) -> list[str]:
    """Problems of the chain formed by ``checks`` (bundles in any order; sorted by sequence).

    ``anchor`` pins where the chain starts; ``head`` (the newest manifest's hash) and ``min_sequence``
    pin where it ends, so that newer bundles cannot be removed or hidden unseen.
    """
    problems: list[str] = []
    good = [c for c in checks if c.manifest is not None]
    good.sort(key=lambda c: _sequence(c) or 0)
    scopes = {_manifest(c).get("scope") for c in good}
    if len(scopes) > 1:
        problems.append(f"the bundles belong to different scopes: {', '.join(sorted(map(str, scopes)))}")
    for a, b in zip(good, good[1:]):
        prev = _manifest(b).get("previous") or {}
        sa, sb = _manifest(a).get("sequence"), _manifest(b).get("sequence")
        if prev.get("manifest_sha256") != a.manifest_sha256:
            problems.append(
                f"broken link: {b.path} (sequence {sb}) follows a manifest with {prev.get('manifest_sha256')}, "
                f"but the bundle before it, {a.path} (sequence {sa}), has {a.manifest_sha256}: a bundle was dropped or replaced"
            )
        elif sb != (sa or 0) + 1:
            problems.append(f"sequence gap: {a.path} is {sa}, {b.path} is {sb}")
        if a.signer and b.signer and a.signer != b.signer:
            problems.append(f"signer changed between {a.path} ({a.signer}) and {b.path} ({b.signer})")
    if anchor and good:
        first = good[0]
        prev = (_manifest(first).get("previous") or {}).get("manifest_sha256")
        if anchor not in (first.manifest_sha256, prev):
            problems.append(
                f"the chain does not start at the anchor {anchor}: its first bundle {first.path} has {first.manifest_sha256} "
                f"and follows {prev}"
            )
    problems.extend(_end_problems(good, head, min_sequence))
    return problems


def _end_problems(good: list[BundleCheck], head: str | None, min_sequence: int | None) -> list[str]:
    last = good[-1] if good else None
    problems = []
    if head and (last is None or head not in (last.manifest_sha256, _bare(last.manifest_sha256))):
        ends = f"{last.path} with {last.manifest_sha256}" if last else "nothing"
        problems.append(
            f"the chain does not end at the expected head {head}: its newest bundle is {ends}; newer bundles were removed or hidden"
        )
    if min_sequence is not None:
        seq = _sequence(last) if last else None
        if seq is None or seq < min_sequence:
            problems.append(
                f"the newest bundle has sequence {seq}, below the expected {min_sequence}: newer bundles were removed or hidden"
            )
    return problems


def _bare(digest: str | None) -> str | None:
    return digest.split(":", 1)[1] if digest and ":" in digest else digest


def _sequence(check: BundleCheck) -> int | None:
    seq = (check.manifest or {}).get("sequence")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None
