"""`aws demo` in a log: its table says every step, so no per-step progress lines repeat it on stderr."""

from __future__ import annotations

from cli_support import run_cli


def test_no_progress_lines_outside_a_terminal(capsys) -> None:
    code, out, err = run_cli(["aws", "demo"], capsys)
    assert code == 0, err
    assert "step 6:" not in err and len(err.strip().splitlines()) <= 2, err
    assert "Read VPCs before MFA" in out  # the table still tells each step
