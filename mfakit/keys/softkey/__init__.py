"""A software CTAP2 authenticator for demos and tests (never presented as a real key).

``SoftKey`` is a ``fido2.ctap.CtapDevice``; ``state`` saves and loads a demo state file.
"""

from mfakit.keys.softkey.authenticator import (
    SOFTKEY_AAGUID,
    SOFTKEY_NAME,
    SOFTKEY_PATH,
    KeyUnpluggedError,
    SoftKey,
)

__all__ = ["SOFTKEY_AAGUID", "SOFTKEY_NAME", "SOFTKEY_PATH", "KeyUnpluggedError", "SoftKey"]
