"""The software key's demo content, and its optional state file (``--state FILE``).

Without a state file the software key lives in memory for one command. The state file is a *demo file*:
it holds the software key's private keys and master secret (it is a pretend key, protecting nothing), and
the PIN only as a salted scrypt of its hash — never the PIN itself. Its content is secret all the same: it is
written atomically with mode 0600 and never printed (errors name the field, never a value). A command that
uses it holds an exclusive lock from the read to the write (:func:`open_state`), so two commands on the same
file run one after the other and every change (a used PIN try, a new passkey) lands.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mfakit.errors import KeyDeviceError
from mfakit.fileio import NotRegularFile, atomic_write, file_lock, read_regular
from mfakit.keys.softkey.authenticator import SoftKey
from mfakit.keys.softkey.credentials import CredentialStore
from mfakit.keys.softkey.pin import PinState
from mfakit.keys.softkey.state_check import StateShapeError, check_state

#: A state file is small (25 passkeys ≈ 10 KB); anything much bigger is not one.
MAX_STATE_BYTES = 1 << 20
STATE_MODE = 0o600
FORMAT = "mfakit-softkey-state"
#: The software key's published demo PIN: it protects nothing. Never use it on a real key.
DEMO_PIN = "123456"
#: Passkeys the software key carries out of the box, chosen to show every reconciliation case against the
#: example inventory (Google and Microsoft match; GitHub's is unrecorded; Amazon.co.jp's is missing).
DEMO_PASSKEYS: tuple[tuple[str, str, str, str], ...] = (
    ("google.com", "Google", "s-takahashi@gmail.com", "S. Takahashi"),
    ("login.microsoft.com", "Microsoft", "s-takahashi@outlook.jp", "S. Takahashi"),
    ("github.com", "GitHub", "stakahashi", "stakahashi"),
)


def set_pin(key: SoftKey, pin: str) -> None:
    """Set a PIN through the real client-side protocol (so the key only ever sees its encrypted hash)."""
    from fido2.ctap2 import Ctap2, ClientPin

    ClientPin(Ctap2(key)).set_pin(pin)


def demo_softkey(with_content: bool = True, preview: bool = False) -> SoftKey:
    """A software key with the demo PIN and the demo passkeys (or empty, without PIN)."""
    key = SoftKey(preview=preview)
    if with_content:
        set_pin(key, DEMO_PIN)
        for i, (rp_id, rp_name, user, display) in enumerate(DEMO_PASSKEYS):
            key.store.new(rp_id, True, rp_name, {"id": f"demo-user-{i}".encode(), "name": user,
                                                 "displayName": display})
    return key


def to_dict(key: SoftKey) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "note": "mfakit software authenticator demo state; not a real key",
            "preview": key.preview, "pin": key.pin_state.to_dict(), "store": key.store.to_dict()}


def from_dict(data: Any, path: Path | None = None) -> SoftKey:
    """Build the software key from a decoded state file, after checking its whole structure."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeyDeviceError("not an mfakit software-key state file", path)
    try:
        check_state(data)
    except StateShapeError as exc:
        raise KeyDeviceError(f"software-key state file is damaged: {exc}", path) from None
    try:
        return SoftKey(preview=bool(data.get("preview", False)), store=CredentialStore.from_dict(data["store"]),
                       pin=PinState.from_dict(data.get("pin") or {}))
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise KeyDeviceError(f"software-key state file is damaged ({type(exc).__name__})", path) from None


def state_path(path: str | os.PathLike[str]) -> Path:
    """A relative ``--state`` path is relative to the project root (like every path the user gives)."""
    from mfakit.config import PROJ_ROOT

    p = Path(path).expanduser()
    return p if p.is_absolute() else PROJ_ROOT / p


def parse_state(raw: bytes, path: Path | None = None) -> SoftKey:
    """The software key from a state file's bytes (size, encoding, JSON and structure checked)."""
    if len(raw) > MAX_STATE_BYTES:
        raise KeyDeviceError(f"too large for a software-key state file (over {MAX_STATE_BYTES} bytes)", path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise KeyDeviceError(f"cannot read the software-key state file ({type(exc).__name__})", path) from None
    return from_dict(data, path)


def _read(path: Path) -> bytes | None:
    try:
        return read_regular(path, MAX_STATE_BYTES)
    except NotRegularFile as exc:
        raise KeyDeviceError(f"{exc.strerror}, not a software-key state file", path) from None
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise KeyDeviceError("is a folder, not a software-key state file", path) from None
    except NotADirectoryError:
        raise KeyDeviceError("a part of the path is a file, not a folder", path) from None
    except OSError as exc:
        raise KeyDeviceError(f"cannot read the software-key state file ({exc.strerror or type(exc).__name__})",
                             path) from None


def load_state(path: Path, create: bool = True) -> SoftKey:
    """Load the software key from ``path``; a missing file gives the demo key (saved later by the caller)."""
    path = Path(path)
    raw = _read(path)
    if raw is None:
        if create:
            return demo_softkey()
        raise KeyDeviceError("no such software-key state file", path)
    return parse_state(raw, path)


def dumps(key: SoftKey) -> str:
    return json.dumps(to_dict(key), indent=1) + "\n"


def save_state(key: SoftKey, path: Path) -> Path:
    """Write the state atomically, mode 0600 (a symlinked file is written through)."""
    return atomic_write(path, dumps(key), mode=STATE_MODE)


@contextmanager
def open_state(path: str | os.PathLike[str], create: bool = True) -> Iterator[SoftKey]:
    """Read-modify-write of a state file under an exclusive lock: load (or the demo key), use, save.

    The state is saved even when the body fails (a wrong PIN used a try: that must not be undone), unless
    loading itself failed.
    """
    path = Path(path)
    with file_lock(path) as target:
        key = load_state(target, create=create)
        try:
            yield key
        finally:
            save_state(key, target)
