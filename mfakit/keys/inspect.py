"""Find and describe FIDO2 keys: model (AAGUID → name), firmware, CTAP versions, PIN, UV, passkey slots.

Real keys are only touched when asked for (``hardware=True`` or a device path). On Linux an empty device list
is diagnosed: no key plugged in, or ``/dev/hidraw*`` present but not openable (the udev fix is given).
With ``MFAKIT_FAKE_HID`` set (tests, demos) the real-key path finds the software key behind an emulated HID
connection instead (:mod:`mfakit.keys.softkey.fake_hid`); nothing else changes on that path.
"""

from __future__ import annotations

import glob
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mfakit.errors import KeyDeviceError
from mfakit.keys.aaguids import model_name, normalize_aaguid

UDEV_RULE = ('KERNEL=="hidraw*", SUBSYSTEM=="hidraw", MODE="0664", GROUP="plugdev", '
             'ATTRS{idVendor}=="1050|18d1"')
UDEV_FIX = (f"add the rule  {UDEV_RULE}  to /etc/udev/rules.d/70-fido.rules, run "
            "'sudo udevadm control --reload-rules && sudo udevadm trigger', make sure you are in the "
            "'plugdev' group, then unplug and plug the key in again (systemd >= 244 usually grants desktop "
            "users access by itself)")


@dataclass
class KeyRef:
    """Which key to use: the software key (default), a device path, or the first real key found."""

    software: bool = True
    device: str | None = None
    state: Path | None = None

    @classmethod
    def choose(cls, device: str | None = None, hardware: bool = False, software: bool = False,
               state: str | Path | None = None) -> KeyRef:
        """The CLI's rule: ``--device``/``--hardware`` pick a real key; otherwise the software key."""
        if (device or hardware) and (software or state):
            raise KeyDeviceError("choose either a real key (--device/--hardware) or the software key "
                                 "(--software/--state), not both")
        if device or hardware:
            return cls(software=False, device=device)
        if state:
            from mfakit.keys.softkey.state import state_path

            return cls(software=True, state=state_path(state))
        return cls(software=True)


@dataclass
class HidDiagnosis:
    """Why no real key was found: ``no_key`` or ``no_permission`` (with the paths and the fix)."""

    problem: str  # "none", "no_key", "no_permission"
    message: str
    unreadable: list[str] = field(default_factory=list)


def diagnose_hid(paths: list[str] | None = None) -> HidDiagnosis:
    """Tell "no key plugged in" from "cannot open /dev/hidraw*" (fido2 swallows the second)."""
    paths = sorted(glob.glob("/dev/hidraw*")) if paths is None else paths
    if not paths:
        return HidDiagnosis("no_key", "no security key found: none is plugged in (no /dev/hidraw* device). "
                                      "Plug the key in and try again.")
    unreadable = [p for p in paths if not os.access(p, os.R_OK | os.W_OK)]
    if unreadable:
        return HidDiagnosis("no_permission",
                            f"no security key could be opened: no permission on {', '.join(unreadable)}. "
                            f"Fix: {UDEV_FIX}.", unreadable)
    return HidDiagnosis("no_key", "no FIDO2 security key among the HID devices: plug the key in "
                                  "(a U2F-only key such as a first-generation Titan is not listed).")


def _fake_hid() -> Any:
    from mfakit.keys.softkey.fake_hid import from_env

    return from_env()


def list_hardware() -> tuple[list[Any], HidDiagnosis | None]:
    """Every connected CTAP HID device, and a diagnosis when there are none.

    A device that vanishes or fails while being opened is skipped (one odd device must not hide the others).
    """
    fake = _fake_hid()
    if fake is not None:
        from mfakit.keys.softkey.fake_hid import open_fake

        return [open_fake(fake)], None
    from fido2.hid import CtapHidDevice, list_descriptors, open_connection

    devices = []
    for desc in list_descriptors():
        try:
            devices.append(CtapHidDevice(desc, open_connection(desc)))
        except Exception:  # unplugged while listing, or not answering CTAPHID INIT
            continue
    return devices, (None if devices else diagnose_hid())


def open_device(ref: KeyRef) -> Any:
    """Open the chosen key as a ``CtapDevice`` (software key, a path, or the first real key)."""
    if ref.software:
        from mfakit.keys.softkey.state import demo_softkey, load_state

        return load_state(ref.state) if ref.state else demo_softkey()
    try:
        return _open_real(ref)
    except OSError as exc:
        raise KeyDeviceError(f"the key did not answer while being opened ({exc.strerror or type(exc).__name__}); "
                             "unplug it, plug it in again and retry", ref.device) from None


def _open_real(ref: KeyRef) -> Any:
    from mfakit.keys.softkey.hid import EMULATED_PATH

    if ref.device == EMULATED_PATH:
        fake = _fake_hid()
        if fake is None:
            raise KeyDeviceError("no such device: the emulated key exists only with MFAKIT_FAKE_HID set",
                                 ref.device)
        from mfakit.keys.softkey.fake_hid import open_fake

        return open_fake(fake)
    if ref.device:
        from fido2.hid import open_device as _open

        if not os.path.exists(ref.device):
            raise KeyDeviceError("no such device (is the key plugged in?)", ref.device)
        if not os.access(ref.device, os.R_OK | os.W_OK):
            raise KeyDeviceError(f"no permission to open the key. Fix: {UDEV_FIX}", ref.device)
        try:
            return _open(ref.device)
        except Exception as exc:
            raise KeyDeviceError(f"cannot open the key ({type(exc).__name__}); is it a FIDO2 key?",
                                 ref.device) from None
    devices, diag = list_hardware()
    if not devices:
        assert diag is not None
        raise KeyDeviceError(diag.message)
    for extra in devices[1:]:
        extra.close()
    return devices[0]


def device_path(dev: Any) -> str:
    path = getattr(dev, "path", None) or getattr(getattr(dev, "descriptor", None), "path", None)
    return str(path) if path is not None else "?"


def is_software(dev: Any) -> bool:
    """The software key used directly (demo conveniences such as ``--demo-pin`` apply)."""
    from mfakit.keys.softkey import SoftKey

    return isinstance(dev, SoftKey)


def is_emulated(dev: Any) -> bool:
    """The software key behind an emulated HID link (``MFAKIT_FAKE_HID``): the real-key path, not a real key."""
    from mfakit.keys.softkey.hid import connection_of

    return connection_of(dev) is not None


def firmware_text(value: int | None) -> str | None:
    """getInfo's firmwareVersion as dotted bytes: 0x050702 → '5.7.2' (vendor formats vary)."""
    if not value:
        return None
    parts = value.to_bytes(4 if value >= 1 << 24 else 3, "big")
    return ".".join(str(b) for b in parts)


@dataclass
class KeyInfo:
    """What ``mfakit key info`` shows for one key (JSON: ``asdict``)."""

    path: str
    product_name: str | None
    software: bool
    aaguid: str
    model: str | None
    model_source: str | None
    firmware: str | None
    versions: list[str]
    pin_supported: bool
    pin_set: bool | None
    pin_retries: int | None
    replug_needed: bool
    uv: str
    min_pin_length: int | None
    credential_management: bool
    passkeys_free: int | None
    passkeys_used: int | None = None
    notes: list[str] = field(default_factory=list)
    emulated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _uv_text(options: dict[str, Any]) -> str:
    if options.get("uv") is not None or options.get("bioEnroll") is not None:
        built_in = "fingerprint, enrolled" if options.get("uv") or options.get("bioEnroll") else "fingerprint, not enrolled"
        return f"built-in ({built_in}) and PIN" if "clientPin" in options else f"built-in ({built_in})"
    if "clientPin" in options:
        return "PIN" if options["clientPin"] else "PIN (not set yet)"
    return "none (touch only)"


def key_info(dev: Any, mds: Any = None) -> KeyInfo:
    """Read getInfo and the PIN retries from ``dev`` (no PIN needed, nothing changed on the key)."""
    from fido2.ctap import CtapError
    from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement

    try:
        ctap = Ctap2(dev)
    except ValueError:
        raise KeyDeviceError("this key speaks only U2F/CTAP1 (no FIDO2): it has no PIN and cannot hold "
                             "passkeys", device_path(dev)) from None
    except OSError:
        from mfakit.keys.device_errors import UNPLUGGED

        raise KeyDeviceError(UNPLUGGED, device_path(dev)) from None
    except CtapError as exc:
        raise KeyDeviceError(f"the key did not answer ({type(exc).__name__}); unplug it and plug it in again",
                             device_path(dev)) from None
    info = ctap.info
    aaguid = normalize_aaguid(bytes(info.aaguid))
    name, source = model_name(aaguid), "built-in table"
    notes: list[str] = []
    if name is None and mds is not None:
        name, source = mds.lookup(aaguid), "MDS blob"
        notes.append(mds.age_text())
    if name is None:
        source = None
        if aaguid == "00000000-0000-0000-0000-000000000000":
            notes.append("the key reports a zero AAGUID: it does not say which model it is")
    options = dict(info.options)
    pin_supported = "clientPin" in options
    retries, replug = None, False
    if pin_supported and options["clientPin"]:
        try:
            retries, power_cycle = ClientPin(ctap).get_pin_retries()
            replug = bool(power_cycle)
        except CtapError as exc:
            notes.append(f"PIN retries could not be read ({exc.code.name})")
    sw = is_software(dev)
    if sw:
        notes.insert(0, "this is mfakit's SOFTWARE authenticator (a demo/test device), not a real key")
    emulated = is_emulated(dev)
    if emulated:
        notes.insert(0, "this is mfakit's software authenticator behind an EMULATED USB HID connection "
                        "(MFAKIT_FAKE_HID is set): the real-key code path, not a real key")
    return KeyInfo(
        path=device_path(dev), product_name=getattr(dev, "product_name", None), software=sw, aaguid=aaguid,
        model=name, model_source=source, firmware=firmware_text(info.firmware_version), versions=list(info.versions),
        pin_supported=pin_supported, pin_set=options.get("clientPin") if pin_supported else None,
        pin_retries=retries, replug_needed=replug, uv=_uv_text(options), min_pin_length=info.min_pin_length,
        credential_management=CredentialManagement.is_supported(info), passkeys_free=info.remaining_disc_creds,
        notes=notes, emulated=emulated,
    )
