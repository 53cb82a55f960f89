"""Files mfakit cannot read get one line saying what they are and what to export instead; key-derivation costs
read from a file are capped; damaged encrypted files fail cleanly. Files are built here (fresh clone)."""

from __future__ import annotations

import base64
import io
import json
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from gen_exports import GENERATORS, PASSWORD, load_keepass
from importers_support import run_cli

from mfakit.errors import ImportFormatError
from mfakit.importers import read_export


def _sqlite(path: Path, ddl: str) -> Path:
    con = sqlite3.connect(path)
    con.execute(ddl)
    con.commit()
    con.close()
    return path


def _zip(path: Path, name: str, data: bytes, encrypted_flag: bool = False) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    raw = bytearray(buf.getvalue())
    if encrypted_flag:  # set the "encrypted" bit of the local and central headers
        raw[6] |= 1
        cd = raw.rfind(b"PK\x01\x02")
        raw[cd + 8] |= 1
    path.write_bytes(bytes(raw))
    return path


def _w(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _android_xml(key: str) -> bytes:
    return (f"<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <string name=\"{key}\">"
            "[]</string>\n</map>\n").encode()


CASES = {
    "google_authenticator.db": (lambda p: _sqlite(p, "CREATE TABLE accounts (_id INTEGER, email TEXT, secret TEXT, "
                                                     "issuer TEXT, original_name TEXT)"),
                                ["Google Authenticator's internal database", "Transfer accounts"]),
    "PhoneFactor": (lambda p: _sqlite(p, "CREATE TABLE accounts (name TEXT, oath_secret_key TEXT)"),
                    ["Microsoft Authenticator", "by hand"]),
    "authenticator.db": (lambda p: _sqlite(p, "CREATE TABLE authenticatorcategory (x TEXT)"),
                         ["Stratum", "Backup to file"]),
    "other.sqlite": (lambda p: _sqlite(p, "CREATE TABLE t (x TEXT)"), ["SQLite database, not an export"]),
    "com.authy.storage.tokens.authenticator.xml": (
        lambda p: _w(p, _android_xml("com.authy.storage.tokens.authenticator.key")),
        ["Authy's internal storage", "no export"]),
    "prefs.xml": (lambda p: _w(p, _android_xml("something")), ["Android preferences", "internal"]),
    "freeotp-backup.xml": (lambda p: _w(p, b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap"),
                           ["FreeOTP 2 backup", "damaged"]),
    "object.ser": (lambda p: _w(p, b"\xac\xed\x00\x05sr\x00\x13java.util.ArrayList"), ["Java-serialised",
                                                                                         "export"]),
    "winauth.zip": (lambda p: _zip(p, "winauth-2024-01-01.txt", b"x", True), ["WinAuth", "password"]),
    "authplus.zip": (lambda p: _zip(p, "Accounts.txt", b"x", True), ["Authenticator Plus", "Aegis"]),
    "random.zip": (lambda p: _zip(p, "hello.txt", b"x"), ["zip archive", "unzip"]),
    "totp.bin": (lambda p: _w(p, base64.b64encode(bytes(range(256)) * 2).decode()),
                 ["TOTP Authenticator", "wrong password"]),
    "duo.json": (lambda p: _w(p, json.dumps([{"otpGenerator": {"otpSecret": "x"}, "pkey": "y"}])),
                 ["Duo Mobile", "by hand"]),
    "proton-encrypted.json": (lambda p: _w(p, json.dumps({"version": 1, "salt": "x", "content": "y"})),
                              ["password-protected Proton Authenticator export", "without a password"]),
    "unknown.bin": (lambda p: _w(p, bytes(range(256)) * 4), ["binary file", "andOTP"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unreadable_files_say_what_to_export(tmp_path: Path, capsys, name: str) -> None:
    make, needles = CASES[name]
    path = make(tmp_path / name)
    with pytest.raises(ImportFormatError) as exc:
        read_export(path, password="whatever")
    msg = str(exc.value)
    assert msg.startswith(str(path)) and "\n" not in msg
    for needle in needles:
        assert needle in msg
    code, _out, err = run_cli(["import", str(path), "--inventory", str(tmp_path / "inv.yaml"), "--password-stdin"],
                              capsys, "whatever\n")
    assert code == 2 and "Traceback" not in err
    assert len([ln for ln in err.splitlines() if ln.startswith("mfakit: error:")]) == 1


def _timed_refusal(path: Path, needle: str, password: str = PASSWORD) -> None:
    t0 = time.perf_counter()
    with pytest.raises(ImportFormatError, match=needle) as exc:
        read_export(path, password=password)
    assert time.perf_counter() - t0 < 2.0  # refused before any expensive work
    assert "\n" not in str(exc.value)


def test_kdf_costs_are_capped(tmp_path: Path) -> None:
    ente = json.loads(GENERATORS["ente-encrypted"]().data)
    ente["kdfParams"]["memLimit"] = 4 * 1024**3
    (tmp_path / "ente.json").write_text(json.dumps(ente))
    _timed_refusal(tmp_path / "ente.json", "beyond this kit's limit")
    ente["kdfParams"].update(memLimit=1024**3, opsLimit=50)
    (tmp_path / "ente.json").write_text(json.dumps(ente))
    _timed_refusal(tmp_path / "ente.json", "Argon2 1024 MiB × 50 passes")

    bw = json.loads(GENERATORS["bitwarden-pbkdf2"]().data)
    bw["kdfIterations"] = 10**9
    (tmp_path / "bw.json").write_text(json.dumps(bw))
    _timed_refusal(tmp_path / "bw.json", "PBKDF2 with 1000000000 iterations")

    aegis = json.loads(GENERATORS["aegis-encrypted"]().data)
    aegis["header"]["slots"][0]["n"] = 2**22
    (tmp_path / "aegis.json").write_text(json.dumps(aegis))
    _timed_refusal(tmp_path / "aegis.json", r"scrypt n=4194304")


def test_aegis_slots_tried_are_capped(tmp_path: Path) -> None:
    aegis = json.loads(GENERATORS["aegis-encrypted"]().data)
    slot = aegis["header"]["slots"][0]
    aegis["header"]["slots"] = [dict(slot, n=2**10) for _ in range(5)] + [slot]
    path = tmp_path / "aegis-many-slots.json"
    path.write_text(json.dumps(aegis))
    t0 = time.perf_counter()
    with pytest.raises(ImportFormatError, match=r"wrong password .*the first 3 of 6 were tried"):
        read_export(path, password=PASSWORD)  # the right slot is the 6th: never reached
    assert time.perf_counter() - t0 < 2.0


def test_keepass_aes_kdf_rounds_capped(tmp_path: Path) -> None:
    from mfakit.importers.kdf import MAX_AES_KDF_ROUNDS, aes_kdf

    with pytest.raises(ImportFormatError, match="AES-KDF with"):
        aes_kdf(b"s" * 32, MAX_AES_KDF_ROUNDS + 1, b"k" * 32, path=tmp_path / "x.kdbx", what="KeePass database")


def test_aes_kdf_matches_the_round_by_round_definition() -> None:
    import hashlib

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from mfakit.importers.kdf import aes_kdf

    seed, key = bytes(range(32)), bytes(range(32, 64))
    enc = Cipher(algorithms.AES(seed), modes.ECB()).encryptor()
    k = key
    for _ in range(70_000):
        k = enc.update(k)
    assert aes_kdf(seed, 70_000, key, path="x", what="t") == hashlib.sha256(k).digest()


@pytest.mark.parametrize("name, cut", [("authpro-strong", 40), ("authpro-legacy", 50), ("andotp-encrypted", 30),
                                       ("keepass", 200), ("keepass", 20)])
def test_truncated_encrypted_files(tmp_path: Path, name: str, cut: int) -> None:
    exp = load_keepass() if name == "keepass" else GENERATORS[name]()
    path = tmp_path / f"cut-{name}"
    path.write_bytes(exp.data[:cut])
    with pytest.raises(ImportFormatError) as exc:
        read_export(path, password=PASSWORD)
    assert "\n" not in str(exc.value) and str(exc.value).startswith(str(path))


@pytest.mark.parametrize("field, value", [("data", "2.AAAA|BBBB|CCCC"), ("data", 5), ("salt", None),
                                          ("kdfType", 7), ("encKeyValidation_DO_NOT_EDIT", "2.x|y|z"),
                                          ("kdfIterations", "many")])
def test_damaged_bitwarden_encrypted(tmp_path: Path, field: str, value) -> None:
    doc = json.loads(GENERATORS["bitwarden-pbkdf2"]().data)
    doc[field] = value
    path = tmp_path / "bw.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportFormatError) as exc:
        read_export(path, password=PASSWORD)
    assert "\n" not in str(exc.value) and "Bitwarden" in str(exc.value) or "wrong password" in str(exc.value)


@pytest.mark.parametrize("field, value", [("encryptedData", "!!!"), ("encryptionNonce", "AAAA"),
                                          ("version", 2), ("kdfParams", {"salt": "AAAA", "opsLimit": 1})])
def test_damaged_ente_encrypted(tmp_path: Path, field: str, value) -> None:
    doc = json.loads(GENERATORS["ente-encrypted"]().data)
    doc[field] = value
    path = tmp_path / "ente.txt"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportFormatError) as exc:
        read_export(path, password=PASSWORD)
    assert "\n" not in str(exc.value) and "Ente" in str(exc.value)


def test_hostile_names_are_shown_inert(tmp_path: Path, capsys) -> None:
    """Terminal escapes and rich markup in an issuer or account never reach the terminal as such."""
    path = tmp_path / "hostile.txt"
    path.write_text("otpauth://totp/%1B%5B31mEvil%5Bbold%5D:%E2%80%AEme?secret=JBSWY3DPEHPK3PXP\n"
                    "otpauth://totp/%1B%5B2JWipe:x?secret=not*base32\n", encoding="utf-8")
    code, out, err = run_cli(["import", str(path), "--dry-run", "--inventory", str(tmp_path / "inv.yaml")], capsys)
    assert code == 0, err
    assert "\x1b" not in out + err and "\u202e" not in out + err
    assert "[bold]" in out or "\\[bold]" in out or "Evil" in out
    assert "line 2" in err and "\\x1b" in err  # the warning names the entry, its escape made visible
