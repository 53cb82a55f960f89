"""The software key's demo content, and its optional state file (``--state FILE``).

Without a state file the software key lives in memory for one command. The state file is a *demo file*:
it holds the software key's private keys and master secret (it is a pretend key, protecting nothing), and
the PIN only as a salted scrypt of its hash — never the PIN itself. It is written atomically, mode 0600.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mfakit.errors import KeyDeviceError
from mfakit.inventory.yamlio import atomic_write_text
from mfakit.keys.softkey.authenticator import SoftKey
from mfakit.keys.softkey.credentials import CredentialStore
from mfakit.keys.softkey.pin import PinState

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
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeyDeviceError("not an mfakit software-key state file", path)
    try:
        return SoftKey(preview=bool(data.get("preview", False)), store=CredentialStore.from_dict(data["store"]),
                       pin=PinState.from_dict(data.get("pin") or {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyDeviceError(f"software-key state file is damaged ({type(exc).__name__})", path) from None


def load_state(path: Path, create: bool = True) -> SoftKey:
    """Load the software key from ``path``; a missing file gives the demo key (saved later by the caller)."""
    path = Path(path)
    if not path.exists():
        if create:
            return demo_softkey()
        raise KeyDeviceError("no such software-key state file", path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyDeviceError(f"cannot read the software-key state file ({type(exc).__name__})", path) from None
    return from_dict(data, path)


def save_state(key: SoftKey, path: Path) -> None:
    path = Path(path)
    atomic_write_text(path, json.dumps(to_dict(key), indent=1) + "\n")
    try:
        os.chmod(path, 0o600)
    except OSError:  # pragma: no cover - e.g. a filesystem without modes
        pass
