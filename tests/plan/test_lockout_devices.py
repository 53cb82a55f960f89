"""Per-device lockout: "what if I lose my phone / Titan 1?" on hand-built accounts, the example, and the CLI."""

from __future__ import annotations

import json

from cli_support import run_cli
from mfakit.inventory import Account, Factor, load_inventory
from mfakit.plan.lockout import device_losses, devices, lose_device, second_key_line


def acc(label: str, *factors: str) -> Account:
    fs = [Factor(*f.split(":", 1)) if ":" in f else Factor(f) for f in factors]
    return Account(id=label.lower(), service=label.lower(), label=label, factors=fs)


ACCOUNTS = [
    acc("OnlyPhone", "totp:Phone app"),
    acc("PhoneAndCodes", "totp:Phone app", "recovery_codes:paper"),
    acc("OneKey", "security_key:Titan 1"),
    acc("OneKeyCodes", "passkey:titan 1", "recovery_codes:paper"),  # same key, other spelling
    acc("TwoKeys", "security_key:Titan 1", "security_key:Titan 2"),
    acc("KeyAndPhone", "security_key:Titan 1", "totp:Phone app"),
    acc("Sms", "sms:+81 phone"),
    acc("SmsAndEmail", "sms:+81 phone", "email"),
]


def test_every_device_is_listed_once_whatever_its_spelling() -> None:
    assert devices(ACCOUNTS) == [("Phone app", "phone app"), ("Titan 1", "key"), ("Titan 2", "key"),
                                 ("+81 phone", "phone number")]


def test_losing_the_phone_app() -> None:
    d = lose_device(ACCOUNTS, "Phone app", "phone app")
    assert d.locked_out == ("OnlyPhone",)
    assert d.needs_recovery == ("PhoneAndCodes",)
    assert set(d.accounts) == {"OnlyPhone", "PhoneAndCodes", "KeyAndPhone"}  # the key still opens KeyAndPhone


def test_losing_a_key() -> None:
    d = lose_device(ACCOUNTS, "TITAN 1", "key")
    assert d.locked_out == ("OneKey",)
    assert d.needs_recovery == ("OneKeyCodes",)
    assert "TwoKeys" in d.accounts and "TwoKeys" not in d.locked_out
    assert lose_device(ACCOUNTS, "Titan 2", "key").locked_out == ()


def test_losing_the_phone_number() -> None:
    d = lose_device(ACCOUNTS, "+81 phone", "phone number")
    assert d.locked_out == ("Sms",) and d.needs_recovery == ()  # e-mail still stands in for SmsAndEmail


def test_second_key_line_names_what_one_key_alone_guards() -> None:
    line = second_key_line(device_losses(ACCOUNTS))
    assert "would protect 2 account(s)" in line and "OneKey, OneKeyCodes" in line
    assert "No security key" in second_key_line(device_losses([ACCOUNTS[0]]))
    assert "no protection" in second_key_line(device_losses([ACCOUNTS[4]]))


def test_example_inventory_per_device(example_copy) -> None:
    losses = {d.device: d for d in device_losses(load_inventory(example_copy).accounts)}
    titan, phone = losses["Titan 1"], losses["Google Authenticator (phone)"]
    assert titan.kind == "key" and titan.locked_out == ("AWS",)
    assert set(titan.needs_recovery) == {"Google", "Microsoft", "Discord"}
    assert "じゃらん" in phone.locked_out and "GitHub" not in phone.locked_out  # GitHub has the key too


def test_cli_lockout_json(example_copy, capsys) -> None:
    code, out, err = run_cli(["lockout", "--format", "json", "--inventory", str(example_copy)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert {"device", "locked_out", "needs_recovery"} <= set(data[0])
    by = {d["device"]: d for d in data}
    assert by["Titan 1"]["locked_out"] == ["AWS"]
    assert all(isinstance(d["locked_out"], list) and isinstance(d["needs_recovery"], list) for d in data)


def test_cli_lockout_table_escapes_names(example_copy, capsys) -> None:
    text = example_copy.read_text().replace("where: Titan 1", "where: \"Titan\\e[31m 1\"")
    example_copy.write_text(text)
    code, out, err = run_cli(["lockout", "--inventory", str(example_copy)], capsys)
    assert code == 0, err
    assert "\x1b" not in out and "\\x1b" in out
    assert "A second key registered beside" in out
    code, out, err = run_cli(["lockout", "--format", "xml", "--inventory", str(example_copy)], capsys)
    assert code == 2 and "table or json" in err


def test_cli_lockout_help_has_examples(capsys) -> None:
    code, out, _err = run_cli(["lockout", "--help"], capsys)
    assert code == 0 and "mfakit lockout --format json" in out and "--inventory" in out


def test_unnamed_devices_count_once_per_kind() -> None:
    accounts = [acc("A", "security_key"), acc("B", "security_key", "totp"), acc("C", "passkey")]
    assert devices(accounts) == [("(unnamed key)", "key"), ("(unnamed phone app)", "phone app")]
    d = lose_device(accounts, "(unnamed key)", "key")
    assert d.locked_out == ("A", "C") and d.accounts == ("A", "B", "C")
