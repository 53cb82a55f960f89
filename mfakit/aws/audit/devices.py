"""MFA device type from its serial number (IAM User Guide; Prowler uses the same rules)."""

from __future__ import annotations

DEVICE_TYPES = ("virtual", "security_key", "hardware", "sms")
LABELS = {"virtual": "virtual (authenticator app)", "security_key": "security key / passkey (FIDO)",
          "hardware": "hardware TOTP token", "sms": "SMS (legacy)"}


def device_type(serial: str) -> str:
    """``arn:...:mfa/NAME`` virtual; ``arn:...:u2f/...`` FIDO security key; ``arn:...:sms-mfa/...`` SMS;
    a serial that is not an ARN: a hardware TOTP token."""
    if not serial.startswith("arn:"):
        return "hardware"
    resource = serial.split(":", 5)[-1]
    if resource.startswith("u2f/"):
        return "security_key"
    if resource.startswith("sms-mfa/"):
        return "sms"
    return "virtual"
