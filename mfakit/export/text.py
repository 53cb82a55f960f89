"""The text exports: CSV (for Excel and scripts), JSON (exact data) and Markdown (to paste or publish).

Every value from data is untrusted: CSV cells go through :func:`mfakit.safe.cell` (no formula), Markdown
through :func:`mfakit.safe.markdown` (no HTML, no row split). JSON stays exact (its consumers parse it).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mfakit import safe
from mfakit.export.columns import HEADERS
from mfakit.export.summary import STATE_MEANING, headline, risk_line, states_line
from mfakit.plan.sources import Footnotes, SourceRef

#: The UTF-8 byte-order mark: without it Excel (on a Japanese Windows, among others) reads UTF-8 as the local
#: code page and shows じゃらん as mojibake. Python's csv module and pandas (``encoding="utf-8-sig"``) skip it.
BOM = "\ufeff"


def render_csv(recs: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV with a BOM, the machine column names as header, every cell neutralised against formulas."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for r in recs:
        writer.writerow([safe.cell(r[c]) for c in columns])
    return BOM + buf.getvalue()


def render_json(recs: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """The records exactly as they are once parsed; C1 controls, bidi and separators written as ``\\uXXXX`` (so
    ``cat status.json`` cannot act on a terminal)."""
    return safe.json_text(json.dumps(recs, ensure_ascii=False, indent=2, default=str)) + "\n"


def _md_source_cell(value: Any, notes: Footnotes) -> str:
    """Short labels with footnote numbers: ``docs.github.com · 2026-11 [3]``."""
    nums = notes.add(value)
    refs = [notes.refs[n - 1] for n in nums]
    return "<br>".join(f"{safe.markdown(ref.label)} \\[{n}\\]" for n, ref in zip(nums, refs))


def _md_footnote(n: int, ref: SourceRef) -> str:
    where = f"<{ref.href}>" if ref.href else safe.markdown(ref.text)
    checked = ", ".join(x for x in (ref.origin, f"checked {ref.as_of}" if ref.as_of else "") if x)
    return f"{n}. {where}" + (f" — {safe.markdown(checked)}" if checked else "")


def render_markdown(recs: list[dict[str, Any]], columns: tuple[str, ...], title: str = "",
                    summary: dict[str, Any] | None = None) -> str:
    """A title, the summary as a list, one table row per account, then the sources as numbered footnotes."""
    lines: list[str] = [f"# {safe.markdown(title)}", ""] if title else []
    if summary is not None:
        lines += [f"**{headline(summary)}** · {states_line(summary)}", ""]
        if summary.get("inventory"):
            lines[-2] += f"  \ninventory: {safe.markdown(summary['inventory'])} · generated {summary['generated']}"
        for g in summary["by_group"]:
            lines.append(f"- {safe.markdown(g['group'] or '(no group)')}: {g['off_app']} of {g['accounts']} off the "
                         f"app, {g['done']} done")
        lines += [f"- {risk_line(summary)}", ""]
    notes = Footnotes()
    lines.append("| " + " | ".join(HEADERS.get(c, c) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for r in recs:
        cells = [_md_source_cell(r[c], notes) if c == "source" else safe.markdown(r[c]) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    if summary is not None:
        lines += ["", "States: " + "; ".join(f"**{s}**: {m}" for s, m in STATE_MEANING.items()) + "."]
    if len(notes):
        lines += ["", "**Sources**", ""] + [_md_footnote(n, ref) for n, ref in notes]
    return "\n".join(lines) + "\n"
