"""QR codes in screenshots and photos (zxing-cpp + Pillow): every code in an image, small and blurred ones too."""

from __future__ import annotations

import io
import warnings as _warnings
from pathlib import Path

from mfakit.errors import ImportFormatError

#: Refuse decompression bombs: a phone screenshot is ~3 MP, a photo ~50 MP.
MAX_PIXELS = 80_000_000
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")


def is_image(data: bytes) -> bool:
    """True for PNG, JPEG, GIF, BMP, TIFF and WebP content (by magic bytes, not by file name)."""
    return data.startswith(_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _read(img: object) -> list[str]:
    import zxingcpp

    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                   try_downscale=True)
    texts: list[str] = []
    for r in found:
        raw = bytes(r.bytes) if getattr(r, "bytes", None) else b""
        try:
            text = raw.decode("utf-8") if raw else r.text
        except UnicodeDecodeError:
            text = r.text
        if text not in texts:
            texts.append(text)
    return texts


def decode_qr_texts(data: bytes, path: Path | str) -> list[str]:
    """The text of every QR code in an image; ImportFormatError for unreadable images and images with none."""
    from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise ImportFormatError(f"image is too large ({img.width}x{img.height} pixels)", path)
            img.load()
    except ImportFormatError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImportFormatError("not a readable image (corrupt or unsupported)", path) from None
    img = ImageOps.exif_transpose(img).convert("L")
    texts = _read(img)
    if not texts:  # tiny renders and soft photos: enlarge, sharpen, stretch the contrast
        small = min(img.size) < 400
        for attempt in (
            lambda im: im.resize((im.width * 3, im.height * 3), Image.Resampling.NEAREST) if small else None,
            lambda im: ImageOps.autocontrast(im.filter(ImageFilter.SHARPEN)),
            lambda im: ImageOps.autocontrast(im.filter(ImageFilter.MedianFilter(3))).resize(
                (im.width * 2, im.height * 2), Image.Resampling.LANCZOS) if small else None,
        ):
            variant = attempt(img)
            if variant is not None and (texts := _read(variant)):
                break
    if not texts:
        raise ImportFormatError("no QR code found in the image (a sharper screenshot may help)", path)
    return texts
