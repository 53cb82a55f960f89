"""``MFAKIT_FAKE_HID``: make the command line's REAL-KEY path find the software key behind an emulated HID link.

With the variable set, ``--hardware`` discovery (and ``--device emulated-hid:mfakit-softkey``) yields fido2's
``CtapHidDevice`` over :class:`~mfakit.keys.softkey.hid.EmulatedHidConnection`, so ``mfakit key ... --hardware``
runs exactly the code a real key runs — transport, framing, keep-alives, PIN prompts, errors — in tests and
demos without a key. It is a test/demo hook: the device's product name says "not a real key", and ``key info``
says it is emulated.

The value is comma-separated ``name=value`` options (a bare value is the state file):

- ``demo`` (or ``1``): the in-memory demo key (demo PIN and passkeys), forgotten after the command;
- ``state=FILE``: a software-key state file, locked for the command and saved at the end (as ``--state``);
- ``touch=accept|refuse|timeout|never``, ``touch_delay=SECONDS``: what the simulated person does;
- ``unplug_on=get_info|client_pin|make_credential|get_assertion|credential_mgmt|0xNN``: the key is pulled
  out when that CTAP2 command reaches it; ``unplug_after_packets=N``; ``unplug_on_touch=1``;
- ``keepalive=SECONDS``: the keep-alive period (default 0.1 s, as real keys).
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfakit.errors import KeyDeviceError

ENV = "MFAKIT_FAKE_HID"
COMMANDS = {"get_info": 0x04, "client_pin": 0x06, "make_credential": 0x01, "get_assertion": 0x02,
            "credential_mgmt": 0x0A, "reset": 0x07, "selection": 0x0B}
TOUCHES = ("accept", "refuse", "timeout", "never")


@dataclass
class FakeHid:
    """A parsed ``MFAKIT_FAKE_HID`` value."""

    state: Path | None = None
    touch: str = "accept"
    touch_delay: float = 0.0
    unplug_on: int | None = None
    unplug_after_packets: int | None = None
    unplug_on_touch: bool = False
    keepalive: float = 0.1


def _number(name: str, value: str, kind: type) -> Any:
    try:
        number = kind(value, 0) if kind is int else kind(value)
    except ValueError:
        raise KeyDeviceError(f"{ENV}: {name} must be a number") from None
    if number < 0:
        raise KeyDeviceError(f"{ENV}: {name} must not be negative")
    return number


def parse(value: str) -> FakeHid:
    """Parse the variable's value (see the module docstring); a bad option is one line naming it."""
    from mfakit.keys.softkey.state import state_path

    spec = FakeHid()
    for part in (p.strip() for p in value.split(",")):
        if not part or part in ("1", "demo"):
            continue
        name, sep, val = part.partition("=")
        if not sep:
            name, val = "state", part
        name = name.strip()
        val = val.strip()
        if name == "state":
            spec.state = state_path(val)
        elif name == "touch":
            if val not in TOUCHES:
                raise KeyDeviceError(f"{ENV}: touch must be one of {', '.join(TOUCHES)}")
            spec.touch = val
        elif name == "touch_delay":
            spec.touch_delay = _number(name, val, float)
        elif name == "keepalive":
            spec.keepalive = max(0.005, _number(name, val, float))
        elif name == "unplug_on":
            spec.unplug_on = COMMANDS[val] if val in COMMANDS else _number(name, val, int)
        elif name == "unplug_after_packets":
            spec.unplug_after_packets = _number(name, val, int)
        elif name == "unplug_on_touch":
            spec.unplug_on_touch = val.lower() in ("1", "true", "yes")
        else:
            raise KeyDeviceError(f"{ENV}: unknown option '{name}'")
    return spec


def from_env() -> FakeHid | None:
    value = os.environ.get(ENV, "").strip()
    return parse(value) if value else None


def open_fake(spec: FakeHid) -> Any:
    """Open the emulated key: fido2's ``CtapHidDevice`` over the emulated connection (state locked if any)."""
    from mfakit.keys.softkey.hid import emulated_device
    from mfakit.keys.softkey.state import demo_softkey, load_state, save_state

    stack = ExitStack()
    if spec.state is not None:
        from mfakit.fileio import file_lock

        target = stack.enter_context(file_lock(spec.state))
        try:
            key = load_state(target)
        except BaseException:
            stack.close()
            raise

        def close() -> None:
            with stack:
                key.plugged = True  # an emulated unplug must not lose what the key remembers
                save_state(key, target)
    else:
        key = demo_softkey()

        def close() -> None:
            stack.close()

    key.touch, key.touch_delay_s = spec.touch, spec.touch_delay
    try:
        return emulated_device(key, keepalive_s=spec.keepalive, unplug_on_cbor=spec.unplug_on,
                               unplug_after_packets=spec.unplug_after_packets,
                               unplug_on_touch=spec.unplug_on_touch, on_close=close)
    except BaseException:
        close()
        raise
