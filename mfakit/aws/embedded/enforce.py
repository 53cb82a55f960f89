"""The enforcement layer: botocore event handlers that authorize every call with the kit's evaluator before
moto sees it, and answer the operations moto lacks (see docs/readme/aws-walkthrough.md for the full list).

Handlers are module-level and registered in botocore's BUILTIN_HANDLERS while an embedded AWS is active, so
every boto3 session created inside the context (including ones built from temporary credentials) is enforced.
"""

from __future__ import annotations

from typing import Any

from mfakit.aws.embedded import ops
from mfakit.aws.embedded.actions import SELF_DEFAULT_OPS, iam_action, resource_arn
from mfakit.aws.embedded.env import ADMIN_KEY_ID
from mfakit.aws.embedded.policies import PolicyCache
from mfakit.aws.embedded.responses import access_denied, error
from mfakit.aws.embedded.state import KitState, Principal

_ACTIVE: "Enforcer | None" = None

#: Operations that no IAM policy controls (authentication, and "who am I").
_NOT_AUTHORIZED_BY_POLICY = frozenset({"sts:GetSessionToken", "sts:GetCallerIdentity"})


class Enforcer:
    """Authorizes calls and keeps the kit's state for one embedded AWS."""

    def __init__(self, state: KitState, backend: Any, enforce: bool = True) -> None:
        self.state = state
        self.backend = backend  # moto's IAM backend for the account
        self.enforce = enforce
        self.cache = PolicyCache()
        self.admin = Principal("admin", "mfakit-admin", f"arn:aws:iam::{state.account}:root", "AIDAADMIN")
        self.calls = 0
        self.denied = 0

    # -- who is calling -------------------------------------------------------------------------
    def principal(self, key_id: str | None) -> Principal | None:
        if key_id is None:
            return None
        if key_id == ADMIN_KEY_ID:
            return self.admin
        hit = self.state.temp_creds.get(key_id)
        if hit is not None:
            return hit
        user = self.backend.get_user_from_access_key_id(key_id)
        if user is None:
            return None
        key = next((k for k in user.access_keys if k.access_key_id == key_id), None)
        if key is None or key.status != "Active":
            return None
        return Principal("user", user.name, user.arn, user.id, "absent", None, "access-key")

    # -- the decision ---------------------------------------------------------------------------
    def authorize(self, who: Principal, action: str, resource: str) -> Any | None:
        """None when allowed; else an error response tuple (AccessDenied, AWS's message shape)."""
        if who.kind == "admin" or not self.enforce or action in _NOT_AUTHORIZED_BY_POLICY:
            return None
        from mfakit.aws.evaluator import evaluate

        compiled = self.cache.compiled_for(self.backend, who.name)
        res = evaluate(compiled, action, resource, who.context(self.state.clock.now()))
        if res.allowed:
            return None
        self.denied += 1
        return access_denied(who.arn, action, resource, explicit=res.decision == "explicitDeny")

    # -- event handlers -------------------------------------------------------------------------
    def before_call(self, model: Any, params: dict[str, Any], request_signer: Any, context: dict) -> Any:
        self.calls += 1
        op = model.name
        prefix = model.service_model.signing_name
        api: dict[str, Any] = dict(context.get("mfakit_params") or {})
        creds = getattr(request_signer, "_credentials", None)
        key_id = creds.get_frozen_credentials().access_key if creds is not None else None
        who = self.principal(key_id)
        if who is None:
            return error("InvalidClientTokenId", "The security token included in the request is invalid.")
        body = params.get("body")
        if who.kind == "user" and op in SELF_DEFAULT_OPS and not api.get("UserName"):
            api["UserName"] = who.name  # AWS uses the caller when UserName is omitted; moto would not
            if isinstance(body, dict):
                body["UserName"] = who.name
        action = iam_action(prefix, op)
        if who.source == "session-token" and who.mfa != "true" and prefix == "iam":
            return error("AccessDenied", f"User: {who.arn} is not authorized to perform: {action}: "
                         "IAM API calls with GetSessionToken credentials require MFA authentication")
        handler = ops.PRE_POLICY.get(op)
        if handler is not None:  # authentication operations: not controlled by policy
            return handler(self, who, api)
        caller_user = who.name if who.kind == "user" else None
        resource = resource_arn(prefix, op, api, self.state.account, caller_user)
        denied = self.authorize(who, action, resource)
        if denied is not None:
            return denied
        handler = ops.IMPLEMENTED.get(op)
        if handler is not None:
            return handler(self, who, api)
        return None  # let moto answer

    def after_call(self, parsed: dict[str, Any], model: Any, context: dict) -> None:
        handler = ops.AFTER.get(model.name)
        if handler is not None and "Error" not in parsed:
            handler(self, dict(context.get("mfakit_params") or {}), parsed)


# -- module-level handlers (registered in botocore.handlers.BUILTIN_HANDLERS while active) -------------
def _on_params(params: dict[str, Any], context: dict, **_: Any) -> None:
    if _ACTIVE is not None and context is not None:
        context["mfakit_params"] = dict(params)


def _on_before_call(model: Any, params: dict[str, Any], request_signer: Any = None,
                    context: dict | None = None, **_: Any) -> Any:
    if _ACTIVE is None:
        return None
    return _ACTIVE.before_call(model, params, request_signer, context if context is not None else {})


def _on_after_call(parsed: dict[str, Any], model: Any, context: dict | None = None, **_: Any) -> None:
    if _ACTIVE is not None:
        _ACTIVE.after_call(parsed, model, context or {})


HANDLERS = (
    ("before-parameter-build", _on_params),
    ("before-call", _on_before_call),
    ("after-call", _on_after_call),
)


def activate(enforcer: Enforcer) -> None:
    """Make ``enforcer`` the active one and register the handlers for sessions created from now on."""
    global _ACTIVE
    from botocore import handlers as bh

    if _ACTIVE is not None:
        raise RuntimeError("an embedded AWS is already active in this process")
    _ACTIVE = enforcer
    for item in HANDLERS:
        if item not in bh.BUILTIN_HANDLERS:
            bh.BUILTIN_HANDLERS.append(item)


def deactivate() -> None:
    global _ACTIVE
    from botocore import handlers as bh

    _ACTIVE = None
    for item in HANDLERS:
        while item in bh.BUILTIN_HANDLERS:
            bh.BUILTIN_HANDLERS.remove(item)
