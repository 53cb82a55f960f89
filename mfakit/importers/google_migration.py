"""Google Authenticator "Transfer accounts": ``otpauth-migration://offline?data=BASE64`` → records.

The payload is a protobuf, decoded with the ``protobuf`` runtime and a descriptor built here at run time
(no generated ``_pb2`` module, so any protobuf 5–7 runtime works). Batches of several QR codes are checked
by :func:`check_batches`: missing codes and mixed exports are reported.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from mfakit.importers.common import make_record
from mfakit.importers.record import OtpRecord

SCHEME = "otpauth-migration://"
_ALGORITHMS = {0: "SHA1", 1: "SHA1", 2: "SHA256", 3: "SHA512", 4: "MD5"}
_DIGITS = {0: 6, 1: 6, 2: 8}
_TYPES = {0: "totp", 1: "hotp", 2: "totp"}


@lru_cache(maxsize=1)
def _payload_class() -> Any:
    """Build the MigrationPayload message class from a descriptor assembled at run time (cached)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    F = descriptor_pb2.FieldDescriptorProto
    fdp = descriptor_pb2.FileDescriptorProto(name="mfakit_migration.proto", package="mfakit.migration",
                                             syntax="proto3")
    for enum_name, values in (("Algorithm", ["UNSPECIFIED", "SHA1", "SHA256", "SHA512", "MD5"]),
                              ("DigitCount", ["UNSPECIFIED", "SIX", "EIGHT"]),
                              ("OtpType", ["UNSPECIFIED", "HOTP", "TOTP"])):
        enum = fdp.enum_type.add(name=enum_name)
        for number, value in enumerate(values):
            enum.value.add(name=f"{enum_name.upper()}_{value}", number=number)
    otp = fdp.message_type.add(name="OtpParameters")
    for number, (name, ftype, type_name) in enumerate([
        ("secret", F.TYPE_BYTES, None), ("name", F.TYPE_STRING, None), ("issuer", F.TYPE_STRING, None),
        ("algorithm", F.TYPE_ENUM, ".mfakit.migration.Algorithm"),
        ("digits", F.TYPE_ENUM, ".mfakit.migration.DigitCount"),
        ("type", F.TYPE_ENUM, ".mfakit.migration.OtpType"), ("counter", F.TYPE_INT64, None),
        ("unique_id", F.TYPE_STRING, None),
    ], start=1):
        field = otp.field.add(name=name, number=number, type=ftype, label=F.LABEL_OPTIONAL)
        if type_name:
            field.type_name = type_name
    payload = fdp.message_type.add(name="MigrationPayload")
    payload.field.add(name="otp_parameters", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                      type_name=".mfakit.migration.OtpParameters")
    for number, name in enumerate(["version", "batch_size", "batch_index", "batch_id"], start=2):
        payload.field.add(name=name, number=number, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("mfakit.migration.MigrationPayload"))


def extract_data(text: str) -> bytes:
    """The decoded ``data`` bytes of one migration link (scanner prefixes, raw ``+``, missing padding tolerated).

    Raises ValueError naming the problem, never the data.
    """
    start = text.find(SCHEME)
    if start < 0:
        raise ValueError("not an otpauth-migration:// link")
    rest = text[start + len(SCHEME):].strip()
    _, sep, query = rest.partition("?")
    if not sep:
        raise ValueError("the otpauth-migration:// link has no data parameter")
    raw = None
    for part in query.split("&"):
        key, eq, value = part.partition("=")
        if eq and key.strip().lower() == "data":
            raw = value
            break
    if raw is None:
        raise ValueError("the otpauth-migration:// link has no data parameter")
    b64 = "".join(unquote(raw).replace(" ", "+").split()).rstrip("=")
    b64 = b64.replace("-", "+").replace("_", "/")
    if not b64:
        raise ValueError("the data parameter is empty")
    if len(b64) % 4 == 1:
        raise ValueError("bad base64 in the data parameter (truncated?)")
    try:
        return base64.b64decode(b64 + "=" * (-len(b64) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("bad base64 in the data parameter") from None


def decode_payload(data: bytes, *, source: str = "", skipped: list[tuple[int, str, str]] | None = None,
                   ) -> tuple[list[tuple[OtpRecord, bytes]], tuple[int, int, int]]:
    """Decode the protobuf payload into [(record, secret)] and (batch_id, batch_size, batch_index).

    Raises ValueError for corrupt or truncated data and for payloads that are not account exports. A malformed
    account is appended to ``skipped`` as (position, issuer, reason) when that list is given, else it raises.
    """
    from google.protobuf.message import DecodeError

    msg = _payload_class()()
    try:
        msg.ParseFromString(data)
    except (DecodeError, ValueError, RuntimeError, RecursionError):
        raise ValueError("corrupt or truncated export data (not a Google Authenticator payload)") from None
    if not msg.otp_parameters:
        raise ValueError("the export data holds no accounts (corrupt, or not a Google Authenticator export)")
    if msg.batch_size < 0 or msg.batch_index < 0 or (msg.batch_size and msg.batch_index >= msg.batch_size):
        raise ValueError("corrupt export data (batch position out of range)")
    out: list[tuple[OtpRecord, bytes]] = []
    for i, p in enumerate(msg.otp_parameters, start=1):
        problem = ""
        if not p.secret:
            problem = "no secret (corrupt data)"
        elif p.algorithm not in _ALGORITHMS or p.digits not in _DIGITS or p.type not in _TYPES:
            problem = "an unknown algorithm, digit count or type code"
        elif p.counter < 0:
            problem = "a negative counter (corrupt data)"
        if problem:
            if skipped is None:
                raise ValueError(f"account #{i} of the export has {problem}")
            skipped.append((i, p.issuer.strip(), f"the account has {problem}"))
            continue
        issuer, name = p.issuer.strip(), p.name.strip()
        prefix, sep, rest = name.partition(":")
        if sep and issuer and prefix.strip().casefold() == issuer.casefold():
            name = rest.strip()
        record = make_record(issuer=issuer, account=name, otp_type=_TYPES[p.type],
                             algorithm=_ALGORITHMS[p.algorithm], digits=_DIGITS[p.digits],
                             counter=p.counter, fmt="google-migration", source=source)
        out.append((record, bytes(p.secret)))
    return out, (msg.batch_id, msg.batch_size, msg.batch_index)


def check_batches(batches: list[tuple[int, int, int, str]]) -> list[str]:
    """Warnings for incomplete or mixed Google Authenticator batches: (batch_id, size, index, where) each."""
    by_id: dict[int, tuple[int, set[int]]] = {}
    for batch_id, size, index, _where in batches:
        old_size, seen = by_id.get(batch_id, (0, set()))
        seen.add(index)
        by_id[batch_id] = (max(old_size, size), seen)
    warnings: list[str] = []
    multi = {bid: v for bid, v in by_id.items() if v[0] > 1}
    for bid, (size, seen) in sorted(multi.items()):
        missing = sorted(set(range(size)) - seen)
        if missing:
            shown = ", ".join(str(i + 1) for i in missing)
            warnings.append(f"Google Authenticator export {bid}: QR code(s) {shown} of {size} missing; "
                            "the accounts on them were not imported (scan every code of the transfer)")
    if len(multi) > 1:
        warnings.append(f"QR codes from {len(multi)} different Google Authenticator transfers were mixed "
                        f"(batch ids {', '.join(str(b) for b in sorted(multi))}); each was checked on its own")
    return warnings
