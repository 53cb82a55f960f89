"""What a failure while talking to a key means, in one line: unplugged, touch refused, no touch in time.

fido2 surfaces these as ``OSError`` (the HID device vanished), ``fido2.hid.ConnectionFailure`` (a broken
answer), ``CtapError`` (the key's status) or ``ClientError`` wrapping one of them.
"""

from __future__ import annotations

from typing import Any

UNPLUGGED = ("the key stopped answering (unplugged?): nothing more was done; plug it in and run the "
             "command again")
TOUCH = {
    "OPERATION_DENIED": ("touch_refused", "the touch was refused on the key: nothing was registered or signed"),
    "USER_ACTION_TIMEOUT": ("touch_timeout", "the key was not touched in time (it stopped waiting): run the "
                                             "command again and touch the key when it blinks"),
    "ACTION_TIMEOUT": ("touch_timeout", "the key was not touched in time: run the command again and touch "
                                        "the key when it blinks"),
    "KEEPALIVE_CANCEL": ("touch_cancelled", "no touch in time: the wait was cancelled; run the command again "
                                          "and touch the key when it blinks"),
}


def classify(exc: BaseException) -> tuple[str, str] | None:
    """``(kind, one-line message)`` for a transport or touch failure, else None.

    kinds: ``unplugged``, ``touch_refused``, ``touch_timeout`` (the key stopped waiting), ``touch_cancelled``
    (the client's timer cancelled the wait), ``key_error``.
    """
    from fido2.client import ClientError
    from fido2.ctap import CtapError
    from fido2.hid import ConnectionFailure

    cause: Any = exc
    if isinstance(exc, ClientError) and isinstance(exc.cause, BaseException):
        cause = exc.cause
    if isinstance(cause, (OSError, ConnectionFailure)):
        return "unplugged", UNPLUGGED
    if isinstance(cause, CtapError):
        name = getattr(cause.code, "name", str(cause.code))
        if name in TOUCH:
            return TOUCH[name]
        return "key_error", f"the key refused the request ({name})"
    return None
