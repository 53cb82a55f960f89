"""How saves touch the disk: only the changed account's bytes, symlinks written through, stale copies refused,
full disks and impossible paths reported in one line with the old file intact."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from mfakit.errors import InventoryError, MfakitError
from mfakit.inventory import Account, Factor, load_inventory, record_change, save_inventory
from inventory_support import big_inventory

ROOT = Path(__file__).resolve().parents[2]


def _outside(text: str, account_id: str) -> tuple[str, str]:
    """The text before and after one account's lines (from its '- id:' line to the next account's)."""
    start = text.index(f"- id: {account_id} ")
    nxt = text.find("\n- id: ", start + 1)
    return text[:start], text[nxt:] if nxt >= 0 else ""


@pytest.mark.parametrize("target", ["acct-0", "acct-1", "acct-2", "acct-30", "acct-59"])
def test_a_save_leaves_every_byte_outside_the_changed_account(tmp_path: Path, target: str) -> None:
    path = tmp_path / "inventory.yaml"
    before = big_inventory(60)
    path.write_text(before, encoding="utf-8")
    inv = load_inventory(path)
    record_change(inv, target, add=["security_key:Titan 1"], when=date(2026, 1, 2))
    after = path.read_text(encoding="utf-8")
    assert _outside(after, target) == _outside(before, target)  # byte for byte
    assert "group: Other" not in after
    assert after.count("factors: [") >= before.count("factors: [") - 1  # flow lists stay flow lists
    again = load_inventory(path)
    assert again.accounts == inv.accounts
    assert again.find(target).has("security_key")


def test_a_new_account_is_appended_and_the_rest_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    before = big_inventory(20)
    path.write_text(before, encoding="utf-8")
    inv = load_inventory(path)
    inv.accounts.append(Account(id="new-one", service="github", factors=[Factor("totp", "phone")]))
    save_inventory(inv)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert [a.id for a in load_inventory(path).accounts][-1] == "new-one"


def test_nel_and_line_separators_in_a_name_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(big_inventory(3), encoding="utf-8")
    inv = load_inventory(path)
    inv.find("acct-1").label = "Bank\x85Next\u2028Line\u2029Para\x1b[31m"
    save_inventory(inv)
    assert load_inventory(path).find("acct-1").label == "Bank\x85Next\u2028Line\u2029Para\x1b[31m"
    assert "\x85" not in path.read_text(encoding="utf-8")  # written escaped, not raw


def test_a_symlinked_inventory_is_written_through(tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    sync.mkdir()
    real = sync / "inventory.yaml"
    real.write_text(big_inventory(5), encoding="utf-8")
    link = tmp_path / "inv.yaml"
    link.symlink_to(Path("sync") / "inventory.yaml")
    inv = load_inventory(link)
    record_change(inv, "acct-2", remove=["totp"], force=True)
    assert link.is_symlink() and os.readlink(link) == str(Path("sync") / "inventory.yaml")
    assert not load_inventory(real).find("acct-2").has("totp")  # the real file got the change
    assert sorted(p.name for p in sync.iterdir() if not p.name.endswith(".lock")) == ["inventory.yaml"]
    assert not list(tmp_path.glob(".inv.yaml*"))  # nothing written beside the link


def test_a_stale_copy_lands_beside_the_newer_file_unless_both_changed_an_account(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(big_inventory(5), encoding="utf-8")
    first, second, third = load_inventory(path), load_inventory(path), load_inventory(path)
    record_change(first, "acct-0", add=["passkey:Titan 1"])
    second.find("acct-1").notes = "edited in a stale copy"
    second.accounts.append(Account(id="added-late", service="gitlab", factors=[Factor("totp")]))
    save_inventory(second)  # rebased on the newer file: both changes land
    record_change(second, "acct-3", add=["security_key:Titan 2"])
    final = load_inventory(path)
    assert final.find("acct-0").has("passkey") and final.find("acct-3").has("security_key")
    assert final.find("acct-1").notes == "edited in a stale copy" and final.find("added-late")
    before = path.read_bytes()
    third.find("acct-0").notes = "a conflicting edit"  # acct-0 changed on disk since third read it
    with pytest.raises(InventoryError, match=r"changed the same account\(s\) \(acct-0\)"):
        save_inventory(third)
    assert path.read_bytes() == before


def test_a_path_through_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    inv = load_inventory(ROOT / "data" / "example" / "inventory.yaml")
    with pytest.raises(MfakitError) as info:
        save_inventory(inv, tmp_path / "f" / "new.yaml")
    assert "is a file, not a folder" in str(info.value) and "\n" not in str(info.value)


_FULL_DISK = """
import resource, sys
from mfakit.cli.main import run
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))   # the shell's `ulimit -f 0`: every write fails (EFBIG)
run(sys.argv[1:])
"""


@pytest.mark.parametrize("args", [
    ["record", "acct-1", "--add", "security_key:K", "-i", "{inv}"],
    ["init", "-i", "{new}"],
    ["init", "--from-example", "-i", "{new}"],
    ["import", "{links}", "--inventory", "{inv}"],
    ["key", "demo", "--state", "{new}"],
    ["aws", "policy", "-o", "{new}"],
    ["export", "-o", "{new}.csv", "-i", "{inv}"],
])
def test_a_full_disk_is_one_line_exit_2_and_the_file_intact(tmp_path: Path, args: list[str]) -> None:
    inv = tmp_path / "inventory.yaml"
    inv.write_text(big_inventory(4), encoding="utf-8")
    links = tmp_path / "links.txt"
    links.write_text("otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n")
    before = inv.read_bytes()
    argv = [a.format(inv=inv, new=tmp_path / "new.yaml", links=links) for a in args]
    res = subprocess.run([sys.executable, "-c", _FULL_DISK, *argv], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2, res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("mfakit: error:")]
    assert len(errors) == 1 and "disk is full" in errors[0] and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1] == errors[0]  # the error is one line, and the last
    assert inv.read_bytes() == before
    assert not list(tmp_path.glob("new.yaml*"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_block_scalars_and_section_comments_survive_a_change(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text("version: 1\naccounts:\n"
                    "  - id: a\n    service: github\n    notes: |\n      first line\n      # not a comment\n"
                    "    factors: [totp]\n\n# ---- Work ----\n"
                    "  - id: b\n    service: gitlab\n    notes: |\n      keep\n      # me too\n\n# end of file\n",
                    encoding="utf-8")
    inv = load_inventory(path)
    assert inv.find("a").notes == "first line\n# not a comment"
    record_change(inv, "a", add=["security_key:K"])
    record_change(inv, "b", add=["passkey:K"])
    inv.find("b").notes = "changed\n# still text"
    save_inventory(inv)
    text = path.read_text(encoding="utf-8")
    assert "# ---- Work ----" in text and "# end of file" in text
    back = load_inventory(path)
    assert back.accounts == inv.accounts
    assert back.find("b").notes == "changed\n# still text"


def test_a_new_inventory_never_replaces_an_existing_file(tmp_path: Path) -> None:
    from mfakit.inventory import new_inventory

    path = tmp_path / "inventory.yaml"
    path.write_text(big_inventory(2), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InventoryError, match="already exists"):
        save_inventory(new_inventory(path))
    assert path.read_bytes() == before


def test_library_paths_are_relative_to_the_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook (cwd notebooks/) passing "data/private/inventory.yaml" means the project's data/ folder."""
    from mfakit import config
    from mfakit.inventory import init_inventory, new_inventory

    root = tmp_path / "project"
    (tmp_path / "project" / "notebooks").mkdir(parents=True)
    monkeypatch.setattr(config, "PROJ_ROOT", root)
    monkeypatch.chdir(root / "notebooks")
    created = init_inventory("data/private/inventory.yaml")
    assert created == root / "data" / "private" / "inventory.yaml" and created.exists()
    assert load_inventory("data/private/inventory.yaml").path == created
    other = save_inventory(new_inventory("data/private/second.yaml"))
    assert other == root / "data" / "private" / "second.yaml"
    assert not (root / "notebooks" / "data").exists()


def test_a_duplicate_id_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(big_inventory(3), encoding="utf-8")
    before = path.read_bytes()
    inv = load_inventory(path)
    inv.accounts.append(Account(id="acct-1", service="dup"))
    with pytest.raises(InventoryError, match="unique"):
        save_inventory(inv)
    assert path.read_bytes() == before
