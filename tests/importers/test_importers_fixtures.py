"""Every real fixture in ../shared/fixtures/otp-exports yields exactly its expected accounts, without secrets.

The Aegis-family tests run on ../shared's real files when they are there, else on the same files generated
with FAKE secrets (gen_exports.aegis_family), so a fresh clone runs them too."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from importers_support import SEVEN, as_tuples

from mfakit.errors import ImportFormatError
from mfakit.importers import OtpRecord, read_export, read_exports

AEGIS = "otp-exports/aegis"
REAL_AEGIS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / AEGIS


@pytest.fixture(scope="module")
def exports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """../shared/fixtures/otp-exports, or generated copies of its Google-transfer folders (FAKE secrets)."""
    if REAL_AEGIS.is_dir():
        return REAL_AEGIS.parent
    from gen_exports import migration_family

    return migration_family(tmp_path_factory.mktemp("otp-exports"))


@pytest.fixture(scope="module")
def aegis_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """../shared's Aegis-family files, or the generated ones (same names and accounts, FAKE secrets)."""
    if REAL_AEGIS.is_dir():
        return REAL_AEGIS
    from gen_exports import aegis_family

    return aegis_family(tmp_path_factory.mktemp("aegis-family"))


def test_record_has_no_secret_field() -> None:
    names = {f.name for f in fields(OtpRecord)}
    assert not any("secret" in n or "key" == n for n in names)
    assert names >= {"issuer", "account", "type", "algorithm", "digits", "period", "counter", "format", "groups"}


@pytest.mark.parametrize("name, fmt", [
    ("plain.txt", "otpauth"), ("ente_auth.txt", "ente"), ("aegis_plain.json", "aegis"),
    ("aegis_plain_grouped_v2.json", "aegis"), ("andotp_plain.json", "andotp"),
])
def test_seven_account_fixtures(aegis_dir: Path, name: str, fmt: str) -> None:
    result = read_export(aegis_dir / name)
    assert result.format == fmt
    assert as_tuples(result.records) == SEVEN
    assert {r.format for r in result.records} == {fmt}
    assert result.warnings == []


def test_aegis_encrypted_with_password(aegis_dir: Path) -> None:
    asked = []
    result = read_export(aegis_dir / "aegis_encrypted.json",
                         password_provider=lambda p: asked.append(p.name) or "test")
    assert asked == ["aegis_encrypted.json"]
    assert as_tuples(result.records) == SEVEN


def test_aegis_encrypted_wrong_and_missing_password(aegis_dir: Path) -> None:
    path = aegis_dir / "aegis_encrypted.json"
    with pytest.raises(ImportFormatError, match="wrong password") as exc:
        read_export(path, password="not-it")
    assert str(path) in str(exc.value) and "\n" not in str(exc.value)
    with pytest.raises(ImportFormatError, match="Aegis vault: it is encrypted; give its password"):
        read_export(path)


def test_aegis_v2_groups(aegis_dir: Path) -> None:
    result = read_export(aegis_dir / "aegis_plain_grouped_v2.json")
    groups = {r.issuer: r.groups for r in result.records}
    assert groups["Deno"] == ("group1",) and groups["Airbnb"] == ("group1",) and groups["Issuu"] == ("group2",)
    assert groups["SPDX"] == ()


def test_twofas_plain(aegis_dir: Path) -> None:
    result = read_export(aegis_dir / "2fas_authenticator_plain_v4.2fas")
    assert result.format == "2fas"
    assert as_tuples(result.records) == {t for t in SEVEN if t[0] in {"Deno", "Issuu", "Air Canada", "WWE", "Boeing"}}


def test_bitwarden_json_and_csv(aegis_dir: Path) -> None:
    three = {t for t in SEVEN if t[0] in {"Deno", "SPDX", "Airbnb"}}
    js = read_export(aegis_dir / "bitwarden.json")
    assert as_tuples(js.records) == three | {("Test Steam", "", "steam", "SHA1", 5, 30, None)}
    csv = read_export(aegis_dir / "bitwarden.csv")
    assert as_tuples(csv.records) == three | {("Test 4", "", "steam", "SHA1", 5, 30, None)}
    assert {r.format for r in js.records + csv.records} == {"bitwarden"}


def test_all_aegis_family_files_together_give_seven(aegis_dir: Path) -> None:
    files = sorted(aegis_dir.iterdir())
    result = read_exports(files, password="test")
    # Bitwarden names its Steam entry after the item, so it stays a separate (8th/9th) record
    assert SEVEN <= as_tuples(result.records)
    assert {r.issuer for r in result.records} - {t[0] for t in SEVEN} == {"Test Steam", "Test 4"}
    assert any("duplicate" in w for w in result.warnings)


def _expected_from_url_list(path: Path) -> list[tuple]:
    out = []
    for line in path.read_text().splitlines():
        parts = urlsplit(line)
        label = unquote(parts.path[1:])
        q = parse_qs(parts.query)
        out.append((parts.netloc, label, q.get("issuer", [""])[0], int(q.get("counter", ["0"])[0])))
    return out


def test_google_migration_text_matches_url_list(exports_dir: Path) -> None:
    folder = exports_dir / "extract-otp-secrets"
    from mfakit.importers.google_migration import decode_payload, extract_data

    decoded = []
    for line in (folder / "example_export.txt").read_text().splitlines():
        if line.startswith("otpauth-migration://"):
            pairs, _batch = decode_payload(extract_data(line))
            decoded.extend((r.type, r.account, r.issuer, r.counter or 0) for r, _secret in pairs)
    # the URL list's label is the payload's name (none of these names repeats its issuer)
    assert decoded == _expected_from_url_list(folder / "url_list_output.txt")
    # through the public API the repeated accounts are merged (same issuer+account+type+secret)
    result = read_export(folder / "example_export.txt")
    assert result.format == "google-migration"
    assert as_tuples(result.records) == {
        ("raspberrypi", "pi@raspberrypi", "totp", "SHA1", 6, 30, None),
        ("", "pi@raspberrypi", "totp", "SHA1", 6, 30, None),
        ("", "hotp demo", "hotp", "SHA1", 6, None, 4),
        ("", "encoding: ¿äÄéÉ? (demo)", "totp", "SHA1", 6, 30, None),
    }


def test_google_migration_pitfalls(exports_dir: Path) -> None:
    folder = exports_dir / "extract-otp-secrets"
    plus = read_export(folder / "test_plus_problem_export.txt")  # raw '+' in the data
    assert [(r.issuer, r.account) for r in plus.records] == [
        ("SerenityLabs", f"test{i}@serenitylabs.co.uk") for i in range(1, 5)]  # "Issuer:" prefix stripped
    prefixed = read_export(folder / "test_export_wrong_prefix.txt")  # "QR-Code:" scanner prefix
    assert as_tuples(prefixed.records) == {("raspberrypi", "pi@raspberrypi", "totp", "SHA1", 6, 30, None)}
    with pytest.raises(ImportFormatError, match="corrupt") as exc:
        read_export(folder / "test_export_wrong_data.txt")
    assert "test_export_wrong_data.txt:" in str(exc.value) and "line 1" in str(exc.value)


def test_dim13_links_and_png(exports_dir: Path) -> None:
    folder = exports_dir / "dim13-otpauth"
    links = read_export(folder / "migration_links.txt")
    assert as_tuples(links.records) == {("Example", "alice@google.com", "totp", "SHA1", 6, 30, None)}
    assert any("different secret" in w for w in links.warnings)  # the two links carry different secrets
    png = read_export(folder / "example.png")
    assert png.format == "image: otpauth"
    assert as_tuples(png.records) == {("Example", "alice@google.com", "totp", "SHA1", 6, 30, None)}


def test_qr_that_is_not_an_export(exports_dir: Path) -> None:
    path = exports_dir / "extract-otp-secrets/qr_but_without_otp.png"
    with pytest.raises(ImportFormatError, match="not an authenticator export") as exc:
        read_export(path)
    assert str(exc.value).startswith(str(path))


def test_issuer_mismatch_kept_with_warning(tmp_path: Path) -> None:
    f = tmp_path / "ms.txt"
    f.write_text("otpauth://totp/Company:user@corp.example?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft"
                 "&algorithm=sha256&image=https%3A%2F%2Fx\n"
                 "otpauth://steam/Steam%3A%20gabe?secret=jbsw%20y3dp%20ehpk%203pxp%3D%3D%3D%3D\n")
    result = read_export(f)
    assert as_tuples(result.records) == {("Microsoft", "user@corp.example", "totp", "SHA256", 6, 30, None),
                                         ("Steam", "gabe", "steam", "SHA1", 5, 30, None)}
    assert any("differs from the label prefix 'Company'" in w for w in result.warnings)
