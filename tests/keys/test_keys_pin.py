"""The whole PIN story on the software key, through fido2's own ClientPin (protocols 1 and 2)."""

from __future__ import annotations

import pytest
from fido2.ctap import CtapError
from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement
from keys_support import TEST_PIN, WRONG_PIN, client_pin, softkey

from mfakit.keys.passkeys import PinError, check_can_ask, list_passkeys, pin_status
from mfakit.keys.softkey import SoftKey

ERR = CtapError.ERR


@pytest.mark.parametrize("proto", [1, 2])
def test_set_pin_then_token_and_retries(proto: int) -> None:
    key = softkey(None)
    cp = client_pin(key, proto)
    assert Ctap2(key).info.options["clientPin"] is False
    cp.set_pin(TEST_PIN)
    cp = client_pin(key, proto)  # fresh info: the PIN is now set
    assert Ctap2(key).info.options["clientPin"] is True
    assert cp.get_pin_retries() == (8, False)
    token = cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    assert len(token) == 32
    with pytest.raises(CtapError) as exc:
        cp.set_pin("another-pin")  # set only works when no PIN is set
    assert exc.value.code == ERR.NOT_ALLOWED


@pytest.mark.parametrize("proto", [1, 2])
def test_wrong_pin_decrements_then_soft_block_then_replug_then_hard_block(proto: int) -> None:
    key = softkey(protocol=proto)
    cp = client_pin(key, proto)
    for expected in (7, 6):
        with pytest.raises(CtapError) as exc:
            cp.get_pin_token(WRONG_PIN)
        assert exc.value.code == ERR.PIN_INVALID
        assert cp.get_pin_retries() == (expected, False)
    with pytest.raises(CtapError) as exc:
        cp.get_pin_token(WRONG_PIN)  # third wrong in a row
    assert exc.value.code == ERR.PIN_AUTH_BLOCKED
    assert cp.get_pin_retries() == (5, True)
    with pytest.raises(CtapError) as exc:
        cp.get_pin_token(TEST_PIN)  # even the right PIN is refused until a replug, and costs nothing
    assert exc.value.code == ERR.PIN_AUTH_BLOCKED
    assert cp.get_pin_retries()[0] == 5
    key.replug()
    cp = client_pin(key, proto)
    assert cp.get_pin_retries() == (5, False)
    cp.get_pin_token(TEST_PIN)  # the right PIN restores all retries
    assert cp.get_pin_retries() == (8, False)
    codes = []
    for i in range(8):
        if i and i % 3 == 0:
            key.replug()
            cp = client_pin(key, proto)
        with pytest.raises(CtapError) as exc:
            cp.get_pin_token(WRONG_PIN)
        codes.append(exc.value.code)
    assert codes[-1] == ERR.PIN_BLOCKED
    assert codes[:2] == [ERR.PIN_INVALID, ERR.PIN_INVALID] and codes[2] == ERR.PIN_AUTH_BLOCKED
    key.replug()
    cp = client_pin(key, proto)
    assert cp.get_pin_retries()[0] == 0
    with pytest.raises(CtapError) as exc:
        cp.get_pin_token(TEST_PIN)  # blocked for good: only a reset helps
    assert exc.value.code == ERR.PIN_BLOCKED


def test_change_pin_checks_the_old_one() -> None:
    key = softkey()
    cp = client_pin(key)
    with pytest.raises(CtapError) as exc:
        cp.change_pin(WRONG_PIN, "new-pin-42")
    assert exc.value.code == ERR.PIN_INVALID
    assert cp.get_pin_retries()[0] == 7
    cp.change_pin(TEST_PIN, "new-pin-42")
    assert cp.get_pin_retries()[0] == 8
    cp.get_pin_token("new-pin-42")
    with pytest.raises(CtapError):
        cp.get_pin_token(TEST_PIN)


def test_pin_too_short_violates_policy() -> None:
    from fido2.ctap2.pin import _pad_pin

    key = softkey(None)
    cp = client_pin(key)
    # The client refuses < 4 characters itself; bypass it to check the key's own rule (min 4 code points).
    key_agreement, shared = cp._get_shared_secret()
    padded = b"12".ljust(64, b"\0")
    enc = cp.protocol.encrypt(shared, padded)
    with pytest.raises(CtapError) as exc:
        cp.ctap.client_pin(cp.protocol.VERSION, ClientPin.CMD.SET_PIN, key_agreement=key_agreement,
                           new_pin_enc=enc, pin_uv_param=cp.protocol.authenticate(shared, enc))
    assert exc.value.code == ERR.PIN_POLICY_VIOLATION
    assert len(_pad_pin("1234")) == 64


def test_pin_not_set_and_no_token() -> None:
    key = softkey(None)
    status = pin_status(key)
    assert status.supported and not status.is_set
    with pytest.raises(PinError) as exc:
        check_can_ask(status)
    assert exc.value.code == "PIN_NOT_SET"
    cp = client_pin(key)
    assert cp.get_pin_retries() == (8, False)
    with pytest.raises(CtapError) as cexc:
        cp.get_pin_token(TEST_PIN)
    assert cexc.value.code == ERR.PIN_NOT_SET


def test_tokens_are_permission_scoped() -> None:
    key = softkey()
    ctap = Ctap2(key)
    cp = ClientPin(ctap)
    mc_only = cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.MAKE_CREDENTIAL, "example.com")
    with pytest.raises(CtapError) as exc:
        CredentialManagement(ctap, cp.protocol, mc_only).get_metadata()
    assert exc.value.code == ERR.PIN_AUTH_INVALID
    with pytest.raises(CtapError) as exc:
        cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.BIO_ENROLL)
    assert exc.value.code == ERR.UNAUTHORIZED_PERMISSION
    with pytest.raises(CtapError) as exc:
        cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.GET_ASSERTION)  # mc/ga need an RP id
    assert exc.value.code == ERR.MISSING_PARAMETER
    cm_token = cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    assert CredentialManagement(ctap, cp.protocol, cm_token).get_metadata()[1] == 0
    # a new token replaces the old one
    cp.get_pin_token(TEST_PIN, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    with pytest.raises(CtapError) as exc:
        CredentialManagement(ctap, cp.protocol, cm_token).get_metadata()
    assert exc.value.code == ERR.PIN_AUTH_INVALID


def test_list_passkeys_explains_wrong_pin_in_plain_words_without_the_pin() -> None:
    key = softkey()
    with pytest.raises(PinError) as exc:
        list_passkeys(key, WRONG_PIN)
    assert exc.value.code == "PIN_INVALID" and exc.value.retries == 7
    assert "7 tries left" in str(exc.value) and "does not try again" in str(exc.value)
    for _ in range(2):
        with pytest.raises(PinError) as exc:
            list_passkeys(key, WRONG_PIN)
    assert exc.value.code == "PIN_AUTH_BLOCKED" and "UNPLUG" in str(exc.value)
    assert WRONG_PIN not in str(exc.value) and TEST_PIN not in str(exc.value)
    status = pin_status(key)
    assert status.replug_needed and status.retries == 5
    with pytest.raises(PinError):
        check_can_ask(status)  # refused before even asking


def test_blocked_pin_message_says_reset_erases_passkeys() -> None:
    key = softkey()
    key.pin_state.retries = 1
    with pytest.raises(PinError) as exc:
        list_passkeys(key, WRONG_PIN)
    assert exc.value.code == "PIN_BLOCKED"
    assert "reset" in str(exc.value) and "ERASES EVERY PASSKEY" in str(exc.value)
    assert pin_status(key).low


def test_reset_needs_touch_and_fresh_power_up_and_clears_everything() -> None:
    now = [0.0]
    key = SoftKey(clock=lambda: now[0])
    client_pin(key).set_pin(TEST_PIN)
    key.store.new("example.com", True, "Ex", {"id": b"u", "name": "u"})
    now[0] = 60.0
    with pytest.raises(CtapError) as exc:
        Ctap2(key).reset()
    assert exc.value.code == ERR.NOT_ALLOWED  # only within 10 s of plugging in
    key.replug()
    key.touch = "refuse"
    with pytest.raises(CtapError) as exc:
        Ctap2(key).reset()
    assert exc.value.code == ERR.OPERATION_DENIED
    key.touch = "accept"
    Ctap2(key).reset()
    info = Ctap2(key).info
    assert info.options["clientPin"] is False and info.remaining_disc_creds == 25
    assert key.store.resident == []
