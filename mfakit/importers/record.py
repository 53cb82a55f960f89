"""What an import yields: account metadata only (never a secret), and the collector that dedupes while parsing."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: OTP kinds the importers know; anything else is kept as written (lower case).
OTP_TYPES = ("totp", "hotp", "steam", "motp", "yandex")
#: The usual algorithms; any other name an export states is kept as written (mfakit never computes a code).
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
    "lastpass": "LastPass Authenticator",
    "proton-authenticator": "Proton Authenticator",
    "freeotp": "FreeOTP",
    "freeotp+": "FreeOTP+",
    "authpro": "Stratum (Authenticator Pro)",
    "keepass": "KeePass",
    "proton-pass": "Proton Pass",
    "totp-authenticator": "TOTP Authenticator",
    "steam": "Steam Guard",
    "winauth": "WinAuth",
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
    #: Malformed entries skipped (each has a warning).
    skipped: int = 0


def norm(text: str) -> str:
    """Compare names loosely: NFKC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


class Collector:
    """Gathers records while a file is parsed; merges only true duplicates, while the secret is known.

    A true duplicate has the same kind, issuer, account, algorithm, digits, period/counter *and* secret: it is
    merged (counted). The same name with another secret or other parameters stays a separate entry (a warning
    says so). The secret passes through :meth:`add` only as a SHA-256 digest, held in memory until
    :meth:`finish` drops it. A malformed entry goes through :meth:`skip`: a warning naming the file, the
    position and the issuer — or, with ``strict``, an :class:`ImportFormatError`.
    """

    def __init__(self, path: str | Path, strict: bool = False) -> None:
        self.path = str(path)
        self.strict = strict
        self.records: list[OtpRecord] = []
        self.warnings: list[str] = []
        self._seen: set[tuple[Any, ...]] = set()
        self._names: dict[tuple[str, str, str], int] = {}
        self.duplicates = 0
        self.skipped = 0
        self.file_records = 0
        self.file_skips: list[str] = []

    def __repr__(self) -> str:  # never show digests
        return f"Collector({self.path!r}, {len(self.records)} records)"

    def start_file(self, path: str | Path) -> None:
        """Begin the next file: messages name it; its own counts start at zero."""
        self.path = str(path)
        self.file_records = 0
        self.file_skips = []

    def add(self, record: OtpRecord, secret: bytes | str) -> None:
        raw = secret.encode() if isinstance(secret, str) else bytes(secret)
        digest = hashlib.sha256(raw).digest()
        del raw, secret
        self.file_records += 1
        full = (record.key, record.algorithm, record.digits, record.period, record.counter, digest)
        if full in self._seen:
            self.duplicates += 1  # the same entry exported twice: merged, counted
            return
        self._seen.add(full)
        name = record.key
        if name in self._names:
            who = f"{record.issuer or '(no issuer)'} / {record.account or '(no account)'}"
            self.warnings.append(f"{self.path}: {who} ({record.type}) appears more than once with a different "
                                 "secret or parameters; each is kept (check the app: one may be stale)")
        self._names[name] = self._names.get(name, 0) + 1
        self.records.append(record)

    def skip(self, where: str, issuer: Any, reason: str) -> None:
        """A malformed entry: skipped with a warning naming file, position and issuer (an error when strict)."""
        from mfakit.errors import ImportFormatError

        label = issuer.strip() if isinstance(issuer, str) and issuer.strip() else ""
        who = f"{where} ({label})" if label else where
        message = f"{who}: {reason}"
        if self.strict:
            raise ImportFormatError(f"{message} (--strict: the file is refused)", self.path)
        self.skipped += 1
        self.file_skips.append(message)
        self.warnings.append(f"{self.path}: {message}; entry skipped, the others are imported")

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path}: {message}")

    def finish(self, fmt: str) -> ImportResult:
        self._seen.clear()
        self._names.clear()
        if self.duplicates:
            self.warnings.append(f"{self.duplicates} duplicate entr{'y' if self.duplicates == 1 else 'ies'} "
                                 "(same account, secret and parameters) merged")
        return ImportResult(records=self.records, warnings=self.warnings, format=fmt, path=self.path,
                            skipped=self.skipped)
