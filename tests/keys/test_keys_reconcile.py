"""Reconciliation of a key's passkeys with the inventory, and recording what was found."""

from __future__ import annotations

from mfakit.inventory import load_inventory
from mfakit.inventory.model import Account, Factor, Inventory
from mfakit.keys.passkeys import Passkey
from mfakit.keys.reconcile import heuristic_service, infer_key_name, reconcile, record_findings


def pk(rp_id: str, user: str = "me") -> Passkey:
    return Passkey(rp_id, None, user, user, "00", "id")


def inv(*accounts: Account) -> Inventory:
    return Inventory(accounts=list(accounts))


def acc(id_: str, *factors: str, account: str = "") -> Account:
    fs = [Factor(type=f.split(":")[0], where=f.split(":", 1)[1] if ":" in f else None) for f in factors]
    return Account(id=id_, service=id_, account=account, factors=fs)


def test_matched_unrecorded_missing_and_second_factor() -> None:
    i = inv(acc("google", "passkey:Titan 1", "security_key:Titan 1"), acc("github", "security_key:Titan 1", "totp"),
            acc("amazon-jp", "passkey:Titan 1"), acc("aws", "security_key:Titan 1"))
    rec = reconcile([pk("google.com"), pk("github.com"), pk("demo.mfakit.local")], i, "Titan 1")
    status = {(x.status, x.account_id) for x in rec.items}
    assert ("matched", "google") in status
    assert ("on_key_not_recorded", "github") in status
    assert ("recorded_not_on_key", "amazon-jp") in status
    assert ("second_factor_not_listable", "aws") in status
    # a second-factor registration is never called missing
    assert not any(x.status == "recorded_not_on_key" and x.account_id in ("aws", "github") for x in rec.items)
    assert any(x.status == "demo" for x in rec.items)
    assert rec.changes() == [{"account": "github", "op": "add", "factor": "passkey:Titan 1"}]
    assert {"account": "amazon-jp", "op": "remove", "factor": "passkey:Titan 1"} in rec.changes(True)
    assert any("non-discoverable" in n for n in rec.notes)


def test_other_key_name_is_not_this_key() -> None:
    i = inv(acc("google", "passkey:YubiKey backup"))
    rec = reconcile([pk("google.com")], i, "Titan 1")
    assert [x.status for x in rec.items] == ["on_key_not_recorded"]
    assert rec.items[0].change == {"account": "google", "op": "add", "factor": "passkey:Titan 1"}


def test_unknown_site_and_ambiguous_accounts() -> None:
    i = inv(acc("google", account="a@gmail.com"), Account(id="google-2", service="google", account="b@gmail.com"))
    rec = reconcile([pk("unknown.example"), pk("google.com", "b@gmail.com"), pk("google.com", "c@gmail.com")],
                    i, "Titan 1")
    unknown, by_user, ambiguous = rec.items
    assert unknown.account_id is None and "add the account" in unknown.message
    assert by_user.account_id == "google-2"  # the user name picks the account
    assert ambiguous.account_id is None and "several accounts" in ambiguous.message


def test_catalog_matcher_is_used_first() -> None:
    i = inv(acc("msa", "passkey:Titan 1"))
    rec = reconcile([pk("login.live.com")], i, "Titan 1", matcher=lambda rp, name: "msa")
    assert rec.items[0].status == "matched"
    assert heuristic_service("login.live.com", i.accounts) == []


def test_heuristic_matches_regional_domains() -> None:
    accounts = [acc("amazon-jp"), acc("amazon"), acc("x")]
    assert [a.id for a in heuristic_service("amazon.co.jp", accounts)] == ["amazon-jp"]
    assert [a.id for a in heuristic_service("www.amazon.com", accounts)] == ["amazon"]
    assert [a.id for a in heuristic_service("x.com", accounts)] == ["x"]


def test_record_findings_saves_atomically_with_history(example_copy) -> None:  # type: ignore[no-untyped-def]
    inventory = load_inventory(example_copy)
    assert infer_key_name(inventory) == "Titan 1"
    rec = reconcile([pk("google.com"), pk("github.com"), pk("login.microsoft.com")], inventory, "Titan 1")
    made = record_findings(rec, inventory, example_copy, include_removals=True)
    assert {(c.op, c.type, c.where) for c in made} == {("add", "passkey", "Titan 1"), ("remove", "passkey", "Titan 1")}
    again = load_inventory(example_copy)
    assert again.find("github").has("passkey")
    assert not again.find("amazon-jp").has("passkey")
    assert any(h.op == "add" and h.type == "passkey" for h in again.find("github").history)
    assert "# mfakit example inventory" in example_copy.read_text()  # comments survive the save
