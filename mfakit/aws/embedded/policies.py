"""The IAM policies that apply to a user, read from moto's state and compiled once per distinct policy set."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote


def as_document(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    text = str(text)
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(unquote(text))


def _default_version(policy: Any) -> tuple[str, Any]:
    for v in policy.versions:
        if v.is_default:
            return v.version_id, v.document
    return policy.default_version_id, policy.versions[-1].document


def user_policy_sources(backend: Any, user_name: str) -> list[tuple[str, str, Any, str]]:
    """(name, cache key, document, simulator source type) for every policy that applies to the user:
    attached managed (``aws-managed`` / ``user-managed``), inline (``user``), and the groups' (``group``)."""
    user = backend.get_user(user_name)
    out: list[tuple[str, str, Any, str]] = []

    def add_managed(owner: Any) -> None:
        for arn, pol in owner.managed_policies.items():
            vid, doc = _default_version(pol)
            kind = "aws-managed" if ":aws:policy/" in arn else "user-managed"
            out.append((pol.name, f"{arn}#{pol.id}#{vid}", doc, kind))  # id: a re-created policy is new

    def add_inline(owner: Any, kind: str) -> None:
        for name, doc in owner.policies.items():
            out.append((name, f"{kind}:{owner.name}:{name}:{hash(str(doc))}", doc, kind))

    add_managed(user)
    add_inline(user, "user")
    for group in backend.get_groups_for_user(user_name):
        add_managed(group)
        add_inline(group, "group")
    return out


class PolicyCache:
    """Compiled policy sets keyed by (policy ARN + default version / inline text): an attach, detach, new
    default version or inline change produces a new key, so stale compilations are never used."""

    def __init__(self, max_entries: int = 64) -> None:
        self._cache: dict[tuple[str, ...], Any] = {}
        self._max = max_entries

    def compiled_for(self, backend: Any, user_name: str) -> tuple[Any, dict[str, str]]:
        """(compiled policy set, policy name -> ARN for the managed ones) of the user's policies now."""
        from mfakit.aws.evaluator import compile_policies

        sources = user_policy_sources(backend, user_name)
        key = tuple(src[1] for src in sources)
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) >= self._max:
                self._cache.clear()
            arns = {src[0]: src[1].split("#", 1)[0] for src in sources if src[3].endswith("managed")}
            hit = (compile_policies([(src[0], as_document(src[2])) for src in sources]), arns)
            self._cache[key] = hit
        return hit

    def clear(self) -> None:
        self._cache.clear()
