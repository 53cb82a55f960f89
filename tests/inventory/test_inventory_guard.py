"""Guard rails: which removals are refused, each reason one line citing the catalog fact and its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from mfakit.catalog.model import Fact, Service
from mfakit.errors import MfakitError, RecordRefused
from mfakit.inventory import Account, Factor, load_inventory, record_change
from mfakit.inventory.guard import refusals, requirement_check


def service(backups=None, key_only=None) -> Service:
    return Service(id="svc", name="Svc", key_only=Fact(key_only, "https://svc.example/help", "2026-01-01")
                   if key_only else None,
                   backups_required=Fact(backups, "https://svc.example/2fa", "2026-02-02") if backups else None)


def account(*specs: str) -> Account:
    factors = []
    for spec in specs:
        ftype, _, where = spec.partition(":")
        factors.append(Factor(ftype, where or None))
    return Account(id="acct", service="svc", factors=factors)


def test_a_required_backup_cannot_go_but_an_alternative_may() -> None:
    svc = service(backups=["totp or sms"])
    reasons = refusals(account("totp:phone", "security_key:Titan 1"), [Factor("totp")], svc)
    assert len(reasons) == 1
    assert "Svc requires totp or sms" in reasons[0] and "source: https://svc.example/2fa" in reasons[0]
    assert "as of 2026-02-02" in reasons[0] and "\n" not in reasons[0]
    assert refusals(account("totp:phone", "sms", "security_key"), [Factor("totp")], svc) == []
    assert refusals(account("totp:phone", "totp:tablet", "security_key"), [Factor("totp", "phone")], svc) == []


def test_key_only_no_keeps_the_last_totp_or_sms() -> None:
    svc = service(key_only="no")
    reasons = refusals(account("totp", "security_key"), [Factor("totp")], svc)
    assert len(reasons) == 1 and "key_only: no; source: https://svc.example/help" in reasons[0]
    assert refusals(account("totp", "sms", "security_key"), [Factor("totp")], svc) == []
    assert refusals(account("totp", "security_key"), [Factor("totp")], service(key_only="yes")) == []


@pytest.mark.parametrize("requirement,before,remove,refused", [
    ("second security key", ["security_key:A", "security_key:B", "totp"], "security_key:B", True),
    ("second security key", ["security_key:A", "security_key:B", "security_key:C"], "security_key:B", False),
    ("another 2FA method", ["security_key:A", "sms"], "sms", True),
    ("another 2FA method", ["security_key:A", "sms", "email"], "sms", False),
    ("recovery codes", ["passkey", "recovery_codes", "totp"], "recovery_codes", True),
    ("a carrier pigeon", ["security_key", "totp"], "totp", False),  # not understood: never blocks
])
def test_requirements_as_written_in_the_catalog(requirement, before, remove, refused) -> None:
    ftype, _, where = remove.partition(":")
    reasons = refusals(account(*before), [Factor(ftype, where or None)], service(backups=[requirement]))
    assert bool(reasons) is refused


def test_the_last_second_factor_needs_force_even_without_a_catalog_entry() -> None:
    reasons = refusals(account("totp", "recovery_codes:drawer"), [Factor("totp")], None)
    assert reasons == ["removing totp would leave 'acct' with no second factor at all (source: your inventory)"]
    assert refusals(account("totp"), [Factor("totp")], None, add=[Factor("passkey")]) == []
    assert refusals(account("totp"), [], None) == []
    assert requirement_check("totp or sms")([Factor("sms")])


def test_record_change_refuses_then_records_with_force(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    inv = load_inventory(example_copy)
    with pytest.raises(RecordRefused) as info:
        record_change(inv, "github", remove=["totp"])
    assert isinstance(info.value, MfakitError)
    assert "GitHub requires totp or sms" in str(info.value) and "--force" in str(info.value)
    assert info.value.reasons and example_copy.read_bytes() == before
    assert inv.find("github").has("totp")  # nothing changed in memory either
    made = record_change(inv, "github", remove=["totp"], force=True)
    assert [c.op for c in made] == ["remove"]
    assert not load_inventory(example_copy).find("github").has("totp")
