"""mfakit: move accounts off a phone authenticator app onto FIDO2 keys, track it, enforce MFA on AWS."""

__version__ = "0.1.0"
