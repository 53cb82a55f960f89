"""Property: any text you record as a note (markup, escapes, YAML syntax, other scripts) reads back as written
(whitespace folded), or is refused with one line; the file always stays valid."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfakit.catalog.personal import read_personal, set_facts
from mfakit.errors import CatalogError

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60) | st.sampled_from([
    "[/bold]", "\x1b[31mred", "- item", ": colon", "#hash", "'quote\"", "yes", "null", "2024-06-31", "{a: b}",
    "じゃらん", "\u2028line", "\x85nel", "\ufeffbom", "=HYPERLINK(\"x\")",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=TEXT, source=TEXT)
def test_notes_and_sources_round_trip(note: str, source: str, _personal_catalog: Path) -> None:
    try:
        set_facts("github", {"notes": note}, source=source)
    except CatalogError as exc:
        assert "\n" not in str(exc)
        return
    got = {s.id: s for s in read_personal(_personal_catalog)}["github"]
    assert got.notes == " ".join(note.split())
    assert got.extra["notes"].source == (" ".join(source.split()) or got.extra["notes"].source)


def test_lone_surrogate_is_refused_in_one_line(_personal_catalog: Path) -> None:
    try:
        set_facts("github", {"notes": "bad \ud800 text"})
    except CatalogError as exc:
        assert "\n" not in str(exc)
    else:
        assert read_personal(_personal_catalog)  # or written safely
