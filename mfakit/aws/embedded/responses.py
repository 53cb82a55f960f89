"""Botocore-shaped responses the embedded layer returns instead of letting moto answer."""

from __future__ import annotations

import uuid
from typing import Any

from botocore.awsrequest import AWSResponse


def _meta(status: int) -> dict[str, Any]:
    return {"RequestId": str(uuid.uuid4()), "HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}


def ok(body: dict[str, Any] | None = None) -> tuple[AWSResponse, dict[str, Any]]:
    """A successful response (parsed shape, as botocore's parser would return it)."""
    parsed = dict(body or {})
    parsed["ResponseMetadata"] = _meta(200)
    return AWSResponse("https://embedded.mfakit.invalid/", 200, {}, None), parsed


def error(code: str, message: str, status: int = 403) -> tuple[AWSResponse, dict[str, Any]]:
    """An error response: botocore raises ``ClientError`` with this code and message."""
    parsed = {"Error": {"Code": code, "Message": message, "Type": "Sender"}, "ResponseMetadata": _meta(status)}
    return AWSResponse("https://embedded.mfakit.invalid/", status, {}, None), parsed


def access_denied(principal_arn: str, action: str, resource: str, explicit: bool) -> tuple[AWSResponse, dict]:
    """AWS's AccessDenied message shape (explicit deny vs no allow)."""
    on = "" if resource == "*" else f" on resource: {resource}"
    if explicit:
        msg = (f"User: {principal_arn} is not authorized to perform: {action}{on} "
               "with an explicit deny in an identity-based policy")
    else:
        msg = (f"User: {principal_arn} is not authorized to perform: {action}{on} "
               f"because no identity-based policy allows the {action} action")
    return error("AccessDenied", msg, 403)
