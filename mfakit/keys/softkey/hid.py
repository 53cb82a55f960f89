"""The software key behind an EMULATED USB HID connection, so fido2's own ``CtapHidDevice`` can drive it.

A real security key speaks CTAPHID (CTAP 2.1 §11.2) over 64-byte HID reports. :class:`EmulatedHidConnection`
is a ``fido2.hid.base.CtapHidConnection`` that does what a key's firmware does at that layer, in front of a
:class:`~mfakit.keys.softkey.SoftKey`:

- INIT on the broadcast channel allocates a channel (nonce echoed); INIT on an own channel resynchronises it;
- requests arrive as an init packet plus continuation packets (sequence 0..127) and are reassembled; answers
  are split the same way (at most 57 + 128 × 59 = 7609 bytes);
- a CBOR request runs in a worker "firmware" thread; while it runs, KEEPALIVE packets go out every
  ``keepalive_s`` (PROCESSING, or UPNEEDED while the key blinks for a touch);
- CANCEL on the busy channel ends a touch wait: the request answers CTAP2_ERR_KEEPALIVE_CANCEL;
- ERROR packets for protocol faults: INVALID_CMD, INVALID_LEN, INVALID_SEQ, CHANNEL_BUSY, INVALID_CHANNEL,
  MSG_TIMEOUT (a message whose continuation packets stop coming);
- an unplugged key (``unplug()``, or the fault triggers ``unplug_after_packets`` / ``unplug_on_cbor`` /
  ``unplug_on_touch``) fails reads with EIO and writes with ENODEV, as Linux hidraw does.

It is a test and demo device: its descriptor's product name says it is not a real key.
"""

from __future__ import annotations

import errno
import os
import queue
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from fido2.ctap import STATUS
from fido2.hid import CAPABILITY, CTAPHID, CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor

from mfakit.keys.softkey.authenticator import SOFTKEY_NAME, KeyUnpluggedError, SoftKey

EMULATED_PATH = "emulated-hid:mfakit-softkey"
PACKET_SIZE = 64
BROADCAST_CID = 0xFFFFFFFF
TYPE_INIT = 0x80
INIT_DATA = PACKET_SIZE - 7  # 57 payload bytes in an init packet
CONT_DATA = PACKET_SIZE - 5  # 59 in a continuation packet
MAX_MESSAGE = INIT_DATA + 128 * CONT_DATA  # 7609
#: CTAPHID protocol version 2; device version 1.2.3 (as SOFTKEY_FIRMWARE).
HID_VERSION = (2, 1, 2, 3)


class HidError:
    """CTAPHID_ERROR codes (CTAP 2.1 §11.2.9.1.6)."""

    INVALID_CMD = 0x01
    INVALID_PAR = 0x02
    INVALID_LEN = 0x03
    INVALID_SEQ = 0x04
    MSG_TIMEOUT = 0x05
    CHANNEL_BUSY = 0x06
    INVALID_CHANNEL = 0x0B


@dataclass
class _Incoming:
    cid: int
    cmd: int
    length: int
    data: bytearray
    next_seq: int = 0
    last: float = field(default_factory=time.monotonic)


@dataclass
class _Job:
    """One CBOR request being processed by the firmware thread."""

    cid: int
    cancel: threading.Event = field(default_factory=threading.Event)
    status: STATUS = STATUS.PROCESSING
    aborted: bool = False
    thread: threading.Thread | None = None


def descriptor(path: str = EMULATED_PATH) -> HidDescriptor:
    """A HID descriptor for the emulated key (vendor/product 0: no real vendor's id is borrowed)."""
    return HidDescriptor(path, 0, 0, PACKET_SIZE, PACKET_SIZE, SOFTKEY_NAME, None)


class EmulatedHidConnection(CtapHidConnection):
    """CTAPHID framing in front of a software key (see the module docstring for what is covered).

    ``log`` records every packet as ``(direction, cid, cmd_or_seq)`` — ``"in"`` from the host, ``"out"`` to it —
    so tests can see the framing, keep-alives and errors that really crossed the "wire".
    """

    def __init__(self, key: SoftKey, *, keepalive_s: float = 0.1, read_timeout_s: float = 30.0,
                 unplug_after_packets: int | None = None, unplug_on_cbor: int | None = None,
                 unplug_on_touch: bool = False, on_close: Callable[[], None] | None = None,
                 message_timeout_s: float = 0.5) -> None:
        self.key = key
        self.keepalive_s = keepalive_s
        #: A message whose continuation packets stop coming is dropped after this (CTAPHID_ERR_MSG_TIMEOUT).
        self.message_timeout_s = message_timeout_s
        self.read_timeout_s = read_timeout_s
        self.unplug_after_packets = unplug_after_packets
        self.unplug_on_cbor = unplug_on_cbor
        self.unplug_on_touch = unplug_on_touch
        self._on_close = on_close
        self._outbox: queue.Queue[bytes] = queue.Queue()
        self._guard = threading.RLock()
        self._channels: set[int] = set()
        self._incoming: _Incoming | None = None
        self._job: _Job | None = None
        self.packets_in = 0
        self.unplugged = False
        self.closed = False
        self.log: list[tuple[str, int, int]] = []

    # ------------------------------------------------------------------ CtapHidConnection
    def write_packet(self, data: bytes) -> None:
        if self.closed:
            raise OSError(errno.EBADF, "the emulated HID connection is closed")
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device (the key was unplugged)")
        if len(data) != PACKET_SIZE:
            raise OSError(errno.EINVAL, f"a HID report is {PACKET_SIZE} bytes, not {len(data)}")
        with self._guard:
            self.packets_in += 1
            cid, kind = struct.unpack_from(">IB", data)
            self.log.append(("in", cid, kind))
            if self.unplug_after_packets is not None and self.packets_in >= self.unplug_after_packets:
                self.unplug()  # the key is pulled out as this packet reaches it: nothing is answered
                return
            self.expire()
            if kind & TYPE_INIT:
                self._init_packet(cid, kind & 0x7F, data)
            else:
                self._continuation(cid, kind, data)

    def read_packet(self) -> bytes:
        waited = 0.0
        while True:
            if self.unplugged:
                raise OSError(errno.EIO, "Input/output error (the key was unplugged)")
            if self.closed:
                raise OSError(errno.EBADF, "the emulated HID connection is closed")
            with self._guard:
                self.expire()
            try:
                packet = self._outbox.get(timeout=self.keepalive_s)
            except queue.Empty:
                job = self._job
                if job is not None and job.thread is not None and job.thread.is_alive() and not job.aborted:
                    return self._emit_keepalive(job)  # the firmware is busy: a keep-alive every keepalive_s
                waited += self.keepalive_s
                if waited >= self.read_timeout_s:  # a real read would block for ever; a test must not
                    raise OSError(errno.ETIMEDOUT, "no answer from the emulated key") from None
                continue
            if self.unplugged:
                raise OSError(errno.EIO, "Input/output error (the key was unplugged)")
            return packet

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        job = self._job
        if job is not None:
            job.aborted = True
            job.cancel.set()
            if job.thread is not None:
                job.thread.join(timeout=5)
        if self._on_close is not None:
            self._on_close()

    # ------------------------------------------------------------------ simulation
    def unplug(self) -> None:
        """The key is pulled out: the transaction in flight is lost; reads and writes fail from now on."""
        self.unplugged = True
        self.key.unplug()
        job = self._job
        if job is not None:
            job.aborted = True
            job.cancel.set()

    def expire(self) -> None:
        """A message whose sender stopped half-way is dropped; its channel gets MSG_TIMEOUT."""
        msg = self._incoming
        if msg is not None and time.monotonic() - msg.last > self.message_timeout_s:
            self._incoming = None
            self._error(msg.cid, HidError.MSG_TIMEOUT)

    # ------------------------------------------------------------------ receiving
    def _init_packet(self, cid: int, cmd: int, data: bytes) -> None:
        length = struct.unpack_from(">H", data, 5)[0]
        payload = bytes(data[7:7 + min(length, INIT_DATA)])
        if cmd == CTAPHID.INIT:
            self._init(cid, length, payload)
            return
        if cid == 0 or cid == BROADCAST_CID or cid not in self._channels:
            self._error(cid, HidError.INVALID_CHANNEL)
            return
        if cmd == CTAPHID.CANCEL:
            job = self._job
            if job is not None and job.cid == cid:
                job.cancel.set()  # no answer to CANCEL itself; the pending request answers KEEPALIVE_CANCEL
            return
        if self._busy():
            self._error(cid, HidError.CHANNEL_BUSY)
            return
        if self._incoming is not None:
            if self._incoming.cid != cid:
                self._error(cid, HidError.CHANNEL_BUSY)
                return
            self._incoming = None  # a new init packet in the middle of a message
            self._error(cid, HidError.INVALID_SEQ)
            return
        if length > MAX_MESSAGE:
            self._error(cid, HidError.INVALID_LEN)
            return
        self._incoming = _Incoming(cid, cmd, length, bytearray(payload))
        self._maybe_dispatch()

    def _continuation(self, cid: int, seq: int, data: bytes) -> None:
        msg = self._incoming
        if msg is None or msg.cid != cid:
            return  # a stray continuation packet is ignored
        if seq != msg.next_seq:
            self._incoming = None
            self._error(cid, HidError.INVALID_SEQ)
            return
        msg.next_seq += 1
        msg.last = time.monotonic()
        msg.data += data[5:5 + min(CONT_DATA, msg.length - len(msg.data))]
        self._maybe_dispatch()

    def _maybe_dispatch(self) -> None:
        msg = self._incoming
        if msg is None or len(msg.data) < msg.length:
            return
        self._incoming = None
        self._dispatch(msg.cid, msg.cmd, bytes(msg.data))

    def _busy(self) -> bool:
        job = self._job
        return job is not None and job.thread is not None and job.thread.is_alive()

    # ------------------------------------------------------------------ commands
    def _init(self, cid: int, length: int, nonce: bytes) -> None:
        if cid == 0:
            self._error(cid, HidError.INVALID_CHANNEL)
            return
        if length != 8:
            self._error(cid, HidError.INVALID_LEN)
            return
        if cid == BROADCAST_CID:
            new_cid = self._allocate()
        elif cid in self._channels:
            new_cid = cid  # resync: abandon what was in flight on this channel
            if self._incoming is not None and self._incoming.cid == cid:
                self._incoming = None
            job = self._job
            if job is not None and job.cid == cid:
                job.aborted = True
                job.cancel.set()
        else:
            self._error(cid, HidError.INVALID_CHANNEL)
            return
        caps = CAPABILITY.CBOR | CAPABILITY.WINK  # no NMSG: CTAPHID_MSG is answered (U2F: not supported)
        body = nonce + struct.pack(">IBBBBB", new_cid, *HID_VERSION, int(caps))
        self._send(cid, CTAPHID.INIT, body)

    def _allocate(self) -> int:
        while True:
            new_cid = struct.unpack(">I", os.urandom(4))[0]
            if new_cid not in (0, BROADCAST_CID) and new_cid not in self._channels:
                self._channels.add(new_cid)
                return new_cid

    def _dispatch(self, cid: int, cmd: int, payload: bytes) -> None:
        if cmd == CTAPHID.PING:
            self._send(cid, cmd, payload)
        elif cmd == CTAPHID.WINK:
            self._send(cid, cmd, b"")
        elif cmd == CTAPHID.MSG:
            self._send(cid, cmd, self.key.call(CTAPHID.MSG, payload))
        elif cmd == CTAPHID.CBOR:
            if not payload:
                self._error(cid, HidError.INVALID_LEN)
                return
            if self.unplug_on_cbor is not None and payload[0] == self.unplug_on_cbor:
                self.unplug()
                return
            job = _Job(cid)
            job.thread = threading.Thread(target=self._run_cbor, args=(job, payload), daemon=True,
                                          name="emulated-key-firmware")
            self._job = job
            job.thread.start()
        else:
            self._error(cid, HidError.INVALID_CMD)  # LOCK and vendor commands are not offered

    def _run_cbor(self, job: _Job, payload: bytes) -> None:
        def on_keepalive(status: STATUS) -> None:
            job.status = status
            if status == STATUS.UPNEEDED and self.unplug_on_touch:
                self.unplug()
                return
            if not job.aborted:
                self._outbox.put(self._emit_keepalive(job))  # at once, as a key does when it starts blinking

        try:
            reply = self.key.call(CTAPHID.CBOR, payload, event=job.cancel, on_keepalive=on_keepalive)
        except KeyUnpluggedError:
            return
        except Exception:  # the firmware must never die silently: answer a generic CTAPHID error
            if not job.aborted:
                self._error(job.cid, 0x7F)
            return
        if not job.aborted:
            self._send(job.cid, CTAPHID.CBOR, reply)

    # ------------------------------------------------------------------ sending
    def _emit_keepalive(self, job: _Job) -> bytes:
        packet = self._frame(job.cid, CTAPHID.KEEPALIVE, bytes([int(job.status)]))[0]
        self.log.append(("out", job.cid, TYPE_INIT | CTAPHID.KEEPALIVE))
        return packet

    def _error(self, cid: int, code: int) -> None:
        self._send(cid, CTAPHID.ERROR, bytes([code]))

    def _send(self, cid: int, cmd: int, payload: bytes) -> None:
        for i, packet in enumerate(self._frame(cid, cmd, payload)):
            self.log.append(("out", cid, (TYPE_INIT | cmd) if i == 0 else i - 1))
            self._outbox.put(packet)

    @staticmethod
    def _frame(cid: int, cmd: int, payload: bytes) -> list[bytes]:
        if len(payload) > MAX_MESSAGE:
            raise ValueError("answer too long for CTAPHID")
        packets = [struct.pack(">IBH", cid, TYPE_INIT | cmd, len(payload)) + payload[:INIT_DATA]]
        rest, seq = payload[INIT_DATA:], 0
        while rest:
            packets.append(struct.pack(">IB", cid, seq) + rest[:CONT_DATA])
            rest, seq = rest[CONT_DATA:], seq + 1
        return [p.ljust(PACKET_SIZE, b"\0") for p in packets]


def emulated_device(key: SoftKey | None = None, path: str = EMULATED_PATH, **options: Any) -> CtapHidDevice:
    """fido2's own ``CtapHidDevice`` over an emulated connection to ``key`` (a new demo-less key if None).

    ``options`` go to :class:`EmulatedHidConnection` (keep-alive period, unplug faults, ``on_close``).
    """
    key = key if key is not None else SoftKey()
    conn = EmulatedHidConnection(key, **options)
    return CtapHidDevice(descriptor(path), conn)


def connection_of(dev: Any) -> EmulatedHidConnection | None:
    """The emulated connection behind a ``CtapHidDevice``, or None for a real (or software) key."""
    conn = getattr(dev, "_connection", None)
    return conn if isinstance(conn, EmulatedHidConnection) else None


def wait_idle(conn: EmulatedHidConnection, timeout: float = 5.0) -> None:
    """Wait until the firmware thread has finished (tests)."""
    end = time.monotonic() + timeout
    while conn._busy() and time.monotonic() < end:
        time.sleep(0.005)
