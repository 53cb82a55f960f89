"""Run the ``mfakit`` command in-process (shared by the test folders; ``tests/`` is on sys.path via conftest)."""

from __future__ import annotations

import io
import sys


def run_cli(argv: list[str], capsys, stdin: str = "") -> tuple[int, str, str]:
    """Run ``mfakit`` in-process; returns (exit status, stdout, stderr)."""
    from mfakit.cli.main import run

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        run(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin = old
    cap = capsys.readouterr()
    return code, cap.out, cap.err
