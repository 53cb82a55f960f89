"""One place that decides how an untrusted string (an issuer, an account name, a note) is shown in each medium.

Names in an authenticator export were written by a stranger. Before a string from data reaches an output it
goes through the function for that output:

- :func:`plain`    — a terminal, not through rich markup: C0/C1 controls, DEL, bidi overrides and line/paragraph
  separators made visible as ``\\xNN`` / ``\\uNNNN`` (no ESC, no CSI, no OSC 8 link can reach the terminal).
- :func:`terminal` — a string interpolated into rich markup: :func:`plain` plus rich's markup escaped.
- :func:`cell`     — a CSV or XLSX cell: OWASP's CSV-injection rule (a value whose first character — after any
  spaces — is ``=``, ``+``, ``-``, ``@``, tab or CR, or their full-width forms, gets a leading ``'``), and controls
  (which XLSX cannot hold) made visible like :func:`plain`; a line feed stays (wrapped text).
- :func:`markdown` — a Markdown table cell or line: HTML escaped, Markdown syntax escaped, line breaks
  replaced by a space (a row stays one row), controls made visible.
- :func:`html`     — HTML text or an attribute value: ``html.escape`` with quotes, controls made visible.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

# C0 controls, DEL, C1 controls; Unicode line/paragraph separators; bidi embeddings, overrides and isolates
# (Trojan Source); the BOM / zero-width no-break space; lone surrogates (cannot be encoded).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]")
# The same without the line feed: a cell may hold several lines (the spreadsheet wraps them).
_UNSAFE_IN_CELL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
                             "\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A spreadsheet reads a cell starting (after spaces) with one of these as a formula; full-width forms included
# (Excel on a Japanese or Chinese system may take "＝" for "=").
_FORMULA = re.compile("[ \u3000]*[-=+@\t\r\uff1d\uff0b\uff0d\uff20]")
# Inline Markdown syntax: emphasis, code, links (no "[" or "]" → no link, so "(" and "!" may stay), tables,
# strike-through. "<", ">" and "&" are left to html.escape (no raw HTML, no autolink, no entity from data).
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# Block syntax only matters at the start: a heading, a list item, a setext rule.
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([#+\-=])|(\d+)([.)]))")


def _visible(ch: re.Match[str]) -> str:
    code = ord(ch.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def plain(value: Any) -> str:
    """For a terminal, outside rich markup: every control or invisible-direction character made visible."""
    return _UNSAFE.sub(_visible, _text(value))


# rich reads "[" followed by a letter, "#", "/" or "@" up to the next "]" as a tag (rich.markup.RE_TAGS).
_TAG_LIKE = re.compile(r"\[[a-z#/@][^\[]*?\]")
_BACKSLASHES_BRACKET = re.compile(r"(\\*)\[")
_TRAILING_BACKSLASHES = re.compile(r"(\\+)\Z")


def terminal(value: Any) -> str:
    """For a string placed inside rich markup: controls made visible and every ``[`` escaped so no tag is read.

    Exact: between tags (``f"[dim]{terminal(x)}[/dim]"``) rich shows ``plain(x)``, backslashes included. rich's
    own ``escape`` leaves ``\\[`` and a bracket before a non-tag alone, so a name could lose a backslash.
    """
    text = plain(value)

    def bracket(m: re.Match[str]) -> str:
        n = len(m.group(1))
        if _TAG_LIKE.match(text, m.end() - 1):  # a tag: rich halves the backslashes and keeps an odd one's "["
            return "\\" * (2 * n) + "\\["
        return "\\" * n + "\\["  # plain text: rich turns each "\\[" into "["

    text = _BACKSLASHES_BRACKET.sub(bracket, text)
    # Backslashes at the end would escape the tag that follows: doubled, as rich.markup.escape does.
    return _TRAILING_BACKSLASHES.sub(lambda m: m.group(1) * 2, text)


def cell(value: Any) -> Any:
    """For a CSV or XLSX cell: neutralise a formula (OWASP) and make controls visible (XLSX cannot hold them).

    Non-strings (numbers, dates, booleans, None) are returned unchanged: they are never formulas.
    """
    if not isinstance(value, str):
        return value
    if _FORMULA.match(value):
        value = "'" + value
    return _UNSAFE_IN_CELL.sub(_visible, value.replace("\r\n", "\n"))


def markdown(value: Any) -> str:
    """For Markdown: no raw HTML, no table-breaking pipe or line break, no emphasis or link syntax from data."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    text = _MD_INLINE.sub(r"\\\1", _UNSAFE.sub(_visible, text))
    text = _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(2)
                               else f"{m.group(1)}{m.group(3)}\\{m.group(4)}", text)
    return _html.escape(text, quote=False)


def html(value: Any) -> str:
    """For HTML text or a quoted attribute: escaped with quotes, controls made visible."""
    return _html.escape(_UNSAFE.sub(_visible, _text(value)), quote=True)


# What json.dumps(ensure_ascii=False) leaves raw inside strings (it escapes C0 itself; C0 outside strings is
# only the layout's own whitespace).
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def json_text(encoded: str) -> str:
    """Make already-encoded JSON terminal-safe: C1 controls, DEL, bidi and separator characters (which JSON
    leaves raw) written as ``\\uXXXX`` escapes. They can only occur inside strings, so the JSON is unchanged."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)

