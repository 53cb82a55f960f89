"""What an import yields: account metadata only (never a secret), and the collector that dedupes while parsing."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: OTP kinds the importers know; anything else is kept as written (lower case).
OTP_TYPES = ("totp", "hotp", "steam", "motp", "yandex")
ALGORITHMS = ("SHA1", "SHA256", "SHA512", "MD5")
#: Which app each source format comes from: becomes ``Factor.where`` in the inventory.
APP_NAMES: dict[str, str] = {
    "google-migration": "Google Authenticator",
    "otpauth": "Authenticator app",
    "aegis": "Aegis",
    "2fas": "2FAS",
    "bitwarden": "Bitwarden",
    "andotp": "andOTP",
    "ente": "Ente Auth",
}


@dataclass(frozen=True)
class OtpRecord:
    """One authenticator entry, metadata only: there is deliberately no field for the secret."""

    issuer: str
    account: str
    type: str = "totp"
    algorithm: str = "SHA1"
    digits: int = 6
    period: int | None = 30
    counter: int | None = None
    format: str = "otpauth"
    groups: tuple[str, ...] = ()
    source: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity for de-duplication: normalised issuer, account and OTP type."""
        return (norm(self.issuer), norm(self.account), self.type)

    @property
    def app(self) -> str:
        return APP_NAMES.get(self.format, "Authenticator app")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["groups"] = list(self.groups)
        return d


@dataclass
class ImportResult:
    """The records read from one file (or several), the warnings worth showing, and the detected format."""

    records: list[OtpRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = ""
    path: str = ""
    #: Google Authenticator batch positions seen: (batch_id, batch_size, batch_index, where).
    batches: list[tuple[int, int, int, str]] = field(default_factory=list, repr=False)


def norm(text: str) -> str:
    """Compare names loosely: NFKC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


class Collector:
    """Gathers records while a file is parsed; de-duplicates on issuer+account+type while the secret is known.

    The secret passes through :meth:`add` only to tell a true duplicate (same secret) from a clash (same
    name, different secret). Only a SHA-256 digest is held, in memory, until :meth:`finish` drops it.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.records: list[OtpRecord] = []
        self.warnings: list[str] = []
        self._digests: dict[tuple[str, str, str], bytes] = {}
        self.duplicates = 0

    def __repr__(self) -> str:  # never show digests
        return f"Collector({self.path!r}, {len(self.records)} records)"

    def add(self, record: OtpRecord, secret: bytes | str) -> None:
        raw = secret.encode() if isinstance(secret, str) else bytes(secret)
        digest = hashlib.sha256(raw).digest()
        del raw, secret
        key = record.key
        if key in self._digests:
            who = f"{record.issuer or '(no issuer)'} / {record.account or '(no account)'}"
            if self._digests[key] == digest:
                self.duplicates += 1  # the same account exported twice: merged silently, counted
            else:
                self.warnings.append(f"{self.path}: {who} ({record.type}) appears twice with different "
                                     "secrets; kept once (check the app: one of them may be stale)")
            return
        self._digests[key] = digest
        self.records.append(record)

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path}: {message}")

    def finish(self, fmt: str) -> ImportResult:
        self._digests.clear()
        if self.duplicates:
            self.warnings.append(f"{self.duplicates} duplicate entr{'y' if self.duplicates == 1 else 'ies'} "
                                 "(same account, same secret) merged")
        return ImportResult(records=self.records, warnings=self.warnings, format=fmt, path=self.path)
