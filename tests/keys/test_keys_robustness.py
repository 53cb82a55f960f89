"""Hostile input: random CBOR commands to the software key, AAGUID text, state files."""

from __future__ import annotations

import json

import pytest
from fido2 import cbor
from fido2.hid import CTAPHID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keys_support import softkey

from mfakit.errors import KeyDeviceError
from mfakit.keys.aaguids import normalize_aaguid
from mfakit.keys.softkey.state import from_dict

_KEY = softkey()
cbor_values = st.recursive(
    st.none().map(lambda _: False) | st.booleans() | st.integers(-(2**31), 2**31) | st.binary(max_size=80)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.integers(-3, 12) | st.text(max_size=6), inner,
                                                                max_size=5),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cmd=st.sampled_from([1, 2, 4, 6, 7, 8, 0x0A, 0x0B, 0x41, 0x33]),
       params=st.dictionaries(st.integers(1, 10), cbor_values, max_size=6))
def test_any_cbor_command_gets_a_status_byte_never_a_crash(cmd: int, params: dict) -> None:
    _KEY.touch = "refuse"  # a random reset must not wipe the shared key
    reply = _KEY.call(CTAPHID.CBOR, bytes([cmd]) + cbor.encode(params))
    assert isinstance(reply, bytes) and len(reply) >= 1
    if reply[0] == 0 and len(reply) > 1:
        assert isinstance(cbor.decode(reply[1:]), dict)


@given(st.binary(max_size=64))
def test_garbage_payload_is_invalid_cbor_or_handled(data: bytes) -> None:
    reply = softkey(None).call(CTAPHID.CBOR, b"\x01" + data)
    assert len(reply) >= 1 and reply[0] != 0 or data == b""


@given(st.uuids())
def test_aaguid_round_trip(u) -> None:  # type: ignore[no-untyped-def]
    text = str(u)
    assert normalize_aaguid(text.upper()) == text
    assert normalize_aaguid(u.bytes) == text
    assert normalize_aaguid(text.replace("-", "")) == text


@given(st.text(max_size=40))
def test_aaguid_rejects_non_hex(text: str) -> None:
    h = text.strip().lower().replace("-", "").replace("{", "").replace("}", "")
    if len(h) == 32 and all(c in "0123456789abcdef" for c in h):
        return
    with pytest.raises(ValueError):
        normalize_aaguid(text)


@settings(max_examples=60)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=10))
def test_state_file_shapes_fail_with_one_clear_error(data) -> None:  # type: ignore[no-untyped-def]
    doc = {"format": "mfakit-softkey-state", "store": data} if isinstance(data, dict) else data
    with pytest.raises(KeyDeviceError):
        from_dict(json.loads(json.dumps(doc)))
