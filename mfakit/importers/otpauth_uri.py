"""A tolerant parser for ``otpauth://TYPE/LABEL?PARAMS`` key URIs (not ``pyotp.parse_uri``, which rejects real ones).

Accepts what real apps write: issuer parameter and label prefix that disagree (the parameter wins, a warning
says so), lower-case algorithms, padded/lower-case/spaced Base32, Steam, unknown parameters, 80-bit secrets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from mfakit.importers.common import make_record, secret_bytes
from mfakit.importers.record import OtpRecord

SCHEME = "otpauth://"


def split_label(label: str) -> tuple[str, str]:
    """``Issuer:account`` → (issuer, account); ``account`` → ('', account). The separator may carry a space."""
    issuer, sep, account = label.partition(":")
    if not sep:
        return "", label.strip()
    return issuer.strip(), account.strip()


def parse_key_uri(uri: str, *, fmt: str = "otpauth", source: str = "", fallback_issuer: str = "",
                  fallback_account: str = "", groups: tuple[str, ...] = ()) -> tuple[OtpRecord, bytes, list[str]]:
    """Parse one key URI into (record, secret bytes, warnings). Raises ValueError with a message free of values.

    The caller must drop the secret as soon as it has de-duplicated the record.
    """
    text = uri.strip()
    if not text[: len(SCHEME)].lower() == SCHEME:
        raise ValueError("not an otpauth:// link")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise ValueError("malformed otpauth:// link") from None
    otp_type = parts.netloc.strip().lower()
    if not otp_type:
        raise ValueError("otpauth:// link without a type (totp/hotp)")
    label = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
    params: dict[str, str] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True, max_num_fields=64):
        params.setdefault(k.strip().lower(), v)
    label_issuer, account = split_label(label)
    warnings: list[str] = []
    issuer = params.get("issuer", "").strip()
    if issuer and label_issuer and issuer.casefold() != label_issuer.casefold():
        warnings.append(f"issuer parameter '{issuer}' differs from the label prefix '{label_issuer}'; "
                        f"kept '{issuer}'")
    issuer = issuer or label_issuer or fallback_issuer
    account = account or fallback_account
    if params.get("encoder", "").lower() == "steam":
        otp_type = "steam"
    if "secret" not in params:
        raise ValueError("the link has no secret parameter")
    secret = secret_bytes(params.get("secret"), otp_type)
    record = make_record(issuer=issuer, account=account, otp_type=otp_type, algorithm=params.get("algorithm"),
                         digits=params.get("digits"), period=params.get("period"), counter=params.get("counter"),
                         fmt=fmt, groups=groups, source=source)
    return record, secret, warnings


def code_display_tags(uri: str) -> tuple[str, ...]:
    """Ente Auth's ``codeDisplay`` JSON parameter carries tags; they become groups."""
    import json

    try:
        query = urlsplit(uri.strip()).query
        value = dict(parse_qsl(query, keep_blank_values=True, max_num_fields=64)).get("codeDisplay")
        data: Any = json.loads(value) if value else {}
    except (ValueError, TypeError):
        return ()
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, list):
        return ()
    return tuple(t.strip() for t in tags if isinstance(t, str) and t.strip())
