"""Realistic exports of every format mfakit reads, written here from the apps' documented layouts with FAKE
secrets, so a fresh clone (no ../shared) exercises every importer, plain and encrypted.

Each ``make_*`` returns ``Export(data, password, expected)``: the file's bytes, the password it needs (or None)
and the entries a correct reader finds, as (issuer, account, type, algorithm, digits, period, counter) tuples.
The odd cases real files hold are in ``ACCOUNTS``: a hand-typed 17-character Base32 secret, SHA384, the same
account and secret under SHA1 and SHA256 (two entries, not one), non-ASCII names, HOTP and Steam.
Key-derivation costs are lowered where the format stores them (the reader uses what the file says), so the
suite stays fast; Stratum's fixed Argon2id (64 MiB) is kept as the app writes it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable
from urllib.parse import quote

PASSWORD = "correct horse ✓ battery"  # non-ASCII on purpose: every app encodes it as UTF-8


@dataclass(frozen=True)
class Acct:
    issuer: str
    account: str
    type: str = "totp"
    algorithm: str = "SHA1"
    digits: int = 6
    period: int = 30
    counter: int = 0
    group: str = ""
    secret_len: int = 32  # Base32 characters; 17 = a hand-typed secret that is not whole bytes

    @property
    def b32(self) -> str:
        raw = hashlib.sha256(f"mfakit-FAKE:{self.issuer}:{self.account}".encode()).digest()
        return base64.b32encode(raw).decode()[: self.secret_len]

    @property
    def raw(self) -> bytes:
        """The bytes an app decodes the secret to (whole characters, trailing partial bits dropped)."""
        padded = self.b32 + "A" * (-len(self.b32) % 8)
        return base64.b32decode(padded)[: len(self.b32) * 5 // 8]

    def tuple(self) -> tuple:
        hotp = self.type == "hotp"
        return (self.issuer, self.account, self.type, self.algorithm, self.digits,
                None if hotp else self.period, self.counter if hotp else None)


ACCOUNTS = [
    Acct("GitHub", "octo@example.com", group="Work"),
    Acct("楽天", "taro@example.jp", group="買い物"),
    Acct("Zürich Bank", "anna.müller", algorithm="SHA256", digits=8, period=60),
    Acct("Hand Typed", "me@example.org", secret_len=17),                      # partial Base32
    Acct("Odd Algo", "x@example.org", algorithm="SHA384"),                    # kept as metadata
    Acct("Twin", "same@example.org", algorithm="SHA1"),                       # same account and secret...
    Acct("Twin", "same@example.org", algorithm="SHA256"),                     # ...under another algorithm
    Acct("Forum", "me", type="hotp", counter=7, algorithm="SHA512"),
    Acct("Steam", "gamer", type="steam", digits=5),
]


def secrets() -> set[bytes]:
    """Every fake secret the generated files hold (raw bytes), for the secret scan."""
    return {a.raw for a in ACCOUNTS}


@dataclass(frozen=True)
class Export:
    name: str
    data: bytes
    password: str | None
    expected: frozenset


def _pick(pred: Callable[[Acct], bool]) -> list[Acct]:
    return [a for a in ACCOUNTS if pred(a)]


def _uri(a: Acct, *, lower_alg: bool = False, extra: str = "") -> str:
    label = quote(f"{a.issuer}:{a.account}", safe="")
    kind = "totp" if a.type == "steam" else a.type
    q = f"secret={a.b32}&issuer={quote(a.issuer, safe='')}"
    q += f"&algorithm={a.algorithm.lower() if lower_alg else a.algorithm}&digits={a.digits}"
    q += f"&counter={a.counter}" if a.type == "hotp" else f"&period={a.period}"
    if a.type == "steam":
        q += "&encoder=steam"
    return f"otpauth://{kind}/{label}?{q}{extra}"


def _exp(accts: list[Acct]) -> frozenset:
    return frozenset(a.tuple() for a in accts)


# ---------------------------------------------------------------- crypto helpers (the writers' side)

def _aesgcm(key: bytes, nonce: bytes, plain: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(nonce, plain, None)


def _aescbc(key: bytes, iv: bytes, plain: bytes) -> bytes:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    padder = padding.PKCS7(128).padder()
    data = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def _argon2id(password: bytes, salt: bytes, t: int, m_kib: int, p: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password, salt, time_cost=t, memory_cost=m_kib, parallelism=p, hash_len=32,
                           type=Type.ID)


# ---------------------------------------------------------------- formats

def make_uri_list() -> Export:
    accts = _pick(lambda a: True)
    lines = ["# my codes", *(_uri(a) for a in accts), ""]
    return Export("links.txt", "\n".join(lines).encode(), None, _exp(accts))


def make_google_migration(image: bool = False) -> Export:
    from mfakit.importers.google_migration import _payload_class

    algs = {"SHA1": 1, "SHA256": 2, "SHA512": 3}
    accts = _pick(lambda a: a.type in ("totp", "hotp") and a.algorithm in algs and a.digits in (6, 8)
                  and a.period == 30)
    msg = _payload_class()()
    msg.version, msg.batch_size, msg.batch_index, msg.batch_id = 1, 1, 0, -42
    for a in accts:
        p = msg.otp_parameters.add()
        p.secret, p.name, p.issuer = a.raw, f"{a.issuer}:{a.account}", a.issuer
        p.algorithm, p.digits = algs[a.algorithm], 2 if a.digits == 8 else 1
        p.type, p.counter = (1, a.counter) if a.type == "hotp" else (2, 0)
    link = "otpauth-migration://offline?data=" + quote(base64.b64encode(msg.SerializeToString()).decode(), safe="")
    if image:
        from mfakit.importers.samples import qr_image

        return Export("transfer.png", qr_image([link], scale=3), None, _exp(accts))
    return Export("transfer.txt", (link + "\n").encode(), None, _exp(accts))


def _aegis_db() -> tuple[dict, list[Acct]]:
    accts = _pick(lambda a: True)
    groups = {a.group for a in accts if a.group}
    gid = {g: f"00000000-0000-4000-8000-{i:012d}" for i, g in enumerate(sorted(groups))}
    entries = []
    for i, a in enumerate(accts):
        info = {"secret": a.b32, "algo": a.algorithm, "digits": a.digits}
        info.update({"counter": a.counter} if a.type == "hotp" else {"period": a.period})
        entries.append({"type": a.type, "uuid": f"11111111-0000-4000-8000-{i:012d}", "name": a.account,
                        "issuer": a.issuer, "note": "", "favorite": False, "icon": None, "info": info,
                        "groups": [gid[a.group]] if a.group else []})
    db = {"version": 3, "entries": entries, "groups": [{"uuid": u, "name": g} for g, u in gid.items()]}
    return db, accts


def make_aegis(encrypted: bool = False) -> Export:
    db, accts = _aegis_db()
    if not encrypted:
        doc = {"version": 1, "header": {"slots": None, "params": None}, "db": db}
        return Export("aegis.json", json.dumps(doc, ensure_ascii=False).encode(), None, _exp(accts))
    master, salt, snonce, dnonce = os.urandom(32), os.urandom(32), os.urandom(12), os.urandom(12)
    n, r, p = 2**15, 8, 1  # Aegis's own parameters
    kek = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=64 * 1024 * 1024)
    wrapped = _aesgcm(kek, snonce, master)
    ct = _aesgcm(master, dnonce, json.dumps(db).encode())
    slot = {"type": 1, "uuid": "22222222-0000-4000-8000-000000000000", "key": wrapped[:-16].hex(),
            "key_params": {"nonce": snonce.hex(), "tag": wrapped[-16:].hex()}, "n": n, "r": r, "p": p,
            "salt": salt.hex(), "repaired": True, "is_backup": False}
    doc = {"version": 1, "header": {"slots": [slot], "params": {"nonce": dnonce.hex(), "tag": ct[-16:].hex()}},
           "db": base64.b64encode(ct[:-16]).decode()}
    return Export("aegis-encrypted.json", json.dumps(doc).encode(), PASSWORD, _exp(accts))


def make_twofas(encrypted: bool = False) -> Export:
    accts = _pick(lambda a: True)
    groups = sorted({a.group for a in accts if a.group})
    services = []
    for a in accts:
        services.append({"name": a.issuer, "secret": a.b32, "updatedAt": 1700000000000,
                         "otp": {"label": f"{a.issuer}:{a.account}", "account": a.account, "issuer": a.issuer,
                                 "digits": a.digits, "period": a.period, "algorithm": a.algorithm,
                                 "counter": a.counter, "tokenType": a.type.upper(), "source": "Link"},
                         "order": {"position": len(services)}, "groupId": f"g{groups.index(a.group)}" if a.group else None})
    doc = {"services": services, "groups": [{"id": f"g{i}", "name": g} for i, g in enumerate(groups)],
           "schemaVersion": 4, "appVersionCode": 5000000, "appOrigin": "android"}
    if encrypted:
        salt, iv = os.urandom(256), os.urandom(12)
        key = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, 10_000, 32)
        ct = _aesgcm(key, iv, json.dumps(services).encode())
        doc["services"] = []
        doc["servicesEncrypted"] = ":".join(base64.b64encode(x).decode() for x in (ct, salt, iv))
    return Export("backup.2fas", json.dumps(doc, ensure_ascii=False).encode(), PASSWORD if encrypted else None,
                  _exp(accts))


def _bitwarden_vault() -> tuple[dict, list[Acct]]:
    accts = _pick(lambda a: a.type in ("totp", "steam"))
    items = []
    for i, a in enumerate(accts):
        totp = f"steam://{a.b32}" if a.type == "steam" else _uri(a)
        if a.issuer == "Hand Typed":
            totp = a.b32.lower()  # a bare secret, as typed into Bitwarden: item name = issuer, defaults apply
        items.append({"id": f"item-{i}", "folderId": "f1" if a.group else None, "type": 1, "name": a.issuer,
                      "login": {"username": a.account, "password": "FAKE-pw", "totp": totp, "uris": []}})
    vault = {"encrypted": False, "folders": [{"id": "f1", "name": "2FA"}], "items": items}
    return vault, accts


def make_bitwarden(kind: str = "plain") -> Export:
    """kind: plain, csv, pbkdf2, argon2id or restricted (account-restricted: refused)."""
    vault, accts = _bitwarden_vault()
    expected = _exp(accts)
    if kind == "csv":
        import csv

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["folder", "favorite", "type", "name", "notes", "fields", "reprompt", "login_uri",
                    "login_username", "login_password", "login_totp"])
        for it in vault["items"]:
            w.writerow(["2FA" if it["folderId"] else "", "", "login", it["name"], "", "", "0", "",
                        it["login"]["username"], "FAKE-pw", it["login"]["totp"]])
        return Export("bitwarden.csv", buf.getvalue().encode(), None, expected)
    if kind == "plain":
        return Export("bitwarden.json", json.dumps(vault, ensure_ascii=False).encode(), None, expected)
    salt = base64.b64encode(os.urandom(16)).decode()
    doc: dict = {"encrypted": True, "passwordProtected": True, "salt": salt}
    if kind == "pbkdf2":
        doc.update(kdfType=0, kdfIterations=5000, kdfMemory=None, kdfParallelism=None)
        key = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), 5000, 32)
    else:
        doc.update(kdfType=1, kdfIterations=2, kdfMemory=16, kdfParallelism=1)
        key = _argon2id(PASSWORD.encode(), hashlib.sha256(salt.encode()).digest(), 2, 16 * 1024, 1)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

    enc = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"enc").derive(key)
    mac = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"mac").derive(key)

    def encstring(plain: bytes) -> str:
        import hmac

        iv = os.urandom(16)
        ct = _aescbc(enc, iv, plain)
        tag = hmac.new(mac, iv + ct, hashlib.sha256).digest()
        return "2." + "|".join(base64.b64encode(x).decode() for x in (iv, ct, tag))

    doc["encKeyValidation_DO_NOT_EDIT"] = encstring(b"00000000-0000-4000-8000-000000000000")
    doc["data"] = encstring(json.dumps(vault).encode())
    if kind == "restricted":
        doc = {"encrypted": True, "encKeyValidation_DO_NOT_EDIT": doc["encKeyValidation_DO_NOT_EDIT"],
               "folders": [], "items": [{"type": 1, "name": doc["data"], "login": {"totp": doc["data"]}}]}
    return Export(f"bitwarden-{kind}.json", json.dumps(doc).encode(), PASSWORD, expected)


def _andotp_list() -> tuple[list, list[Acct]]:
    accts = _pick(lambda a: True)
    out = []
    for a in accts:
        e = {"secret": base64.b32encode(a.raw).decode() if a.secret_len != 17 else a.b32, "issuer": a.issuer,
             "label": a.account, "digits": a.digits, "type": a.type.upper(), "algorithm": a.algorithm,
             "thumbnail": "Default", "last_used": 0, "used_frequency": 0, "tags": [a.group] if a.group else []}
        e.update({"counter": a.counter} if a.type == "hotp" else {"period": a.period})
        out.append(e)
    return out, accts


def make_andotp(kind: str = "plain") -> Export:
    """kind: plain, encrypted (PBKDF2-SHA1 + AES-GCM) or old (SHA-256 key, before andOTP 0.6.3)."""
    entries, accts = _andotp_list()
    plain = json.dumps(entries, ensure_ascii=False).encode()
    if kind == "plain":
        return Export("otp_accounts.json", plain, None, _exp(accts))
    iv = os.urandom(12)
    if kind == "old":
        data = iv + _aesgcm(hashlib.sha256(PASSWORD.encode()).digest(), iv, plain)
    else:
        iterations, salt = 140_000 + int.from_bytes(os.urandom(2), "big") % 20_000, os.urandom(12)
        key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, iterations, 32)
        data = iterations.to_bytes(4, "big") + salt + iv + _aesgcm(key, iv, plain)
    return Export(f"otp_accounts-{kind}.json.aes", data, PASSWORD, _exp(accts))


def make_ente(encrypted: bool = False) -> Export:
    accts = _pick(lambda a: True)
    lines = [_uri(a, lower_alg=True, extra="&codeDisplay=" + quote(json.dumps(
        {"pinned": False, "trashed": False, "tags": [a.group] if a.group else []}), safe="")) for a in accts]
    text = "\n".join(lines) + "\n"
    if not encrypted:
        return Export("ente-codes.txt", text.encode(), None, _exp(accts))
    from nacl.bindings import (crypto_secretstream_xchacha20poly1305_init_push,
                               crypto_secretstream_xchacha20poly1305_push,
                               crypto_secretstream_xchacha20poly1305_state,
                               crypto_secretstream_xchacha20poly1305_TAG_FINAL)

    salt, ops, mem = os.urandom(16), 2, 8 * 1024 * 1024  # Ente lowers these on weak devices; same scheme
    key = _argon2id(PASSWORD.encode(), salt, ops, mem // 1024, 1)
    state = crypto_secretstream_xchacha20poly1305_state()
    header = crypto_secretstream_xchacha20poly1305_init_push(state, key)
    ct = crypto_secretstream_xchacha20poly1305_push(state, text.encode(), None,
                                                    crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    doc = {"version": 1, "kdfParams": {"memLimit": mem, "opsLimit": ops, "salt": base64.b64encode(salt).decode()},
           "encryptedData": base64.b64encode(ct).decode(), "encryptionNonce": base64.b64encode(header).decode()}
    return Export("ente-auth-codes.txt", json.dumps(doc).encode(), PASSWORD, _exp(accts))


def make_lastpass() -> Export:
    accts = _pick(lambda a: a.type == "totp")
    folders = [{"id": 0, "name": "Other Accounts", "isOpened": True}, {"id": 1, "name": "Work", "isOpened": True}]
    out = []
    for i, a in enumerate(accts):
        out.append({"accountID": f"acc-{i}", "lmiUserId": "", "issuerName": a.issuer, "originalIssuerName": a.issuer,
                    "userName": a.account, "originalUserName": a.account, "pushNotification": False,
                    "secret": a.b32, "timeStep": a.period, "digits": a.digits, "creationTimestamp": 1700000000000,
                    "isFavorite": False, "algorithm": a.algorithm,
                    "folderData": {"folderId": 1 if a.group == "Work" else 0, "position": i}})
    doc = {"deviceId": "", "deviceSecret": "", "localDeviceId": "dev-1", "deviceName": "Pixel", "version": 3,
           "accounts": out, "folders": folders}
    expected = frozenset(a.tuple() for a in accts)
    return Export("lastpass-export.json", json.dumps(doc, ensure_ascii=False).encode(), None, expected)


def make_proton_authenticator() -> Export:
    accts = _pick(lambda a: a.type in ("totp", "steam"))
    entries = []
    for i, a in enumerate(accts):
        uri = f"steam://{a.b32}" if a.type == "steam" else _uri(a)
        entries.append({"id": f"e{i}", "content": {"uri": uri, "entry_type": "Steam" if a.type == "steam" else "Totp",
                                                   "name": a.account}, "note": None})
    expected = {a.tuple() if a.type != "steam" else ("Steam", a.account, "steam", "SHA1", 5, 30, None)
                for a in accts}
    doc = {"version": 1, "entries": entries}
    return Export("proton-authenticator.json", json.dumps(doc, ensure_ascii=False).encode(), None,
                  frozenset(expected))


def _freeotp_token(a: Acct) -> dict:
    return {"algo": a.algorithm, "counter": a.counter - 1 if a.type == "hotp" else 0, "digits": a.digits,
            "issuerExt": a.issuer, "issuerInt": a.issuer, "label": a.account, "period": a.period,
            "secret": [b - 256 if b > 127 else b for b in a.raw], "type": a.type.upper()}


def make_freeotp(xml: bool = False) -> Export:
    accts = _pick(lambda a: a.type in ("totp", "hotp"))
    if xml:
        rows = [f'    <string name="{escape(a.issuer)}:{escape(a.account)}">{escape(json.dumps(_freeotp_token(a)))}'
                "</string>" for a in accts]
        text = ("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n" + "\n".join(rows)
                + '\n    <string name="tokenOrder">[]</string>\n</map>\n')
        return Export("tokens.xml", text.encode(), None, _exp(accts))
    doc = {"tokenOrder": [f"{a.issuer}:{a.account}" for a in accts], "tokens": [_freeotp_token(a) for a in accts]}
    return Export("freeotp-backup.json", json.dumps(doc, ensure_ascii=False).encode(), None, _exp(accts))


_AUTHPRO_TYPE = {"hotp": 1, "totp": 2, "steam": 4}
_AUTHPRO_ALG = {"SHA1": 0, "SHA256": 1, "SHA512": 2}


def _authpro_doc() -> tuple[dict, list[Acct]]:
    accts = _pick(lambda a: a.algorithm in _AUTHPRO_ALG)
    auths, cats, binds = [], [], []
    for a in accts:
        auths.append({"Type": _AUTHPRO_TYPE[a.type], "Icon": None, "Issuer": a.issuer, "Username": a.account,
                      "Secret": a.b32, "Pin": None, "Algorithm": _AUTHPRO_ALG[a.algorithm], "Digits": a.digits,
                      "Period": a.period, "Counter": a.counter, "Ranking": 0, "CopyCount": 0})
        if a.group:
            cid = hashlib.sha1(a.group.encode()).hexdigest()[:8]
            if all(c["Id"] != cid for c in cats):
                cats.append({"Id": cid, "Name": a.group, "Ranking": 0})
            binds.append({"CategoryId": cid, "AuthenticatorSecret": a.b32, "Ranking": 0})
    return {"Authenticators": auths, "Categories": cats, "AuthenticatorCategories": binds, "CustomIcons": []}, accts


def make_authpro(kind: str = "plain") -> Export:
    """kind: plain, strong (Argon2id + AES-GCM), legacy (PBKDF2-SHA1 + AES-CBC) or html."""
    doc, accts = _authpro_doc()
    plain = json.dumps(doc, ensure_ascii=False).encode()
    if kind == "plain":
        return Export("backup.authpro", plain, None, _exp(accts))
    if kind == "html":
        rows = "".join(f"<tr><td>{escape(a.issuer)}</td><td>{escape(a.account)}</td><td><code>"
                       f"{escape(_uri(a))}</code></td><td><img src=\"data:image/png;base64,AAAA\"></td></tr>\n"
                       for a in accts if a.type != "steam")
        page = ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Stratum Backup</title></head><body>"
                "<table><tr><th>Issuer</th><th>Username</th><th>OTP Auth URI</th><th>QR Code</th></tr>\n"
                + rows + "</table></body></html>\n")
        return Export("backup.html", page.encode(), None, _exp([a for a in accts if a.type != "steam"]))
    if kind == "strong":
        salt, iv = os.urandom(16), os.urandom(12)
        key = _argon2id(PASSWORD.encode(), salt, 3, 64 * 1024, 4)
        data = b"AUTHENTICATORPRO" + salt + iv + _aesgcm(key, iv, plain)
    else:
        salt, iv = os.urandom(20), os.urandom(16)
        key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, 64_000, 32)
        data = b"AuthenticatorPro" + salt + iv + _aescbc(key, iv, plain)
    return Export(f"backup-{kind}.authpro", data, PASSWORD, _exp(accts))


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
GENERATORS: dict[str, Callable[[], Export]] = {
    "uri-list": make_uri_list,
    "google-migration": make_google_migration,
    "google-qr": lambda: make_google_migration(image=True),
    "aegis": make_aegis,
    "aegis-encrypted": lambda: make_aegis(encrypted=True),
    "2fas": make_twofas,
    "2fas-encrypted": lambda: make_twofas(encrypted=True),
    "bitwarden-json": make_bitwarden,
    "bitwarden-csv": lambda: make_bitwarden("csv"),
    "bitwarden-pbkdf2": lambda: make_bitwarden("pbkdf2"),
    "bitwarden-argon2id": lambda: make_bitwarden("argon2id"),
    "andotp": make_andotp,
    "andotp-encrypted": lambda: make_andotp("encrypted"),
    "andotp-encrypted-old": lambda: make_andotp("old"),
    "ente": make_ente,
    "ente-encrypted": lambda: make_ente(encrypted=True),
    "lastpass": make_lastpass,
    "proton-authenticator": make_proton_authenticator,
    "freeotp-plus": make_freeotp,
    "freeotp-xml": lambda: make_freeotp(xml=True),
    "authpro": make_authpro,
    "authpro-strong": lambda: make_authpro("strong"),
    "authpro-legacy": lambda: make_authpro("legacy"),
    "authpro-html": lambda: make_authpro("html"),
    "proton-pass": make_proton_pass,
    "steam": make_steam,
}


def write_all(folder: Path) -> dict[str, tuple[Path, Export]]:
    """Write every generated export (KeePass included) into ``folder``."""
    out: dict[str, tuple[Path, Export]] = {}
    for name, make in GENERATORS.items():
        exp = make()
        path = folder / f"{name}--{exp.name}"
        path.write_bytes(exp.data)
        out[name] = (path, exp)
    kp = load_keepass()
    (folder / kp.name).write_bytes(kp.data)
    out["keepass"] = (folder / kp.name, kp)
    return out


if __name__ == "__main__":
    print(make_keepass().name, "written")


# ---------------------------------------------------------------- the Aegis family, generated

#: Aegis's published test vectors (metadata only; the secrets here are this project's FAKE ones).
SEVEN_ACCOUNTS = [
    Acct("Deno", "Mason"), Acct("SPDX", "James", algorithm="SHA256", digits=7, period=20),
    Acct("Airbnb", "Elijah", algorithm="SHA512", digits=8, period=50), Acct("Issuu", "James", type="hotp", counter=1),
    Acct("Air Canada", "Benjamin", type="hotp", algorithm="SHA256", digits=7, counter=50),
    Acct("WWE", "Mason", type="hotp", algorithm="SHA512", digits=8, counter=10300),
    Acct("Boeing", "Sophia", type="steam", digits=5),
]
AEGIS_FAMILY_PASSWORD = "test"


def aegis_family(folder: Path) -> Path:
    """The files of ``../shared/fixtures/otp-exports/aegis`` (same names, same accounts, same quirks — Bitwarden's
    Steam items named "Test Steam" / "Test 4", the v2 vault's groups) with FAKE secrets, for a fresh clone."""
    seven = SEVEN_ACCOUNTS
    steam = seven[-1]
    (folder / "plain.txt").write_text("".join(_uri(a) + "\n" for a in seven), encoding="utf-8")
    (folder / "ente_auth.txt").write_text("".join(
        _uri(a, lower_alg=True, extra="&codeDisplay=%7B%22pinned%22%3Afalse%2C%22trashed%22%3Afalse%7D") + "\n"
        for a in seven), encoding="utf-8")

    def entry(a: Acct, **extra: object) -> dict:
        info = {"secret": a.b32, "algo": a.algorithm, "digits": a.digits}
        info.update({"counter": a.counter} if a.type == "hotp" else {"period": a.period})
        return {"type": a.type, "uuid": f"u-{a.issuer}", "name": a.account, "issuer": a.issuer, "icon": None,
                "info": info, **extra}

    def vault(db: dict) -> str:
        return json.dumps({"version": 1, "header": {"slots": None, "params": None}, "db": db})

    (folder / "aegis_plain.json").write_text(vault({"version": 3, "entries": [entry(a, groups=[]) for a in seven],
                                                    "groups": []}))
    v2 = {"Deno": "group1", "Airbnb": "group1", "Issuu": "group2"}
    (folder / "aegis_plain_grouped_v2.json").write_text(vault({"version": 2, "entries": [
        entry(a, group=v2.get(a.issuer)) for a in seven]}))
    andotp = []
    for a in seven:
        e = {"secret": a.b32, "issuer": a.issuer, "label": a.account, "digits": a.digits, "type": a.type.upper(),
             "algorithm": a.algorithm, "thumbnail": "Default", "tags": []}
        e.update({"counter": a.counter} if a.type == "hotp" else {"period": a.period})
        andotp.append(e)
    (folder / "andotp_plain.json").write_text(json.dumps(andotp))
    # the encrypted vault: Aegis's scheme, password "test" like the real fixture
    db = {"version": 3, "entries": [entry(a, groups=[]) for a in seven], "groups": []}
    master, salt, snonce, dnonce = os.urandom(32), os.urandom(32), os.urandom(12), os.urandom(12)
    kek = hashlib.scrypt(AEGIS_FAMILY_PASSWORD.encode(), salt=salt, n=2**15, r=8, p=1, dklen=32,
                         maxmem=64 * 1024 * 1024)
    wrapped, ct = _aesgcm(kek, snonce, master), _aesgcm(master, dnonce, json.dumps(db).encode())
    slot = {"type": 1, "uuid": "s1", "key": wrapped[:-16].hex(), "key_params": {"nonce": snonce.hex(),
            "tag": wrapped[-16:].hex()}, "n": 2**15, "r": 8, "p": 1, "salt": salt.hex()}
    (folder / "aegis_encrypted.json").write_text(json.dumps({"version": 1, "header": {
        "slots": [slot], "params": {"nonce": dnonce.hex(), "tag": ct[-16:].hex()}},
        "db": base64.b64encode(ct[:-16]).decode()}))
    twofas = [a for a in seven if a.issuer in {"Deno", "Issuu", "Air Canada", "WWE", "Boeing"}]
    (folder / "2fas_authenticator_plain_v4.2fas").write_text(json.dumps({"schemaVersion": 4, "groups": [],
        "services": [{"name": a.issuer, "secret": a.b32, "otp": {"account": a.account, "issuer": a.issuer,
                      "digits": a.digits, "period": a.period, "algorithm": a.algorithm, "counter": a.counter,
                      "tokenType": a.type.upper()}} for a in twofas]}))
    three = seven[:3]
    items = [{"type": 1, "name": f"Test {i}", "folderId": None, "login": {"username": None, "totp": _uri(a)}}
             for i, a in enumerate(three, start=1)]
    items.append({"type": 1, "name": "Test Steam", "folderId": None,
                  "login": {"username": None, "totp": f"steam://{steam.b32}"}})
    (folder / "bitwarden.json").write_text(json.dumps({"encrypted": False, "folders": [], "items": items}))
    rows = ["folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp"]
    rows += [f",,login,Test {i},,,,,,{_uri(a)}" for i, a in enumerate(three, start=1)]
    rows.append(f",,login,Test 4,,,,,,steam://{steam.b32}")
    (folder / "bitwarden.csv").write_text("\n".join(rows) + "\n")
    return folder


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


GENERATORS["freeotp2-backup"] = make_freeotp2


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


GENERATORS["totp-authenticator-encrypted"] = make_totp_authenticator
GENERATORS["totp-authenticator-nopass"] = lambda: make_totp_authenticator(None)


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


GENERATORS["winauth-encrypted"] = make_winauth


# ---------------------------------------------------------------- Google transfers with the real files' quirks

def _migration_link(entries: list[tuple[str, str, str, int, bytes]], batch: tuple[int, int, int] = (1, 0, 7),
                    quote_data: bool = True) -> str:
    """(name, issuer, type, counter, secret) entries → an otpauth-migration:// link."""
    from mfakit.importers.google_migration import _payload_class

    msg = _payload_class()()
    msg.version, (msg.batch_size, msg.batch_index, msg.batch_id) = 1, batch
    for name, issuer, kind, counter, secret in entries:
        p = msg.otp_parameters.add()
        p.secret, p.name, p.issuer, p.algorithm, p.digits = secret, name, issuer, 1, 1
        p.type, p.counter = (1, counter) if kind == "hotp" else (2, 0)
    data = base64.b64encode(msg.SerializeToString()).decode()
    return "otpauth-migration://offline?data=" + (quote(data, safe="") if quote_data else data)


def migration_family(root: Path) -> Path:
    """``extract-otp-secrets/`` and ``dim13-otpauth/`` as in ../shared (same names, accounts and quirks: repeated
    accounts, raw '+' in the data, a scanner prefix, corrupt data, one account under two secrets, QR images),
    with FAKE secrets."""
    from mfakit.importers.samples import qr_image

    ex, dim = root / "extract-otp-secrets", root / "dim13-otpauth"
    ex.mkdir(parents=True, exist_ok=True)
    dim.mkdir(parents=True, exist_ok=True)
    secret = hashlib.sha1(b"mfakit-FAKE:raspberrypi").digest()[:16]
    b32 = base64.b32encode(secret).decode().rstrip("=")
    six = [("pi@raspberrypi", "raspberrypi", "totp", 0), ("pi@raspberrypi", "", "totp", 0),
           ("pi@raspberrypi", "", "totp", 0), ("pi@raspberrypi", "raspberrypi", "totp", 0),
           ("hotp demo", "", "hotp", 4), ("encoding: ¿äÄéÉ? (demo)", "", "totp", 0)]
    links = [_migration_link([(*e, secret) for e in six[:3]], (2, 0, 11)),
             _migration_link([(*e, secret) for e in six[3:]], (2, 1, 11))]
    (ex / "example_export.txt").write_text("# 2 QR codes of one transfer\n" + "\n".join(links) + "\n", "utf-8")
    (ex / "url_list_output.txt").write_text("".join(
        f"otpauth://{kind}/{quote(name, safe='')}?secret={b32}" + (f"&issuer={issuer}" if issuer else "")
        + (f"&counter={counter}" if kind == "hotp" else "") + "\n" for name, issuer, kind, counter in six), "utf-8")
    serenity = [(f"SerenityLabs:test{i}@serenitylabs.co.uk", "SerenityLabs", "totp", 0,
                 hashlib.sha1(f"mfakit-FAKE:serenity{i}".encode()).digest()) for i in range(1, 5)]
    batch_id = 1
    while "+" not in (link := _migration_link(serenity, (1, 0, batch_id), quote_data=False)):
        batch_id += 1  # a payload whose base64 holds a raw '+', as scanners deliver it
    (ex / "test_plus_problem_export.txt").write_text(link + "\n")
    (ex / "test_export_wrong_prefix.txt").write_text(
        "QR-Code:" + _migration_link([("pi@raspberrypi", "raspberrypi", "totp", 0, secret)]) + "\n")
    good = _migration_link([("pi@raspberrypi", "raspberrypi", "totp", 0, secret)], quote_data=False)
    (ex / "test_export_wrong_data.txt").write_text(good[:60] + "\n")
    (ex / "qr_but_without_otp.png").write_bytes(qr_image(["https://example.com/just-a-link"]))
    alice = [("Example:alice@google.com", "Example", "totp", 0, hashlib.sha1(f"mfakit-FAKE:alice{i}".encode())
              .digest()[:10]) for i in (1, 2)]
    (dim / "migration_links.txt").write_text("# one account exported twice with different secrets\n"
                                             + "".join(_migration_link([a]) + "\n" for a in alice))
    alice_b32 = base64.b32encode(alice[0][4]).decode().rstrip("=")
    (dim / "example.png").write_bytes(qr_image([f"otpauth://totp/Example:alice@google.com?secret={alice_b32}"
                                                "&issuer=Example"]))
    return root
