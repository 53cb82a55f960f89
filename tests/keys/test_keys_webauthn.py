"""Registration and sign-in through fido2's Fido2Client and Fido2Server on the software key."""

from __future__ import annotations

import pytest
from fido2.attestation import PackedAttestation
from fido2.client import ClientError, DefaultClientDataCollector, Fido2Client, UserInteraction
from fido2.ctap import CtapError
from fido2.ctap2 import Ctap2
from fido2.server import Fido2Server
from fido2.webauthn import (
    AttestationConveyancePreference,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)
from keys_support import TEST_PIN, softkey

from mfakit.keys.aaguids import SOFTKEY_AAGUID
from mfakit.keys.softkey import KeyUnpluggedError
from mfakit.keys.webauthn_demo import DEMO_ORIGIN, DEMO_RP_ID, run_demo

RP = PublicKeyCredentialRpEntity(id=DEMO_RP_ID, name="Test RP")


class Pin(UserInteraction):
    def __init__(self, pin: str | None = TEST_PIN) -> None:
        self.pin, self.asked, self.touches = pin, 0, 0

    def request_pin(self, permissions, rp_id):  # type: ignore[no-untyped-def]
        self.asked += 1
        return self.pin

    def prompt_up(self) -> None:
        self.touches += 1


def _client(key, ui=None):  # type: ignore[no-untyped-def]
    return Fido2Client(key, DefaultClientDataCollector(DEMO_ORIGIN), ui or Pin())


def _user(name: str = "alice") -> PublicKeyCredentialUserEntity:
    return PublicKeyCredentialUserEntity(id=name.encode(), name=name, display_name=name.title())


def _register(server, client, rk, uv, user=None, exclude=None):  # type: ignore[no-untyped-def]
    opts, state = server.register_begin(user or _user(), exclude, resident_key_requirement=rk,
                                        user_verification=uv, extensions={"credProps": True})
    resp = client.make_credential(opts.public_key)
    return resp, server.register_complete(state, resp)


def test_passkey_registration_verified_attestation_and_usernameless_sign_in() -> None:
    key = softkey()
    seen = {}

    def verify(att_obj, client_data_hash):  # type: ignore[no-untyped-def]
        seen["result"] = PackedAttestation().verify(att_obj.att_stmt, att_obj.auth_data, client_data_hash)

    server = Fido2Server(RP, attestation=AttestationConveyancePreference.DIRECT, verify_attestation=verify)
    ui = Pin()
    client = _client(key, ui)
    resp, auth_data = _register(server, client, ResidentKeyRequirement.REQUIRED, UserVerificationRequirement.REQUIRED)
    assert resp.response.attestation_object.fmt == "packed"
    assert seen["result"].attestation_type.name == "SELF"
    assert str(auth_data.credential_data.aaguid) == SOFTKEY_AAGUID
    assert auth_data.is_user_verified() and auth_data.is_user_present()
    assert resp.client_extension_results["credProps"]["rk"] is True
    assert ui.asked == 1 and ui.touches == 1
    # tampering with the signed data makes the attestation fail
    bad = bytearray(resp.response.attestation_object.auth_data)
    bad[-1] ^= 1
    with pytest.raises(Exception):
        PackedAttestation().verify(resp.response.attestation_object.att_stmt, bytes(bad), resp.response.client_data.hash)
    opts, state = server.authenticate_begin(user_verification=UserVerificationRequirement.REQUIRED)
    selection = client.get_assertion(opts.public_key)
    answer = selection.get_response(0)
    assert answer.response.user_handle == b"alice"
    cred = server.authenticate_complete(state, [auth_data.credential_data], answer)
    assert cred.credential_id == auth_data.credential_data.credential_id
    assert answer.response.authenticator_data.counter > auth_data.counter


def test_second_factor_is_not_discoverable_and_needs_allow_list() -> None:
    key = softkey()
    server = Fido2Server(RP)
    client = _client(key, Pin(None))  # no PIN needed for a second factor (makeCredUvNotRqd)
    resp, auth_data = _register(server, client, ResidentKeyRequirement.DISCOURAGED,
                                UserVerificationRequirement.DISCOURAGED)
    assert resp.client_extension_results["credProps"]["rk"] is False
    assert not auth_data.is_user_verified()
    assert key.store.resident == []  # nothing stored: the credential id is a wrapped key handle
    opts, state = server.authenticate_begin([auth_data.credential_data],
                                            user_verification=UserVerificationRequirement.DISCOURAGED)
    answer = client.get_assertion(opts.public_key).get_response(0)
    server.authenticate_complete(state, [auth_data.credential_data], answer)
    assert answer.response.user_handle is None
    # without an allow list the key has nothing to offer
    opts, _ = server.authenticate_begin(user_verification=UserVerificationRequirement.DISCOURAGED)
    with pytest.raises(ClientError) as exc:
        client.get_assertion(opts.public_key)
    assert exc.value.code == ClientError.ERR.DEVICE_INELIGIBLE
    # a wrapped key handle is bound to its RP: another RP cannot use it
    other = Fido2Server(PublicKeyCredentialRpEntity(id="mfakit.local", name="x"))
    opts, _ = other.authenticate_begin([auth_data.credential_data])
    with pytest.raises(ClientError):
        Fido2Client(key, DefaultClientDataCollector("https://mfakit.local"), Pin()).get_assertion(opts.public_key)


def test_pin_less_key_preferred_uv_fails_discouraged_works() -> None:
    key = softkey(None)
    server = Fido2Server(RP)
    client = _client(key, Pin(None))
    with pytest.raises(ClientError) as exc:
        _register(server, client, ResidentKeyRequirement.REQUIRED, UserVerificationRequirement.PREFERRED)
    assert exc.value.code == ClientError.ERR.CONFIGURATION_UNSUPPORTED
    resp, auth_data = _register(server, client, ResidentKeyRequirement.REQUIRED,
                                UserVerificationRequirement.DISCOURAGED)
    assert resp.client_extension_results["credProps"]["rk"] is True and not auth_data.is_user_verified()


def test_exclude_list_refuses_a_second_registration_on_the_same_key() -> None:
    key = softkey()
    server = Fido2Server(RP)
    client = _client(key)
    _, first = _register(server, client, ResidentKeyRequirement.DISCOURAGED, UserVerificationRequirement.DISCOURAGED)
    with pytest.raises(ClientError) as exc:
        _register(server, client, ResidentKeyRequirement.DISCOURAGED, UserVerificationRequirement.DISCOURAGED,
                  exclude=[first.credential_data])
    assert exc.value.code == ClientError.ERR.DEVICE_INELIGIBLE


def test_several_passkeys_for_one_site_come_back_with_get_next_assertion() -> None:
    key = softkey()
    server = Fido2Server(RP)
    client = _client(key)
    creds = [_register(server, client, ResidentKeyRequirement.REQUIRED, UserVerificationRequirement.REQUIRED,
                       user=_user(n))[1].credential_data for n in ("alice", "bob", "carol")]
    opts, state = server.authenticate_begin(user_verification=UserVerificationRequirement.REQUIRED)
    selection = client.get_assertion(opts.public_key)
    assertions = selection.get_assertions()
    assert len(assertions) == 3
    assert {a.user["name"] for a in assertions} == {"alice", "bob", "carol"}  # names only after UV
    server.authenticate_complete(state, creds, selection.get_response(2))


def test_refused_touch_and_unplug() -> None:
    key = softkey()
    server = Fido2Server(RP)
    client = _client(key)
    key.touch = "refuse"
    with pytest.raises(ClientError) as exc:
        _register(server, client, ResidentKeyRequirement.DISCOURAGED, UserVerificationRequirement.DISCOURAGED)
    assert isinstance(exc.value.cause, CtapError) and exc.value.cause.code == CtapError.ERR.OPERATION_DENIED
    key.touch = "timeout"
    with pytest.raises(ClientError) as exc:
        _register(server, client, ResidentKeyRequirement.DISCOURAGED, UserVerificationRequirement.DISCOURAGED)
    assert exc.value.code == ClientError.ERR.TIMEOUT
    key.touch = "accept"
    key.unplug()
    with pytest.raises(KeyUnpluggedError):
        Ctap2(key)
    key.plug_in()
    assert Ctap2(key).info.aaguid


def test_preflight_up_false_gives_no_up_flag() -> None:
    key = softkey()
    cred = key.store.new(DEMO_RP_ID, False)
    ctap = Ctap2(key)
    before = key.touch_requests
    a = ctap.get_assertion(DEMO_RP_ID, b"\0" * 32, [cred.descriptor()], options={"up": False})
    assert not a.auth_data.is_user_present() and key.touch_requests == before
    a.verify(b"\0" * 32, cred.cose_public_key())


def test_demo_on_software_key_reports_what_a_site_sees() -> None:
    key = softkey()
    result = run_demo(key, lambda: TEST_PIN)
    assert result.ok and result.software
    passkey, second = result.ceremonies
    assert passkey.discoverable is True and second.discoverable is False
    assert passkey.flags == {"UP": True, "UV": True, "BE": False, "BS": False}
    assert second.flags["UV"] is False
    assert passkey.attestation_format == "packed" and passkey.attestation_type == "self"
    assert passkey.attestation_verified and second.attestation_verified
    assert second.sign_count > passkey.sign_count > passkey.registration_sign_count


def test_demo_on_pin_less_key_uses_discouraged_and_wrong_pin_aborts() -> None:
    from mfakit.keys.passkeys import PinError

    result = run_demo(softkey(None))
    assert result.ok and result.ceremonies[0].user_verification == "discouraged"
    assert any("no PIN" in n for n in result.notes)
    key = softkey()
    calls = []
    with pytest.raises(PinError) as exc:
        run_demo(key, lambda: calls.append(1) or "wrong-pin-00")
    assert exc.value.code == "PIN_INVALID" and len(calls) == 1  # never retried
    assert key.pin_state.retries == 7


def test_demo_touch_refused_is_reported_not_raised() -> None:
    key = softkey()
    key.touch = "refuse"
    result = run_demo(key, lambda: TEST_PIN)
    assert not result.ok
    assert result.ceremonies[0].registered is False and "refused" in result.ceremonies[0].error
