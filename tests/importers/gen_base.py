"""Shared pieces of the export generators: the FAKE accounts (with the odd cases real files hold), the
Export record, key-URI writing and the writers' side of the ciphers."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

PASSWORD = "correct horse ✓ battery"  # non-ASCII on purpose: every app encodes it as UTF-8


@dataclass(frozen=True)
class Acct:
    issuer: str
    account: str
    type: str = "totp"
    algorithm: str = "SHA1"
    digits: int = 6
    period: int = 30
    counter: int = 0
    group: str = ""
    secret_len: int = 32  # Base32 characters; 17 = a hand-typed secret that is not whole bytes

    @property
    def b32(self) -> str:
        raw = hashlib.sha256(f"mfakit-FAKE:{self.issuer}:{self.account}".encode()).digest()
        return base64.b32encode(raw).decode()[: self.secret_len]

    @property
    def raw(self) -> bytes:
        """The bytes an app decodes the secret to (whole characters, trailing partial bits dropped)."""
        padded = self.b32 + "A" * (-len(self.b32) % 8)
        return base64.b32decode(padded)[: len(self.b32) * 5 // 8]

    def tuple(self) -> tuple:
        hotp = self.type == "hotp"
        return (self.issuer, self.account, self.type, self.algorithm, self.digits,
                None if hotp else self.period, self.counter if hotp else None)


ACCOUNTS = [
    Acct("GitHub", "octo@example.com", group="Work"),
    Acct("楽天", "taro@example.jp", group="買い物"),
    Acct("Zürich Bank", "anna.müller", algorithm="SHA256", digits=8, period=60),
    Acct("Hand Typed", "me@example.org", secret_len=17),                      # partial Base32
    Acct("Odd Algo", "x@example.org", algorithm="SHA384"),                    # kept as metadata
    Acct("Twin", "same@example.org", algorithm="SHA1"),                       # same account and secret...
    Acct("Twin", "same@example.org", algorithm="SHA256"),                     # ...under another algorithm
    Acct("Forum", "me", type="hotp", counter=7, algorithm="SHA512"),
    Acct("Steam", "gamer", type="steam", digits=5),
]


def secrets() -> set[bytes]:
    """Every fake secret the generated files hold (raw bytes), for the secret scan."""
    return {a.raw for a in ACCOUNTS}


@dataclass(frozen=True)
class Export:
    name: str
    data: bytes
    password: str | None
    expected: frozenset


def _pick(pred: Callable[[Acct], bool]) -> list[Acct]:
    return [a for a in ACCOUNTS if pred(a)]


def _uri(a: Acct, *, lower_alg: bool = False, extra: str = "") -> str:
    label = quote(f"{a.issuer}:{a.account}", safe="")
    kind = "totp" if a.type == "steam" else a.type
    q = f"secret={a.b32}&issuer={quote(a.issuer, safe='')}"
    q += f"&algorithm={a.algorithm.lower() if lower_alg else a.algorithm}&digits={a.digits}"
    q += f"&counter={a.counter}" if a.type == "hotp" else f"&period={a.period}"
    if a.type == "steam":
        q += "&encoder=steam"
    return f"otpauth://{kind}/{label}?{q}{extra}"


def _exp(accts: list[Acct]) -> frozenset:
    return frozenset(a.tuple() for a in accts)


# ---------------------------------------------------------------- crypto helpers (the writers' side)

def _aesgcm(key: bytes, nonce: bytes, plain: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(nonce, plain, None)


def _aescbc(key: bytes, iv: bytes, plain: bytes) -> bytes:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    padder = padding.PKCS7(128).padder()
    data = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def _argon2id(password: bytes, salt: bytes, t: int, m_kib: int, p: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password, salt, time_cost=t, memory_cost=m_kib, parallelism=p, hash_len=32,
                           type=Type.ID)
