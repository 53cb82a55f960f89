"""The enforcement layer: every request that reaches moto is authorized by the kit's evaluator first.

It sits in moto's own request path (see :mod:`mfakit.aws.embedded.hook`), so it does not matter who sent the
request or how: a boto3 session created before or after the embedded AWS started, a raw SigV4 request, a
presigned URL fetched with ``requests``, the AWS CLI in another process through ``mfakit aws serve``. The
layer identifies the caller from the access key (and session token), decides with the kit's evaluator on
the caller's policies in moto's state, answers the operations moto lacks (:mod:`ops`), and otherwise lets
moto answer. A user's request the layer cannot authorize (unknown key, wrong token, no IAM action in AWS's
Service Authorization Reference) is refused, never passed through.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from mfakit.aws.embedded import ops
from mfakit.aws.embedded.actions import SELF_DEFAULT_OPS, resource_arn
from mfakit.aws.embedded.env import ADMIN_KEY_ID, ADMIN_SECRET
from mfakit.aws.embedded.iam_actions import iam_action, service_prefix
from mfakit.aws.embedded.policies import PolicyCache
from mfakit.aws.embedded.responses import (INVALID_TOKEN, access_denied, bad_signature, error, expired_token,
                                           invalid_credentials, missing_credentials, request_expired)
from mfakit.aws.embedded.signatures import header_date_skewed, presigned_expired, signature_ok
from mfakit.aws.embedded.state import KitState, MfaSeed, Principal
from mfakit.aws.embedded.wire import KitError, credentials, protocol
from werkzeug.exceptions import HTTPException

#: Operations that no IAM policy controls (authentication, and "who am I"): STS API reference,
#: "Permissions for GetSessionToken" and "GetCallerIdentity" (no permission is required).
_NOT_AUTHORIZED_BY_POLICY = frozenset({"sts:GetSessionToken", "sts:GetCallerIdentity"})


class Enforcer:
    """Authorizes requests and keeps the kit's state for one embedded AWS (one account)."""

    def __init__(self, state: KitState, enforce: bool = True) -> None:
        self.state = state
        self.enforce = enforce
        self.cache = PolicyCache()
        self.admin = Principal("admin", "mfakit-admin", f"arn:aws:iam::{state.account}:root", "AIDAADMIN")
        self.calls = 0
        self.denied = 0
        self.verify_signatures = True
        self.lock = threading.RLock()  # moto's state is not thread-safe; the local server is threaded

    @property
    def backend(self) -> Any:
        """moto's IAM backend for the account (looked up each time: moto may have been reset)."""
        from moto.iam.models import iam_backends

        return iam_backends[self.state.account]["aws"]

    # -- who is calling -------------------------------------------------------------------------
    def principal(self, key_id: str | None, token: str | None = None) -> Principal | None:
        """The caller behind an access key (None: unknown key, inactive key, or a token that does not match)."""
        hit = self.lookup(key_id, token)
        return hit[0] if hit is not None else None

    def lookup(self, key_id: str | None, token: str | None = None) -> tuple[Principal, str] | None:
        """(caller, secret key) behind an access key; None for an unknown/inactive key or a wrong token."""
        if key_id is None:
            return None
        if key_id == ADMIN_KEY_ID:
            return self.admin, ADMIN_SECRET
        hit = self.state.temp_creds.get(key_id)
        if hit is not None:
            if token is not None and token != self.state.temp_tokens.get(key_id):
                return None
            return hit, self.state.temp_secrets.get(key_id, "")
        if token is not None:  # a long-term key never carries a session token
            return None
        user = self.backend.get_user_from_access_key_id(key_id)
        if user is None:
            return None
        key = next((k for k in user.access_keys if k.access_key_id == key_id), None)
        if key is None or key.status != "Active":
            return None
        return Principal("user", user.name, user.arn, user.id, "absent", None, "access-key"), key.secret_access_key

    def seed(self, serial: str) -> MfaSeed | None:
        """A virtual device's TOTP seed, read once from moto's state (memory only, never printed)."""
        hit = self.state.seeds.get(serial)
        if hit is None:
            dev = self.backend.virtual_mfa_devices.get(serial)
            if dev is None:
                return None
            hit = self.state.seeds[serial] = MfaSeed(serial, dev.base32_string_seed)
        return hit

    # -- the decision ---------------------------------------------------------------------------
    def authorize(self, who: Principal, action: str, resource: str, service: str = "iam",
                  json_protocol: bool = False) -> KitError | None:
        """None when allowed; else AWS's denial (UnauthorizedOperation for EC2, AccessDenied otherwise)."""
        if who.kind == "admin" or not self.enforce or action in _NOT_AUTHORIZED_BY_POLICY:
            return None
        from mfakit.aws.evaluator import evaluate

        compiled, arns = self.cache.compiled_for(self.backend, who.name)
        res = evaluate(compiled, action, resource, who.context(self.state.clock.now()))
        if res.allowed:
            return None
        self.denied += 1
        explicit = res.decision == "explicitDeny"
        policy_arn = None
        if explicit:
            deny = next((m for m in res.matched if m.effect == "Deny"), None)
            policy_arn = arns.get(deny.policy) if deny is not None else None
        return access_denied(service, who.arn, action, resource, explicit, policy_arn, json_protocol)

    def identify(self, service: str, resp: Any) -> Principal:
        """The caller of a request, or AWS's answer for a missing/unknown key or a wrong signature."""
        key_id, token = credentials(resp.headers, resp.querystring)
        if key_id is None:
            raise missing_credentials(service)
        hit = self.lookup(key_id, token)
        if hit is None:
            raise invalid_credentials(service)
        who, secret = hit
        if self.verify_signatures:
            path = resp.raw_path + ("?" + resp.parsed_url.query if resp.parsed_url.query else "")
            body = getattr(resp, "_mfakit_raw_body", None)
            if not signature_ok(resp.method, path, resp.headers, resp.raw_body if body is None else body, secret):
                raise bad_signature(service)
            if header_date_skewed(resp.headers):
                raise request_expired(service)
        if who.expires is not None and self.state.clock.now() > who.expires:
            proto = protocol(resp.boto3_service_name) if service != "s3" else "rest-xml"
            raise expired_token(service, proto.startswith(("json", "rest-json")) or "cbor" in proto)
        return who

    # -- one request in moto's path --------------------------------------------------------------
    def gate(self, resp: Any) -> None:
        """Authenticate and authorize one non-S3 request right after moto parsed it (``setup_class``), so
        that no request reaches a moto handler undecided, whatever route moto takes to answer it. Raises
        AWS's error as an HTTP exception; on success leaves the caller on ``resp`` for :meth:`handle`."""
        from mfakit.aws.embedded.wire import KitHTTPError

        self.calls += 1
        service = resp.service_name or ""
        proto = protocol(resp.boto3_service_name)
        try:
            op = resp._get_action()
            who = self.identify(service, resp)
            params = getattr(resp, "params", None)
            api: dict[str, Any] = params if isinstance(params, dict) else {
                k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in resp.querystring.items()}
            self._authorize_request(resp, who, service, op, api, proto)
        except KitError as err:
            raise KitHTTPError(proto, err, service) from None
        resp._mfakit_gate = (who, op, api)

    def _authorize_request(self, resp: Any, who: Principal, service: str, op: str, api: dict[str, Any],
                           proto: str) -> None:
        """Raise AWS's error unless the caller may do this (authentication operations always may)."""
        prefix = service_prefix(service, _signing_name(resp.boto3_service_name)) or service
        if who.kind == "user" and op in SELF_DEFAULT_OPS and not api.get("UserName"):
            api["UserName"] = who.name  # AWS uses the caller when UserName is omitted; moto would not
        if who.source == "session-token" and who.mfa != "true" and prefix == "iam":
            # STS API reference, GetSessionToken: no IAM API calls unless MFA information is included.
            raise KitError("InvalidClientTokenId", INVALID_TOKEN, 403)
        if prefix == "sts" and op in ops.PRE_POLICY:  # authentication: not controlled by policy
            return
        action = iam_action(prefix, op) if op else None
        if action is None:
            if who.kind == "admin" or not self.enforce:
                return
            raise error("AccessDenied", f"User: {who.arn} is not authorized to perform: {prefix}:{op or '?'} "
                        "(the embedded AWS knows no IAM action for this operation)")
        caller_user = who.name if who.kind == "user" else None
        resource = resource_arn(prefix, op, api, self.state.account, caller_user)
        json_proto = proto.startswith(("json", "rest-json")) or "cbor" in proto
        denied = self.authorize(who, action, resource, service, json_proto)
        if denied is not None:
            raise denied

    def handle(self, resp: Any, original: Any) -> Any:
        """Answer one request that passed :meth:`gate`: the kit's own operations, else moto (with fix-ups)."""
        gated = getattr(resp, "_mfakit_gate", None)
        if gated is None:  # not parsed through setup_class (cannot happen in moto 5.2): decide now
            try:
                self.gate(resp)
            except HTTPException as exc:
                return exc.code, dict(exc.get_headers()), exc.get_body()
            gated = resp._mfakit_gate
        who, op, api = gated
        prefix = service_prefix(resp.service_name or "", _signing_name(resp.boto3_service_name))
        handler = (ops.PRE_POLICY.get(op) if prefix == "sts" else
                   ops.IMPLEMENTED.get(op) if prefix == "iam" else None)
        result = handler(self, who, api) if handler is not None else None
        if isinstance(result, KitError):
            from mfakit.aws.embedded.wire import error_response

            return error_response(protocol(resp.boto3_service_name), result, resp.service_name or "")
        if result is None:
            return self._moto_answers(resp, op, api, original)
        from moto.core.responses import ActionResult

        return resp.serialized(ActionResult(result))

    def _moto_answers(self, resp: Any, op: str, api: dict[str, Any], original: Any) -> Any:
        after = ops.AFTER.get(op) if resp.service_name == "iam" else None
        if after is not None:
            from moto.core.utils import camelcase_to_underscores

            name = camelcase_to_underscores(op)
            method = getattr(resp, name)

            def wrapped() -> Any:
                out = method()  # raises moto's error for a failed call: nothing to fix up then
                result = getattr(out, "result", None)
                after(self, api, result if isinstance(result, dict) else {})
                return out

            setattr(resp, name, wrapped)  # call_action looks the method up on the instance
        return original(resp)

    def handle_s3(self, resp: Any, bucket: str | None, key: str | None) -> None:
        """Authorize one S3 request (moto's S3 code calls this with the bucket and key it resolved)."""
        from mfakit.aws.embedded.wire import KitHTTPError

        try:
            who = self.identify("s3", resp)
            path = resp.raw_path + ("?" + resp.parsed_url.query if resp.parsed_url.query else "")
            if presigned_expired(path):  # Amazon S3: AccessDenied "Request has expired" (S3 API, Error responses)
                raise error("AccessDenied", "Request has expired", 403)
            name = str(resp.data.get("Action", "") if isinstance(resp.data, dict) else "")
            name = name[0] if isinstance(name, list) else name
            action = iam_action("s3", name) if name else None
            if action is None:
                if who.kind == "admin" or not self.enforce:
                    return
                raise error("AccessDenied", f"User: {who.arn} is not authorized to perform: s3:{name} "
                            "(the embedded AWS knows no IAM action for this operation)")
            resource = "*" if not bucket else f"arn:aws:s3:::{bucket}/{key}" if key else f"arn:aws:s3:::{bucket}"
            denied = self.authorize(who, action, resource, "s3")
            if denied is not None:
                raise denied
        except KitError as err:
            raise KitHTTPError("rest-xml", err) from None


@lru_cache(maxsize=256)
def _signing_name(boto3_service: str) -> str | None:
    try:
        from moto.core.responses import get_service_model

        meta = get_service_model(boto3_service).metadata
        return meta.get("signingName") or meta.get("endpointPrefix")
    except Exception:  # noqa: BLE001 - a service botocore does not know
        return None
