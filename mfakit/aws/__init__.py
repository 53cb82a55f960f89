"""AWS: forced-MFA policies, the offline IAM evaluator, the embedded AWS, the walkthrough and the audit.

Names are loaded lazily so that importing :mod:`mfakit.aws` never pulls in boto3 or moto by itself.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    # issue 3: evaluator, managed policies, policy generator, lint
    "evaluate": "mfakit.aws.evaluator",
    "EvalResult": "mfakit.aws.evaluator",
    "compile_policies": "mfakit.aws.evaluator",
    "managed_policy": "mfakit.aws.managed",
    "forced_mfa_policy": "mfakit.aws.policygen",
    "lint_policies": "mfakit.aws.lint",
    # issue 4: embedded AWS, walkthrough, live guard rails, audit
    "embedded": "mfakit.aws.embedded",
    "run_walkthrough": "mfakit.aws.walkthrough",
    "cleanup": "mfakit.aws.live",
    "audit_account": "mfakit.aws.audit",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mfakit.aws' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
