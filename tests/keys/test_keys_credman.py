"""Credential management (standard and 2.1-preview command) and the state file."""

from __future__ import annotations

import json

import pytest
from fido2.ctap import CtapError
from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement
from keys_support import TEST_PIN, softkey

from mfakit.errors import KeyDeviceError
from mfakit.keys.passkeys import delete_passkey, list_passkeys
from mfakit.keys.softkey.state import DEMO_PASSKEYS, DEMO_PIN, demo_softkey, load_state, save_state

R = CredentialManagement.RESULT


def _add(key, rp_id: str, user: str) -> None:  # type: ignore[no-untyped-def]
    key.store.new(rp_id, True, rp_id.split(".")[0].title(), {"id": user.encode(), "name": user,
                                                              "displayName": user})


@pytest.mark.parametrize("preview", [False, True])
def test_list_update_delete(preview: bool) -> None:
    key = softkey(preview=preview)
    for rp, user in [("example.com", "a"), ("example.com", "b"), ("github.com", "c")]:
        _add(key, rp, user)
    ctap = Ctap2(key)
    assert ("credMgmt" in ctap.info.options) is (not preview)
    cp = ClientPin(ctap)
    token = cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    cm = CredentialManagement(ctap, cp.protocol, token)
    assert cm.get_metadata() == {R.EXISTING_CRED_COUNT: 3, R.MAX_REMAINING_COUNT: 22}
    rps = cm.enumerate_rps()
    assert [r[R.RP]["id"] for r in rps] == ["example.com", "github.com"]
    creds = cm.enumerate_creds(rps[0][R.RP_ID_HASH])
    assert [c[R.USER]["name"] for c in creds] == ["a", "b"]
    if not preview:
        cm.update_user_info(creds[0][R.CREDENTIAL_ID], {"id": b"a", "name": "a-renamed", "displayName": "A"})
        assert cm.enumerate_creds(rps[0][R.RP_ID_HASH])[0][R.USER]["name"] == "a-renamed"
    cm.delete_cred(creds[1][R.CREDENTIAL_ID])
    assert cm.get_metadata()[R.EXISTING_CRED_COUNT] == 2
    with pytest.raises(CtapError) as exc:
        cm.delete_cred(creds[1][R.CREDENTIAL_ID])
    assert exc.value.code == CtapError.ERR.NO_CREDENTIALS


def test_empty_key_lists_nothing_and_next_without_begin_is_refused() -> None:
    key = softkey()
    ctap = Ctap2(key)
    cp = ClientPin(ctap)
    cm = CredentialManagement(ctap, cp.protocol, cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.CREDENTIAL_MGMT))
    assert cm.enumerate_rps() == []
    with pytest.raises(CtapError) as exc:
        cm.enumerate_rps_next()
    assert exc.value.code == CtapError.ERR.NOT_ALLOWED


def test_library_list_and_delete_by_id() -> None:
    key = demo_softkey()
    report = list_passkeys(key, DEMO_PIN)
    assert report.used == len(DEMO_PASSKEYS) and report.free == 25 - len(DEMO_PASSKEYS)
    assert {p.rp_id for p in report.passkeys} == {rp for rp, *_ in DEMO_PASSKEYS}
    gh = next(p for p in report.passkeys if p.rp_id == "github.com")
    delete_passkey(key, DEMO_PIN, gh.credential_id)
    assert "github.com" not in {p.rp_id for p in list_passkeys(key, DEMO_PIN).passkeys}
    with pytest.raises(KeyDeviceError, match="no such passkey"):
        delete_passkey(key, DEMO_PIN, gh.credential_id)


def test_key_store_full() -> None:
    key = softkey()
    key.store.max_discoverable = 1
    _add(key, "example.com", "a")
    with pytest.raises(OverflowError):
        _add(key, "example.com", "b")
    _add(key, "example.com", "a")  # same RP + user replaces: no new slot needed
    assert len(key.store.resident) == 1


def test_state_file_round_trip_keeps_pin_hash_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "softkey.json"
    key = softkey()
    _add(key, "example.com", "a")
    key.pin_state.retries = 6
    save_state(key, path)
    text = path.read_text()
    assert TEST_PIN not in text and TEST_PIN.encode().hex() not in text
    assert (path.stat().st_mode & 0o777) == 0o600
    again = load_state(path)
    assert again.pin_state.retries == 6
    assert [p.user_name for p in list_passkeys(again, TEST_PIN).passkeys] == ["a"]
    path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(KeyDeviceError, match="not an mfakit software-key state file"):
        load_state(path)
    path.write_text("{broken")
    with pytest.raises(KeyDeviceError, match="cannot read"):
        load_state(path)
