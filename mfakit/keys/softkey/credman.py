"""The authenticator side of authenticatorCredentialManagement (0x0A, and the 2.1-preview 0x41)."""

from __future__ import annotations

import struct
from typing import Any, Iterator, Mapping

from fido2 import cbor
from fido2.ctap import CtapError
from fido2.ctap2.credman import CredentialManagement
from fido2.ctap2.pin import ClientPin

from mfakit.keys.softkey.credentials import Credential, CredentialStore, rp_hash
from mfakit.keys.softkey.pin import ClientPinHandler

ERR = CtapError.ERR
SUB = CredentialManagement.CMD
RES = CredentialManagement.RESULT
PARAM = CredentialManagement.PARAM


class CredManHandler:
    """Metadata, RP and credential enumeration (begin/next), delete, update user info."""

    def __init__(self, store: CredentialStore, pin: ClientPinHandler) -> None:
        self.store = store
        self.pin = pin
        self._rps: Iterator[dict[int, Any]] | None = None
        self._creds: Iterator[dict[int, Any]] | None = None

    def interrupt(self) -> None:
        """Any other command ends an enumeration in progress."""
        self._rps = self._creds = None

    def _auth(self, sub: int, params: Mapping[int, Any] | None, req: Mapping[int, Any]) -> None:
        if not self.pin.state.is_set:
            raise CtapError(ERR.PUAT_REQUIRED)
        if req.get(4) is None:
            raise CtapError(ERR.PUAT_REQUIRED)
        msg = struct.pack(">B", sub) + (cbor.encode(dict(params)) if params is not None else b"")
        self.pin.check_token(req.get(3), msg, req.get(4), ClientPin.PERMISSION.CREDENTIAL_MGMT)
        tok = self.pin.state.token
        if tok is not None and tok.rp_id is not None:
            raise CtapError(ERR.PIN_AUTH_INVALID)  # a token bound to one RP may not list every passkey

    def handle(self, req: Mapping[int, Any]) -> dict[int, Any]:
        sub = req.get(1)
        params = req.get(2)
        if sub == SUB.ENUMERATE_RPS_NEXT:
            return self._next("_rps")
        if sub == SUB.ENUMERATE_CREDS_NEXT:
            return self._next("_creds")
        self.interrupt()
        if sub not in set(SUB):
            raise CtapError(ERR.INVALID_SUBCOMMAND)
        self._auth(int(sub), params, req)
        if sub == SUB.GET_CREDS_METADATA:
            return {RES.EXISTING_CRED_COUNT: len(self.store.resident),
                    RES.MAX_REMAINING_COUNT: self.store.max_discoverable - len(self.store.resident)}
        if sub == SUB.ENUMERATE_RPS_BEGIN:
            return self._rps_begin()
        if sub == SUB.ENUMERATE_CREDS_BEGIN:
            return self._creds_begin(params)
        if sub == SUB.DELETE_CREDENTIAL:
            cred = self._find(params)
            self.store.delete(cred.cred_id)
            return {}
        if sub == SUB.UPDATE_USER_INFO:
            return self._update(params)
        raise CtapError(ERR.INVALID_SUBCOMMAND)

    def _next(self, attr: str) -> dict[int, Any]:
        it = getattr(self, attr)
        try:
            if it is None:
                raise StopIteration
            return next(it)
        except StopIteration:
            setattr(self, attr, None)
            raise CtapError(ERR.NOT_ALLOWED) from None

    def _rps_begin(self) -> dict[int, Any]:
        rp_ids = self.store.rp_ids()
        if not rp_ids:
            raise CtapError(ERR.NO_CREDENTIALS)
        items = []
        for rp_id in rp_ids:
            name = next((c.rp_name for c in self.store.discoverable_for(rp_id) if c.rp_name), None)
            rp = {"id": rp_id, **({"name": name} if name else {})}
            items.append({RES.RP: rp, RES.RP_ID_HASH: rp_hash(rp_id)})
        items[0][RES.TOTAL_RPS] = len(items)
        self._rps = iter(items[1:])
        return items[0]

    @staticmethod
    def _cred_result(c: Credential) -> dict[int, Any]:
        return {RES.USER: dict(c.user), RES.CREDENTIAL_ID: c.descriptor(),
                RES.PUBLIC_KEY: dict(c.cose_public_key()), RES.CRED_PROTECT: 1}

    def _creds_begin(self, params: Mapping[int, Any] | None) -> dict[int, Any]:
        if not params or PARAM.RP_ID_HASH not in params:
            raise CtapError(ERR.MISSING_PARAMETER)
        wanted = bytes(params[PARAM.RP_ID_HASH])
        creds = [c for c in sorted(self.store.resident, key=lambda c: c.created) if rp_hash(c.rp_id) == wanted]
        if not creds:
            raise CtapError(ERR.NO_CREDENTIALS)
        items = [self._cred_result(c) for c in creds]
        items[0][RES.TOTAL_CREDENTIALS] = len(items)
        self._creds = iter(items[1:])
        return items[0]

    def _find(self, params: Mapping[int, Any] | None) -> Credential:
        if not params or PARAM.CREDENTIAL_ID not in params:
            raise CtapError(ERR.MISSING_PARAMETER)
        cred_id = bytes(params[PARAM.CREDENTIAL_ID].get("id", b""))
        for c in self.store.resident:
            if c.cred_id == cred_id:
                return c
        raise CtapError(ERR.NO_CREDENTIALS)

    def _update(self, params: Mapping[int, Any] | None) -> dict[int, Any]:
        cred = self._find(params)
        user = (params or {}).get(PARAM.USER)
        if not user:
            raise CtapError(ERR.MISSING_PARAMETER)
        if bytes(user.get("id", b"")) != cred.user.get("id"):
            raise CtapError(ERR.INVALID_PARAMETER)
        cred.user = {k: v for k, v in user.items() if k in ("id", "name", "displayName")}
        return {}
