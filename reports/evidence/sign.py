"""Signatures over an evidence manifest: Ed25519 keys on disk, or an AWS KMS asymmetric key.

The signature covers the exact bytes of ``manifest.json`` and is stored raw
in ``manifest.sig`` (Ed25519: 64 bytes; KMS ECDSA_SHA_256: DER), so plain
``openssl`` verifies it with the signer's public key (``signer.pub.pem``):

    openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in manifest.json -sigfile manifest.sig   # Ed25519
    openssl dgst -sha256 -verify signer.pub.pem -signature manifest.sig manifest.json                      # KMS ECDSA

A key is named by its fingerprint: SHA-256 of its SubjectPublicKeyInfo (DER).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SigningError(Exception):
    """A key cannot be read or used; the message names the file or key and the reason."""


@dataclass(frozen=True)
class Signature:
    algorithm: str  # "ed25519" | "ecdsa-sha256" | "rsa-pss-sha256"
    signature: bytes
    public_key_pem: bytes
    key_id: str  # fingerprint, and the KMS key id when KMS signed


def fingerprint(public_key_pem: bytes) -> str:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_public_key(public_key_pem)
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256:" + hashlib.sha256(der).hexdigest()


def keygen(out_dir: Path, name: str = "agentgov-evidence") -> tuple[Path, Path]:
    """A new Ed25519 key pair: ``NAME.key.pem`` (private, mode 0600) and ``NAME.pub.pem``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    out_dir.mkdir(parents=True, exist_ok=True)
    priv = out_dir / f"{name}.key.pem"
    pub = out_dir / f"{name}.pub.pem"
    for existing in (priv, pub):  # a key the auditors already hold is never replaced
        if existing.exists() or existing.is_symlink():
            raise SigningError(f"{existing}: already exists; not overwritten")
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    fd = os.open(pub, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(public)
    try:
        fd = os.open(priv, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        pub.unlink(missing_ok=True)  # never a public key without its private key
        raise
    return priv, pub


def sign_with_file(data: bytes, key_path: Path) -> Signature:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except OSError as exc:
        raise SigningError(f"{key_path}: cannot read the signing key: {exc.strerror or exc}") from None
    except (ValueError, TypeError) as exc:
        raise SigningError(f"{key_path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{key_path}: an Ed25519 key is expected (agentgov evidence keygen makes one)")
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return Signature("ed25519", key.sign(data), pub, fingerprint(pub))


def sign_with_kms(data: bytes, key_id: str, client: Any = None) -> Signature:
    """Sign with an asymmetric KMS key (ECC_NIST_P256 -> ECDSA_SHA_256; RSA -> RSASSA_PSS_SHA_256)."""
    from cryptography.hazmat.primitives import serialization

    if client is None:
        import boto3

        client = boto3.client("kms")
    pub_der = client.get_public_key(KeyId=key_id)
    spec = pub_der.get("KeySpec") or pub_der.get("CustomerMasterKeySpec", "")
    if spec.startswith("ECC_NIST_P256"):
        alg, kms_alg = "ecdsa-sha256", "ECDSA_SHA_256"
    elif spec.startswith("RSA_"):
        alg, kms_alg = "rsa-pss-sha256", "RSASSA_PSS_SHA_256"
    else:
        raise SigningError(f"KMS key {key_id}: key spec {spec} is not supported (use ECC_NIST_P256 or RSA)")
    key = serialization.load_der_public_key(pub_der["PublicKey"])
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    sig = client.sign(KeyId=key_id, Message=data, MessageType="RAW", SigningAlgorithm=kms_alg)["Signature"]
    return Signature(alg, sig, pem, f"{fingerprint(pem)} (kms {pub_der.get('KeyId', key_id)})")


def verify_signature(data: bytes, signature: bytes, public_key_pem: bytes, algorithm: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    key = serialization.load_pem_public_key(public_key_pem)
    try:
        if algorithm == "ed25519" and isinstance(key, Ed25519PublicKey):
            key.verify(signature, data)
        elif algorithm == "ecdsa-sha256" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif algorithm == "rsa-pss-sha256" and isinstance(key, RSAPublicKey):
            key.verify(signature, data, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True
