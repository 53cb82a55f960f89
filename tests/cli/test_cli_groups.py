"""Command groups (`catalog`, `key`, `aws`): alone they show their help and succeed; their help has examples."""

from __future__ import annotations

import pytest

from cli_support import run_cli


@pytest.mark.parametrize("group", ["catalog", "key", "aws"])
def test_bare_group_shows_help_and_succeeds(group: str, capsys) -> None:
    code, out, err = run_cli([group], capsys)
    assert code == 0, err
    assert f"mfakit {group}" in out and "Examples:" in out and "Commands" in out


@pytest.mark.parametrize("group", ["catalog", "key", "aws"])
def test_group_help_examples_are_its_own(group: str, capsys) -> None:
    code, out, _ = run_cli([group, "--help"], capsys)
    examples = out.split("Examples:", 1)[1].split()
    assert code == 0 and f"mfakit {group}" in " ".join(examples)
