"""Matching an account (service name, domain, account) to a catalog service, never guessing.

Rules, in order (each general; none lists particular issuers):

1. An explicit domain, or a URL/host written as the name (``hub.docker.com``, ``http://rapidgator.net``), or a
   sign-in URL as the account → the service owning that host or its nearest parent domain. A *tenant host* of a
   shared sign-in provider (``savebetter.okta.com``, ``*.onelogin.com``, ``*.auth0.com``...: see
   :data:`SHARED_SIGN_IN`) is the provider's customer, not the provider: unmatched, unless a catalog lists that
   exact tenant host as a service's domain.
2. An e-mail address never selects a service (``taro@gmail.com`` is an account, not Google); its domain is at most
   a realm hint.
3. An exact id (``amazon-jp``) — unless the id is also a name several services share.
4. The normalised name (see normalize.py) against every service's names and aliases (curated and personal, and
   the public catalogs') and the brand label of its domains (``Airbrake`` → ``airbrake.io``, which is how a 2fa
   .directory API v4 service without a name is found). One service → matched. Several (``Amazon``: amazon.com and
   amazon.co.jp are separate realms; ``IG``: Instagram's alias and the broker ig.com) → a hint decides only if it
   is unambiguous (the service owning the account's e-mail domain, or the one whose realm is the account's or
   domain's country: ``taro@example.co.jp`` → the ``jp`` realm); otherwise ``ambiguous`` with the candidates.
5. The same with generic trailing words dropped (``Kajabi ID``, ``JetBrains Account``, ``DynInc``).
6. A name that only partly fits gives suggestions, never a service: ``partial`` with one candidate,
   ``ambiguous`` with several.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterable

from mfakit.catalog.model import Match, Service
from mfakit.catalog.normalize import (country_tld, domain_label, host_of, normalize_name, parent_domains,
                                      registrable)

_PREFIX = 4
MAX_CANDIDATES = 10
#: Shared sign-in (identity) providers whose sub-domains are their customers' tenants, not the provider.
SHARED_SIGN_IN = frozenset({
    "okta.com", "oktapreview.com", "okta-emea.com", "okta.eu", "onelogin.com", "auth0.com", "duosecurity.com",
    "pingone.com", "pingone.eu", "pingone.asia", "b2clogin.com", "ciamlogin.com", "awsapps.com",
    "cloudflareaccess.com", "jumpcloud.com", "kinde.com", "fusionauth.io", "frontegg.com", "stytch.com",
    "descope.com", "workos.com", "clerk.accounts.dev", "login.gov", "keycloak.org", "my.salesforce.com",
    "cyberark.cloud", "idaptive.app", "secureauth.com", "zitadel.cloud", "authentik.company",
})
#: Words that name the account rather than the service when they end an issuer (``Qt Account``, ``DynInc``).
GENERIC_WORDS = frozenset({"account", "accounts", "id", "login", "signin", "sso", "2fa", "mfa", "otp", "totp",
                           "authenticator", "inc", "llc", "ltd", "gmbh", "corp", "corporation", "interactive",
                           "entertainment", "studios", "software", "technologies"})
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+", re.UNICODE)
_EMAIL = re.compile(r"^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$")


_AFFIX_PREFIXES = ("get", "try", "join", "use", "my")
_AFFIX_SUFFIXES = ("security", "app", "hq", "online", "official")


def _label_variants(label: str) -> list[str]:
    """A domain label without a common marketing affix (``keepersecurity`` → ``keeper``)."""
    out = [label[len(p):] for p in _AFFIX_PREFIXES if label.startswith(p) and len(label) - len(p) >= 3]
    out += [label[:-len(s)] for s in _AFFIX_SUFFIXES if label.endswith(s) and len(label) - len(s) >= 3]
    return out


def looks_like_email(text: str) -> bool:
    """``local@host.tld`` (an account, never a service)."""
    return bool(_EMAIL.match(text.strip()))


def stripped_key(text: str) -> str:
    """The name key with generic trailing words dropped (``JetBrains+Account`` → ``jetbrains``), or ''."""
    words = _WORDS.findall(unicodedata.normalize("NFKC", text))
    cut = len(words)
    while cut > 1 and words[cut - 1].lower() in GENERIC_WORDS:
        cut -= 1
    if cut == len(words):
        return ""
    return normalize_name("".join(words[:cut]))


class MatchIndex:
    """Look-up tables built once per catalog: hosts, ids, normalised names and domain labels."""

    def __init__(self, services: Iterable[Service]) -> None:
        self.services: dict[str, Service] = {}
        self.by_domain: dict[str, str] = {}
        self.by_id: dict[str, str] = {}
        #: tier 0: curated and personal names/aliases; tier 1: names only the public catalogs know
        self.names: tuple[dict[str, list[str]], dict[str, list[str]]] = (defaultdict(list), defaultdict(list))
        #: brand label of a registrable domain → services (``airbrake`` → the owner of airbrake.io)
        self.labels: dict[str, list[str]] = defaultdict(list)
        #: fallbacks: a registrable domain spelled without dots (``linktree`` → linktr.ee) and a label without a
        #: common domain affix (``keeper`` → keepersecurity.com, ``lemmy`` → join-lemmy.org)
        self.loose: dict[str, list[str]] = defaultdict(list)
        self.prefix: dict[str, set[str]] = defaultdict(set)
        for svc in services:
            self._add(svc)

    def _add(self, svc: Service) -> None:
        self.services[svc.id] = svc
        self.by_id.setdefault(svc.id.lower(), svc.id)
        for d in svc.domains:
            self.by_domain.setdefault(d, svc.id)
            if registrable(d) == d:
                label = domain_label(d)
                if len(label) >= 2 and svc.id not in self.labels[label]:
                    self.labels[label].append(svc.id)
                for key in (normalize_name(d), *_label_variants(label)):
                    if key != label and svc.id not in self.loose[key]:
                        self.loose[key].append(svc.id)
        tier = self.names[0 if svc.origin in ("curated", "personal") else 1]
        named_by_domain = host_of(svc.name) is not None  # API v4 / passkeys entries: the label covers them
        for text in (() if named_by_domain else (svc.id, svc.name)) + tuple(svc.aliases):
            key = normalize_name(text)
            if not key:
                continue
            if svc.id not in tier[key]:
                tier[key].append(svc.id)
            if len(key) >= _PREFIX:
                self.prefix[key[:_PREFIX]].add(key)

    # --- look-ups -----------------------------------------------------------------------------------------

    def by_host(self, host: str | None) -> str | None:
        """The service owning ``host`` or its nearest parent domain (None for a sign-in provider's tenant)."""
        if not host:
            return None
        provider = next((p for p in parent_domains(host) if p in SHARED_SIGN_IN), None)
        for d in parent_domains(host):
            sid = self.by_domain.get(d)
            if sid is not None:
                if provider is not None and host != provider and len(d) <= len(provider):
                    return None  # savebetter.okta.com is Okta's customer, not Okta
                return sid
        return None

    def is_tenant(self, host: str | None) -> bool:
        """A sub-domain of a shared sign-in provider that no service claims as its own."""
        if not host:
            return False
        provider = next((p for p in parent_domains(host) if p in SHARED_SIGN_IN), None)
        return provider is not None and host != provider and self.by_host(host) is None

    def _name_candidates(self, key: str, loose: bool = False) -> tuple[list[str], str]:
        """Every service that the key names exactly: by name or alias (any layer) or by its domain's label
        (``loose``: by the fallbacks instead). A service whose own *name* it is wins over services that only
        own a domain with that label (``Yahoo`` is yahoo.com, not yahoo.co.jp); an alias never wins that way
        (``IG`` is Instagram's alias and ig.com's label: ambiguous)."""
        if loose:
            ids = list(dict.fromkeys(self.loose.get(key, ())))
            return ids, ("name" if ids else "none")
        named = [sid for tier in self.names for sid in tier.get(key, ())]
        ids = list(dict.fromkeys([*named, *self.labels.get(key, ())]))
        if len(ids) > 1:
            primary = [sid for sid in dict.fromkeys(named) if self._is_name(sid, key)]
            aliased = [sid for sid in dict.fromkeys(named) if sid not in primary]
            if len(primary) == 1 and not aliased:
                ids = primary
        return ids, ("name" if ids else "none")

    def _is_name(self, sid: str, key: str) -> bool:
        svc = self.services[sid]
        return normalize_name(svc.name) == key or normalize_name(svc.id) == key

    def _partial(self, key: str) -> list[str]:
        """Services whose name is a prefix of ``key`` or starts with it (suggestions, never certain)."""
        if len(key) < _PREFIX:
            return []
        out: list[str] = []
        for other in sorted(self.prefix.get(key[:_PREFIX], ())):
            if other != key and (key.startswith(other) or other.startswith(key)):
                for tier in self.names:
                    out.extend(i for i in tier.get(other, ()) if i not in out)
        return out

    def _resolve(self, ids: list[str], hint_hosts: list[str]) -> str | None:
        """Pick one of several candidates when a hint says so unambiguously."""
        owners = {self.by_host(h) for h in hint_hosts} & set(ids)
        if len(owners) == 1:
            return owners.pop()
        for host in hint_hosts:
            tld = country_tld(host)
            if tld:
                same = [i for i in ids if (self.services[i].realm or "").lower() == tld]
                if len(same) == 1:
                    return same[0]
        return None

    def _how(self, svc: Service, key: str) -> str:
        if normalize_name(svc.name) == key or normalize_name(svc.id) == key:
            return "name"
        if any(normalize_name(a) == key for a in svc.aliases):
            return "alias"
        return "domain label"

    def _by_key(self, key: str, hints: list[str], loose: bool = False) -> Match | None:
        ids, _ = self._name_candidates(key, loose)
        if len(ids) == 1:
            svc = self.services[ids[0]]
            return Match(svc, self._how(svc, key))
        if len(ids) > 1:
            picked = self._resolve(ids, hints)
            if picked:
                svc = self.services[picked]
                return Match(svc, self._how(svc, key))
            return Match(None, "ambiguous", tuple(ids[:MAX_CANDIDATES]))
        return None

    def _host_match(self, host: str | None) -> Match | None:
        if not host:
            return None
        sid = self.by_host(host)
        if sid:
            return Match(self.services[sid], "domain")
        if self.is_tenant(host):
            return Match(None, "tenant")
        return None

    def match(self, name: str | None, domain: str | None = None, account: str | None = None) -> Match:
        """Match one account; see the module docstring for the rules."""
        dom_host = host_of(domain) if domain else None
        found = self._host_match(dom_host)
        if found:
            return found
        acct = (account or "").strip()
        acct_host = host_of(acct) if ("@" in acct or "://" in acct) else None
        hints = [h for h in (dom_host, acct_host) if h]
        text = (name or "").strip()
        email = looks_like_email(unicodedata.normalize("NFKC", text)) if text else False
        if text and not email:
            wide = unicodedata.normalize("NFKC", text)
            if ("." in wide or "/" in wide) and not any(ch.isspace() for ch in wide):
                found = self._host_match(host_of(wide))
                if found:
                    return found
            key = normalize_name(text)
            ids = self._name_candidates(key)[0] if key else []
            if text in self.services and (len(ids) <= 1 or ids == [text]):
                return Match(self.services[text], "id")  # an exact id, unless several services share the name
            if key:
                short = stripped_key(text)
                keys = [key] + ([short] if short and short != key else [])
                for k in keys:
                    for loose in (False, True):
                        found = self._by_key(k, hints, loose)
                        if found:
                            return found
        if "://" in acct:  # a sign-in URL kept as the account
            found = self._host_match(acct_host)
            if found:
                return found
        suggestions = self._partial(normalize_name(text)) if text and not email else []
        if suggestions:
            how = "partial" if len(suggestions) == 1 else "ambiguous"
            return Match(None, how, tuple(suggestions[:MAX_CANDIDATES]))
        return Match(None, "none")
