"""`catalog show` lists each source once, in full, under the table (not a folded URL on every row)."""

from __future__ import annotations

import re

from cli_support import run_cli


def test_each_source_listed_once(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(["catalog", "show", "github"], capsys)
    assert code == 0, err
    urls = re.findall(r"https://\S+", out)
    assert urls and len(urls) == len(set(urls)), urls  # every URL exactly once
    assert "[1]" in out and "Sources" in out
    assert len(out.splitlines()) <= 30, out
