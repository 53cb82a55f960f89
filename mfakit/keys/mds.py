"""Model names from a FIDO Metadata Service (MDS3) blob the user saved, verified against a trust root.

Nothing is downloaded: the person saves the blob (https://mds3.fidoalliance.org/) and the FIDO root
certificate themselves (default place: ``data/private/mds/blob.jwt`` and ``root.crt``, PEM or DER). The blob's
signature chain is checked with ``fido2.mds3.parse_blob``; its ``nextUpdate`` says when it goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mfakit.config import PRIVATE_DIR
from mfakit.errors import CatalogError
from mfakit.keys.aaguids import normalize_aaguid

DEFAULT_MDS_DIR = PRIVATE_DIR / "mds"
DEFAULT_BLOB = DEFAULT_MDS_DIR / "blob.jwt"
DEFAULT_ROOT = DEFAULT_MDS_DIR / "root.crt"


@dataclass
class MdsBlob:
    """A verified MDS3 payload with what is needed to judge its age."""

    path: Path
    number: int
    next_update: date
    saved_on: date
    payload: Any  # fido2.mds3.MetadataBlobPayload

    def stale(self, today: date | None = None) -> bool:
        return (today or date.today()) > self.next_update

    def age_text(self, today: date | None = None) -> str:
        today = today or date.today()
        days = (today - self.saved_on).days
        state = "STALE: download a fresh blob" if self.stale(today) else "current"
        return f"MDS blob #{self.number}, saved {days} day(s) ago, next update {self.next_update} ({state})"

    def lookup(self, aaguid: str | bytes) -> str | None:
        """The authenticator's description in the blob, or None. Revoked entries are not trusted."""
        from fido2.mds3 import MdsAttestationVerifier
        from fido2.webauthn import Aaguid

        verifier = MdsAttestationVerifier(self.payload)
        entry = verifier.find_entry_by_aaguid(Aaguid.parse(normalize_aaguid(aaguid)))
        if entry is None or entry.metadata_statement is None:
            return None
        return entry.metadata_statement.description


def _load_root(path: Path) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the MDS trust root ({exc.strerror or exc})", path) from None
    try:
        if b"-----BEGIN" in raw:
            return x509.load_pem_x509_certificate(raw).public_bytes(Encoding.DER)
        return x509.load_der_x509_certificate(raw).public_bytes(Encoding.DER)
    except ValueError:
        raise CatalogError("the MDS trust root is not an X.509 certificate (PEM or DER)", path) from None


def load_mds(blob_path: str | Path = DEFAULT_BLOB, root_path: str | Path = DEFAULT_ROOT) -> MdsBlob:
    """Read and verify a saved MDS3 blob; raise CatalogError (one line, naming the file) if it fails."""
    from fido2.mds3 import parse_blob

    blob_path, root_path = Path(blob_path), Path(root_path)
    root = _load_root(root_path)
    try:
        blob = blob_path.read_bytes().strip()
    except OSError as exc:
        raise CatalogError(f"cannot read the MDS blob ({exc.strerror or exc})", blob_path) from None
    try:
        payload = parse_blob(blob, root)
    except Exception as exc:  # fido2 raises ValueError, InvalidSignature, KeyError, JSON errors...
        kind = type(exc).__name__
        why = "its signature does not chain to the trust root" if "Signature" in kind else f"not a valid blob ({kind})"
        raise CatalogError(f"MDS blob rejected: {why}", blob_path) from None
    saved = datetime.fromtimestamp(blob_path.stat().st_mtime).date()
    return MdsBlob(blob_path, payload.no, payload.next_update, saved, payload)


def load_default_mds() -> MdsBlob | None:
    """The blob in the default place if both files are there (None otherwise)."""
    if DEFAULT_BLOB.exists() and DEFAULT_ROOT.exists():
        return load_mds(DEFAULT_BLOB, DEFAULT_ROOT)
    return None
