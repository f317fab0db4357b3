"""The evidence manifest's model (pydantic): ``evidence verify`` checks a manifest against it before using it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ManifestFile(BaseModel):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class PreviousBundle(BaseModel):
    manifest_sha256: str
    sequence: int | None = None
    created: str | None = None


class SignatureInfo(BaseModel):
    algorithm: str
    key_id: str
    file: str
    public_key: str


class Manifest(BaseModel):
    """``manifest.json`` of an evidence bundle."""

    model_config = ConfigDict(extra="allow")
    agentgov_evidence: Literal[1]
    scope: str
    created: str
    sequence: int = Field(ge=0)
    previous: PreviousBundle | None
    tool: dict
    files: list[ManifestFile]
    signature: SignatureInfo


MAX_MANIFEST_BYTES = 4 * 1024 * 1024  # a bundle's manifest lists a dozen files
