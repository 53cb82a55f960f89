"""An environment in which boto3 can only ever see fake credentials (never a real ``~/.aws`` profile)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

#: Variables that could lead boto3 to real credentials or a real endpoint; cleared inside the embedded AWS.
_CLEARED = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_EC2", "AWS_CA_BUNDLE",
)

ADMIN_KEY_ID = "MFAKITEMBEDDEDADMIN0"  # deliberately not AKIA-shaped: never mistaken for a real key
ADMIN_SECRET = "mfakit-embedded-fake-admin-secret"  # not a secret: the embedded AWS's fixed fake admin key


@contextmanager
def isolated_env(region: str) -> Iterator[None]:
    """Point every credential/config source at nothing, set fake admin keys, restore everything after."""
    wanted = {
        "AWS_ACCESS_KEY_ID": ADMIN_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": ADMIN_SECRET,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
        "MOTO_ALLOW_NONEXISTENT_REGION": "false",
        "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",  # the walkthrough needs no AMIs; saves ~0.5 s
    }
    saved = {k: os.environ.get(k) for k in (*wanted, *_CLEARED)}
    try:
        for k in _CLEARED:
            os.environ.pop(k, None)
        os.environ.update(wanted)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
