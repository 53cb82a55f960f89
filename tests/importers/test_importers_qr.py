"""QR screenshots generated here (segno + Pillow): batches of 10, Japanese/German issuers, several codes per image,
small and blurred renders, batches spread over several images (missing and mixed ones reported)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from mfakit.errors import ImportFormatError
from mfakit.importers import read_export, read_exports
from mfakit.importers.samples import SampleAccount, migration_uris, qr_image, sample_accounts

pytest.importorskip("segno")


def _expected(accounts: list[SampleAccount]) -> set[tuple]:
    return {(a.issuer, a.name, a.type, a.algorithm, a.digits, a.counter if a.type == "hotp" else None)
            for a in accounts}


def _got(records) -> set[tuple]:
    return {(r.issuer, r.account, r.type, r.algorithm, r.digits, r.counter) for r in records}


def _write(path: Path, png: bytes, transform=None) -> Path:
    if transform is not None:
        img = transform(Image.open(io.BytesIO(png)))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        png = buf.getvalue()
    path.write_bytes(png)
    return path


def test_batch_of_three_images_with_japanese_and_german_issuers(tmp_path: Path) -> None:
    accounts = sample_accounts(30)
    assert {"楽天", "メルカリ", "Münchner Verkehrsverbund", "Straße & Söhne GmbH"} <= {a.issuer for a in accounts}
    uris = migration_uris(accounts, per_code=10)
    assert len(uris) == 3
    files = [_write(tmp_path / f"shot{i}.png", qr_image([u])) for i, u in enumerate(uris)]
    result = read_exports(files)
    assert _got(result.records) == _expected(accounts)
    assert result.warnings == []
    assert {r.format for r in result.records} == {"google-migration"}


def test_missing_code_of_a_batch_is_reported(tmp_path: Path) -> None:
    uris = migration_uris(sample_accounts(30), per_code=10, batch_id=-7)
    files = [_write(tmp_path / f"s{i}.png", qr_image([u])) for i, u in enumerate(uris) if i != 1]
    result = read_exports(files)
    assert len(result.records) == 20
    assert any("QR code(s) 2 of 3 missing" in w and "-7" in w for w in result.warnings)


def test_mixed_batches_are_reported(tmp_path: Path) -> None:
    a = migration_uris(sample_accounts(20), batch_id=111)
    b = migration_uris(sample_accounts(20, offset=40), batch_id=222)
    files = [_write(tmp_path / "a.png", qr_image(a)), _write(tmp_path / "b.png", qr_image(b))]
    result = read_exports(files)
    assert len(result.records) == 40
    assert any("2 different Google Authenticator transfers" in w for w in result.warnings)


def test_two_codes_in_one_image(tmp_path: Path) -> None:
    accounts = sample_accounts(20)
    png = qr_image(migration_uris(accounts, per_code=10))
    result = read_export(_write(tmp_path / "both.png", png))
    assert _got(result.records) == _expected(accounts)
    assert result.warnings == []


def test_otpauth_and_other_code_in_one_image(tmp_path: Path) -> None:
    png = qr_image(["otpauth://totp/Zürich%20Bank:anna?secret=JBSWY3DPEHPK3PXP", "https://example.com/menu"])
    result = read_export(_write(tmp_path / "mixed.png", png))
    assert _got(result.records) == {("Zürich Bank", "anna", "totp", "SHA1", 6, None)}
    assert any("not authenticator exports" in w for w in result.warnings)


@pytest.mark.parametrize("scale, transform", [
    (1, None),                                                       # 1-pixel modules
    (2, lambda im: im.resize((im.width * 3 // 4, im.height * 3 // 4), Image.Resampling.BILINEAR)),  # shrunk
    (4, lambda im: im.filter(ImageFilter.GaussianBlur(1.5))),        # soft focus
    (4, lambda im: im.filter(ImageFilter.GaussianBlur(2.0))),        # blurred: needs the retry with sharpening
    (3, lambda im: im.convert("RGB").save(b := io.BytesIO(), "JPEG", quality=35) or Image.open(b)),  # JPEG
])
def test_small_blurred_and_lossy_renders(tmp_path: Path, scale: int, transform) -> None:
    accounts = sample_accounts(10)
    png = qr_image(migration_uris(accounts), scale=scale)
    result = read_export(_write(tmp_path / "r.png", png, transform))
    assert _got(result.records) == _expected(accounts)


def test_image_without_qr_and_broken_image(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (300, 200), "white").save(blank)
    with pytest.raises(ImportFormatError, match="no QR code found") as exc:
        read_export(blank)
    assert str(exc.value).startswith(str(blank))
    broken = tmp_path / "broken.png"
    broken.write_bytes(blank.read_bytes()[:60])
    with pytest.raises(ImportFormatError, match="not a readable image"):
        read_export(broken)
