"""Security keys: inspect CTAP2 keys, a software authenticator, a local WebAuthn ceremony, reconciliation.

Modules import ``fido2`` lazily where the CLI reaches them, so ``mfakit`` starts fast.
"""
