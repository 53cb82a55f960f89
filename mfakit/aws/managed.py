"""AWS managed policy documents offline, by name, from the data moto ships (imported lazily, cached)."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from mfakit.errors import PolicyError


@lru_cache(maxsize=1)
def _all_managed() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data  # heavy: only on first use

    return json.loads(aws_managed_policies_data)


def managed_policy_names() -> list[str]:
    """Every AWS managed policy name moto knows (about 1,500)."""
    return sorted(_all_managed())


def managed_policy(name: str) -> dict[str, Any]:
    """The policy document of AWS managed policy ``name`` (e.g. ``"AmazonVPCFullAccess"``); a fresh copy."""
    entry = _all_managed().get(name)
    if entry is None:
        low = name.lower()
        close = [n for n in _all_managed() if low in n.lower()][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise PolicyError(f"unknown AWS managed policy {name!r}{hint}", f"managed:{name}")
    return copy.deepcopy(entry["Document"])
