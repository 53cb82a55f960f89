"""``mfakit key list | info | passkeys | demo | reconcile``: FIDO2 security keys from the command line.

Which key: the SOFTWARE authenticator unless a real key is asked for with ``--hardware`` (first key found) or
``--device PATH``; nothing touches a real key otherwise. ``--state FILE`` keeps the software key between
runs (a demo file, locked while a command uses it). PINs are asked hidden (or read with ``--pin-stdin``),
never taken as an argument. Every name that comes from a key or a site (RP ids, user and display names,
product names) is shown through :mod:`mfakit.safe`. A key unplugged mid-command or a refused touch is one
line, exit 2.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Optional

import typer

from mfakit.cli.output import did_you_mean, emit_json, err, examples, out
from mfakit.safe import plain, terminal

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

DEVICE = typer.Option(None, "--device", "-d", help="A real key by path (e.g. /dev/hidraw3).")
HARDWARE = typer.Option(False, "--hardware", help="Use the first real key found (default: the software key).")
SOFTWARE = typer.Option(False, "--software", help="Use mfakit's software authenticator (the default).")
STATE = typer.Option(None, "--state", help="Software key state file (demo file; created if missing).")
FORMAT = typer.Option("table", "--format", "-f", help="table or json")
PIN_STDIN = typer.Option(False, "--pin-stdin", help="Read the PIN from the first line of stdin (scripts).")
DEMO_PIN = typer.Option(False, "--demo-pin", help="Software key only: use its published demo PIN.")
LOW_OK = typer.Option(False, "--accept-low-retries",
                      help="Try the PIN even with 2 or fewer tries left (otherwise asked, or refused).")
MDS_BLOB = typer.Option(None, "--mds", help="A saved FIDO MDS3 blob (default: data/private/mds/blob.jwt).")
#: How long a site (the demo's Fido2Client) waits for a touch before it sends CTAPHID CANCEL.
TOUCH_TIMEOUT_MS = 30000
MDS_ROOT = typer.Option(None, "--mds-root", help="The MDS trust root certificate (default: .../mds/root.crt).")


def _fmt(fmt: str) -> bool:
    fmt = fmt.lower()
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'"
                                f"{did_you_mean(fmt, ('table', 'json'))}")
    return fmt == "json"


def _say(text: str) -> None:
    """Progress and prompts go to stderr so ``--format json`` stdout stays pure JSON."""
    err().print(text)


def _col(value: Any, width: int) -> str:
    """An untrusted value padded to ``width`` columns, safe inside rich markup (padding before escaping)."""
    from rich.markup import escape

    return escape(f"{plain(value):<{width}}")


class _Key:
    """Open the chosen key for one command.

    The software key's state file is locked from the read to the save (the save happens even after a wrong
    PIN: a used try must stay used). A key that vanishes or refuses a touch becomes a one-line error.
    """

    def __init__(self, device: Optional[str], hardware: bool, software: bool, state: Optional[Path]) -> None:
        from mfakit.keys.inspect import KeyRef

        self.ref = KeyRef.choose(device, hardware, software, state)
        self._stack = ExitStack()
        self.dev: Any = None

    def __enter__(self) -> Any:
        from mfakit.keys.inspect import open_device

        if self.ref.software and self.ref.state:
            from mfakit.keys.softkey.state import open_state

            self.dev = self._stack.enter_context(open_state(self.ref.state))
        else:
            self.dev = open_device(self.ref)
            if not self.ref.software:
                self._stack.callback(_close_quietly, self.dev)
        if self.ref.software:
            where = f"state file {terminal(self.ref.state)}" if self.ref.state else "in memory, with demo content"
            _say(f"[dim]using the SOFTWARE authenticator ({where}); a real key: --hardware or --device PATH[/dim]")
        return self.dev

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        from mfakit.errors import KeyDeviceError, MfakitError
        from mfakit.keys.device_errors import classify
        from mfakit.keys.inspect import device_path

        self._stack.close()
        if exc is None or isinstance(exc, (MfakitError, typer.Exit, typer.Abort)):
            return
        problem = classify(exc) if isinstance(exc, Exception) else None
        if problem is not None:
            raise KeyDeviceError(problem[1], device_path(self.dev)) from None


def _close_quietly(dev: Any) -> None:
    try:
        dev.close()
    except OSError:  # an unplugged key cannot be closed cleanly; nothing is lost
        pass


def _load_mds(blob: Optional[Path], root: Optional[Path]) -> Any:
    from mfakit.keys.mds import DEFAULT_BLOB, DEFAULT_ROOT, load_default_mds, load_mds

    if blob or root:
        return load_mds(blob or DEFAULT_BLOB, root or DEFAULT_ROOT)
    return load_default_mds()


def obtain_pin(dev: Any, pin_stdin: bool, demo_pin: bool, accept_low: bool) -> str:
    """Show the retries left, refuse or confirm at <= 2, then read the PIN once (hidden, stdin, or demo)."""
    import getpass

    from mfakit.errors import KeyDeviceError
    from mfakit.keys.inspect import device_path, is_software
    from mfakit.keys.passkeys import check_can_ask, pin_status

    status = pin_status(dev)
    check_can_ask(status, device_path(dev))
    _say(status.before_asking())
    if status.low and not accept_low:
        if pin_stdin or demo_pin or not sys.stdin.isatty():
            raise KeyDeviceError(f"only {status.retries} PIN tries left: refusing to try without "
                                 "--accept-low-retries (a blocked PIN means a reset that erases every passkey)")
        if not typer.confirm(f"Only {status.retries} tries left. Try a PIN anyway?", default=False, err=True):
            raise typer.Abort()
    if demo_pin:
        if not is_software(dev):
            raise KeyDeviceError("--demo-pin works only with the software key; a real key's PIN is yours")
        from mfakit.keys.softkey.state import DEMO_PIN as PIN

        _say("[dim]using the software key's published demo PIN[/dim]")
        return PIN
    if pin_stdin:
        pin = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise KeyDeviceError("no terminal to ask for the PIN: use --pin-stdin (or --demo-pin for the software key)")
        if is_software(dev):
            _say("[dim](the software key's demo PIN is published in docs/keys.md; or use --demo-pin)[/dim]")
        pin = getpass.getpass("Key PIN (not shown): ", stream=sys.stderr)
    if not pin:
        raise KeyDeviceError("no PIN given: nothing was tried, no retry used")
    return pin


@app.command("list", epilog=examples("mfakit key list", "mfakit key list --format json", "mfakit key list --hardware"))
def list_cmd(hardware: bool = HARDWARE, fmt: str = FORMAT) -> None:
    """List keys: the software key, or with --hardware every connected real key (no-key vs no-permission told apart)."""
    json_mode = _fmt(fmt)
    from mfakit.keys.inspect import device_path, is_emulated, key_info

    rows: list[dict[str, Any]] = []
    problem = None
    if hardware:
        from mfakit.keys.inspect import list_hardware

        devices, diag = list_hardware()
        for dev in devices:
            row = {"path": device_path(dev), "product_name": getattr(dev, "product_name", None), "aaguid": None,
                   "model": None, "software": False, "emulated": is_emulated(dev)}
            try:
                i = key_info(dev)
                row.update({"path": i.path, "product_name": i.product_name, "aaguid": i.aaguid, "model": i.model})
            except Exception as exc:  # one odd (or unplugged) device must not hide the others
                row["error"] = type(exc).__name__
            finally:
                _close_quietly(dev)
            rows.append(row)
        if diag is not None:
            problem = {"problem": diag.problem, "message": diag.message}
    else:
        from mfakit.keys.softkey.state import demo_softkey

        i = key_info(demo_softkey(with_content=False))
        rows.append({"path": i.path, "product_name": i.product_name, "aaguid": i.aaguid, "model": i.model,
                     "software": True, "emulated": False})
    if json_mode:
        emit_json({"keys": rows, **(problem or {})})
    else:
        for r in rows:
            tag = (" [yellow](software, not a real key)[/yellow]" if r["software"] else
                   " [yellow](emulated HID, not a real key)[/yellow]" if r["emulated"] else "")
            bad = f"  [red]could not be read ({terminal(r['error'])})[/red]" if r.get("error") else ""
            out().print(f"{terminal(r['path'])}  {terminal(r['product_name'] or '?')}  "
                        f"{terminal(r.get('model') or 'unknown model')}  AAGUID {terminal(r.get('aaguid') or '?')}"
                        f"{tag}{bad}")
        if problem:
            out().print(f"[red]{terminal(problem['message'])}[/red]")
        if not hardware:
            out().print("[dim]real keys are only looked for when asked: mfakit key list --hardware[/dim]")
    if problem:
        raise typer.Exit(1)


@app.command("info", epilog=examples("mfakit key info", "mfakit key info --format json", "mfakit key info --hardware",
                                     "mfakit key info --device /dev/hidraw3"))
def info_cmd(device: Optional[str] = DEVICE, hardware: bool = HARDWARE, software: bool = SOFTWARE,
             state: Optional[Path] = STATE, mds: Optional[Path] = MDS_BLOB, mds_root: Optional[Path] = MDS_ROOT,
             fmt: str = FORMAT) -> None:
    """Model (AAGUID → name), firmware, CTAP versions, PIN set / retries left, UV, passkey slots free."""
    json_mode = _fmt(fmt)
    from mfakit.keys.inspect import key_info

    blob = _load_mds(mds, mds_root)
    with _Key(device, hardware, software, state) as dev:
        info = key_info(dev, blob)
    if json_mode:
        emit_json(info.to_dict())
        return
    pin = ("not supported" if not info.pin_supported else "not set" if not info.pin_set
           else f"set, {info.pin_retries} retries left" + (" (UNPLUG AND REPLUG to try again)" if info.replug_needed else ""))
    rows = [("Product", terminal(info.product_name or "?")), ("Model", terminal(info.model or "unknown") +
            (f"  [dim]({terminal(info.model_source)})[/dim]" if info.model_source else "")),
            ("AAGUID", terminal(info.aaguid)), ("Firmware", terminal(info.firmware or "not reported")),
            ("CTAP versions", terminal(", ".join(info.versions))), ("PIN", pin), ("User verification", info.uv),
            ("Passkey slots free", "not reported" if info.passkeys_free is None else str(info.passkeys_free)),
            ("Passkeys used", "needs the PIN: mfakit key passkeys"), ("Path", terminal(info.path))]
    for k, v in rows:
        out().print(f"{k:<20} {v}")
    for n in info.notes:
        out().print(f"[yellow]note:[/yellow] {terminal(n)}")


def _passkeys(dev: Any, pin_stdin: bool, demo_pin: bool, accept_low: bool) -> Any:
    from mfakit.keys.passkeys import list_passkeys

    pin = obtain_pin(dev, pin_stdin, demo_pin, accept_low)
    report = list_passkeys(dev, pin)
    del pin
    return report


@app.command("passkeys", epilog=examples("mfakit key passkeys --demo-pin",
                                         "mfakit key passkeys --state data/private/softkey.json --demo-pin",
                                         "mfakit key passkeys --hardware",
                                         "mfakit key passkeys --hardware --pin-stdin --format json < pin.txt"))
def passkeys_cmd(device: Optional[str] = DEVICE, hardware: bool = HARDWARE, software: bool = SOFTWARE,
                 state: Optional[Path] = STATE, pin_stdin: bool = PIN_STDIN, demo_pin: bool = DEMO_PIN,
                 accept_low_retries: bool = LOW_OK, fmt: str = FORMAT) -> None:
    """The sites (RP ids) and users holding passkeys on the key (asks for the PIN, once, hidden)."""
    json_mode = _fmt(fmt)
    with _Key(device, hardware, software, state) as dev:
        report = _passkeys(dev, pin_stdin, demo_pin, accept_low_retries)
    if json_mode:
        emit_json(report.to_dict())
        return
    free = "?" if report.free is None else report.free
    out().print(f"[bold]{report.used} passkey(s) on the key, {free} slot(s) free[/bold]")
    for p in sorted(report.passkeys, key=lambda p: (p.rp_id, p.user_name or "")):
        out().print(f"  {_col(p.rp_id, 28)} {_col(p.user_name or '?', 30)} {terminal(p.display_name or '')}")
    for n in report.notes:
        out().print(f"[dim]{terminal(n)}[/dim]")


@app.command("demo", epilog=examples("mfakit key demo", "mfakit key demo --state data/private/softkey.json",
                                     "mfakit key demo --format json", "mfakit key demo --hardware"))
def demo_cmd(device: Optional[str] = DEVICE, hardware: bool = HARDWARE, software: bool = SOFTWARE,
             state: Optional[Path] = STATE, pin_stdin: bool = PIN_STDIN, accept_low_retries: bool = LOW_OK,
             fmt: str = FORMAT) -> None:
    """A local site (Fido2Server, demo.mfakit.local) registers a passkey and a second factor, then signs in."""
    json_mode = _fmt(fmt)
    from mfakit.keys.inspect import is_software
    from mfakit.keys.passkeys import pin_status
    from mfakit.keys.webauthn_demo import run_demo

    with _Key(device, hardware, software, state) as dev:
        if is_software(dev):
            from mfakit.keys.softkey.state import DEMO_PIN as PIN
            from mfakit.keys.softkey.state import set_pin

            if not pin_status(dev).is_set:
                set_pin(dev, PIN)
                _say("[yellow]demo mode: the software key had no PIN; its published demo PIN was set[/yellow]")
            _say("[dim]demo mode: the software key's demo PIN is entered automatically; touches are simulated[/dim]")
            provider, on_touch, timeout = (lambda: PIN), None, None
        else:
            status = pin_status(dev)
            cache: dict[str, str] = {}

            def provider() -> str:
                if "pin" not in cache:  # asked once; a wrong PIN aborts the demo, it is never re-sent
                    cache["pin"] = obtain_pin(dev, pin_stdin, False, accept_low_retries)
                return cache["pin"]

            def on_touch() -> None:
                _say("[bold]Touch the key now...[/bold]")

            timeout = TOUCH_TIMEOUT_MS
            if not status.is_set:
                _say("the key has no PIN: the passkey will be made with user verification 'discouraged'")
        result = run_demo(dev, provider, on_touch, timeout)
    _stop_on_touch_or_unplug(result)
    if json_mode:
        emit_json(result.to_dict())
    else:
        _print_demo(result)
    if not result.ok:
        raise typer.Exit(1)


def _stop_on_touch_or_unplug(result: Any) -> None:
    """A refused touch, no touch in time or an unplugged key ends the demo with one line (exit 2)."""
    from mfakit.errors import KeyDeviceError
    from mfakit.keys.device_errors import TOUCH, UNPLUGGED
    from mfakit.keys.webauthn_demo import STOPPING_FAILURES

    for c in result.ceremonies:
        if c.failure in STOPPING_FAILURES:
            why = UNPLUGGED if c.failure == "unplugged" else next(
                m for kind, m in TOUCH.values() if kind == c.failure)
            step = "registration" if not c.registered else "sign-in"
            raise KeyDeviceError(f"{c.ceremony.replace('_', ' ')} {step}: {why}", result.path)


def _print_demo(result: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    who = "software authenticator" if result.software else terminal(result.path)
    out().print(f"[bold]WebAuthn at {terminal(result.origin)} (RP id {terminal(result.rp_id)}) with the {who}[/bold]")
    table = Table("What the site sees", *(c.ceremony.replace("_", " ") for c in result.ceremonies))

    def flags(f: dict[str, bool]) -> str:
        return " ".join(k for k, v in f.items() if v) or "-"

    rows = [("registered", lambda c: "yes" if c.registered else f"NO: {c.error}"),
            ("signed in", lambda c: "yes" if c.authenticated else f"NO: {c.error}" if c.registered else "-"),
            ("user verification asked", lambda c: c.user_verification),
            ("attestation", lambda c: f"{c.attestation_format} ({c.attestation_type}"
             f"{', verified' if c.attestation_verified else ''})" if c.attestation_format else "-"),
            ("AAGUID", lambda c: c.aaguid or "-"), ("model", lambda c: c.model or "unknown"),
            ("discoverable (credProps)", lambda c: str(c.discoverable).lower()),
            ("flags at registration", lambda c: flags(c.registration_flags)),
            ("flags at sign-in", lambda c: flags(c.flags)),
            ("sign counter", lambda c: str(c.sign_count) if c.sign_count is not None else "-"),
            ("user handle returned", lambda c: str(c.user_handle_returned).lower())]
    for label, get in rows:
        table.add_row(label, *(escape(plain(get(c))) for c in result.ceremonies))
    out().print(table)
    for n in result.notes:
        out().print(f"[dim]{terminal(n)}[/dim]")


@app.command("reconcile", epilog=examples("mfakit key reconcile --demo-pin",
                                          'mfakit key reconcile --demo-pin --key-name "Titan 1" --format json',
                                          'mfakit key reconcile --hardware --key-name "Titan 1"',
                                          'mfakit key reconcile --hardware --key-name "Titan 1" --record'))
def reconcile_cmd(device: Optional[str] = DEVICE, hardware: bool = HARDWARE, software: bool = SOFTWARE,
                  state: Optional[Path] = STATE, pin_stdin: bool = PIN_STDIN, demo_pin: bool = DEMO_PIN,
                  accept_low_retries: bool = LOW_OK,
                  inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="Inventory YAML."),
                  key_name: Optional[str] = typer.Option(None, "--key-name", "-k",
                                                         help='The key\'s name in the inventory, e.g. "Titan 1".'),
                  record: bool = typer.Option(False, "--record", help="Record passkeys found on the key."),
                  remove_missing: bool = typer.Option(False, "--remove-missing",
                                                      help="With --record: also remove claims not on the key."),
                  yes: bool = typer.Option(False, "--yes", "-y", help="Record without asking."),
                  fmt: str = FORMAT) -> None:
    """Compare the key's passkeys with the inventory; optionally record what was found."""
    json_mode = _fmt(fmt)
    from mfakit.config import describe_inventory, resolve_inventory
    from mfakit.errors import InventoryError
    from mfakit.inventory import load_inventory
    from mfakit.keys.reconcile import catalog_matcher, infer_key_name, reconcile, record_findings

    path = resolve_inventory(inventory)
    inv = load_inventory(path)
    name = key_name or infer_key_name(inv)
    known = sorted({f.where for a in inv.accounts for f in a.factors
                    if f.type in ("passkey", "security_key") and f.where})
    if not name:
        raise InventoryError("the inventory names several keys (or none): say which with --key-name"
                             + (f" ({', '.join(known)})" if known else ""), path)
    if known and name.casefold() not in {k.casefold() for k in known}:  # a new key is fine; a typo is told
        err().print(f"note: no account names the key '{plain(name)}' yet{did_you_mean(name, known)}",
                    markup=False, highlight=False, soft_wrap=True)
    with _Key(device, hardware, software, state) as dev:
        report = _passkeys(dev, pin_stdin, demo_pin, accept_low_retries)
    rec = reconcile(report.passkeys, inv, name, catalog_matcher())
    proposed = rec.changes(include_removals=remove_missing)
    made: list[Any] = []
    if record and proposed:
        chosen = proposed
        if not yes:
            if json_mode or not sys.stdin.isatty():
                raise InventoryError("--record needs --yes when it cannot ask (JSON output or no terminal)", path)
            chosen = [c for c in proposed if typer.confirm(
                plain(f"Record on {c['account']}: {c['op']} {c['factor']}?"), default=True, err=True)]
        made = record_findings(rec, inv, path, changes=chosen)
    if json_mode:
        d = rec.to_dict()
        d.update({"inventory": str(path), "recorded": [{"date": c.date, "op": c.op, "type": c.type,
                                                        "where": c.where} for c in made]})
        emit_json(d)
        return
    out().print(f"[bold]Key '{terminal(name)}' vs inventory {terminal(describe_inventory(path))}[/bold]")
    style = {"matched": "green", "on_key_not_recorded": "yellow", "recorded_not_on_key": "red",
             "second_factor_not_listable": "dim", "demo": "dim"}
    title = {"matched": "on the key and recorded", "on_key_not_recorded": "ON THE KEY, NOT RECORDED",
             "recorded_not_on_key": "RECORDED, NOT ON THE KEY",
             "second_factor_not_listable": "second factor (cannot be listed; not missing)", "demo": "demo"}
    for status in title:
        items = rec.by_status(status)
        if items:
            out().print(f"[{style[status]}]{title[status]}:[/]")
        for i in items:
            out().print(f"  {_col(i.account or '?', 16)} {_col(i.rp_id or '', 24)} {terminal(i.message)}")
    for n in rec.notes:
        out().print(f"[dim]{terminal(n)}[/dim]")
    if made:
        out().print(f"[green]recorded {len(made)} change(s) in {terminal(describe_inventory(path))}[/green]")
    elif proposed and not record:
        out().print(f"[dim]{len(proposed)} change(s) could be recorded: add --record"
                    f"{'' if remove_missing else ' (and --remove-missing for claims not on the key)'}[/dim]")
