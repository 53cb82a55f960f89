"""Inventory loading, validation (FILE:LINE: account: field: problem), comment-keeping saves, hostile YAML."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from mfakit.errors import InventoryError
from mfakit.inventory import Factor, load_inventory, new_inventory, record_change, save_inventory
from mfakit.inventory.changes import parse_factor_spec

EXAMPLE_INVENTORY = Path(__file__).resolve().parents[2] / "data" / "example" / "inventory.yaml"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "inv.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_example_inventory_loads_with_seed_accounts() -> None:
    inv = load_inventory(EXAMPLE_INVENTORY)
    ids = [a.id for a in inv.accounts]
    for seed in ("google", "aws", "microsoft", "discord", "amazon-jp", "github", "x", "instagram", "facebook",
                 "zaim", "jalan"):
        assert seed in ids
    google = inv.find("google")
    assert not google.has("totp") and google.has("security_key")
    assert inv.find("じゃらん").id == "jalan"  # found by label


def test_validation_reports_file_line_account_and_field(tmp_path: Path) -> None:
    p = write(tmp_path, """\
        version: 1
        accounts:
          - id: gh
            service: github
            factors:
              - type: totp
              - type: yubikey
          - id: gh
            service: github
            colour: blue
        """)
    with pytest.raises(InventoryError) as info:
        load_inventory(p)
    problems = info.value.problems
    assert f"{p}:7: account 'gh': factors[1]: field 'type': 'yubikey' is not a factor type" in problems[0]
    assert any(f"{p}:8: account 'gh': field 'id': duplicate id (first used on line 3)" in x for x in problems)
    assert any(f"{p}:10: account 'gh': field 'colour': unknown field" in x for x in problems)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"{p}:7: ")


def test_missing_service_and_bad_date_are_named(tmp_path: Path) -> None:
    p = write(tmp_path, """\
        accounts:
          - id: a
            factors:
              - type: totp
                added: yesterday
        """)
    with pytest.raises(InventoryError) as info:
        load_inventory(p)
    text = "\n".join(info.value.problems)
    assert "account 'a': field 'service': missing" in text
    assert f"{p}:5: account 'a': factors[0]: field 'added': 'yesterday' is not a date" in text


@pytest.mark.parametrize("body,needle", [
    ("!!python/object/apply:os.system ['echo pwned']\n", "not allowed"),
    ("accounts: !!python/object:builtins.dict {}\n", "not allowed"),
    ("a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i-1}'}]\n" for i in range(70)),
     "alias"),
    ("accounts: [\n", "invalid YAML"),
    ("- just\n- a list\n", "top level must be a mapping"),
])
def test_hostile_or_broken_yaml_is_refused(tmp_path: Path, body: str, needle: str) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        load_inventory(p)
    assert needle in str(info.value)
    assert str(info.value).startswith(str(p))


def test_huge_and_binary_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# x\n" * 700_000)
    with pytest.raises(InventoryError, match="too large"):
        load_inventory(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x89PNG\x00\x00")
    with pytest.raises(InventoryError, match="binary"):
        load_inventory(binary)


def test_round_trip_keeps_comments_order_and_blank_lines(example_copy: Path) -> None:
    before = example_copy.read_text(encoding="utf-8")
    inv = load_inventory(example_copy)
    save_inventory(inv)
    assert example_copy.read_text(encoding="utf-8") == before  # an unchanged save is byte-identical
    record_change(inv, "github", add=["security_key:Titan 2"], remove=["totp"], when=date(2026, 1, 2), force=True)
    after = example_copy.read_text(encoding="utf-8")
    assert "# mfakit example inventory" in after
    assert "# GitHub insists on a backup method beside the key" not in after  # its line was the removed factor
    assert "Edit freely: your own comments survive" in after
    assert "\n\n  - id: x\n" in after  # blank line between accounts kept
    assert "&id" not in after and "*id" not in after  # no anchors for shared dates
    again = load_inventory(example_copy)
    gh = again.find("github")
    assert [f.spec() for f in gh.factors] == ["security_key:Titan 1", "recovery_codes:password manager",
                                             "security_key:Titan 2"]
    assert [(c.op, c.type) for c in gh.history] == [("remove", "totp"), ("add", "security_key")]
    assert [a.id for a in again.accounts] == [a.id for a in load_inventory(EXAMPLE_INVENTORY).accounts]


def test_comment_on_an_untouched_factor_survives(example_copy: Path) -> None:
    inv = load_inventory(example_copy)
    record_change(inv, "github", add=["security_key:Titan 2"])
    assert "- type: totp # GitHub insists on a backup method beside the key" in example_copy.read_text()


def test_record_change_errors_are_one_line(example_copy: Path) -> None:
    inv = load_inventory(example_copy)
    with pytest.raises(InventoryError, match="no account 'nope'"):
        record_change(inv, "nope", add=["totp"])
    with pytest.raises(InventoryError, match="has no factor sms"):
        record_change(inv, "github", remove=["sms"])
    with pytest.raises(InventoryError, match="not a factor type"):
        record_change(inv, "github", add=["fingerprint"])
    with pytest.raises(InventoryError, match="nothing to record"):
        record_change(inv, "github")


def test_parse_factor_spec() -> None:
    assert parse_factor_spec('security_key:"Titan 1"') == Factor("security_key", "Titan 1")
    assert parse_factor_spec("security-key") == Factor("security_key", None)
    with pytest.raises(ValueError):
        parse_factor_spec("otp")


def test_new_inventory_saves_and_loads(tmp_path: Path) -> None:
    inv = new_inventory(tmp_path / "sub" / "mine.yaml", title="mine")
    from mfakit.inventory import Account
    inv.accounts.append(Account(id="gh", service="github", label="GitHub", factors=[Factor("totp", "phone")]))
    save_inventory(inv)
    back = load_inventory(tmp_path / "sub" / "mine.yaml")
    assert back.title == "mine" and back.accounts[0].factors[0].where == "phone"


def test_failed_verification_leaves_old_file(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = example_copy.read_bytes()
    inv = load_inventory(example_copy)
    inv.find("github").notes = "changed"
    import mfakit.inventory.save as save

    def broken_dump(doc, **kw):  # a writer bug that would drop entries
        return "version: 1\naccounts: []\n"

    monkeypatch.setattr(save, "dump_yaml", broken_dump)
    with pytest.raises(InventoryError, match="refusing to save"):
        save_inventory(inv)
    assert example_copy.read_bytes() == before
    assert not list(example_copy.parent.glob(".inventory.yaml.*.tmp"))  # no temp file left behind


_KILL_WRITER = """
import os, signal, sys
from mfakit.inventory import load_inventory, save_inventory
import mfakit.fileio as fio
path = sys.argv[1]
inv = load_inventory(path)
inv.find("github").notes = "new notes " * 50
real_fsync = os.fsync
def die_during_fsync(fd):
    os.kill(os.getpid(), signal.SIGKILL)   # the process dies with the temp file half-done
fio.os.fsync = die_during_fsync
save_inventory(inv)
"""


def test_writer_killed_mid_save_leaves_a_loadable_file(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    proc = subprocess.run([sys.executable, "-c", _KILL_WRITER, str(example_copy)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert example_copy.read_bytes() == before
    assert len(load_inventory(example_copy).accounts) == 12
