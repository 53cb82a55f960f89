"""Generators of the other apps' exports: KeePass (committed fixture), Proton Pass, Steam, FreeOTP 2,
TOTP Authenticator, WinAuth."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

from gen_base import ACCOUNTS, PASSWORD, Acct, Export, _aescbc, _exp, _pick, _uri

KEEPASS_FIXTURE = Path(__file__).parent / "fixtures" / "vault-fake.kdbx"


def _keepass_plan() -> list[tuple[str, Acct, tuple]]:
    """(field style, account, expected tuple) for each TOTP entry of the KeePass fixture."""
    accts = _pick(lambda a: a.type == "totp" and a.algorithm in ("SHA1", "SHA256", "SHA512"))
    plan = []
    for i, a in enumerate(accts):
        style = ("otp", "TimeOtp", "TOTP Seed")[i % 3]
        shown = Acct(a.issuer, a.account, digits=a.digits, period=a.period, secret_len=a.secret_len) \
            if style == "TOTP Seed" else a  # KeePassXC's legacy fields have no algorithm: SHA1
        plan.append((style, a, shown.tuple()))
    return plan


def make_keepass(path: Path = KEEPASS_FIXTURE) -> Export:
    """Write a KDBX 4 database with pykeepass (Argon2 cost lowered) holding the three TOTP field styles, a
    password-only entry and a TOTP entry in the recycle bin. Slow (pykeepass opens its blank template), so
    the result is committed as ``fixtures/vault-fake.kdbx``; ``python gen_exports.py`` rewrites it."""
    from pykeepass import create_database

    path.parent.mkdir(parents=True, exist_ok=True)
    db = create_database(str(path), password=PASSWORD)
    kdf = db.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    kdf["M"].value, kdf["I"].value, kdf["P"].value = 8 * 1024 * 1024, 2, 1
    work = db.add_group(db.root_group, "Work")
    for style, a, _shown in _keepass_plan():
        group = work if a.group == "Work" else db.root_group
        if style == "otp":
            db.add_entry(group, a.issuer, a.account, "FAKE-pw", otp=_uri(a), force_creation=True)
            continue
        e = db.add_entry(group, a.issuer, a.account, "FAKE-pw", force_creation=True)
        if style == "TimeOtp":  # KeePass 2.47 fields
            e.set_custom_property("TimeOtp-Secret-Base32", a.b32, protect=True)
            e.set_custom_property("TimeOtp-Length", str(a.digits))
            e.set_custom_property("TimeOtp-Period", str(a.period))
            e.set_custom_property("TimeOtp-Algorithm", "HMAC-" + a.algorithm.replace("SHA", "SHA-"))
        else:  # KeePassXC legacy fields
            e.set_custom_property("TOTP Seed", a.b32, protect=True)
            e.set_custom_property("TOTP Settings", f"{a.period};{a.digits}")
    db.add_entry(db.root_group, "Password only", "me", "FAKE-pw")
    gone = db.add_entry(db.root_group, "Deleted", "old", "FAKE-pw", otp=_uri(Acct("Deleted", "old")))
    db.trash_entry(gone)
    db.save()
    return load_keepass(path)


def load_keepass(path: Path = KEEPASS_FIXTURE) -> Export:
    """The committed KeePass fixture and the entries it holds."""
    return Export(path.name, path.read_bytes(), PASSWORD, frozenset(t for _s, _a, t in _keepass_plan()))


def make_proton_pass() -> Export:
    accts = _pick(lambda a: a.type == "totp")
    items = []
    for i, a in enumerate(accts):
        totp = _uri(a) if i % 2 == 0 else a.b32
        items.append({"itemId": f"i{i}", "data": {"metadata": {"name": a.issuer, "note": ""}, "extraFields": [],
                                                  "type": "login", "content": {"itemEmail": "", "password": "x",
                                                  "urls": [], "totpUri": totp, "itemUsername": a.account}}})
    expected = {a.tuple() if i % 2 == 0 else (a.issuer, a.account, "totp", "SHA1", 6, 30, None)
                for i, a in enumerate(accts)}
    doc = {"version": "1.21.2", "userId": "u", "vaults": {"s1": {"name": "Personal", "items": items}}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Proton Pass/data.json", json.dumps(doc, ensure_ascii=False))
    return Export("PassExport.zip", buf.getvalue(), None, frozenset(expected))


def make_steam() -> Export:
    a = next(x for x in ACCOUNTS if x.type == "steam")
    doc = {"shared_secret": base64.b64encode(a.raw).decode(), "account_name": a.account, "revocation_code": "R00000",
           "uri": f"otpauth://totp/Steam:{a.account}?secret={a.b32}&issuer=Steam"}
    return Export("gamer.maFile", json.dumps(doc).encode(), None,
                  frozenset({("Steam", a.account, "steam", "SHA1", 5, 30, None)}))


#: Every generator by name; ``keepass`` needs a folder (pykeepass writes a file).


def make_freeotp2() -> Export:
    """A FreeOTP 2 backup: a Java-serialised HashMap<String, String> (written byte by byte here), the master key
    under PBKDF2-HMAC-SHA512 (iterations lowered) and each secret under the master key, AES-GCM with AAD."""
    import struct

    accts = _pick(lambda a: a.type in ("totp", "hotp"))

    def jbytes(raw: bytes) -> list[int]:
        return [b - 256 if b > 127 else b for b in raw]

    def enc_key(key: bytes, plain: bytes, token: str) -> dict:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        ct = AESGCM(key).encrypt(nonce, plain, token.encode())
        params = b"\x30\x11\x04\x0c" + nonce + b"\x02\x01\x10"  # DER GCMParameters (api 34 style)
        return {"mCipher": "AES/GCM/NoPadding", "mCipherText": jbytes(ct), "mParameters": jbytes(params),
                "mToken": token}

    master, salt = os.urandom(32), os.urandom(32)
    pass_key = hashlib.pbkdf2_hmac("sha512", PASSWORD.encode(), salt, 2000, 32)
    entries = {"masterKey": json.dumps({"mAlgorithm": "PBKDF2withHmacSHA512", "mIterations": 2000,
                                        "mSalt": jbytes(salt), "mEncryptedKey": enc_key(pass_key, master, "AES")})}
    for i, a in enumerate(accts):
        uuid = f"00000000-0000-4000-8000-{i:012d}"
        entries[uuid] = json.dumps({"key": json.dumps(enc_key(master, a.raw, "Hmac" + a.algorithm))})
        entries[f"{uuid}-token"] = json.dumps({"algo": a.algorithm, "counter": a.counter, "digits": a.digits,
                                               "issuerExt": a.issuer, "label": a.account, "period": a.period,
                                               "type": a.type.upper()})

    def jstr(s: str) -> bytes:
        raw = s.encode("utf-8")
        return (b"t" + struct.pack(">H", len(raw)) if len(raw) < 65536 else b"|" + struct.pack(">Q", len(raw))) + raw

    out = bytearray(b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap\x05\x07\xda\xc1\xc3\x16\x60\xd1\x03\x00\x02"
                    b"F\x00\x0aloadFactorI\x00\x09thresholdxp")
    out += struct.pack(">fi", 0.75, 12) + b"w\x08" + struct.pack(">ii", 16, len(entries))
    for k, v in entries.items():
        out += jstr(k) + jstr(v)
    out += b"x"
    return Export("externalBackup.xml", bytes(out), PASSWORD, _exp(accts))


def make_totp_authenticator(password: str | None = PASSWORD) -> Export:
    """TOTP Authenticator's backup: base64 of AES-256-CBC (SHA-256 of the password, zero IV) over
    ``{"<JSON list of entries>": …}``; without a password the app uses its built-in one."""
    accts = _pick(lambda a: a.type == "totp" and a.algorithm == "SHA1" and a.digits == 6 and a.period == 30)
    entries = [{"issuer": a.issuer, "name": a.account, "key": a.b32, "base": 32, "digits": "6", "period": "30"}
               for a in accts]
    plain = json.dumps({json.dumps(entries, ensure_ascii=False): "2024-01-01"}, ensure_ascii=False).encode()
    key = hashlib.sha256((password or "TotpAuthenticator").encode()).digest()
    data = base64.b64encode(_aescbc(key, bytes(16), plain))
    name = "totp-backup.encrypt" if password else "totp-backup-nopass.encrypt"
    return Export(name, data, password, _exp(accts))


def _zipcrypto(name: str, plain: bytes, password: bytes) -> bytes:
    """A one-file zip, stored, encrypted with the traditional PKWARE cipher (as WinAuth writes it)."""
    import struct
    import zlib

    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(b: int) -> None:
        keys[0] = (keys[0] >> 8) ^ table[(keys[0] ^ b) & 0xFF]
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = (keys[2] >> 8) ^ table[(keys[2] ^ (keys[1] >> 24)) & 0xFF]

    for b in password:
        update(b)
    crc = zlib.crc32(plain)
    out = bytearray()
    for b in os.urandom(11) + bytes([crc >> 24]) + plain:
        t = (keys[2] | 2) & 0xFFFF
        out.append(b ^ (((t * (t ^ 1)) >> 8) & 0xFF))
        update(b)
    raw = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 1, 0, 0, 0x5821, crc, len(out), len(plain), len(raw), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 0, 0, 0x5821, crc, len(out), len(plain),
                          len(raw), 0, 0, 0, 0, 0, 0) + raw
    body = local + raw + bytes(out)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(body), 0)
    return body + central + end


def make_winauth() -> Export:
    accts = _pick(lambda a: a.type in ("totp", "hotp"))
    text = "".join(_uri(a) + "\r\n" for a in accts).encode()
    return Export("winauth-2024-01-01.zip", _zipcrypto("winauth-2024-01-01.txt", text, PASSWORD.encode()), PASSWORD,
                  _exp(accts))
