"""Small helpers every importer shares: field normalisation, tolerant Base32, size-limited reading.

Nothing here ever puts a value from the file into a message: errors name the file, the entry and the field.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from mfakit.errors import ImportFormatError
from mfakit.importers.record import OtpRecord

#: Largest export accepted (a vault of thousands of accounts is a few MB; screenshots a few MB more).
MAX_FILE_BYTES = 20 * 1024 * 1024
_DEFAULT_DIGITS = {"steam": 5}


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing missing, unreadable and over-large files with a one-line error."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFormatError("file not found", path) from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read the file ({exc.strerror})", path) from None
    if not path.is_file():
        raise ImportFormatError("not a regular file", path)
    if size > MAX_FILE_BYTES:
        raise ImportFormatError(f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})", path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportFormatError(f"cannot read the file ({exc.strerror})", path) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError(f"file is too large (over {MAX_FILE_BYTES} bytes)", path)
    return data


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 text (BOM allowed); a binary file under a text name is refused."""
    if b"\x00" in data:
        raise ImportFormatError("this is a binary file, not a text export", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text (byte {exc.start}); is this really an export?", path) from None


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_SET = frozenset(_B32)


def base32_secret(text: Any) -> bytes:
    """Decode a Base32 secret the way authenticator apps do; ValueError (naming no value) if it is not one.

    Case, spaces, dashes and ``=`` padding are tolerated; only whole characters count and the trailing partial
    bits are ignored, so a hand-typed 17-character secret gives 10 bytes (as 2FAS, Ente and Bitwarden read it).
    """
    if not isinstance(text, str):
        raise ValueError("secret is not text")
    cleaned = "".join(text.split()).replace("-", "").upper().rstrip("=")
    if not cleaned:
        raise ValueError("secret is empty")
    if not _B32_SET.issuperset(cleaned):
        raise ValueError("secret is not Base32")
    nbytes = len(cleaned) * 5 // 8
    if nbytes == 0:
        raise ValueError("secret is too short")
    padded = cleaned + "A" * (-len(cleaned) % 8)
    return base64.b32decode(padded)[:nbytes]


def secret_bytes(text: Any, otp_type: str) -> bytes:
    """Base32 for the usual kinds; mOTP/Yandex secrets are other encodings, so only non-empty is checked."""
    if otp_type in ("motp", "yandex"):
        if not isinstance(text, str) or not text.strip():
            raise ValueError("secret is empty")
        return text.strip().encode()
    return base32_secret(text)


def norm_type(raw: Any) -> str:
    t = str(raw or "totp").strip().lower()
    return t or "totp"


def norm_algorithm(raw: Any) -> str:
    """``sha256`` / ``HmacSHA256`` / ``SHA-256`` → ``SHA256``; empty → SHA1; any other short name is kept as written.

    mfakit never computes a code, so an algorithm it does not know (SHA384, GOST…) is metadata like any other.
    """
    if raw is not None and not isinstance(raw, str):
        raise ValueError("'algorithm' is not text")
    a = str(raw or "SHA1").strip().upper().replace("-", "").replace("_", "").replace("HMAC", "")
    a = a or "SHA1"
    if len(a) > 16 or not a.isascii() or not a.isalnum():
        raise ValueError("'algorithm' is not an algorithm name")
    return a


def as_int(value: Any, field: str, lo: int, hi: int) -> int:
    """An integer field within bounds (numbers written as strings are accepted)."""
    if isinstance(value, bool):
        raise ValueError(f"'{field}' is not a number")
    try:
        n = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(f"'{field}' is not a number") from None
    if not lo <= n <= hi:
        raise ValueError(f"'{field}' is out of range ({lo}-{hi})")
    return n


def make_record(*, issuer: Any, account: Any, otp_type: Any = "totp", algorithm: Any = None,
                digits: Any = None, period: Any = None, counter: Any = None, fmt: str,
                groups: tuple[str, ...] = (), source: str = "") -> OtpRecord:
    """Build a record with the defaults apps assume (SHA1, 6 digits — Steam 5 — period 30, counter 0)."""
    t = norm_type(otp_type)
    if issuer is not None and not isinstance(issuer, str):
        raise ValueError("'issuer' is not text")
    if account is not None and not isinstance(account, str):
        raise ValueError("'account' is not text")
    d = as_int(digits, "digits", 1, 12) if digits not in (None, "") else _DEFAULT_DIGITS.get(t, 6)
    if len(t) > 16 or not t.isascii() or not t.isalnum():
        raise ValueError("'type' is not an OTP kind")
    if t == "hotp":
        p = None
        c = as_int(counter, "counter", 0, 2**64 - 1) if counter not in (None, "") else 0
    else:
        p = as_int(period, "period", 1, 86400) if period not in (None, "") else 30
        c = None
    return OtpRecord(
        issuer=(issuer or "").strip(), account=(account or "").strip(), type=t,
        algorithm=norm_algorithm(algorithm), digits=d, period=p, counter=c, format=fmt,
        groups=tuple(g for g in groups if g), source=source,
    )


def fail(path: Path | str, message: str, line: int | None = None) -> ImportFormatError:
    return ImportFormatError(message, path, line)


def need_password(password_provider: Any, path: Path, what: str) -> bytes:
    """The password for an encrypted export (UTF-8), or a one-line error naming the app and how to give it."""
    message = f"{what}: it is encrypted; give its password at the prompt or with --password-stdin"
    if password_provider is None:
        raise fail(path, message)
    try:
        return str(password_provider(path)).encode("utf-8")
    except ImportFormatError:  # no terminal and no --password-stdin, or an empty line
        raise fail(path, message) from None


def b64(value: Any, path: Path, what: str) -> bytes:
    """Standard base64 (padding optional) or a one-line error naming ``what``."""
    if not isinstance(value, str):
        raise fail(path, f"{what} is not base64 text (damaged file)")
    text = "".join(value.split())
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise fail(path, f"{what} is not valid base64 (damaged file)") from None


def signed_bytes(values: Any) -> bytes:
    """A Java ``byte[]`` written as JSON numbers (-128..127), as FreeOTP stores secrets; ValueError otherwise."""
    if not isinstance(values, list) or not values or len(values) > 1024:
        raise ValueError("secret is not a byte list")
    if not all(isinstance(v, int) and not isinstance(v, bool) and -128 <= v <= 255 for v in values):
        raise ValueError("secret is not a byte list")
    return bytes(v & 0xFF for v in values)


def locate_export(path: str | Path) -> Path:
    """Where an export file the user named is: as given (absolute, or found from the current directory),
    else relative to the project root (a notebook runs in ``notebooks/``)."""
    from mfakit.config import resolve_path

    p = Path(path).expanduser()
    return p if p.is_absolute() or p.exists() else resolve_path(p)
