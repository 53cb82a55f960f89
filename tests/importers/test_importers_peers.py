"""The other projects' importer test data (../shared/fixtures/otp-exports/peers, see its SOURCES.md):
every supported export imports with the fields expected.json gives; every bad input is refused in one line;
every other app's file is read right or refused with one line saying what to export instead; no secret is
printed. Skips when ../shared is absent (a fresh clone: test_importers_formats.py covers every format there)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from importers_support import SEVEN, run_cli, scan

from mfakit.importers import read_export

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT.parent / "shared" / "fixtures" / "otp-exports" / "peers"
EXPECTED = json.loads((PEERS / "expected.json").read_text("utf-8")) if (PEERS / "expected.json").is_file() else {}
ABSENT = ["(../shared absent)"]
SUPPORTED = sorted(EXPECTED.get("supported", {})) or ABSENT
BAD = sorted(EXPECTED.get("bad_inputs", {})) or ABSENT
UNSUPPORTED = [(u["format"], f) for u in EXPECTED.get("unsupported", []) for f in u["files"]] or [("", ABSENT[0])]
#: Passwords of the peers' encrypted files (SOURCES.md and the peers' tests).
PASSWORDS = {"stratum/andotp.encrypted.bin": "testtest", "aegis/totp_authenticator.bin": "Testtest1",
             "stratum/totpauthenticator.encrypted.bin": "Testtest1", "proton/ente/encrypted.lowcomplexity.txt": "password",
             "proton/ente/encrypted.nominalcomplexity.txt": "password",
             "stratum/bitwarden.encrypted.pbkdf2.json": "rud9^5S6$^Ewmr%d",
             "stratum/bitwarden.encrypted.argon2id.json": "rud9^5S6$^Ewmr%d",
             "stratum/bitwarden.encrypted.accountrestricted.json": "rud9^5S6$^Ewmr%d"}
#: Words a refusal must use to say what to do instead.
ADVICE = re.compile(r"export|Export|by hand|Backup|Aegis|password", re.I)
#: Stratum's test vectors (its HTML export, per expected.json): issuer, type, algorithm.
STRATUM = {(e["issuer"], e["type"], e["algorithm"]) for e in EXPECTED.get("unsupported_alt", {})
           .get("stratum/backup.html", {}).get("entries", [])}


@pytest.fixture
def peers(shared_fixtures: Path) -> Path:
    if not (PEERS / "expected.json").is_file():
        pytest.skip("../shared/fixtures/otp-exports/peers is absent")
    return PEERS


def _tuple(e: dict) -> tuple:
    return (e["issuer"], e["account"], e["type"], e["algorithm"], e["digits"],
            None if e["type"] == "hotp" else e["period"], e["counter"] if e["type"] == "hotp" else None)


def _tuples(records) -> list[tuple]:
    return [(r.issuer, r.account, r.type, r.algorithm, r.digits, r.period, r.counter) for r in records]


def _needles(secret_texts: list[str]) -> set[bytes]:
    """Raw secrets from the Base32 strings expected.json lists (decoded the tolerant way)."""
    raws = set()
    for s in secret_texts:
        t = "".join(s.split()).upper().rstrip("=")
        try:
            raws.add(base64.b32decode(t + "A" * (-len(t) % 8))[: len(t) * 5 // 8])
        except (binascii.Error, ValueError):
            raws.add(s.encode())
    return {r for r in raws if len(r) >= 5}


ALL_SECRETS = _needles([s for v in [*EXPECTED.get("supported", {}).values(),
                                    *EXPECTED.get("unsupported_alt", {}).values()] for s in v["secrets"]])


@pytest.mark.parametrize("name", SUPPORTED)
def test_supported_export_imports_expected_fields(peers: Path, name: str) -> None:
    spec = EXPECTED["supported"][name]
    result = read_export(peers / name, password=spec["password"])
    got = _tuples(result.records)
    want = Counter(_tuple(e) for e in spec["entries"])
    optional = {_tuple(e) for e in spec["entries"] if e.get("optional")}
    assert set(got) - set(want) == set()
    assert set(want) - set(got) <= optional
    # duplicates with the same issuer, account and secret may be merged; nothing else is
    assert len(set(want) - optional) <= len(got) <= sum(want.values())
    assert result.skipped == 0 or name.endswith("unsupported_algorithms.2fas")


def test_all_supported_through_the_cli_print_no_secret(peers: Path, tmp_path: Path, capsys) -> None:
    files = [str(peers / n) for n in SUPPORTED]
    inv = tmp_path / "inv.yaml"
    code, out, err = run_cli(["import", *files, "--inventory", str(inv), "--password-stdin"], capsys, "test\n")
    assert code == 0, err[-2000:]
    assert scan({"stdout": out.encode(), "stderr": err.encode(), "inventory": inv.read_bytes()}, ALL_SECRETS) == []
    assert "Traceback" not in err


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_refused_in_one_line(peers: Path, tmp_path: Path, capsys, name: str) -> None:
    spec = EXPECTED["bad_inputs"][name]
    path = peers / name
    code, out, err = run_cli(["import", str(path), "--inventory", str(tmp_path / "inv.yaml"), "--dry-run",
                              "--format", "json"], capsys)
    assert "Traceback" not in err
    if code == 0 and spec.get("alt_ok_if_no_invalid_entry"):
        assert all(r["digits"] and (r["period"] or r["type"] == "hotp") for r in json.loads(out))
        return
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("mfakit: error:")]
    assert len(lines) == 1 and lines[0].startswith(f"mfakit: error: {path}")


@pytest.mark.parametrize("fmt, name", UNSUPPORTED, ids=[n for _f, n in UNSUPPORTED])
def test_other_apps_files_read_right_or_advised(peers: Path, tmp_path: Path, capsys, fmt: str, name: str) -> None:
    spec = next(u for u in EXPECTED["unsupported"] if u["format"] == fmt)
    path = peers / name
    password = PASSWORDS.get(name, "test")
    code, out, err = run_cli(["import", str(path), "--inventory", str(tmp_path / "inv.yaml"), "--password-stdin",
                              "--dry-run", "--format", "json"], capsys, password + "\n")
    assert code in (0, 2) and "Traceback" not in err
    assert scan({"stdout": out.encode(), "stderr": err.encode()}, ALL_SECRETS | _file_secrets(path)) == []
    if code == 2:
        lines = [ln for ln in err.splitlines() if ln.startswith("mfakit: error:")]
        assert len(lines) == 1 and lines[0].startswith(f"mfakit: error: {path}: ")
        msg = lines[0][len(f"mfakit: error: {path}: "):]  # the reason, without the file name
        assert "unknown shape" not in msg and ADVICE.search(msg), msg
        for bad in spec["message_must_not_match"]:
            assert not re.search(bad, msg), msg
        if spec["producible_by_normal_user"].startswith("yes") and "wrong password" in msg:
            pytest.fail(f"{name}: a normal user's export was refused for its password: {msg}")
        return
    got = [(r["issuer"], r["account"], r["type"], r["algorithm"], r["digits"], r["period"], r["counter"])
           for r in json.loads(out)]
    assert got
    if "totp_authenticator" in name:  # the app keeps names in lower case and only SHA1/6/30 TOTP
        assert {(t[0], t[1]) for t in got} <= {(s[0], s[1].lower()) for s in SEVEN}
    elif "totpauthenticator" in name:
        assert {(t[0], t[1], t[2]) for t in got} == {("Totp", "standard", "totp"), ("Unknown", "noissuer", "totp")}
    elif name.startswith("aegis/") and "proton" not in name and "steam" not in name:
        assert set(got) <= SEVEN  # Aegis's test vectors
    if name.startswith("stratum/") and name != "stratum/backup.unencrypted.authpro" and "lastpass" not in name \
            and "totpauthenticator" not in name:
        assert {(t[0], t[2]) for t in got} <= {(i, t) for i, t, _a in STRATUM} | {
            ("Steam", "steam"), ("Secret", "totp"), ("No username", "totp"), ("", "totp"), ("Motp", "motp")}
    if name == "stratum/backup.html":
        alt = EXPECTED["unsupported_alt"][name]
        assert set(got) == {_tuple(e) for e in alt["entries"]}


def _file_secrets(path: Path) -> set[bytes]:
    """Base32-looking secret values in a plain file (for the files expected.json gives no secrets for)."""
    try:
        text = path.read_text("utf-8")
    except (UnicodeDecodeError, OSError):
        return set()
    found = re.findall(r'(?:secret=|"[Ss]ecret"\s*:\s*"|&quot;decryptedSecret&quot;:&quot;)([A-Za-z2-7=]{16,})', text)
    return _needles(found)


def test_figures(peers: Path) -> None:
    """The counts quoted in docs/import.md: all 51 supported exports read; every other app's file a normal user
    can produce is read or refused with advice."""
    assert len(SUPPORTED) == 51
    producible = [(f, n) for f, n in UNSUPPORTED
                  if next(u for u in EXPECTED["unsupported"] if u["format"] == f)["producible_by_normal_user"]
                  .startswith("yes")]
    assert len(producible) >= 25
