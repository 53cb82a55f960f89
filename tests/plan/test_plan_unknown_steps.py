"""The next step of an unknown account says what to do for the kind of unknown it is."""

from __future__ import annotations

from mfakit.catalog.questions import questions_for
from mfakit.inventory.model import Account, Factor, Inventory
from mfakit.plan import build_plan


def _plan(service: str, account_id: str = "acc") -> object:
    acc = Account(id=account_id, service=service, account="taro@example.com", label=service,
                  factors=[Factor(type="totp", where="Phone")])
    (row,) = build_plan(Inventory(accounts=[acc]))
    return row


def test_email_only_label_asks_for_the_service_not_a_catalog_entry() -> None:
    row = _plan("taro@gmail.com", "taro-gmail-com")
    assert row.state == "unknown"
    assert "not a service" in row.reason
    assert "catalog add" not in row.next_step and "'service:'" in row.next_step and "taro-gmail-com" in row.next_step
    assert questions_for(row) == []


def test_ambiguous_name_names_the_candidate_ids() -> None:
    row = _plan("Amazon", "amazon")
    assert row.state == "unknown" and "several" in row.reason
    assert "amazon-jp" in row.next_step and "amazon-us" in row.next_step and "'amazon'" in row.next_step


def test_unknown_service_still_says_how_to_record_it() -> None:
    row = _plan("Work VPN", "vpn")
    assert "mfakit catalog add" in row.next_step and "What I found" in row.next_step
    assert questions_for(row)
