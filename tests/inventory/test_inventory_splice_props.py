"""Property test of minimal rewrites: any mix of edits, additions and deletions saves to a file that loads back
to exactly the inventory in memory, with every untouched account's lines byte for byte as they were."""

from __future__ import annotations


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfakit.inventory import Account, Factor, load_inventory, save_inventory
from inventory_support import big_inventory

N = 12
TEXT = big_inventory(N).replace("title: many accounts\n", "title: many accounts  # keep me\n")
TEXT_WITH_TAIL = TEXT + "# a comment after every account\n"
NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12).filter(str.strip)
EDIT = st.one_of(
    st.tuples(st.just("notes"), st.integers(0, N - 1), NAMES),
    st.tuples(st.just("label"), st.integers(0, N - 1), NAMES),
    st.tuples(st.just("add"), st.integers(0, N - 1), st.sampled_from(["security_key", "passkey", "email"])),
    st.tuples(st.just("drop"), st.integers(0, N - 1), st.just("")),
    st.tuples(st.just("new"), st.integers(0, 3), NAMES),
)


def _block(text: str, i: int) -> str:
    start = text.index(f"- id: acct-{i} ")
    nxt = text.find("\n- id: ", start + 1)
    return text[start:nxt if nxt >= 0 else len(text)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=1, max_size=5), tail=st.booleans())
def test_any_edits_save_minimally_and_load_back(tmp_path_factory, edits, tail: bool) -> None:
    path = tmp_path_factory.mktemp("splice") / "inventory.yaml"
    original = TEXT_WITH_TAIL if tail else TEXT
    path.write_text(original, encoding="utf-8")
    inv = load_inventory(path)
    touched: set[int] = set()
    for op, i, value in edits:
        ident = f"acct-{i}"
        acc = next((a for a in inv.accounts if a.id == ident), None)
        if op == "new":
            if all(a.id != f"new-{i}" for a in inv.accounts):
                inv.accounts.append(Account(id=f"new-{i}", service=value.strip(), factors=[Factor("totp")]))
            continue
        if acc is None:
            continue
        touched.add(i)
        if op == "notes":
            acc.notes = value
        elif op == "label":
            acc.label = value
        elif op == "add":
            acc.factors.append(Factor(value, "Titan 9"))
        elif op == "drop":
            inv.accounts.remove(acc)
    save_inventory(inv)
    after = path.read_text(encoding="utf-8")
    assert load_inventory(path).accounts == inv.accounts
    assert "title: many accounts  # keep me" in after
    for i in range(N):
        if i not in touched:
            block = _block(original, i)
            if i == N - 1 and tail:
                block = block.replace("# a comment after every account\n", "")
            assert block in after, f"acct-{i} was rewritten"
    if tail:
        assert "# a comment after every account" in after
