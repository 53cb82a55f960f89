"""An AWS error in live mode is one readable line: botocore fills an empty HTTP 500 body's error code with the
status itself ("500"), which must not be printed twice ("HTTP 500 500: Internal Server Error")."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from mfakit.aws.live import aws_errors
from mfakit.errors import MfakitError


def _raise(code: str, message: str, status: int) -> None:
    raise ClientError({"Error": {"Code": code, "Message": message},
                       "ResponseMetadata": {"HTTPStatusCode": status}}, "ListUsers")


def test_empty_500_body_names_the_status_once() -> None:
    with pytest.raises(MfakitError) as got:
        with aws_errors("profile p"):
            _raise("500", "Internal Server Error", 500)
    assert str(got.value) == "profile p: AWS answered HTTP 500: Internal Server Error"


def test_a_real_error_code_is_kept() -> None:
    with pytest.raises(MfakitError) as got:
        with aws_errors("profile p"):
            _raise("AccessDenied", "User: x is not authorized", 403)
    assert str(got.value) == "profile p: AWS answered HTTP 403 AccessDenied: User: x is not authorized"
