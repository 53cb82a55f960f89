"""Model lookup in an MDS3 blob signed in the test (test CA + signing cert, JWT built by hand)."""

from __future__ import annotations

import base64
import json
import os
from datetime import date, datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from keys_support import softkey

from mfakit.errors import CatalogError
from mfakit.keys.inspect import key_info
from mfakit.keys.mds import load_mds

AAGUID = "0132d110-bf4e-4208-a403-ab4f5f12efe5"


def _cert(subject: str, key, issuer: str, issuer_key, ca: bool) -> x509.Certificate:  # type: ignore[no-untyped-def]
    now = datetime.now(timezone.utc)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _statement(aaguid: str, description: str) -> dict:
    return {"aaguid": aaguid, "statusReports": [{"status": "FIDO_CERTIFIED", "effectiveDate": "2024-01-01"}],
            "timeOfLastStatusChange": "2024-01-01",
            "metadataStatement": {
                "description": description, "aaguid": aaguid, "authenticatorVersion": 1, "schema": 3,
                "upv": [{"major": 1, "minor": 1}], "attestationTypes": ["basic_full"],
                "userVerificationDetails": [[{"userVerificationMethod": "presence_internal"}]],
                "keyProtection": ["hardware"], "matcherProtection": ["on_chip"], "attachmentHint": ["external"],
                "tcDisplay": [], "attestationRootCertificates": [], "protocolFamily": "fido2"}}


@pytest.fixture(scope="module")
def pki():  # type: ignore[no-untyped-def]
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _cert("Test MDS Root", ca_key, "Test MDS Root", ca_key, True)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _cert("Test MDS Signer", leaf_key, "Test MDS Root", ca_key, False)
    return ca, leaf, leaf_key


def _blob(pki, entries, next_update: date, tamper: bool = False) -> bytes:  # type: ignore[no-untyped-def]
    ca, leaf, leaf_key = pki
    header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(leaf.public_bytes(Encoding.DER)).decode()]}
    payload = {"legalHeader": "test", "no": 42, "nextUpdate": next_update.isoformat(), "entries": entries}
    msg = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}".encode()
    sig = leaf_key.sign(msg, padding.PKCS1v15(), hashes.SHA256())
    if tamper:
        payload["no"] = 43
        msg = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}".encode()
    return msg + b"." + _b64(sig).encode()


def _write(tmp_path, pki, blob: bytes, pem: bool = True):  # type: ignore[no-untyped-def]
    ca = pki[0]
    (tmp_path / "blob.jwt").write_bytes(blob)
    root = tmp_path / "root.crt"
    root.write_bytes(ca.public_bytes(Encoding.PEM if pem else Encoding.DER))
    return tmp_path / "blob.jwt", root


def test_lookup_in_verified_blob_and_age(tmp_path, pki) -> None:  # type: ignore[no-untyped-def]
    blob, root = _write(tmp_path, pki, _blob(pki, [_statement(AAGUID, "Test Key Model X")], date.today() + timedelta(days=20)))
    mds = load_mds(blob, root)
    assert mds.number == 42 and not mds.stale()
    assert mds.lookup(AAGUID) == "Test Key Model X"
    assert mds.lookup(AAGUID.upper().replace("-", "")) == "Test Key Model X"
    assert mds.lookup("42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3") is None
    assert "current" in mds.age_text()
    assert "STALE" in mds.age_text(today=date.today() + timedelta(days=21))


def test_key_info_falls_back_to_mds(tmp_path, pki) -> None:  # type: ignore[no-untyped-def]
    from mfakit.keys import aaguids

    key = softkey(None)
    sk = aaguids.SOFTKEY_AAGUID
    blob, root = _write(tmp_path, pki, _blob(pki, [_statement(sk, "Soft key as MDS sees it")], date.today()), pem=False)
    saved = aaguids.KNOWN_AAGUIDS.pop(sk)
    try:
        info = key_info(key, load_mds(blob, root))
    finally:
        aaguids.KNOWN_AAGUIDS[sk] = saved
    assert info.model == "Soft key as MDS sees it" and info.model_source == "MDS blob"
    assert any("MDS blob #42" in n for n in info.notes)
    assert key_info(key).model_source == "built-in table"


def test_tampered_or_foreign_blob_is_rejected(tmp_path, pki) -> None:  # type: ignore[no-untyped-def]
    blob, root = _write(tmp_path, pki, _blob(pki, [], date.today(), tamper=True))
    with pytest.raises(CatalogError, match="MDS blob rejected") as exc:
        load_mds(blob, root)
    assert str(blob) in str(exc.value)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = _cert("Other Root", other_key, "Other Root", other_key, True)
    blob, _ = _write(tmp_path, pki, _blob(pki, [], date.today()))
    root.write_bytes(other.public_bytes(Encoding.PEM))
    with pytest.raises(CatalogError, match="rejected"):
        load_mds(blob, root)
    root.write_bytes(b"not a certificate")
    with pytest.raises(CatalogError, match="not an X.509"):
        load_mds(blob, root)
    blob.write_bytes(os.urandom(40))
    root.write_bytes(pki[0].public_bytes(Encoding.PEM))
    with pytest.raises(CatalogError):
        load_mds(blob, root)
