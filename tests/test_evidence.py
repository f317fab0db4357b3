"""Evidence bundles: contents, signature (Ed25519, KMS), chain, tamper detection, openssl, Object Lock archive, no secrets."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.reports.evidence.bundle import MANIFEST, PUBLIC_KEY, SIGNATURE
from agentgov.reports.evidence.sign import keygen

REPO = Path(__file__).resolve().parents[1]
FILES = ["blast-radius.json", "configuration.json", "coverage.json", "findings.json", "inventory.csv", "inventory.json",
         "pack.json", "report.html", "report.md"]  # fmt: skip


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    keygen(tmp_path / "keys")
    keygen(tmp_path / "other", name="attacker")
    return tmp_path


KEY = "keys/agentgov-evidence.key.pem"
PUB = "keys/agentgov-evidence.pub.pem"


def _bundle(name: str, previous: str | None = None) -> Path:
    argv = ["scan", "examples", "--evidence", name, "--signing-key", KEY, "--scope", "repository:shop"]
    if previous:
        argv += ["--previous", previous]
    assert main(argv) == 1  # the examples fail policies; the bundle is written all the same
    return Path(name)


def _verify(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["evidence", "verify", *argv])
    return rc, capsys.readouterr().out


def test_a_bundle_holds_every_output_and_verifies(work, capsys):
    b = _bundle("b1")
    assert sorted(p.name for p in b.iterdir()) == sorted(FILES + [MANIFEST, SIGNATURE, PUBLIC_KEY])
    manifest = json.loads((b / MANIFEST).read_text())
    assert [f["path"] for f in manifest["files"]] == FILES
    assert manifest["scope"] == "repository:shop" and manifest["sequence"] == 0 and manifest["previous"] is None
    assert manifest["signature"]["algorithm"] == "ed25519"
    assert json.loads((b / "pack.json").read_text())["policy_pack_digest"] == manifest["tool"]["policy_pack_digest"]
    assert json.loads((b / "configuration.json").read_text())["parameters"]["required_tags"]["from"] == "default"
    assert len(json.loads((b / "inventory.json").read_text())["agents"]) == 2
    rc, out = _verify(capsys, "b1", "--public-key", PUB)
    assert rc == 0 and out.startswith("OK  b1")


@pytest.mark.parametrize("victim", FILES)
def test_one_changed_byte_in_any_file_is_detected_and_named(work, capsys, victim):
    b = _bundle("b1")
    data = bytearray((b / victim).read_bytes())
    data[len(data) // 2] ^= 0x01
    (b / victim).write_bytes(bytes(data))
    rc, out = _verify(capsys, "b1", "--public-key", PUB)
    assert rc == 1 and f"{victim}: changed since signing" in out


def test_a_deleted_file_an_added_file_and_a_replaced_manifest_are_detected(work, capsys):
    b = _bundle("b1")
    (b / "coverage.json").unlink()
    (b / "extra.txt").write_text("planted")
    rc, out = _verify(capsys, "b1", "--public-key", PUB)
    assert rc == 1
    assert "coverage.json: listed in the manifest but missing from the bundle (deleted)" in out
    assert "extra.txt: not in the manifest (added after signing)" in out
    # a manifest rewritten to match a doctored file: the signature no longer matches
    b2 = _bundle("b2")
    (b2 / "report.md").write_text("# all green\n")
    m = json.loads((b2 / MANIFEST).read_text())
    import hashlib

    for f in m["files"]:
        if f["path"] == "report.md":
            f["sha256"] = hashlib.sha256(b"# all green\n").hexdigest()
            f["size"] = 12
    (b2 / MANIFEST).write_text(json.dumps(m, indent=2) + "\n")
    rc, out = _verify(capsys, "b2", "--public-key", PUB)
    assert rc == 1 and "manifest.sig: not a valid ed25519 signature of manifest.json" in out


def test_a_bundle_re_signed_with_another_key_is_detected(work, capsys):
    from agentgov.reports.evidence.sign import sign_with_file

    b = _bundle("b1")
    sig = sign_with_file((b / MANIFEST).read_bytes(), work / "other" / "attacker.key.pem")
    m = json.loads((b / MANIFEST).read_text())
    m["signature"]["key_id"] = sig.key_id
    data = (json.dumps(m, indent=2) + "\n").encode()
    sig = sign_with_file(data, work / "other" / "attacker.key.pem")
    (b / MANIFEST).write_bytes(data)
    (b / SIGNATURE).write_bytes(sig.signature)
    (b / PUBLIC_KEY).write_bytes(sig.public_key_pem)
    rc, out = _verify(capsys, "b1", "--public-key", PUB)
    assert rc == 1 and f"signed by {sig.key_id}, which is not a trusted key" in out
    capsys.readouterr()
    assert main(["evidence", "verify", "b1"]) == 2  # without a trusted key a re-signed bundle would verify: refused
    assert "give --public-key" in capsys.readouterr().err


def test_the_chain_links_bundles_and_a_dropped_bundle_breaks_it(work, capsys):
    _bundle("b1")
    _bundle("b2", previous="b1")
    _bundle("b3", previous="b2")
    assert json.loads(Path("b3/manifest.json").read_text())["sequence"] == 2
    rc, out = _verify(capsys, "b1", "b2", "b3", "--public-key", PUB)
    assert rc == 0 and "CHAIN  OK  3 bundles linked" in out
    rc, out = _verify(capsys, "b1", "b3", "--public-key", PUB)
    assert rc == 1 and "broken link: b3 (sequence 2)" in out and "a bundle was dropped or replaced" in out
    anchor = "sha256:" + __import__("hashlib").sha256(Path("b1/manifest.json").read_bytes()).hexdigest()
    rc, out = _verify(capsys, "b2", "b3", "--anchor", anchor, "--public-key", PUB)
    assert rc == 0
    rc, out = _verify(capsys, "b2", "b3", "--anchor", "sha256:" + "0" * 64, "--public-key", PUB)
    assert rc == 1 and "does not start at the anchor" in out


def test_previous_bundle_of_another_scope_is_refused(work, capsys):
    _bundle("b1")
    rc = main(["scan", "examples", "--evidence", "b2", "--signing-key", KEY, "--scope", "org:other", "--previous", "b1"])
    assert rc == 2 and "of scope 'repository:shop', not 'org:other'" in capsys.readouterr().err
    assert main(["scan", "examples", "--evidence", "b1", "--signing-key", KEY]) == 2  # never over an existing bundle
    assert main(["scan", "examples", "--evidence", "b3"]) == 2  # never unsigned
    assert "a bundle is always signed" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_plain_openssl_verifies_the_signature(work):
    b = _bundle("b1")
    cmd = [
        "openssl",
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        str(b / PUBLIC_KEY),
        "-rawin",
        "-in",
        str(b / MANIFEST),
        "-sigfile",
        str(b / SIGNATURE),
    ]
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0 and "Signature Verified Successfully" in ok.stdout
    (b / MANIFEST).write_bytes((b / MANIFEST).read_bytes().replace(b'"sequence": 0', b'"sequence": 7'))
    bad = subprocess.run(cmd, capture_output=True, text=True)
    assert bad.returncode != 0


def _aws_env(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def test_kms_signed_bundle_verifies_offline_and_with_openssl(work, capsys, monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3

    _aws_env(monkeypatch)
    with moto.mock_aws():
        kms = boto3.client("kms")
        key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        assert main(["scan", "examples", "--evidence", "k1", "--kms-key-id", key]) == 1
    m = json.loads(Path("k1/manifest.json").read_text())
    assert m["signature"]["algorithm"] == "ecdsa-sha256" and key in m["signature"]["key_id"]
    rc, out = _verify(capsys, "k1", "--public-key", "k1/signer.pub.pem")  # the key KMS GetPublicKey gives
    assert rc == 0, out
    if shutil.which("openssl"):
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", "k1/signer.pub.pem", "-signature", "k1/manifest.sig", "k1/manifest.json"],
                           capture_output=True, text=True)  # fmt: skip
        assert r.returncode == 0 and "Verified OK" in r.stdout


def test_publish_to_object_lock_refuses_unlocked_or_short_buckets_never_overwrites(work, capsys, monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3
    import botocore.exceptions

    _aws_env(monkeypatch)
    tmp = work / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    b = _bundle("b1")
    with moto.mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="plain")
        s3.create_bucket(Bucket="short", ObjectLockEnabledForBucket=True)
        s3.put_object_lock_configuration(
            Bucket="short",
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 30}},
            },
        )
        s3.create_bucket(Bucket="gov", ObjectLockEnabledForBucket=True)
        s3.put_object_lock_configuration(
            Bucket="gov",
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 400}},
            },
        )
        s3.create_bucket(Bucket="evidence", ObjectLockEnabledForBucket=True)
        s3.put_object_lock_configuration(
            Bucket="evidence",
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}},
            },
        )
        capsys.readouterr()
        assert main(["evidence", "publish", "b1", "--bucket", "plain"]) == 1
        assert "Object Lock is not enabled" in capsys.readouterr().err
        assert main(["evidence", "publish", "b1", "--bucket", "short"]) == 1
        assert "default retention is 30 days, shorter than the required 365" in capsys.readouterr().err
        assert main(["evidence", "publish", "b1", "--bucket", "gov"]) == 1
        assert "GOVERNANCE, not COMPLIANCE" in capsys.readouterr().err
        assert main(["evidence", "publish", "b1", "--bucket", "evidence", "--prefix", "shop"]) == 0
        receipt = json.loads((b / "receipt.json").read_text())
        assert len(receipt["objects"]) == len(FILES) + 3
        assert all(o["version_id"] and o["lock_mode_set"] == "COMPLIANCE" for o in receipt["objects"])
        key = receipt["objects"][0]["key"]
        head = s3.head_object(Bucket="evidence", Key=key)
        assert head["ObjectLockMode"] == "COMPLIANCE"
        capsys.readouterr()
        assert main(["evidence", "publish", "b1", "--bucket", "evidence", "--prefix", "shop"]) == 1
        assert "already exists; evidence is never overwritten" in capsys.readouterr().err
        rc, out = _verify(capsys, "s3://evidence/shop/", "--public-key", PUB)
        assert rc == 0, out
        assert list(tmp.iterdir()) == []  # the download is not left behind
        # a locked version cannot be deleted
        with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
            s3.delete_object(Bucket="evidence", Key=key, VersionId=receipt["objects"][0]["version_id"])


SECRETS = {
    "aws_key": "AKIAZ7Q2MV4EXAMPLE77",
    "private_key_marker": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "password": "Tr0ub4dor&3-horse-battery",
    "token": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
}

PLANTED = f"""\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Runtime: python3.12
      Handler: index.h
      Code: {{ZipFile: "x"}}
      Environment:
        Variables:
          AWS_ACCESS_KEY_ID: {SECRETS["aws_key"]}
          DB_PASSWORD: "{SECRETS["password"]}"
          GITHUB_TOKEN: {SECRETS["token"]}
          SIGNING_KEY: "-----BEGIN PRIVATE KEY-----{SECRETS["private_key_marker"]}"
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {{FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: bedrock.amazonaws.com}}
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: a
      Instruction: "Use the key {SECRETS["aws_key"]} and password {SECRETS["password"]} when calling the API."
"""


def test_no_secret_reaches_any_output_or_the_bundle(work, capsys):
    Path("examples/planted.yaml").write_text(PLANTED)
    outs = [
        "-f",
        "text",
        "-o",
        "out/r.txt",
        "-f",
        "json",
        "-o",
        "out/r.json",
        "-f",
        "sarif",
        "-o",
        "out/r.sarif",
        "-f",
        "junit",
        "-o",
        "out/r.xml",
        "-f",
        "ocsf",
        "-o",
        "out/r.ocsf.json",
    ]
    assert main(["scan", "examples", *outs, "--evidence", "bundle", "--signing-key", KEY]) == 1
    assert main(["inventory", "examples", "-o", "out/inv.json"]) == 0
    assert main(["inventory", "examples", "-f", "csv", "-o", "out/inv.csv"]) == 0
    captured = capsys.readouterr()
    report = json.loads(Path("out/r.json").read_text())
    assert any(f["policy_id"] == "AG402" and f["status"] == "FAIL" and f["resource_id"] == "Fn" for f in report["findings"])
    texts = {str(p): p.read_text(errors="replace") for d in ("out", "bundle") for p in Path(d).iterdir()}
    texts["stdout"], texts["stderr"] = captured.out, captured.err
    for name, text in texts.items():
        for label, secret in SECRETS.items():
            assert secret not in text, f"{label} leaked into {name}"


CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)


def test_the_html_report_is_self_contained(work):
    html = (_bundle("b1") / "report.html").read_text()
    import re

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the report must make no external request"
    assert "<svg" in html and "@media print" in html
    # one inline script (the findings filters), allowed by its hash in the page's CSP; nothing loads from elsewhere
    assert html.count("<script") == 1 and "<script>" in html and "script-src 'sha256-" in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs Debian's chromium)")
def test_the_html_report_loads_in_headless_chromium_without_errors_and_shows_the_counts(work, tmp_path):
    b = _bundle("b1")
    report = json.loads((b / "findings.json").read_text())
    profile = tmp_path / "profile"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0"]  # fmt: skip
    url = (b / "report.html").resolve().as_uri()
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for status in ("FAIL", "PASS", "UNKNOWN"):
        want = report["summary"]["findings_by_status"].get(status, 0)
        assert f'id="count-{status}">{want}<' in dom.stdout
    assert '<span id="agent-count">2</span>' in dom.stdout
    console = [ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln or "Refused to" in ln]
    assert not console, console
    shot = tmp_path / "shot.png"
    r = subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1280,1600", url], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0 and shot.stat().st_size > 10_000


def test_audit_demo_writes_a_bundle_of_the_organization(work, capsys):
    pytest.importorskip("moto")
    assert main(["audit", "--demo", "--evidence", "org1", "--signing-key", KEY]) == 1
    m = json.loads(Path("org1/manifest.json").read_text())
    assert m["scope"] == "organization:demo"
    agents = json.loads(Path("org1/inventory.json").read_text())["agents"]
    assert agents and all(a["account"] and a["location"].startswith("aws://") for a in agents)
    rc, out = _verify(capsys, "org1", "--public-key", PUB)
    assert rc == 0, out


def _locked_bucket(s3, name: str) -> None:
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket=name,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}},
        },
    )


def test_a_newest_bundle_hidden_by_delete_markers_is_tampering(work, capsys, monkeypatch):
    """s3:DeleteObject alone can hide a locked bundle behind delete markers: verify reads versions and says so."""
    moto = pytest.importorskip("moto")
    import boto3

    _aws_env(monkeypatch)
    monkeypatch.setattr(tempfile, "tempdir", str(work / "tmp"))
    (work / "tmp").mkdir()
    _bundle("b1")
    _bundle("b2", previous="b1")
    with moto.mock_aws():
        s3 = boto3.client("s3")
        _locked_bucket(s3, "evidence")
        assert main(["evidence", "publish", "b1", "--bucket", "evidence", "--prefix", "shop"]) == 0
        assert main(["evidence", "publish", "b2", "--bucket", "evidence", "--prefix", "shop"]) == 0
        rc, out = _verify(capsys, "s3://evidence/shop/", "--public-key", PUB)
        assert rc == 0, out
        receipt = json.loads((Path("b2") / "receipt.json").read_text())
        for o in receipt["objects"]:  # no VersionId: a delete marker, allowed under COMPLIANCE retention
            s3.delete_object(Bucket="evidence", Key=o["key"])
        listed = s3.list_objects_v2(Bucket="evidence", Prefix="shop/")["Contents"]
        assert all(not o["Key"].startswith(receipt["objects"][0]["key"].rsplit("/", 1)[0]) for o in listed)
        rc, out = _verify(capsys, "s3://evidence/shop/", "--public-key", PUB)
    assert rc == 1
    assert "hidden by a delete marker" in out and "evidence was deleted after it was published" in out
    assert "(sequence 1," in out  # the hidden bundle is still verified
    assert list((work / "tmp").iterdir()) == []


def test_the_head_of_the_chain_can_be_pinned(work, capsys):
    import hashlib

    _bundle("b1")
    _bundle("b2", previous="b1")
    head = "sha256:" + hashlib.sha256(Path("b2/manifest.json").read_bytes()).hexdigest()
    rc, out = _verify(capsys, "b1", "b2", "--public-key", PUB, "--head", head)
    assert rc == 0, out
    rc, out = _verify(capsys, "b1", "b2", "--public-key", PUB, "--min-sequence", "1")
    assert rc == 0, out
    # the newest bundle removed: the chain of what is left is intact, but it does not reach the pinned end
    rc, out = _verify(capsys, "b1", "--public-key", PUB, "--head", head)
    assert rc == 1 and f"does not end at the expected head {head}" in out
    rc, out = _verify(capsys, "b1", "--public-key", PUB, "--min-sequence", "1")
    assert rc == 1 and "the newest bundle has sequence 0, below the expected 1" in out
