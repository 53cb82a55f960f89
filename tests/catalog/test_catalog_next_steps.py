"""The plan's next step for an account the catalog cannot settle says exactly how to record the answer."""

from __future__ import annotations

from mfakit.catalog.model import Fact, Match, Service
from mfakit.inventory import Account, Factor
from mfakit.plan import plan_account


def fact(value, origin: str = "curated") -> Fact:  # type: ignore[no-untyped-def]
    return Fact(value, "https://example.test/doc", "2026-01-01", origin)


def svc(key_only: str | None, sk: bool | None = True, backups=None, origin: str = "curated") -> Service:  # type: ignore[no-untyped-def]
    supports = {"totp": fact(True)}
    if sk is not None:
        supports["security_key"] = fact(sk)
    return Service(id="shop-jp", name="Shop", supports=supports,
                   key_only=fact(key_only, origin) if key_only else None,
                   backups_required=fact(backups) if backups else None)


def step(service: Service | None, how: str = "id", candidates: tuple[str, ...] = ()) -> tuple[str, str, str]:
    account = Account(id="a", service="Example Shop", label="A", factors=[Factor("totp", "phone")])
    row = plan_account(account, Match(service, how if service else how, candidates))
    return row.state, row.next_step, row.reason


def test_unknown_key_support_names_the_command_and_the_widget() -> None:
    state, text, _ = step(svc(None, sk=None))
    assert state == "unknown"
    assert "mfakit catalog set shop-jp key_support=ANSWER (security_key, passkey, both or none)" in text
    assert '"What I found" in notebook 02' in text and "|" not in text  # nothing a shell would pipe


def test_unknown_key_only_names_the_command() -> None:
    state, text, _ = step(svc("unknown"))
    assert state == "unknown" and "mfakit catalog set shop-jp key_only=yes (or no)" in text


def test_not_in_catalog_names_add_then_set() -> None:
    state, text, why = step(None, "none")
    assert state == "unknown"
    assert "mfakit catalog add 'Example Shop', then mfakit catalog set example-shop key_support=ANSWER" in text
    state, _, why = step(None, "partial", ("shop-jp",))
    assert "closest: shop-jp" in why
    assert "tenant" in step(None, "tenant")[2]


def test_hybrid_hint_only_where_the_catalog_states_no_backup() -> None:
    state, text, _ = step(svc("no"))
    assert state == "hybrid" and "Found that TOTP can go? Record it: mfakit catalog set shop-jp key_only=yes" in text
    assert "Record it" not in step(svc("no", backups=["totp or sms"]))[1]  # the requirement is stated: no hint
    assert "Record it" not in step(svc("no", origin="personal"))[1]  # your own finding: no hint
