"""Matching an account (service name, domain, account) to a catalog service, never guessing.

Order: an explicit domain (or a URL/domain written as the name, or a URL as the account) → the service owning
that host or its nearest parent domain; an exact id (case-sensitive: ids are lower-case tokens such as
``amazon-jp``); a normalised name or alias (see normalize.py). When a
name fits several services (e.g. "Amazon": amazon.com and amazon.co.jp are separate realms), hints decide only
if they are unambiguous: a service owning the account's e-mail domain, or the one whose realm is the account's
or domain's country TLD (``taro@example.co.jp`` → the ``jp`` realm). Otherwise the match is ``ambiguous`` with
the candidates listed; a name that only partly fits (``GitHub Enterprise``) gives candidates, never a service.
Curated names take precedence over names that only the imported public catalogs know.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Iterable

from mfakit.catalog.model import Match, Service
from mfakit.catalog.normalize import country_tld, host_of, normalize_name, parent_domains

_PREFIX = 4
MAX_CANDIDATES = 10


class MatchIndex:
    """Look-up tables built once per catalog: hosts, ids and normalised names."""

    def __init__(self, services: Iterable[Service]) -> None:
        self.services: dict[str, Service] = {}
        self.by_domain: dict[str, str] = {}
        self.by_id: dict[str, str] = {}
        self.names: tuple[dict[str, list[str]], dict[str, list[str]]] = (defaultdict(list), defaultdict(list))
        self.prefix: dict[str, set[str]] = defaultdict(set)
        for svc in services:
            self._add(svc)

    def _add(self, svc: Service) -> None:
        self.services[svc.id] = svc
        self.by_id.setdefault(svc.id.lower(), svc.id)
        for d in svc.domains:
            self.by_domain.setdefault(d, svc.id)
        tier = self.names[0 if svc.origin == "curated" else 1]
        for text in (svc.id, svc.name, *svc.aliases):
            key = normalize_name(text)
            if not key:
                continue
            if svc.id not in tier[key]:
                tier[key].append(svc.id)
            if len(key) >= _PREFIX:
                self.prefix[key[:_PREFIX]].add(key)

    # --- look-ups -----------------------------------------------------------------------------------------

    def by_host(self, host: str | None) -> str | None:
        """The service owning ``host`` or its nearest parent domain."""
        if not host:
            return None
        for d in parent_domains(host):
            sid = self.by_domain.get(d)
            if sid is not None:
                return sid
        return None

    def _name_candidates(self, key: str) -> tuple[list[str], str]:
        for tier in self.names:
            ids = tier.get(key)
            if ids:
                return ids, "name"
        return [], "none"

    def _partial(self, key: str) -> list[str]:
        """Services whose name is a prefix of ``key`` or starts with it (suggestions, never certain)."""
        if len(key) < _PREFIX:
            return []
        out: list[str] = []
        for other in sorted(self.prefix.get(key[:_PREFIX], ())):
            if other != key and (key.startswith(other) or other.startswith(key)):
                ids, _ = self._name_candidates(other)
                out.extend(i for i in ids if i not in out)
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
        return "name" if normalize_name(svc.name) == key or normalize_name(svc.id) == key else "alias"

    def match(self, name: str | None, domain: str | None = None, account: str | None = None) -> Match:
        """Match one account; see the module docstring for the rules."""
        dom_host = host_of(domain) if domain else None
        sid = self.by_host(dom_host)
        if sid:
            return Match(self.services[sid], "domain")
        acct = (account or "").strip()
        acct_host = host_of(acct) if ("@" in acct or "://" in acct) else None
        hints = [h for h in (dom_host, acct_host) if h]
        text = (name or "").strip()
        if text:
            if text in self.services:  # ids are exact (case-sensitive): "Amazon" is a name, "amazon" the id
                return Match(self.services[text], "id")
            wide = unicodedata.normalize("NFKC", text)
            if "." in wide or "/" in wide:
                sid = self.by_host(host_of(wide))
                if sid:
                    return Match(self.services[sid], "domain")
            key = normalize_name(text)
            if key:
                ids, _ = self._name_candidates(key)
                if len(ids) == 1:
                    svc = self.services[ids[0]]
                    return Match(svc, self._how(svc, key))
                if len(ids) > 1:
                    picked = self._resolve(ids, hints)
                    if picked:
                        svc = self.services[picked]
                        return Match(svc, self._how(svc, key))
                    return Match(None, "ambiguous", tuple(ids[:MAX_CANDIDATES]))
        if "://" in acct:  # a sign-in URL kept as the account
            sid = self.by_host(acct_host)
            if sid:
                return Match(self.services[sid], "domain")
        suggestions = self._partial(normalize_name(text)) if text else []
        if acct_host and "@" in acct:
            owner = self.by_host(acct_host)  # an e-mail domain is only a hint (gmail.com says nothing)
            if owner and owner not in suggestions and not text:
                suggestions.append(owner)
        if suggestions:
            return Match(None, "ambiguous", tuple(suggestions[:MAX_CANDIDATES]))
        return Match(None, "none")
