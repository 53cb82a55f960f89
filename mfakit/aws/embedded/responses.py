"""AWS's answers, as the enforcement layer gives them: success bodies (plain dicts that moto's serializer
turns into the service's XML/JSON) and errors (:class:`KitError`) with AWS's codes, HTTP status and text.

Evidence for each shape (see also docs/aws.md, "What differs from real AWS"):

- AccessDenied text ``User: ARN is not authorized to perform: ACTION on resource: RES because no
  identity-based policy allows the ACTION action`` / ``... with an explicit deny in an identity-based policy``:
  IAM User Guide, "Troubleshoot access denied error messages". ``on resource`` is left out where the action
  has no resource (``*``), as AWS does for ``ec2:Describe*``.
- The denying policy's ARN appended after the explicit-deny phrase (``...identity-based policy: arn:...``):
  AWS Security Blog, "Enhanced access denied error messages with policy ARNs" (same account only; an inline
  policy has no ARN, so nothing is appended for it).
- EC2: code ``UnauthorizedOperation``, message ``You are not authorized to perform this operation. User: ...``
  (raw response in hashicorp/terraform-provider-aws#34234); unknown key: ``AuthFailure``, HTTP 401,
  ``AWS was not able to validate the provided access credentials`` (EC2 API reference, "Error codes").
- IAM/STS unknown key, and IAM called with GetSessionToken credentials obtained without MFA:
  ``InvalidClientTokenId``, ``The security token included in the request is invalid`` (the raw IAM and STS XML
  in aws/aws-cli#8918 and aws-azure-login#251; the MFA case: 99designs/aws-vault#15, and the STS API reference
  for GetSessionToken: "You cannot call any IAM API operations unless MFA authentication information is
  included in the request").
- S3 unknown key: ``InvalidAccessKeyId``, ``The AWS Access Key Id you provided does not exist in our records.``
  (Amazon S3 API reference, "Error responses").
"""

from __future__ import annotations

from typing import Any

from mfakit.aws.embedded.wire import KitError

INVALID_TOKEN = "The security token included in the request is invalid"  # no final stop (aws/aws-cli#8918 XML)
EC2_AUTH_FAILURE = "AWS was not able to validate the provided access credentials"
S3_INVALID_KEY = "The AWS Access Key Id you provided does not exist in our records."
EC2_UNAUTHORIZED = "You are not authorized to perform this operation."


def ok(body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A successful answer (the operation's output shape; moto's serializer writes the XML/JSON)."""
    return dict(body or {})


def error(code: str, message: str, status: int = 403) -> KitError:
    """An error answer; handlers return it (the dispatcher turns it into the HTTP response)."""
    return KitError(code, message, status)


def denied_message(principal_arn: str, action: str, resource: str, explicit: bool,
                   policy_arn: str | None = None) -> str:
    """AWS's access-denied sentence (identity-based policies in one account)."""
    on = "" if resource == "*" else f" on resource: {resource}"
    if explicit:
        tail = f": {policy_arn}" if policy_arn else ""
        return (f"User: {principal_arn} is not authorized to perform: {action}{on} "
                f"with an explicit deny in an identity-based policy{tail}")
    return (f"User: {principal_arn} is not authorized to perform: {action}{on} "
            f"because no identity-based policy allows the {action} action")


def access_denied(service: str, principal_arn: str, action: str, resource: str, explicit: bool,
                  policy_arn: str | None = None, json_protocol: bool = False) -> KitError:
    """The denial in the calling service's words: EC2's UnauthorizedOperation, else AccessDenied."""
    msg = denied_message(principal_arn, action, resource, explicit, policy_arn)
    if service == "ec2":
        return KitError("UnauthorizedOperation", f"{EC2_UNAUTHORIZED} {msg}", 403)
    return KitError("AccessDeniedException" if json_protocol else "AccessDenied", msg, 403)


def invalid_credentials(service: str) -> KitError:
    """An access key the account does not know (or a session token that does not match it)."""
    if service == "ec2":
        return KitError("AuthFailure", EC2_AUTH_FAILURE, 401)
    if service == "s3":
        return KitError("InvalidAccessKeyId", S3_INVALID_KEY, 403)
    return KitError("InvalidClientTokenId", INVALID_TOKEN, 403)


def bad_signature(service: str) -> KitError:
    """The key is known but the request was not signed with its secret."""
    if service == "ec2":
        return KitError("AuthFailure", EC2_AUTH_FAILURE, 401)
    if service == "s3":
        return KitError("SignatureDoesNotMatch", "The request signature we calculated does not match the "
                        "signature you provided. Check your key and signing method.", 403)
    return KitError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature "
                    "you provided. Check your AWS Secret Access Key and signing method. Consult the service "
                    "documentation for details.", 403)


def expired_token(service: str, json_protocol: bool = False) -> KitError:
    """Temporary credentials past their expiration (AWS "Common Errors": ExpiredToken(Exception), 403; Amazon
    S3 "Error responses": ExpiredToken, 400, "The provided token has expired.")."""
    if service == "s3":
        return KitError("ExpiredToken", "The provided token has expired.", 400)
    return KitError("ExpiredTokenException" if json_protocol else "ExpiredToken",
                    "The security token included in the request is expired", 403)


def request_expired(service: str) -> KitError:
    """A signed request dated more than 15 minutes away from now (AWS "Common Errors": RequestExpired, 400;
    Amazon S3: RequestTimeTooSkewed, 403)."""
    if service == "s3":
        return KitError("RequestTimeTooSkewed", "The difference between the request time and the current time "
                        "is too large.", 403)
    return KitError("RequestExpired", "Request has expired.", 400)


def missing_credentials(service: str) -> KitError:
    """An unsigned request (no access key anywhere)."""
    if service == "s3":
        return KitError("AccessDenied", "Access Denied", 403)
    return KitError("MissingAuthenticationToken", "Request is missing Authentication Token", 403)
