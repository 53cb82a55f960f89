"""Every format mfakit reads, on exports generated here (gen_exports.py, FAKE secrets): runs on a fresh clone.

Plain and encrypted, with the odd cases of real files: a 17-character Base32 secret, SHA384, the same account
and secret under SHA1 and SHA256 (two entries), non-ASCII names, HOTP and Steam.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gen_exports import ACCOUNTS, GENERATORS, PASSWORD, Export, load_keepass, make_bitwarden
from importers_support import run_cli

from mfakit.errors import ImportFormatError
from mfakit.importers import read_export, read_exports

NAMES = sorted([*GENERATORS, "keepass"])
ENCRYPTED = [n for n in NAMES if any(k in n for k in ("encrypted", "pbkdf2", "argon2id", "strong", "legacy",
                                                         "keepass", "freeotp2"))]
FORMAT_OF = {"uri-list": "otpauth", "google-migration": "google-migration", "google-qr": "image: google-migration",
             "aegis": "aegis", "2fas": "2fas", "bitwarden": "bitwarden", "andotp": "andotp", "ente": "ente",
             "lastpass": "lastpass", "proton-authenticator": "proton-authenticator", "freeotp-plus": "freeotp+",
             "freeotp-xml": "freeotp", "freeotp2": "freeotp", "totp-authenticator": "totp-authenticator", "winauth": "winauth", "authpro": "authpro", "proton-pass": "proton-pass", "steam": "steam",
             "keepass": "keepass"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Export]]:
    folder = tmp_path_factory.mktemp("generated")
    out = {}
    for name in NAMES:
        exp = load_keepass() if name == "keepass" else GENERATORS[name]()
        path = folder / f"{name}--{exp.name}"
        path.write_bytes(exp.data)
        out[name] = (path, exp)
    return out


def _tuples(records) -> list[tuple]:
    return [(r.issuer, r.account, r.type, r.algorithm, r.digits, r.period, r.counter) for r in records]


def _format(name: str) -> str:
    return next(v for k, v in sorted(FORMAT_OF.items(), key=lambda kv: -len(kv[0])) if name.startswith(k))


@pytest.mark.parametrize("name", NAMES)
def test_each_format_reads_its_entries(exports, name: str) -> None:
    path, exp = exports[name]
    result = read_export(path, password=exp.password)
    got = _tuples(result.records)
    assert set(got) == set(exp.expected)
    assert len(got) == len(exp.expected)  # nothing merged that differs (the SHA1/SHA256 twins stay two)
    assert result.format == _format(name)
    assert result.skipped == 0


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("steam", "keepass", "proton-pass")])
def test_odd_cases_survive(exports, name: str) -> None:
    path, exp = exports[name]
    got = _tuples(read_export(path, password=exp.password).records)
    twins = [t for t in got if t[0] == "Twin"]
    if "Twin" in {t[0] for t in exp.expected} and len({t for t in exp.expected if t[0] == "Twin"}) == 2:
        assert sorted(t[3] for t in twins) == ["SHA1", "SHA256"]
    if any(t[0] == "Hand Typed" for t in exp.expected):
        assert any(t[0] == "Hand Typed" for t in got)  # 17 Base32 characters: accepted like the apps do
    if any(t[3] == "SHA384" for t in exp.expected):
        assert ("Odd Algo", "x@example.org", "totp", "SHA384", 6, 30, None) in got
    if any(t[0] == "楽天" for t in exp.expected):
        assert any(t[0] == "楽天" and t[1] == "taro@example.jp" for t in got)


@pytest.mark.parametrize("name, groups", [
    ("aegis", {"GitHub": ("Work",), "楽天": ("買い物",)}), ("2fas", {"GitHub": ("Work",)}),
    ("andotp", {"楽天": ("買い物",)}), ("ente", {"GitHub": ("Work",)}), ("lastpass", {"GitHub": ("Work",)}),
    ("authpro", {"楽天": ("買い物",)}), ("bitwarden-pbkdf2", {"GitHub": ("2FA",)}), ("keepass", {"GitHub": ("Work",)}),
    ("proton-pass", {"GitHub": ("Personal",)}),
])
def test_groups_come_along(exports, name: str, groups: dict) -> None:
    path, exp = exports[name]
    got = {r.issuer: r.groups for r in read_export(path, password=exp.password).records}
    for issuer, want in groups.items():
        assert got[issuer] == want


@pytest.mark.parametrize("name", ENCRYPTED)
def test_encrypted_wrong_and_missing_password(exports, name: str) -> None:
    path, _exp = exports[name]
    with pytest.raises(ImportFormatError) as exc:
        read_export(path, password="not the password")
    msg = str(exc.value)
    assert msg.startswith(str(path)) and "\n" not in msg and "wrong password" in msg
    with pytest.raises(ImportFormatError) as exc:
        read_export(path)
    assert "--password-stdin" in str(exc.value) and "\n" not in str(exc.value)


def test_account_restricted_bitwarden_says_what_to_export(tmp_path: Path) -> None:
    path = tmp_path / "bitwarden_export.json"
    path.write_bytes(make_bitwarden("restricted").data)
    with pytest.raises(ImportFormatError, match="account-restricted Bitwarden export") as exc:
        read_export(path, password=PASSWORD)
    assert "Password protected" in str(exc.value) and "unknown shape" not in str(exc.value)


def test_everything_through_the_cli_idempotent(exports, tmp_path: Path, capsys) -> None:
    inv = tmp_path / "inv.yaml"
    files = [str(p) for p, _e in exports.values()]
    code, out, err = run_cli(["import", *files, "--inventory", str(inv), "--password-stdin", "--format", "json"],
                             capsys, PASSWORD + "\n")
    assert code == 0, err
    rows = json.loads(out)
    # true duplicates across files merge (the first file read wins); what differs stays apart
    assert {(r["issuer"], r["algorithm"]) for r in rows if r["issuer"] == "Twin"} == {("Twin", "SHA1"),
                                                                                    ("Twin", "SHA256")}
    assert sum(r["issuer"] == "Twin" for r in rows) == 2
    assert any(r["algorithm"] == "SHA384" for r in rows)
    assert "Traceback" not in err
    first = inv.read_bytes()
    code, out, err = run_cli(["import", *files, "--inventory", str(inv), "--password-stdin"], capsys,
                             PASSWORD + "\n")
    assert code == 0 and "0 to add, 0 to update" in out
    assert inv.read_bytes() == first


def _with_bad_entry(tmp_path: Path) -> Path:
    doc = json.loads(GENERATORS["aegis"]().data)
    doc["db"]["entries"][2]["info"]["secret"] = "not base32 at all!"
    doc["db"]["entries"][4]["info"]["digits"] = 0
    path = tmp_path / "aegis-with-bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_malformed_entry_is_skipped_with_a_warning(tmp_path: Path, capsys) -> None:
    path = _with_bad_entry(tmp_path)
    result = read_export(path)
    assert len(result.records) == len(ACCOUNTS) - 2 and result.skipped == 2
    bad = [w for w in result.warnings if "skipped" in w]
    assert bad[0].startswith(str(path)) and "Aegis entry #3 (Zürich Bank): secret is not Base32" in bad[0]
    assert "Aegis entry #5 (Odd Algo): 'digits' is out of range" in bad[1]
    inv = tmp_path / "inv.yaml"
    code, out, err = run_cli(["import", str(path), "--inventory", str(inv), "--dry-run"], capsys)
    assert code == 0 and "warning:" in err and "Aegis entry #3 (Zürich Bank)" in err
    code, out, err = run_cli(["import", str(path), "--inventory", str(inv), "--strict"], capsys)
    assert code == 2 and not inv.exists()
    lines = [ln for ln in err.splitlines() if ln.startswith("mfakit: error:")]
    assert len(lines) == 1 and "Aegis entry #3 (Zürich Bank)" in lines[0] and "--strict" in lines[0]


def test_a_file_of_only_bad_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "links.txt"
    path.write_text("otpauth://totp/A:a?secret=0000\notpauth://totp/B:b?secret=JBSWY3DP&digits=0\n")
    with pytest.raises(ImportFormatError, match=r"no entry could be read: line 1 \(A\): secret is not Base32 "
                                                r"\(and 1 more\)"):
        read_export(path)


def test_only_true_duplicates_merge(tmp_path: Path) -> None:
    uri = "otpauth://totp/Dup:me?secret=JBSWY3DPEHPK3PXP&algorithm={}&digits={}&period={}"
    path = tmp_path / "dups.txt"
    path.write_text("\n".join([uri.format("SHA1", 6, 30), uri.format("sha1", 6, 30),  # the same: merged
                               uri.format("SHA256", 6, 30), uri.format("SHA1", 8, 30), uri.format("SHA1", 6, 60),
                               "otpauth://hotp/Dup:me?secret=JBSWY3DPEHPK3PXP&counter=1",
                               "otpauth://totp/Dup:me?secret=KRSXG5CTMVRXEZLU"]) + "\n")
    result = read_export(path)
    assert len(result.records) == 6
    assert any("1 duplicate entry" in w for w in result.warnings)


def test_read_exports_across_files_merges_the_same_entry(exports) -> None:
    a, b = exports["aegis"], exports["2fas"]
    result = read_exports([a[0], b[0]])
    assert len(result.records) == len(a[1].expected)


def test_bitwarden_without_totp_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bitwarden.json"
    path.write_text(json.dumps({"encrypted": False, "items": [{"type": 1, "name": "Mail", "login": {"totp": None}}]}))
    result = read_export(path)
    assert result.records == [] and any("no item of this Bitwarden export has a TOTP code" in w
                                        for w in result.warnings)
