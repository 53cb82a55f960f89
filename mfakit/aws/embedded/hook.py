"""The kit's place in moto's request path. Every request moto answers — in-process through botocore or
``requests``, or through moto's server — is parsed by ``BaseResponse.setup_class``: right after it, the kit
authenticates and authorizes the request (S3 excepted: moto's S3 code calls its IAM hook
``_authenticate_and_authorize_s3_action`` with the bucket and key it resolved, and the kit decides there).
``BaseResponse.call_action`` (moto's own IAM access-control point, moto/core/responses.py) is where the kit
answers the operations moto lacks. With no embedded AWS active, every patched function is moto's original.
"""

from __future__ import annotations

from typing import Any

_ACTIVE: Any = None
_ORIGINALS: dict[str, Any] = {}


def _call_action(self: Any) -> Any:
    enforcer = _ACTIVE
    original = _ORIGINALS["call_action"]
    if enforcer is None:
        return original(self)
    with enforcer.lock:
        return enforcer.handle(self, original)


def _authorize_s3(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
    enforcer = _ACTIVE
    if enforcer is None:
        return _ORIGINALS["s3"](self, bucket_name=bucket_name, key_name=key_name)
    with enforcer.lock:
        enforcer.handle_s3(self, bucket_name, key_name)
    return None


def _setup_class(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
    enforcer = _ACTIVE
    if enforcer is None:
        return _ORIGINALS["setup_class"](self, request, *args, **kwargs)
    # keep the body exactly as signed: moto's form parsing would consume it (werkzeug then parses the form
    # from this cached copy)
    try:
        self._mfakit_raw_body = request.get_data(cache=True, parse_form_data=False)
    except Exception:  # noqa: BLE001 - a request without a readable body: the signature check says so
        self._mfakit_raw_body = None
    out = _ORIGINALS["setup_class"](self, request, *args, **kwargs)
    if getattr(self, "service_name", None) != "s3":  # S3: decided where moto's S3 code resolves bucket/key
        with enforcer.lock:
            enforcer.gate(self)  # raises AWS's answer: the request never reaches a moto handler
    return out


_PARSED: dict[str, Any] = {}


def _init_aws_policies(self: Any) -> Any:
    """moto builds ~1,600 AWS managed policies for every partition's IAM backend (six of them) on the first
    request of an account; the embedded AWS only uses the commercial partition ("aws"), and parses the
    policies' JSON once per process."""
    if _ACTIVE is None:
        return _ORIGINALS["init_aws_policies"](self)
    from moto.iam.models import AWSManagedPolicy
    from moto.settings import load_iam_aws_managed_policies

    if not load_iam_aws_managed_policies() or getattr(self, "partition", "aws") != "aws":
        return []
    if not _PARSED:
        import json

        from moto.iam.aws_managed_policies import aws_managed_policies_data

        _PARSED.update(json.loads(aws_managed_policies_data))
    return [AWSManagedPolicy.from_data(name, self.account_id, self.region_name, d) for name, d in _PARSED.items()]


def install() -> None:
    """Put the kit's functions in moto's request path (idempotent; inert until :func:`activate`)."""
    if _ORIGINALS:
        return
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.responses import BaseResponse

    _ORIGINALS["call_action"] = BaseResponse.call_action
    _ORIGINALS["setup_class"] = BaseResponse.setup_class
    BaseResponse.setup_class = _setup_class  # type: ignore[method-assign]
    from moto.iam.models import IAMBackend

    _ORIGINALS["init_aws_policies"] = IAMBackend._init_aws_policies
    IAMBackend._init_aws_policies = _init_aws_policies  # type: ignore[method-assign]
    _ORIGINALS["s3"] = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action
    BaseResponse.call_action = _call_action  # type: ignore[method-assign]
    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = _authorize_s3  # type: ignore[method-assign]


def activate(enforcer: Any) -> None:
    """Make ``enforcer`` decide every request in this process."""
    global _ACTIVE
    if _ACTIVE is not None:
        raise RuntimeError("an embedded AWS is already active in this process")
    install()
    _ACTIVE = enforcer


def deactivate() -> None:
    global _ACTIVE
    _ACTIVE = None


def active() -> Any:
    """The active enforcer (None outside an embedded AWS)."""
    return _ACTIVE
