"""Recognise an export by its content (never by its file name) and hand it to the right parser.

A file that is recognised but not readable (an app's internal database, a backup format mfakit does not
decrypt) is refused in one line saying what it is and what to export instead (see ``unsupported``).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any, Callable

from mfakit.importers import (aegis, andotp, authpro, bitwarden, ente, ente_crypto, freeotp, freeotp2, keepass, lastpass,
                              proton_authenticator, proton_pass, qr, steam, totp_authenticator, twofas,
                              unsupported)
from mfakit.errors import ImportFormatError
from mfakit.importers.common import MAX_FILE_BYTES, fail
from mfakit.importers.record import Collector, ImportResult
from mfakit.importers.uri_list import add_link, find_link, parse_lines

PasswordProvider = Callable[[Path], str]
KNOWN_JSON = "Aegis, 2FAS, Bitwarden, andOTP, Ente Auth, LastPass, Proton Authenticator, FreeOTP+ or Stratum"


def _parse_json(text: str, path: Path, col: Collector, result: ImportResult,
                password_provider: PasswordProvider | None) -> str:
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(path, f"invalid JSON ({exc.msg})", exc.lineno) from None
    except RecursionError:
        raise fail(path, "JSON nested too deeply") from None
    if aegis.looks_like(doc):
        return aegis.parse_aegis(doc, path, col, password_provider)
    if twofas.looks_like(doc):
        return twofas.parse_twofas(doc, path, col, password_provider)
    if bitwarden.looks_like(doc):
        return bitwarden.parse_bitwarden_json(doc, path, col, password_provider)
    if ente_crypto.looks_like(doc):
        plain = ente_crypto.decrypt(doc, path, password_provider)
        parse_lines(plain, path, col, result, fmt="ente")
        return "ente"
    if lastpass.looks_like(doc):
        return lastpass.parse_lastpass(doc, path, col)
    if proton_authenticator.looks_like(doc):
        return proton_authenticator.parse_proton(doc, path, col)
    if freeotp.looks_like(doc):
        return freeotp.parse_freeotp_json(doc, path, col)
    if authpro.looks_like(doc):
        return authpro.parse_authpro(doc, path, col)
    if steam.looks_like(doc):
        return steam.parse_steam(doc, path, col)
    if andotp.looks_like(doc):
        return andotp.parse_andotp(doc, path, col)
    if proton_authenticator.looks_encrypted(doc):
        raise proton_authenticator.refuse_encrypted(path)
    advice = unsupported.json_shape(doc)
    if advice:
        raise fail(path, advice)
    if isinstance(doc, list) and not doc:
        raise fail(path, "the JSON list is empty (no accounts)")
    raise fail(path, f"JSON of an unknown shape: not an {KNOWN_JSON} export")


def _parse_image(data: bytes, path: Path, col: Collector, result: ImportResult) -> str:
    texts = qr.decode_qr_texts(data, path)
    kinds: set[str] = set()
    others = 0
    for k, text in enumerate(texts, start=1):
        found = find_link(text)
        if found is None:
            others += 1
            continue
        kinds.add("google-migration" if found[0] == "migration" else "otpauth")
        add_link(text, path, col, result, f"QR code {k}" if len(texts) > 1 else "QR code")
    if not kinds:
        raise fail(path, "the QR code is not an authenticator export (no otpauth:// or otpauth-migration:// link)")
    if others:
        col.warn(f"{others} QR code(s) in the image are not authenticator exports; ignored")
    return "image: " + ", ".join(sorted(kinds))


def _parse_zip(data: bytes, path: Path, col: Collector, result: ImportResult,
               password_provider: PasswordProvider | None) -> str:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()[:1000]
        encrypted = any(i.flag_bits & 0x1 for i in z.infolist()[:1000])
    except (zipfile.BadZipFile, OSError, ValueError):
        raise fail(path, "a damaged zip archive") from None
    if proton_pass.looks_like(z):
        return proton_pass.parse_proton_pass(z, path, col)
    texts = [i for i in z.infolist()[:1000] if i.filename.lower().startswith("winauth") and i.filename.endswith(".txt")]
    if texts:
        return _parse_winauth(z, texts[0], path, col, result, password_provider)
    raise fail(path, unsupported.zip_archive(names, encrypted))


def _parse_winauth(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, col: Collector, result: ImportResult,
                   password_provider: PasswordProvider | None) -> str:
    """WinAuth's zipped text export: otpauth:// links, the zip password-protected (ZipCrypto) when asked for."""
    import zlib

    from mfakit.importers.common import need_password

    what = "WinAuth zipped export"
    pwd = need_password(password_provider, path, what) if info.flag_bits & 0x1 else None
    try:
        with z.open(info, pwd=pwd) as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except RuntimeError:
        raise fail(path, f"wrong password (the {what} does not open with it)") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        raise fail(path, f"{what}: the zip is damaged, or a wrong password") from None
    finally:
        del pwd
    if len(raw) > MAX_FILE_BYTES:
        raise fail(path, f"{what}: the text inside is too large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(path, f"{what}: wrong password, or the text inside is not UTF-8") from None
    parse_lines(text, path, col, result, fmt="winauth")
    return "winauth"


def _binary(data: bytes, path: Path, col: Collector, password_provider: PasswordProvider | None) -> str:
    """A binary file without a known signature: an andOTP encrypted backup, if the password opens it."""
    if password_provider is None or len(data) < andotp.MIN_ENCRYPTED:
        raise fail(path, unsupported.encrypted_binary(tried_andotp=False))
    try:
        doc = andotp.decrypt(data, path, password_provider)
    except ImportFormatError as exc:
        if "it is encrypted; give its password" in str(exc):  # no password to try: say what it may be
            raise fail(path, unsupported.encrypted_binary(tried_andotp=False)) from None
        raise
    if doc is None:
        raise fail(path, unsupported.encrypted_binary(tried_andotp=True))
    if not andotp.looks_like(doc):
        raise fail(path, "andOTP encrypted backup: the decrypted content is not a list of entries")
    andotp.parse_andotp(doc, path, col)
    return "andotp"


def _text(data: bytes, path: Path) -> str | None:
    """UTF-8 text (BOM allowed); None for binary content; latin-1 style text is refused in one line."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in data[:4096])
        if printable >= 0.9 * min(len(data), 4096):
            raise fail(path, f"not UTF-8 text (byte {exc.start}); is this really an export?") from None
        return None


def parse_into(path: Path, col: Collector, result: ImportResult,
               password_provider: PasswordProvider | None = None) -> str:
    """Read ``path``, detect its format and add its records to ``col``; returns the detected format."""
    from mfakit.importers.common import read_bytes

    return parse_data(read_bytes(path), path, col, result, password_provider)


def parse_data(data: bytes, path: Path, col: Collector, result: ImportResult,
               password_provider: PasswordProvider | None = None) -> str:
    """Detect the format of ``data`` (named ``path`` in messages) and add its records to ``col``."""
    if len(data) > MAX_FILE_BYTES:
        raise fail(path, f"file is too large ({len(data)} bytes; the limit is {MAX_FILE_BYTES})")
    if qr.is_image(data):
        return _parse_image(data, path, col, result)
    if keepass.looks_like(data):
        return keepass.parse_keepass(data, path, col, password_provider)
    if authpro.looks_encrypted(data):
        return authpro.parse_encrypted(data, path, col, password_provider)
    if data.startswith(b"SQLite format 3\x00"):
        raise fail(path, unsupported.sqlite(data))
    if data.startswith(b"PK\x03\x04"):
        return _parse_zip(data, path, col, result, password_provider)
    if freeotp2.looks_like(data):
        return freeotp2.parse_freeotp2(data, path, col, password_provider)
    if data.startswith(b"\xac\xed\x00\x05"):
        raise fail(path, unsupported.java_serialized())
    text = _text(data, path)
    if text is None:
        return _binary(data, path, col, password_provider)
    del data
    stripped = text.lstrip()
    if not stripped:
        raise fail(path, "the file is empty")
    if stripped[0] in "[{":
        return _parse_json(text, path, col, result, password_provider)
    head = stripped[:200].lower()
    if head.startswith("<?xml") or head.startswith("<map"):
        if freeotp.looks_like_xml(text):
            return freeotp.parse_freeotp_xml(text, path, col)
        if totp_authenticator.looks_like_prefs(text):
            return totp_authenticator.parse_prefs(text, path, col)
        raise fail(path, unsupported.android_xml(text))
    if authpro.looks_like_html(stripped):
        return authpro.parse_html(text, path, col)
    if bitwarden.looks_like_csv(stripped):
        return bitwarden.parse_bitwarden_csv(text, path, col)
    if ente.looks_like(text):
        return ente.parse_ente(text, path, col, result)
    if unsupported.is_base64_blob(stripped):
        return totp_authenticator.parse_backup(stripped, path, col, password_provider)
    return parse_lines(text, path, col, result)
