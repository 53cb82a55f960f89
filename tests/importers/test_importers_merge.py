"""Merging imported records into the inventory: add / update / skip, catalog matching, labels, idempotency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from importers_support import run_cli

from mfakit.importers import apply_merge, plan_merge, read_export
from mfakit.inventory import load_inventory, save_inventory

LINKS = "\n".join([
    "otpauth://totp/GitHub:stakahashi?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",            # has totp → skip
    "otpauth://totp/Microsoft:s-takahashi%40outlook.jp?secret=KRSXG5A&issuer=Microsoft",  # no totp → update
    "otpauth://totp/Dropbox:anna%40example.com?secret=MFRGGZDF&issuer=Dropbox",           # new
    "otpauth://totp/Dropbox:bob%40example.com?secret=MFRGGZDG&issuer=Dropbox",            # new, same service
    "otpauth://hotp/Tiny%20Forum:me?secret=MFRGGZDH&counter=3",                           # new, unmatched, hotp
    "otpauth://totp/%E6%A5%BD%E5%A4%A9:taro?secret=MFRGGZDI",                             # 楽天 → rakuten
]) + "\n"


@pytest.fixture
def links(tmp_path: Path) -> Path:
    p = tmp_path / "links.txt"
    p.write_text(LINKS)
    return p


def test_plan_and_apply_on_the_example(example_copy: Path, links: Path) -> None:
    from mfakit.catalog import load_catalog

    inv = load_inventory(example_copy)
    n_before = len(inv.accounts)
    records = read_export(links).records
    plan = plan_merge(inv, records, catalog=load_catalog(), app="Google Authenticator")
    by = {(i.record.issuer, i.record.account): i for i in plan.items}
    assert by[("GitHub", "stakahashi")].action == "skip"
    assert by[("GitHub", "stakahashi")].account.id == "github"
    assert by[("Microsoft", "s-takahashi@outlook.jp")].action == "update"
    assert by[("Dropbox", "anna@example.com")].action == "add"
    assert by[("楽天", "taro")].service == "rakuten"
    assert by[("Tiny Forum", "me")].service is None
    assert [i.record.issuer for i in plan.unmatched] == ["Tiny Forum"]
    assert plan.counts() == {"added": 4, "updated": 1, "skipped": 1, "unmatched": 1}

    apply_merge(inv, plan)
    save_inventory(inv)
    again = load_inventory(example_copy)
    assert len(again.accounts) == n_before + 4
    ms = again.find("microsoft")
    assert [(f.type, f.where) for f in ms.factors if f.type == "totp"] == [("totp", "Google Authenticator")]
    assert ms.history[-1].op == "add" and ms.history[-1].type == "totp"   # the update is in the history
    new = {a.account: a for a in again.accounts[n_before:]}
    assert new["anna@example.com"].label == "Dropbox (anna)" and new["bob@example.com"].label == "Dropbox (bob)"
    assert new["anna@example.com"].service == "dropbox" and new["anna@example.com"].group == "Imported"
    assert new["anna@example.com"].id != new["bob@example.com"].id
    forum = new["me"]
    assert forum.service == "Tiny Forum" and forum.id == "tiny-forum"
    assert [(f.type, f.where, f.note) for f in forum.factors] == [("totp", "Google Authenticator", "hotp")]
    assert new["taro"].service == "rakuten" and new["taro"].label == "楽天"


@pytest.fixture
def aegis_dir(tmp_path: Path) -> Path:
    """../shared's Aegis-family files, or the generated ones (same names and accounts, FAKE secrets)."""
    real = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "otp-exports" / "aegis"
    if real.is_dir():
        return real
    from gen_exports import aegis_family

    (tmp_path / "aegis-family").mkdir()
    return aegis_family(tmp_path / "aegis-family")


def test_groups_from_the_app_become_the_group(aegis_dir: Path, tmp_path: Path) -> None:
    from mfakit.inventory import new_inventory

    inv = new_inventory(tmp_path / "inv.yaml")
    records = read_export(aegis_dir / "aegis_plain_grouped_v2.json").records
    plan = plan_merge(inv, records, catalog=None)
    groups = {i.record.issuer: i.account.group for i in plan.items}
    assert groups["Deno"] == "group1" and groups["Issuu"] == "group2" and groups["SPDX"] == "Imported"
    assert {i.account.factors[0].where for i in plan.items} == {"Aegis"}


def test_cli_import_is_idempotent(aegis_dir: Path, tmp_path: Path, capsys) -> None:
    inv = tmp_path / "inv.yaml"
    files = [str(p) for p in sorted(aegis_dir.iterdir())]
    code, out, err = run_cli(["import", *files, "--inventory", str(inv), "--password-stdin"], capsys, "test\n")
    assert code == 0, err
    assert "9 to add, 0 to update, 0 skipped" in out
    first = inv.read_bytes()
    code, out, err = run_cli(["import", *files, "--inventory", str(inv), "--password-stdin"], capsys, "test\n")
    assert code == 0 and "0 to add, 0 to update, 9 skipped" in out and "nothing to change" in out
    assert inv.read_bytes() == first
    assert len(load_inventory(inv).accounts) == 9


def test_dry_run_json_is_pure_and_complete(example_copy: Path, links: Path, capsys) -> None:
    before = example_copy.read_bytes()
    code, out, err = run_cli(["import", str(links), "--dry-run", "--format", "json", "--inventory", str(example_copy)],
                             capsys)
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 6
    for row in rows:
        assert {"issuer", "account", "type", "algorithm", "digits", "period", "counter", "format", "service"} <= set(row)
    assert {r["issuer"]: r["service"] for r in rows}["Tiny Forum"] is None
    assert {r["issuer"]: r["service"] for r in rows}["GitHub"] == "github"
    assert example_copy.read_bytes() == before
    assert "inventory:" in err and "dry run" in err


def test_default_inventory_is_never_the_bundled_example(tmp_path: Path, links: Path, capsys, monkeypatch) -> None:
    from mfakit import config

    private = tmp_path / "private" / "inventory.yaml"
    monkeypatch.delenv("MFAKIT_INVENTORY", raising=False)
    monkeypatch.setattr(config, "PRIVATE_INVENTORY", private)
    example = config.EXAMPLE_INVENTORY.read_bytes()
    code, out, err = run_cli(["import", str(links)], capsys)  # no inventory of one's own: refused, names init
    assert code == 2 and "mfakit init" in err and len(err.strip().splitlines()) == 1
    assert config.EXAMPLE_INVENTORY.read_bytes() == example and not private.exists()
    assert run_cli(["init"], capsys)[0] == 0 and private.exists()
    code, out, err = run_cli(["import", str(links)], capsys)
    assert code == 0, err
    assert config.EXAMPLE_INVENTORY.read_bytes() == example
    assert len(load_inventory(private).accounts) == 6


def test_groups_become_the_group_on_a_generated_export(tmp_path: Path) -> None:
    """The same as above on a fresh clone: the generated Aegis vault's groups (v3 uuids → names)."""
    from gen_exports import GENERATORS

    from mfakit.inventory import new_inventory

    path = tmp_path / "aegis.json"
    path.write_bytes(GENERATORS["aegis"]().data)
    plan = plan_merge(new_inventory(tmp_path / "inv.yaml"), read_export(path).records, catalog=None)
    groups = {i.record.issuer: i.account.group for i in plan.items}
    assert groups["GitHub"] == "Work" and groups["楽天"] == "買い物" and groups["Forum"] == "Imported"
    assert {i.account.factors[0].where for i in plan.items} == {"Aegis"}
    twins = [i for i in plan.items if i.record.issuer == "Twin"]
    assert [i.action for i in twins] == ["add", "skip"]  # two entries, one inventory account
