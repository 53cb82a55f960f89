"""Request signatures checked as AWS checks them: knowing an access key ID is not enough, the request must be
signed with its secret (AWS General Reference, "Signature Version 4 signing process": canonical request,
string to sign, HMAC chain of date/region/service; "Authenticating requests: using query parameters" for
presigned URLs; Amazon S3's Signature Version 2 for presigned S3 URLs, which boto3 still makes in us-east-1).

A presigned URL past its expiry is refused (:func:`presigned_expired`), and so is a header-signed request
dated more than 15 minutes away from the wall clock (:func:`header_date_skewed`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


@lru_cache(maxsize=256)
def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k = _hmac(("AWS4" + secret).encode("utf-8"), date)
    return _hmac(_hmac(_hmac(k, region), service), "aws4_request")


def _canonical_query(raw_query: str, drop: str | None = None) -> str:
    pairs = [(k, v) for k, v in parse_qsl(raw_query, keep_blank_values=True) if k != drop]
    enc = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in enc)


def _canonical_uri(raw_path: str, service: str) -> str:
    path = raw_path or "/"
    return path if service == "s3" else quote(path, safe="/~")


def _header(headers: Any, name: str) -> str:
    value = headers.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _sigv4(method: str, raw_path: str, raw_query: str, headers: Any, signed: list[str], payload_hashes: list[str],
           amz_date: str, scope: str, secret: str, drop: str | None) -> set[str]:
    """The signatures a correct signer could have produced (one per plausible payload hash)."""
    date, region, service = scope.split("/")[0:3]
    key = _signing_key(secret, date, region, service)
    head = "".join(f"{h}:{_header(headers, h)}\n" for h in signed)
    base = "\n".join([method.upper(), _canonical_uri(raw_path, service), _canonical_query(raw_query, drop), head,
                      ";".join(signed)])
    out = set()
    for payload in payload_hashes:
        canonical = base + "\n" + payload
        to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
        out.add(hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest())
    return out


def presigned_expired(raw_path_and_query: str, now: float | None = None) -> bool:
    """A presigned URL whose lifetime is over: SigV4 ``X-Amz-Date`` + ``X-Amz-Expires``, SigV2 ``Expires``
    (seconds since the epoch). Wall-clock time, as the signer used it."""
    import calendar

    query = dict(parse_qsl(_split_path(raw_path_and_query)[1], keep_blank_values=True))
    now = time.time() if now is None else now
    try:
        if "X-Amz-Date" in query and "X-Amz-Expires" in query and "X-Amz-Signature" in query:
            start = calendar.timegm(time.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ"))
            return now > start + int(query["X-Amz-Expires"])
        if "Expires" in query and "Signature" in query:
            return now > int(query["Expires"])
    except (ValueError, OverflowError):
        return True  # an expiry that cannot be read is no valid expiry
    return False


#: AWS refuses a request dated more than 15 minutes away from its own clock (AWS "Common Errors", RequestExpired).
MAX_SKEW = 15 * 60


def header_date_skewed(headers: Any, now: float | None = None) -> bool:
    """A header-signed SigV4 request whose ``X-Amz-Date`` is more than 15 minutes off (wall clock)."""
    import calendar

    auth = headers.get("Authorization") or ""
    stamp = headers.get("X-Amz-Date")
    if not auth.startswith(ALGORITHM) or not stamp:
        return False
    try:
        when = calendar.timegm(time.strptime(str(stamp), "%Y%m%dT%H%M%SZ"))
    except ValueError:
        return True
    return abs((time.time() if now is None else now) - when) > MAX_SKEW


def _split_path(raw: str) -> tuple[str, str]:
    parts = urlsplit(raw)
    return parts.path or "/", parts.query


def signature_ok(method: str, raw_path_and_query: str, headers: Any, body: bytes | str | None, secret: str) -> bool:
    """Does the request carry a valid signature made with ``secret``? (SigV4 header or query, S3 SigV2 query.)"""
    raw_path, raw_query = _split_path(raw_path_and_query)
    body_bytes = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    body_hash = hashlib.sha256(body_bytes).hexdigest()
    auth = headers.get("Authorization") or ""
    query = dict(parse_qsl(raw_query, keep_blank_values=True))
    if auth.startswith(ALGORITHM):
        fields = dict(part.strip().split("=", 1) for part in auth[len(ALGORITHM):].split(",") if "=" in part)
        scope = fields.get("Credential", "").split("/", 1)[-1]
        signed = [h for h in fields.get("SignedHeaders", "").split(";") if h]
        declared = headers.get("x-amz-content-sha256")
        payloads = [declared] if declared else [body_hash]
        return fields.get("Signature", "") in _sigv4(method, raw_path, raw_query, headers, signed, payloads,
                                                     headers.get("X-Amz-Date") or "", scope, secret, None)
    if query.get("X-Amz-Algorithm") == ALGORITHM:
        scope = query.get("X-Amz-Credential", "").split("/", 1)[-1]
        signed = [h for h in query.get("X-Amz-SignedHeaders", "").split(";") if h]
        payloads = ["UNSIGNED-PAYLOAD", body_hash]
        return query.get("X-Amz-Signature", "") in _sigv4(method, raw_path, raw_query, headers, signed, payloads,
                                                          query.get("X-Amz-Date", ""), scope, secret,
                                                          "X-Amz-Signature")
    if "Signature" in query and "AWSAccessKeyId" in query:  # S3 SigV2 presigned URL
        return hmac.compare_digest(query["Signature"], _sigv2(method, raw_path, raw_query, headers, query, secret))
    if auth.startswith("AWS "):  # S3 SigV2 header
        given = auth[4:].split(":", 1)[-1]
        return hmac.compare_digest(given, _sigv2(method, raw_path, raw_query, headers, None, secret))
    return False


def _sigv2(method: str, raw_path: str, raw_query: str, headers: Any, query: dict[str, str] | None,
           secret: str) -> str:
    from botocore.auth import HmacV1Auth
    from botocore.credentials import Credentials

    hdrs = {k.lower(): v for k, v in headers.items()}
    date = str(query.get("Expires", "")) if query is not None else str(hdrs.get("date", ""))

    class _Fixed(HmacV1Auth):  # botocore puts "now" where the Date goes; the signer used Expires (or Date)
        def _get_date(self) -> str:
            return date

    signer = _Fixed(Credentials("x", secret))
    if query is not None:  # the expiry stands where the Date header would be
        for k, v in query.items():
            if k.lower().startswith("x-amz-"):
                hdrs[k.lower()] = v
    host = str(headers.get("Host") or "")
    path = raw_path
    bucket = host.split(".s3", 1)[0] if ".s3" in host and not host.startswith("s3") else ""
    if bucket:  # virtual-hosted style: the resource is /bucket/key
        path = f"/{bucket}{raw_path}"
    from botocore.compat import HTTPHeaders

    h = HTTPHeaders()
    for k, v in hdrs.items():
        h[k] = v
    canonical = signer.canonical_string(method, urlsplit(f"{path}?{raw_query}" if raw_query else path), h,
                                        auth_path=path)
    return signer.sign_string(canonical)
