"""Property-based tests: whatever bytes the inventory file holds, loading gives an Inventory or an InventoryError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfakit.errors import InventoryError
from mfakit.inventory import load_inventory, save_inventory
from mfakit.inventory.changes import parse_factor_spec

EXAMPLE = (Path(__file__).resolve().parents[2] / "data" / "example" / "inventory.yaml").read_bytes()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The example with a few bytes replaced, inserted or deleted, or cut short."""
    data = bytearray(EXAMPLE)
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        byte = draw(st.sampled_from(list(b":-[]{}&*!|>'\"#\t\n x0\xff\x00")))
        if op == "replace":
            data[pos] = byte
        elif op == "insert":
            data.insert(pos, byte)
        elif op == "delete":
            del data[pos]
        else:
            del data[pos:]
            break
    return bytes(data)


@SETTINGS
@given(raw=mutated())
def test_mutated_inventory_loads_or_fails_with_one_line(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("inv") / "inventory.yaml"
    path.write_bytes(raw)
    try:
        inv = load_inventory(path)
    except InventoryError as exc:
        text = str(exc)
        assert "\n" not in text and text.startswith(str(path))
        return
    # whatever loaded must survive a save and load back to the same accounts
    save_inventory(inv)
    assert [a.id for a in load_inventory(path).accounts] == [a.id for a in inv.accounts]


@SETTINGS
@given(spec=st.text(max_size=40))
def test_factor_spec_parses_or_raises_value_error(spec: str) -> None:
    try:
        factor = parse_factor_spec(spec)
    except ValueError as exc:
        assert "is not a factor type" in str(exc)
        return
    assert factor.type in {"security_key", "passkey", "totp", "push", "sms", "email", "recovery_codes"}
