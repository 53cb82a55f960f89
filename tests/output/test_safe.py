"""mfakit.safe: each medium's rule on the known payloads and on any text."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from mfakit import safe
from payloads import PAYLOADS

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_FORMULA = re.compile("[ \u3000]*[-=+@\t\r\uff1d\uff0b\uff0d\uff20]")
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=60),
                    st.text(alphabet="[]/\\=+-@|<>&\"'`*_#\r\n\t\x1b\x9b\x07link=bold ", max_size=30))


def _rendered(markup: str) -> str:
    """What a colour terminal receives for ``markup``, and the plain text it shows."""
    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="truecolor", width=1000, emoji=False).print(markup, end="")
    return buf.getvalue()


@settings(max_examples=100, deadline=None)
@given(hostile)
def test_terminal_shows_the_text_and_sends_no_escape(value: str) -> None:
    shown = safe.terminal(value)
    out = _rendered(f"[bold]{shown}[/bold]")  # inside our own markup, as the commands use it
    body = re.sub(r"\x1b\[[0-9;]*m", "", out)  # our own colours only
    assert not _CONTROLS.search(body)
    assert "\x1b]8" not in out  # no hyperlink
    # read as text, not as markup (between our own tags, as the commands place it)
    assert Text.from_markup(f"[dim]{shown}[/dim]", emoji=False).plain == safe.plain(value)
    assert Text.from_markup(f"{shown} [dim]x[/dim]", emoji=False).plain.startswith(safe.plain(value).rstrip("\\"))


@settings(max_examples=100, deadline=None)
@given(hostile)
def test_plain_has_no_control_and_keeps_printable_text(value: str) -> None:
    shown = safe.plain(value)
    assert not _CONTROLS.search(shown)
    if not _CONTROLS.search(value) and not re.search("[\ud800-\udfff\ufffe\uffff]", value):
        assert shown == value


@settings(max_examples=100, deadline=None)
@given(hostile)
def test_cell_is_never_a_formula_and_round_trips_csv(value: str) -> None:
    c = safe.cell(value)
    assert not _FORMULA.match(c) or c.startswith("'")
    assert not re.search("[\x00-\x09\x0b-\x1f]", c)  # what XLSX (XML 1.0) cannot hold, and no tab/CR
    buf = io.StringIO()
    csv.writer(buf).writerow([c, "next"])
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == [c, "next"]
    if _FORMULA.match(value) and not _CONTROLS.search(value.replace("\n", "")):
        assert c == "'" + value.replace("\r\n", "\n")  # modulo the neutralising quote


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\t=1", "\r=1", "  =1", "＝1", "\u3000=1"])
def test_cell_neutralises_every_formula_start(value: str) -> None:
    assert safe.cell(value).startswith("'")


@pytest.mark.parametrize("value", [3, 2.5, None, True])
def test_cell_leaves_non_strings(value) -> None:
    assert safe.cell(value) is value


@settings(max_examples=100, deadline=None)
@given(hostile)
def test_markdown_is_one_cell_with_no_html(value: str) -> None:
    md = safe.markdown(value)
    assert "\n" not in md and "\r" not in md
    assert "<" not in md and ">" not in md
    assert not re.search(r"(?<!\\)\|", md.replace("\\\\", ""))  # every pipe escaped
    assert not re.match(r"\s*([#>+\-=]|\d+[.)])", md)  # no heading, quote or list from data


@settings(max_examples=100, deadline=None)
@given(hostile)
def test_html_escapes_markup_and_quotes(value: str) -> None:
    h = safe.html(value)
    assert not re.search("[<>\"']", h)
    assert html.unescape(h) == safe.plain(value)


@pytest.mark.parametrize("value", ["\\[", "\\\\[bold]", "[bold]", "a\\", "\\[/x]", "[/]", "\\\\\\[link=x]y[/link]",
                                   "[[b]]", "x[", "]", "[#fff]", "[@click]", "\\"])
def test_terminal_is_exact_for_brackets_and_backslashes(value: str) -> None:
    shown = safe.terminal(value)
    assert Text.from_markup(f"[bold]{shown}[/bold]", emoji=False).plain == value
    assert Text.from_markup(f"[bold]{shown}[/bold]", emoji=False).spans[0].style == "bold"  # our tag still closes
