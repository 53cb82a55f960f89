"""The service catalog's data: what each service supports, whether TOTP can go, and where each fact comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

#: Capabilities a service may support, as the catalog records them.
CAPABILITIES: tuple[str, ...] = (
    "totp", "sms", "email", "push", "security_key", "passkey_2fa", "passkey_login",
)
KeyOnly = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class Fact:
    """One fact with its provenance. ``value`` is True/False for a capability, a string or list otherwise.

    ``origin`` names the layer (``personal``, ``curated``, ``2fa.directory``, ``passkeys.directory``); ``source`` is a URL
    (or the catalog's name) and ``as_of`` an ISO date.
    """

    value: Any
    source: str
    as_of: str
    origin: str = "curated"


@dataclass
class Service:
    """A service (one realm of it: amazon.co.jp is not amazon.com) and what it supports."""

    id: str
    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    category: str = ""
    realm: str | None = None
    #: capability name (see CAPABILITIES) → Fact(True/False). A missing capability means unknown.
    supports: dict[str, Fact] = field(default_factory=dict)
    #: can TOTP/SMS be removed once a key or passkey is registered: Fact("yes"|"no"|"unknown")
    key_only: Fact | None = None
    #: backups the service insists on when a key is registered, e.g. ["totp"] or ["second security key"]
    backups_required: Fact | None = None
    notes: str = ""
    #: other facts with provenance (documentation URL, recovery URL...)
    extra: dict[str, Fact] = field(default_factory=dict)
    #: which layer defined the service: "curated", or the public catalog it was imported from
    origin: str = "curated"
    #: imported facts that a curated fact overrode, keyed like "supports.security_key" (kept for provenance)
    overridden: dict[str, Fact] = field(default_factory=dict)
    #: the facts (curated or imported) that one of your own findings replaced, keyed like ``overridden``
    personal_overrides: dict[str, Fact] = field(default_factory=dict)

    def supports_value(self, capability: str) -> bool | None:
        """True / False / None (unknown) for one capability."""
        fact = self.supports.get(capability)
        return None if fact is None else bool(fact.value)

    @property
    def key_support(self) -> bool | None:
        """Can a FIDO2 key be used at all (second factor or passkey)? None when no catalog knows."""
        vals = [self.supports_value(c) for c in ("security_key", "passkey_2fa", "passkey_login")]
        if any(v is True for v in vals):
            return True
        if all(v is False for v in vals):
            return False
        return None

    @property
    def key_only_value(self) -> KeyOnly:
        return self.key_only.value if self.key_only is not None else "unknown"


@dataclass(frozen=True)
class Match:
    """The result of matching an account to the catalog. ``service`` is None when not certain."""

    service: Service | None
    #: "id", "domain", "name", "alias", "domain label" (certain); "partial" (one suggestion), "ambiguous"
    #: (several candidates), "tenant" (a sign-in provider's customer host), "none"
    how: str
    candidates: tuple[str, ...] = ()

    @property
    def certain(self) -> bool:
        return self.service is not None
