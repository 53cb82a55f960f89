"""One place that decides how an untrusted string (an issuer, an account name, a note) is shown in each medium.

Names in an authenticator export were written by a stranger. Before a string from data reaches an output it
goes through the function for that output:

- :func:`plain`    — a terminal, not through rich markup: C0/C1 controls, DEL, bidi overrides and line/paragraph
  separators made visible as ``\\xNN`` / ``\\uNNNN`` (no ESC, no CSI, no OSC 8 link can reach the terminal).
- :func:`terminal` — a string interpolated into rich markup: :func:`plain` plus rich's markup escaped.
- :func:`cell`     — a CSV or XLSX cell: OWASP's CSV-injection rule (a value whose first character — after any
  spaces — is ``=``, ``+``, ``-``, ``@``, tab or CR, or their full-width forms, gets a leading ``'``), and controls
  (which XLSX cannot hold) made visible like :func:`plain`; a line feed stays (wrapped text).
- :func:`markdown` — a Markdown table cell or line: HTML escaped, Markdown punctuation escaped, line breaks
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
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~-])")  # ">" and "<" are left to html.escape


def _visible(ch: re.Match[str]) -> str:
    code = ord(ch.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def plain(value: Any) -> str:
    """For a terminal, outside rich markup: every control or invisible-direction character made visible."""
    return _UNSAFE.sub(_visible, _text(value))


def terminal(value: Any) -> str:
    """For a string placed inside rich markup: controls made visible and ``[`` escaped so no tag is read."""
    from rich.markup import escape

    return escape(plain(value))


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
    text = _MD_SPECIAL.sub(r"\\\1", _UNSAFE.sub(_visible, text))
    return _html.escape(text, quote=True)


def html(value: Any) -> str:
    """For HTML text or a quoted attribute: escaped with quotes, controls made visible."""
    return _html.escape(_UNSAFE.sub(_visible, _text(value)), quote=True)
