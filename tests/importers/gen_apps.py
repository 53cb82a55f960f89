"""Generators of the main apps' exports (see gen_exports for the registry)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
from html import escape
from urllib.parse import quote

from gen_base import PASSWORD, Acct, Export, _aescbc, _aesgcm, _argon2id, _exp, _pick, _uri

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
