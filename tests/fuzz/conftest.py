"""The fuzz test's figures in pytest's summary: how many CLI runs ended with which exit status."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001 - pytest's hook
    try:
        from fuzz_support import EXITS
    except ImportError:
        return
    if EXITS:
        runs = sum(EXITS.values())
        tally = ", ".join(f"exit {code}: {n}" for code, n in sorted(EXITS.items()))
        terminalreporter.write_line(f"CLI fuzz: {runs} command runs ({tally})")
