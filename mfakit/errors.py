"""The kit's own error type: every problem a user can cause is reported as one line naming the file."""

from __future__ import annotations

from pathlib import Path


class MfakitError(Exception):
    """A user-facing error. ``str(err)`` is one line: ``FILE[:LINE]: what is wrong``.

    The message must never contain a secret (TOTP seed, AWS key, PIN, password).
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        self.message = " ".join(str(message).split())  # always one line
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class InventoryError(MfakitError):
    """The inventory file is missing, malformed or fails validation."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None,
                 problems: list[str] | None = None) -> None:
        super().__init__(message, path, line)
        self.problems = problems or [self.one_line()]


class CatalogError(MfakitError):
    """A catalog file (curated or public API dump) cannot be read."""


class ImportFormatError(MfakitError):
    """An authenticator export cannot be read (bad format, wrong password, corrupt data)."""


class PolicyError(MfakitError):
    """An IAM policy is malformed or uses something IAM would refuse."""


class KeyDeviceError(MfakitError):
    """A security key cannot be reached or refused an operation."""


class AwsError(MfakitError):
    """An AWS step failed or was refused by a guard rail."""


class ReadOnlyExampleError(MfakitError):
    """A write fell back to the bundled example inventory, which is read-only (run ``mfakit init``)."""


class RecordRefused(MfakitError):
    """A recorded change would remove a factor the service requires, or an account's last second factor."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None,
                 reasons: list[str] | None = None) -> None:
        super().__init__(message, path, line)
        self.reasons = reasons or [self.message]
