"""Step results of the walkthrough, and the runner that turns one boto3 call into a plain result.

A step's ``decision`` is what AWS (embedded or live) actually answered: ``allowed`` for success,
``explicitDeny`` / ``implicitDeny`` read from an AccessDenied message, else the error code
(``EntityAlreadyExists``, ``AccessDenied`` for a refused MFA code ...). The ``reason`` comes from the kit's
evaluator run on the same policies and request context, so a table can say *why*.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

DENY_CODES = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation")


@dataclass
class StepResult:
    """One row of the walkthrough table."""

    step: int
    name: str
    title: str
    principal: str
    action: str
    call: str
    mfa: str  # aws:MultiFactorAuthPresent in the request: absent | false | true | - (administrator)
    expected: str
    decision: str = ""
    reason: str = ""
    ok: bool = False
    console: bool = False  # a console step (modelled on the embedded AWS, guided on a real account)
    cli: str = ""  # the AWS CLI command(s) a person would type for this step (console steps: none)
    aws_error_code: str = ""  # AWS's own answer when the call failed (UnauthorizedOperation, AccessDenied ...)
    aws_error_message: str = ""  # ... and its message, verbatim, beside the kit's explanation (``reason``)
    explain: list[str] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)  # evaluator: each statement considered

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def aws_error(exc: Exception) -> tuple[str, str]:
    """(AWS error code, message) of a botocore ClientError; other exceptions propagate to the caller."""
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        raise exc
    err = exc.response.get("Error", {})
    return str(err.get("Code", "")), str(err.get("Message", ""))


def classify(exc: Exception) -> tuple[str, str]:
    """(decision, message) for a botocore ClientError; other exceptions propagate to the caller."""
    code, msg = aws_error(exc)
    if code in DENY_CODES and "is not authorized to perform" in msg:
        return ("explicitDeny" if "explicit deny" in msg else "implicitDeny"), msg
    return code, msg


def run_call(result: StepResult, fn: Callable[[], Any]) -> Any:
    """Run ``fn``; fill decision/ok; return its response (None when it failed)."""
    try:
        resp = fn()
    except Exception as exc:  # noqa: BLE001 - classify() re-raises anything that is not a ClientError
        result.decision, msg = classify(exc)
        result.aws_error_code, result.aws_error_message = aws_error(exc)
        if not result.reason or result.decision not in ("explicitDeny", "implicitDeny", "allowed"):
            result.reason = msg
        result.ok = result.decision == result.expected
        return None
    result.decision = "allowed"
    result.ok = result.expected == "allowed"
    return resp


def rows(results: list[StepResult]) -> list[dict[str, Any]]:
    """Plain dicts for JSON/DataFrames (explanations left out; see ``StepResult.explain``)."""
    keep = ("step", "name", "title", "principal", "action", "call", "mfa", "expected", "decision", "reason",
            "cli", "aws_error_code", "aws_error_message", "ok", "console")
    return [{k: getattr(r, k) for k in keep} for r in results]
