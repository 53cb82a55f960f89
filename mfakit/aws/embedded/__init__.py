"""The embedded AWS: moto holds the state; the kit adds enforcement, MFA session credentials, TOTP checks,
ChangePassword, the policy simulator and a console model. Importing this package does not import moto.

>>> from mfakit.aws.embedded import embedded
>>> with embedded() as aws:          # doctest: +SKIP
...     aws.admin.client("iam").list_users()
"""

from __future__ import annotations

from mfakit.aws.embedded.aws import ACCOUNT_ID, REGION, EmbeddedAWS, embedded

__all__ = ["embedded", "EmbeddedAWS", "ACCOUNT_ID", "REGION"]
