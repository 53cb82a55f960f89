"""CTAPHID as a real key speaks it: fido2's own ``CtapHidDevice`` over the emulated HID connection.

Covers: INIT and channel allocation, resync, init + continuation framing both ways, sequence errors, length
limits, unknown commands, channel busy, message timeout, KEEPALIVE (PROCESSING and UPNEEDED), CANCEL on a
client timeout, a refused touch, unplugging (during a touch, mid-message, while opening), and whole PIN,
credential-management and WebAuthn flows through the transport.
"""

from __future__ import annotations

import errno
import os
import struct
import time

import pytest
from fido2.client import ClientError, DefaultClientDataCollector, Fido2Client, UserInteraction
from fido2.ctap import STATUS, CtapError
from fido2.ctap2 import ClientPin, Ctap2
from fido2.hid import CTAPHID, CtapHidDevice
from fido2.server import Fido2Server
from fido2.webauthn import PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity, UserVerificationRequirement
from hypothesis import given, settings
from hypothesis import strategies as st
from keys_support import TEST_PIN, WRONG_PIN, softkey

from mfakit.keys.passkeys import list_passkeys
from mfakit.keys.softkey.hid import (
    BROADCAST_CID,
    MAX_MESSAGE,
    PACKET_SIZE,
    TYPE_INIT,
    EmulatedHidConnection,
    HidError,
    descriptor,
    emulated_device,
    wait_idle,
)
from mfakit.keys.webauthn_demo import DEMO_ORIGIN, DEMO_RP_ID, run_demo

KEEPALIVE = TYPE_INIT | CTAPHID.KEEPALIVE
ERROR = TYPE_INIT | CTAPHID.ERROR


# ---------------------------------------------------------------------------------------------- raw packets
def _pkt(cid: int, cmd: int, payload: bytes = b"", length: int | None = None) -> bytes:
    n = len(payload) if length is None else length
    return (struct.pack(">IBH", cid, TYPE_INIT | cmd, n) + payload).ljust(PACKET_SIZE, b"\0")


def _cont(cid: int, seq: int, payload: bytes = b"") -> bytes:
    return (struct.pack(">IB", cid, seq) + payload).ljust(PACKET_SIZE, b"\0")


def _send(conn: EmulatedHidConnection, cid: int, cmd: int, payload: bytes) -> None:
    """A whole message: init packet, then continuation packets."""
    conn.write_packet(_pkt(cid, cmd, payload[:57], length=len(payload)))
    for seq, i in enumerate(range(57, len(payload), 59)):
        conn.write_packet(_cont(cid, seq, payload[i:i + 59]))


def _read(conn: EmulatedHidConnection) -> tuple[int, int, bytes]:
    """One init packet from the device: (cid, cmd byte, payload of the first packet up to its length)."""
    p = conn.read_packet()
    cid, cmd, n = struct.unpack_from(">IBH", p)
    return cid, cmd, p[7:7 + n]


def _channel(conn: EmulatedHidConnection) -> int:
    nonce = os.urandom(8)
    conn.write_packet(_pkt(BROADCAST_CID, CTAPHID.INIT, nonce))
    cid, cmd, body = _read(conn)
    assert (cid, cmd, body[:8]) == (BROADCAST_CID, TYPE_INIT | CTAPHID.INIT, nonce)
    return struct.unpack_from(">I", body, 8)[0]


def test_init_allocates_distinct_channels_and_reports_version_and_capabilities() -> None:
    conn = EmulatedHidConnection(softkey())
    nonce = b"12345678"
    conn.write_packet(_pkt(BROADCAST_CID, CTAPHID.INIT, nonce))
    cid, cmd, body = _read(conn)
    assert cid == BROADCAST_CID and cmd == TYPE_INIT | CTAPHID.INIT and len(body) == 17 and body[:8] == nonce
    new_cid, proto, v1, v2, v3, caps = struct.unpack_from(">IBBBBB", body, 8)
    assert new_cid not in (0, BROADCAST_CID) and proto == 2 and (v1, v2, v3) == (1, 2, 3) and caps == 0x05
    assert _channel(conn) != new_cid


def test_hid_protocol_errors() -> None:
    conn = EmulatedHidConnection(softkey())
    conn.write_packet(_pkt(BROADCAST_CID, CTAPHID.INIT, b"short"))
    assert _read(conn) == (BROADCAST_CID, ERROR, bytes([HidError.INVALID_LEN]))
    conn.write_packet(_pkt(0, CTAPHID.INIT, b"12345678"))
    assert _read(conn) == (0, ERROR, bytes([HidError.INVALID_CHANNEL]))
    conn.write_packet(_pkt(0x01020304, CTAPHID.PING, b"x"))  # never allocated
    assert _read(conn) == (0x01020304, ERROR, bytes([HidError.INVALID_CHANNEL]))
    conn.write_packet(_pkt(BROADCAST_CID, CTAPHID.PING, b"x"))  # only INIT goes on the broadcast channel
    assert _read(conn)[2] == bytes([HidError.INVALID_CHANNEL])
    cid = _channel(conn)
    for cmd in (CTAPHID.LOCK, 0x40, 0x2A):  # no LOCK capability, no vendor commands
        conn.write_packet(_pkt(cid, cmd))
        assert _read(conn) == (cid, ERROR, bytes([HidError.INVALID_CMD]))
    conn.write_packet(_pkt(cid, CTAPHID.CBOR))  # an empty CBOR message
    assert _read(conn) == (cid, ERROR, bytes([HidError.INVALID_LEN]))
    conn.write_packet(_pkt(cid, CTAPHID.PING, b"", length=MAX_MESSAGE + 1))
    assert _read(conn) == (cid, ERROR, bytes([HidError.INVALID_LEN]))
    conn.write_packet(_pkt(cid, CTAPHID.PING, b"a" * 57, length=200))
    conn.write_packet(_cont(cid, 1, b"b" * 59))  # sequence 0 expected
    assert _read(conn) == (cid, ERROR, bytes([HidError.INVALID_SEQ]))
    conn.write_packet(_pkt(cid, CTAPHID.PING, b"a" * 57, length=200))
    conn.write_packet(_pkt(cid, CTAPHID.PING, b"again"))  # a new init packet in the middle of a message
    assert _read(conn) == (cid, ERROR, bytes([HidError.INVALID_SEQ]))
    conn.write_packet(_cont(cid, 0, b"stray"))  # a continuation with no message: ignored, nothing answered
    conn.write_packet(_pkt(cid, CTAPHID.WINK))
    assert _read(conn) == (cid, TYPE_INIT | CTAPHID.WINK, b"")


def test_long_messages_are_split_and_reassembled_both_ways() -> None:
    dev = emulated_device(softkey())
    conn = dev._connection
    for size in (0, 57, 58, 57 + 59, 1000, MAX_MESSAGE):
        conn.log.clear()
        data = os.urandom(size)
        assert dev.ping(data) == data
        conts = max(0, -(-(size - 57) // 59))
        sent = [x for d, _, x in conn.log if d == "in"]
        got = [x for d, _, x in conn.log if d == "out"]
        assert sent == [TYPE_INIT | CTAPHID.PING, *range(conts)] and got == sent
    with pytest.raises(CtapError) as exc:
        dev.ping(b"x" * (MAX_MESSAGE + 1))  # the key refuses the length from the init packet
    assert exc.value.code == CtapError.ERR.INVALID_LENGTH
    assert dev.ping(b"after") == b"after"  # and the channel still works


def test_resync_init_on_own_channel_drops_the_request_in_flight() -> None:
    key = softkey()
    key.touch, key.touch_wait_s = "never", 5.0
    conn = EmulatedHidConnection(key, keepalive_s=0.02)
    cid = _channel(conn)
    key.store.new("example.com", True, "Ex", {"id": b"u", "name": "u"})
    from fido2 import cbor

    req = bytes([Ctap2.CMD.GET_ASSERTION]) + cbor.encode({1: "example.com", 2: b"\0" * 32})
    _send(conn, cid, CTAPHID.CBOR, req)
    assert _read(conn)[1] == KEEPALIVE  # blinking for a touch
    conn.write_packet(_pkt(cid, CTAPHID.INIT, b"resync!!"))
    while True:
        r_cid, cmd, body = _read(conn)
        if cmd != KEEPALIVE:
            break
    assert (r_cid, cmd, body[:8], struct.unpack_from(">I", body, 8)[0]) == (cid, TYPE_INIT | CTAPHID.INIT,
                                                                           b"resync!!", cid)
    wait_idle(conn)
    assert conn._outbox.empty()  # the abandoned request never answers


def test_keepalive_upneeded_while_waiting_for_touch_and_processing_while_busy() -> None:
    key = softkey()
    key.touch_delay_s = 0.3
    dev = emulated_device(key, keepalive_s=0.05)
    statuses: list[STATUS] = []
    cred = key.store.new("example.com", False)
    ctap = Ctap2(dev)
    ctap.get_assertion("example.com", b"\1" * 32, [cred.descriptor()], on_keepalive=statuses.append)
    keepalives = [x for d, _, x in dev._connection.log if d == "out" and x == KEEPALIVE]
    assert statuses == [STATUS.UPNEEDED] and len(keepalives) >= 4  # fido2 reports a status change once

    class SlowKey(type(key)):  # type: ignore[misc]
        def info(self):  # type: ignore[no-untyped-def]
            time.sleep(0.25)
            return super().info()

    slow = SlowKey()
    seen: list[STATUS] = []
    dev2 = emulated_device(slow, keepalive_s=0.05)
    assert dev2.call(CTAPHID.CBOR, bytes([Ctap2.CMD.GET_INFO]), on_keepalive=seen.append)[0] == 0
    assert seen == [STATUS.PROCESSING]


class _UI(UserInteraction):
    def __init__(self) -> None:
        self.prompts = 0

    def prompt_up(self) -> None:
        self.prompts += 1

    def request_pin(self, permissions, rp_id):  # type: ignore[no-untyped-def]
        return TEST_PIN


def _register(dev, timeout_ms: int | None = None):  # type: ignore[no-untyped-def]
    server = Fido2Server(PublicKeyCredentialRpEntity(id=DEMO_RP_ID, name="t"))
    server.timeout = timeout_ms
    ui = _UI()
    client = Fido2Client(dev, DefaultClientDataCollector(DEMO_ORIGIN), ui)
    opts, state = server.register_begin(PublicKeyCredentialUserEntity(id=b"a", name="a", display_name="A"),
                                        user_verification=UserVerificationRequirement.DISCOURAGED)
    return server.register_complete(state, client.make_credential(opts.public_key)), ui


def test_client_timeout_sends_cancel_and_the_key_answers_keepalive_cancel() -> None:
    key = softkey()
    key.touch = "never"
    dev = emulated_device(key, keepalive_s=0.02)
    t0 = time.monotonic()
    with pytest.raises(ClientError) as exc:
        _register(dev, timeout_ms=250)
    assert exc.value.code == ClientError.ERR.TIMEOUT and exc.value.cause.code == CtapError.ERR.KEEPALIVE_CANCEL
    assert time.monotonic() - t0 < 3
    assert ("in", dev._connection.log[-1][1], TYPE_INIT | CTAPHID.CANCEL) in dev._connection.log
    key.touch = "accept"
    assert _register(dev)[0].credential_data  # the channel works again after a cancel


def test_refused_touch_and_key_timeout_reach_the_client_as_ctap_errors() -> None:
    key = softkey()
    dev = emulated_device(key, keepalive_s=0.02)
    for touch, code in (("refuse", CtapError.ERR.OPERATION_DENIED), ("timeout", CtapError.ERR.USER_ACTION_TIMEOUT)):
        key.touch = touch
        with pytest.raises(ClientError) as exc:
            _register(dev)
        assert exc.value.cause.code == code


def test_unplugged_while_blinking_mid_message_and_while_opening() -> None:
    key = softkey()
    key.touch_delay_s = 5.0
    dev = emulated_device(key, keepalive_s=0.02, unplug_on_touch=True)
    with pytest.raises(OSError) as exc:
        _register(dev)
    assert exc.value.errno == errno.EIO
    with pytest.raises(OSError) as exc:
        dev.ping(b"x")
    assert exc.value.errno == errno.ENODEV
    dev = emulated_device(softkey(), unplug_after_packets=4)  # INIT is packet 1; the ping's 3rd packet is lost
    with pytest.raises(OSError):
        dev.ping(b"y" * 500)
    with pytest.raises(OSError):
        CtapHidDevice(descriptor(), EmulatedHidConnection(softkey(), unplug_after_packets=1))


def test_channel_busy_while_the_key_works_for_another_channel() -> None:
    key = softkey()
    key.touch_delay_s = 0.2
    conn = EmulatedHidConnection(key, keepalive_s=0.02)
    a, b = _channel(conn), _channel(conn)
    cred = key.store.new("example.com", False)
    from fido2 import cbor

    req = bytes([Ctap2.CMD.GET_ASSERTION]) + cbor.encode({1: "example.com", 2: b"\1" * 32, 3: [cred.descriptor()]})
    _send(conn, a, CTAPHID.CBOR, req)
    conn.write_packet(_pkt(b, CTAPHID.PING, b"hello"))
    seen = []
    while True:
        cid, cmd, body = _read(conn)
        seen.append((cid, cmd, body[:1]))
        if cmd == TYPE_INIT | CTAPHID.CBOR:
            break
    assert (b, ERROR, bytes([HidError.CHANNEL_BUSY])) in seen and (a, KEEPALIVE, b"\x02") in seen
    assert cid == a and body[0] == 0  # the touch came and the assertion was answered on its channel
    wait_idle(conn)
    while not conn._outbox.empty():  # the answer's continuation packets
        assert struct.unpack_from(">I", conn.read_packet())[0] == a
    conn.write_packet(_pkt(b, CTAPHID.PING, b"hello"))
    assert _read(conn) == (b, TYPE_INIT | CTAPHID.PING, b"hello")  # free again


def test_an_unfinished_message_times_out() -> None:
    conn = EmulatedHidConnection(softkey(), message_timeout_s=0.05)
    a, b = _channel(conn), _channel(conn)
    conn.write_packet(_pkt(a, CTAPHID.PING, b"a" * 57, length=300))
    conn.write_packet(_pkt(b, CTAPHID.PING, b"x"))
    assert _read(conn) == (b, ERROR, bytes([HidError.CHANNEL_BUSY]))
    time.sleep(0.08)
    conn.write_packet(_pkt(b, CTAPHID.PING, b"x"))
    assert _read(conn) == (a, ERROR, bytes([HidError.MSG_TIMEOUT]))
    assert _read(conn) == (b, TYPE_INIT | CTAPHID.PING, b"x")


def test_pin_credential_management_and_webauthn_flows_through_the_transport() -> None:
    key = softkey()
    key.store.new("example.com", True, "Example", {"id": b"u1", "name": "alice", "displayName": "Alice"})
    dev = emulated_device(key, keepalive_s=0.02)
    pin = ClientPin(Ctap2(dev))
    assert pin.get_pin_retries() == (8, False)
    with pytest.raises(CtapError) as exc:
        pin.get_pin_token(WRONG_PIN)
    assert exc.value.code == CtapError.ERR.PIN_INVALID and pin.get_pin_retries()[0] == 7
    report = list_passkeys(dev, TEST_PIN)
    assert [(p.rp_id, p.user_name) for p in report.passkeys] == [("example.com", "alice")]
    result = run_demo(dev, lambda: TEST_PIN)
    assert result.ok and not result.software and "SOFTWARE" in " ".join(result.notes)
    long_in = [x for d, _, x in dev._connection.log if d == "in" and x == 0]
    long_out = [x for d, _, x in dev._connection.log if d == "out" and x == 0]
    assert long_in and long_out  # CBOR requests and answers longer than one packet went through


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=PACKET_SIZE, max_size=PACKET_SIZE), min_size=1, max_size=6))
def test_random_packets_never_break_the_emulated_key(packets: list[bytes]) -> None:
    key = softkey(None)
    key.touch = "refuse"
    conn = EmulatedHidConnection(key, keepalive_s=0.005, read_timeout_s=0.05, message_timeout_s=0.01)
    cid = _channel(conn)
    for p in packets:
        conn.write_packet(struct.pack(">I", cid) + p[4:] if p[0] & 1 else p)  # half on our channel
    wait_idle(conn)
    time.sleep(0.02)
    conn.expire()  # an unfinished message times out (MSG_TIMEOUT), as the key's timer would do
    while not conn._outbox.empty():
        out = conn._outbox.get()
        assert len(out) == PACKET_SIZE
    dev = CtapHidDevice(descriptor(), conn)  # the key still answers a fresh INIT and a ping
    assert dev.ping(b"ok") == b"ok"


def test_three_wrong_pins_over_hid_need_a_replug_and_are_explained() -> None:
    from mfakit.keys.passkeys import PinError, check_can_ask, pin_status

    key = softkey()
    dev = emulated_device(key, keepalive_s=0.02)
    for expected in ("PIN_INVALID", "PIN_INVALID", "PIN_AUTH_BLOCKED"):
        with pytest.raises(PinError) as exc:
            list_passkeys(dev, WRONG_PIN)  # one try per call, as the CLI does
        assert exc.value.code == expected
    status = pin_status(dev)
    assert status.replug_needed and status.retries == 5
    with pytest.raises(PinError) as exc:
        check_can_ask(status)  # refused before asking: a PIN now would be rejected unseen
    assert "UNPLUG IT AND PLUG IT IN AGAIN" in str(exc.value) and "5 tries left" in str(exc.value)
    dev._connection.unplug()
    key.plug_in()  # the person replugs the key: a new HID connection, a new power-up
    dev = emulated_device(key, keepalive_s=0.02)
    assert not pin_status(dev).replug_needed and list_passkeys(dev, TEST_PIN).used == 0
