"""Generated copies of ../shared's Aegis-family and Google-transfer folders (same names, accounts and quirks,
FAKE secrets), so the fixture tests run on a fresh clone."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

from gen_base import Acct, _aesgcm, _uri

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
