"""What the enforcement layer reads from a request on the wire, and AWS's error answers in each protocol.

Credentials come from the SigV4 ``Authorization`` header, a presigned URL's ``X-Amz-Credential`` (SigV4)
or ``AWSAccessKeyId`` (SigV2, S3), and ``X-Amz-Security-Token`` (header or query). Error bodies follow the
shapes AWS sends (and botocore parses):

- query protocol (IAM, STS): ``<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>
  <Type>Sender</Type><Code>…`` (raw IAM/STS answers in aws/aws-cli#8918);
- EC2: ``<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…``
  (raw XML in hashicorp/terraform-provider-aws#34234);
- S3 (rest-xml): ``<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>``;
- JSON protocols: ``{"__type": "…", "message": "…"}``.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.exceptions import HTTPException


def _first(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


def credentials(headers: Any, query: dict[str, Any]) -> tuple[str | None, str | None]:
    """(access key id, session token) of a request; (None, None) when it is not signed at all."""
    auth = headers.get("Authorization") or ""
    key = None
    if "Credential=" in auth:  # AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...
        key = auth.split("Credential=", 1)[1].split("/", 1)[0].strip()
    elif auth.startswith("AWS "):  # SigV2 (S3): AWS AKID:signature
        key = auth[4:].split(":", 1)[0].strip()
    else:
        cred = _first(query.get("X-Amz-Credential"))
        key = cred.split("/", 1)[0] if cred else _first(query.get("AWSAccessKeyId"))
    token = headers.get("X-Amz-Security-Token") or _first(query.get("X-Amz-Security-Token"))
    return (key or None), (token or None)


@lru_cache(maxsize=64)
def protocol(boto3_service: str) -> str:
    """The service's wire protocol from botocore's model (``query``, ``ec2``, ``rest-xml``, ``json`` …)."""
    try:
        from moto.core.responses import get_service_model

        return str(get_service_model(boto3_service).metadata.get("protocol", "query"))
    except Exception:  # noqa: BLE001 - an unknown service: answer in the query shape
        return "query"


class KitError(Exception):
    """An AWS error answer: code, message, HTTP status (raised by the kit's checks and handlers)."""

    def __init__(self, code: str, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def error_body(proto: str, err: KitError, request_id: str, service: str = "") -> tuple[str, str]:
    """(body, content type) of ``err`` in the service's protocol."""
    code, msg = escape(err.code), escape(err.message)
    if proto == "ec2":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>'
                f"{code}</Code><Message>{msg}</Message></Error></Errors><RequestID>{request_id}</RequestID>"
                "</Response>", "text/xml;charset=UTF-8")
    if proto == "rest-xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{code}</Code><Message>{msg}</Message><RequestId>{request_id}</RequestId></Error>",
                "application/xml")
    if proto.startswith("json") or proto.startswith("rest-json") or "cbor" in proto:
        import json

        return json.dumps({"__type": err.code, "message": err.message}), "application/x-amz-json-1.1"
    ns = {"iam": ' xmlns="https://iam.amazonaws.com/doc/2010-05-08/"',
          "sts": ' xmlns="https://sts.amazonaws.com/doc/2011-06-15/"'}.get(service, "")
    return (f"<ErrorResponse{ns}><Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>", "text/xml")


def error_response(proto: str, err: KitError, service: str = "") -> tuple[int, dict[str, str], str]:
    """moto's (status, headers, body) for ``err``."""
    rid = str(uuid.uuid4())
    body, ctype = error_body(proto, err, rid, service)
    return err.status, {"Content-Type": ctype, "x-amzn-RequestId": rid, "x-amzn-ErrorType": err.code,
                        "server": "amazon.com"}, body


class KitHTTPError(HTTPException):
    """``err`` as an exception moto's S3 code and moto's server both turn into the HTTP answer."""

    def __init__(self, proto: str, err: KitError, service: str = "") -> None:
        super().__init__()
        self.code = err.status
        self._status, self._headers, self._body = error_response(proto, err, service)
        self.description = self._body

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return list(self._headers.items())

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        return self._body
