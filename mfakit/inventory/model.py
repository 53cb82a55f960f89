"""The inventory's data: accounts, the factors protecting them, and their dated history."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

#: Factor types an account can use, in the order they are shown.
FACTOR_TYPES: tuple[str, ...] = (
    "security_key", "passkey", "totp", "push", "sms", "email", "recovery_codes",
)
#: Factors that count as "on a key" (phishing-resistant, FIDO2/WebAuthn).
KEY_FACTORS = frozenset({"security_key", "passkey"})
#: Factors that keep the person tied to the phone app or the phone number.
PHONE_FACTORS = frozenset({"totp", "sms", "push"})


@dataclass
class Factor:
    """One second factor in use: its type, where it lives (a phone app, a named key), when it was added."""

    type: str
    where: str | None = None
    added: date | None = None
    note: str | None = None

    def spec(self) -> str:
        return f"{self.type}:{self.where}" if self.where else self.type


@dataclass
class Change:
    """A dated change of one factor of one account (``op`` is ``add`` or ``remove``)."""

    date: date
    op: Literal["add", "remove"]
    type: str
    where: str | None = None


@dataclass
class Account:
    """One online account protected by MFA."""

    id: str
    service: str
    account: str = ""
    label: str = ""
    group: str = "Other"
    factors: list[Factor] = field(default_factory=list)
    notes: str = ""
    history: list[Change] = field(default_factory=list)
    #: 1-based line of the entry in its file (0 when not loaded from a file).
    line: int = field(default=0, compare=False)

    @property
    def display(self) -> str:
        return self.label or self.service

    def factor_types(self) -> set[str]:
        return {f.type for f in self.factors}

    def has(self, factor_type: str) -> bool:
        return any(f.type == factor_type for f in self.factors)


@dataclass
class Inventory:
    """A person's accounts, as read from (and written back to) one YAML file."""

    accounts: list[Account] = field(default_factory=list)
    path: Path | None = None
    title: str = ""
    #: The round-trip YAML document the inventory was read from; keeps the user's comments on save.
    doc: Any = field(default=None, repr=False, compare=False)
    #: What was read from disk (set by the loader; used by saves): the text, its digest (to refuse
    #: overwriting a file changed since), the accounts as read (to find what changed) and each account's
    #: line span in the text (to rewrite only the changed accounts' lines).
    text: str | None = field(default=None, repr=False, compare=False)
    fingerprint: str | None = field(default=None, repr=False, compare=False)
    baseline: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    baseline_title: str | None = field(default=None, repr=False, compare=False)
    spans: dict[str, tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    def find(self, ref: str) -> Account:
        """Find an account by id, label or service (case-insensitive); raise KeyError naming candidates."""
        key = ref.strip().casefold()
        for attr in ("id", "label", "service"):
            hits = [a for a in self.accounts if getattr(a, attr).casefold() == key]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                ids = ", ".join(a.id for a in hits)
                raise KeyError(f"'{ref}' is ambiguous: use one of the ids {ids}")
        raise KeyError(f"no account '{ref}' (ids: {', '.join(a.id for a in self.accounts)})")

    def groups(self) -> list[str]:
        seen: dict[str, None] = {}
        for a in self.accounts:
            seen.setdefault(a.group, None)
        return list(seen)


def slugify(text: str) -> str:
    """A stable ASCII-ish id from a name: lower case, width-folded, punctuation to dashes."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = re.sub(r"[^\w]+", "-", text).strip("-")
    return slug or "account"


def unique_id(base: str, taken: set[str]) -> str:
    """``base`` or ``base-2``, ``base-3``... whichever is not in ``taken``."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
