"""Bad input: one line naming the file and the problem, exit status 2, the inventory byte-identical."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from gen_exports import GENERATORS
from importers_support import run_cli
from PIL import Image

from mfakit.errors import ImportFormatError
from mfakit.importers import read_export
from mfakit.importers.common import MAX_FILE_BYTES
from mfakit.importers.google_migration import extract_data

SHARED_EXPORTS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "otp-exports"
GOOD_LINK = ("otpauth-migration://offline?data=CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEw"
             "AhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B")


def _truncated_link() -> str:
    data = extract_data(GOOD_LINK)
    return "otpauth-migration://offline?data=" + base64.b64encode(data[:20]).decode()


def _twofas_encrypted(password: str) -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    salt, iv = os.urandom(16), os.urandom(12)
    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=10_000).derive(password.encode())
    services = [{"name": "Hetzner", "secret": "JBSWY3DPEHPK3PXP", "groupId": "g1",
                 "otp": {"account": "ops@example.com", "issuer": "Hetzner", "digits": 6, "period": 30,
                         "algorithm": "SHA1", "tokenType": "TOTP"}}]
    ct = AESGCM(key).encrypt(iv, json.dumps(services).encode(), None)
    blob = ":".join(base64.b64encode(x).decode() for x in (ct, salt, iv))
    return json.dumps({"services": [], "groups": [{"id": "g1", "name": "Servers"}], "schemaVersion": 4,
                       "servicesEncrypted": blob})


CASES: dict[str, tuple[bytes, str]] = {
    "truncated.txt": (_truncated_link().encode(), "corrupt or truncated"),
    "badb64.txt": (b"otpauth-migration://offline?data=%%%%***", "bad base64"),
    "nodata.txt": (b"otpauth-migration://offline?foo=1", "no data parameter"),
    "noaccounts.txt": (b"otpauth-migration://offline?data=EAEYASAA", "holds no accounts"),
    "notlinks.txt": (b"hello\nworld\n", "no otpauth:// or otpauth-migration:// link"),
    "badsecret.txt": (b"otpauth://totp/X:y?secret=not*base32!", "secret is not Base32"),
    "nosecret.txt": (b"otpauth://totp/X:y?issuer=X", "no secret"),
    "shape.json": (b'{"hello": [1, 2]}', "JSON of an unknown shape"),
    "aegis-shape.json": (b'{"version": 1, "header": {"slots": null, "params": null}, "db": {"entries": 3}}',
                         "'db.entries' is missing or not a list"),
    "andotp-shape.json": (b'[{"secret": 5, "label": "x", "type": "TOTP"}]', "andOTP entry #1 (x): secret is not text"),
    "2fas-shape.2fas": (b'{"schemaVersion": 4, "services": {"a": 1}}', "'services' is missing or not a list"),
    "bw-enc.json": (b'{"encrypted": true, "items": []}', "account-restricted Bitwarden export"),
    "badjson.json": (b'{"services": [', "invalid JSON"),
    "digits.txt": (b"otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&digits=99", "'digits' is out of range"),
    "binary.txt": (b"\x00\x01\x02garbage\x00" * 50, "binary file"),
    "latin1.txt": ("otpauth://totp/Caf\u00e9?secret=JBSWY3DPEHPK3PXP".encode("latin-1"), "not UTF-8"),
    "empty.txt": (b"   \n", "empty"),
    "2fas-wrong.2fas": (_twofas_encrypted("right one").encode(), "wrong password"),
}


@pytest.fixture
def inventory(example_copy: Path) -> Path:
    return example_copy


def _check_cli_failure(path: Path, inventory: Path, capsys, needle: str, stdin: str = "wrong\n") -> None:
    before = inventory.read_bytes()
    code, out, err = run_cli(["import", str(path), "--inventory", str(inventory), "--password-stdin"], capsys, stdin)
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("mfakit: error:")]
    assert len(lines) == 1, err
    assert str(path) in lines[0] and needle in lines[0]
    assert inventory.read_bytes() == before
    assert not [p for p in inventory.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_cli(tmp_path: Path, inventory: Path, capsys, name: str) -> None:
    data, needle = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as exc:
        read_export(path, password="wrong")
    assert needle in str(exc.value) and "\n" not in str(exc.value)
    _check_cli_failure(path, inventory, capsys, needle)


def _real_or_generated(real: str, generator: str, tmp_path: Path) -> Path:
    """A file of ../shared/fixtures/otp-exports when it is there, else the generated export of that format."""
    path = SHARED_EXPORTS / real
    if path.is_file():
        return path
    out = tmp_path / f"generated-{Path(real).name}"
    out.write_bytes(GENERATORS[generator]().data)
    return out


def test_bad_file_among_good_ones_changes_nothing(tmp_path: Path, inventory: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(CASES["truncated.txt"][0])
    before = inventory.read_bytes()
    good = _real_or_generated("aegis/plain.txt", "uri-list", tmp_path)
    code, _out, err = run_cli(["import", str(good), str(bad), "--inventory", str(inventory)], capsys)
    assert code == 2 and "bad.txt" in err
    assert inventory.read_bytes() == before


def test_wrong_password_aegis(tmp_path: Path, inventory: Path, capsys) -> None:
    path = _real_or_generated("aegis/aegis_encrypted.json", "aegis-encrypted", tmp_path)
    _check_cli_failure(path, inventory, capsys, "wrong password")


def test_encrypted_without_password_source(tmp_path: Path, inventory: Path, capsys) -> None:
    # stdin is not a terminal and --password-stdin was not given: refuse, do not hang
    path = _real_or_generated("aegis/aegis_encrypted.json", "aegis-encrypted", tmp_path)
    before = inventory.read_bytes()
    code, _out, err = run_cli(["import", str(path), "--inventory", str(inventory)], capsys)
    assert code == 2 and "--password-stdin" in err and str(path) in err
    assert inventory.read_bytes() == before


def test_password_is_not_an_option(inventory: Path, capsys) -> None:
    code, _out, err = run_cli(["import", "x", "--password", "test", "--inventory", str(inventory)], capsys)
    assert code == 2 and "--password" in err


def test_twofas_encrypted_right_password(tmp_path: Path) -> None:
    f = tmp_path / "backup.2fas"
    f.write_text(_twofas_encrypted("right one"))
    result = read_export(f, password="right one")
    assert [(r.issuer, r.account, r.groups) for r in result.records] == [("Hetzner", "ops@example.com", ("Servers",))]


def test_huge_file_and_missing_file(tmp_path: Path, inventory: Path, capsys) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    _check_cli_failure(huge, inventory, capsys, "too large")
    _check_cli_failure(tmp_path / "nope.png", inventory, capsys, "file not found")


def test_image_problems_cli(tmp_path: Path, inventory: Path, capsys) -> None:
    from mfakit.importers.samples import qr_image

    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    _check_cli_failure(blank, inventory, capsys, "no QR code found")
    other = SHARED_EXPORTS / "extract-otp-secrets/qr_but_without_otp.png"
    if not other.is_file():
        other = tmp_path / "menu.png"
        other.write_bytes(qr_image(["https://example.com/menu"]))
    _check_cli_failure(other, inventory, capsys, "not an authenticator export")
    corrupt = SHARED_EXPORTS / "extract-otp-secrets/test_export_wrong_data.txt"
    if not corrupt.is_file():
        corrupt = tmp_path / "wrong_data.txt"
        corrupt.write_bytes(CASES["truncated.txt"][0])
    _check_cli_failure(corrupt, inventory, capsys, "corrupt")
