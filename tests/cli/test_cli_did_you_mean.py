"""A misspelt name gets one error line with the closest right name: account ids, factor types, services, formats,
commands, managed policies and key names. ``record --help`` lists the factor types."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import run_cli
from mfakit.inventory.model import FACTOR_TYPES


def one_error(code: int, err: str) -> str:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("mfakit: error: ") and "Traceback" not in err, err
    return lines[0]


def test_record_suggests_the_account_id(example_copy: Path, capsys) -> None:
    before = example_copy.read_bytes()
    line = one_error(*run_cli(["record", "githb", "--add", "totp", "-i", str(example_copy)], capsys)[::2])
    assert line.endswith("no account 'githb' (did you mean 'github'?)"), line
    assert "ids:" not in line  # a suggestion, not the list of every id
    assert example_copy.read_bytes() == before


@pytest.mark.parametrize("typo,meant", [("gthub", "github"), ("Amazon.co.j", "Amazon.co.jp"),
                                        ("instagrm", "instagram")])
def test_record_suggests_ids_labels_and_services(example_copy: Path, capsys, typo: str, meant: str) -> None:
    line = one_error(*run_cli(["record", typo, "--add", "totp", "-i", str(example_copy)], capsys)[::2])
    assert f"(did you mean '{meant}'?)" in line, line


def test_record_with_nothing_close_lists_the_ids(example_copy: Path, capsys) -> None:
    line = one_error(*run_cli(["record", "qqqqqq", "--add", "totp", "-i", str(example_copy)], capsys)[::2])
    assert "no account 'qqqqqq' (ids: google, aws, " in line and "did you mean" not in line


@pytest.mark.parametrize("flag", ["--add", "--remove"])
def test_record_suggests_the_factor_type_without_a_stray_quote(example_copy: Path, capsys, flag: str) -> None:
    line = one_error(*run_cli(["record", "github", flag, "securty_key", "-i", str(example_copy)], capsys)[::2])
    assert ": 'securty_key' is not a factor type (did you mean 'security_key'?)" in line, line
    assert f"use one of {', '.join(FACTOR_TYPES)}" in line


def test_record_help_types_are_the_inventory_types() -> None:
    """The help lists its own copy (no inventory import at start-up): it must be the model's, in its order."""
    from mfakit.cli import inventory_cmds

    assert inventory_cmds.FACTOR_TYPES == FACTOR_TYPES


def test_the_command_line_starts_without_the_inventory_package() -> None:
    import subprocess
    import sys

    code = "import sys, mfakit.cli.main; print('mfakit.inventory' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.stdout.strip() == "False", res.stderr


def test_record_help_lists_factor_types_and_examples(capsys) -> None:
    code, out, err = run_cli(["record", "--help"], capsys)
    assert code == 0, err
    listed = out[out.index("Factor types"):]
    for ftype in FACTOR_TYPES:
        assert f"\n    {ftype} " in listed, ftype
    assert "Examples:" in out and 'mfakit record github --add security_key:"Titan 1"' in out


@pytest.mark.parametrize("argv", [["catalog", "show", "githb"], ["catalog", "set", "githb", "key_only=yes"],
                                  ["catalog", "unset", "githb", "key_only"]])
def test_catalog_commands_suggest_the_service(argv: list[str], capsys) -> None:
    line = one_error(*run_cli(argv, capsys)[::2])
    assert "githb" in line and "did you mean 'github'?" in line, line


def test_catalog_match_suggests_the_service(capsys) -> None:
    code, out, err = run_cli(["catalog", "match", "githb"], capsys)
    assert code == 0 and "no service in the catalog matches (did you mean 'github'?)" in out, out + err


@pytest.mark.parametrize("argv,hint", [
    (["lockout", "--format", "jsn"], "'json'"),
    (["catalog", "list", "--format", "jsn"], "'json'"),
    (["key", "list", "--format", "tabel"], "'table'"),
    (["status", "--format", "jsn"], "'json'"),
    (["aws", "demo", "--policy", "sed"], "'seed'"),
    (["aws", "policy", "--variant", "sed"], "'seed'"),
    (["aws", "audit", "--format", "cvs"], "'csv'"),
    (["export", "-o", "-", "--format", "cvs"], "'csv'"),
])
def test_choices_suggest_the_closest(argv: list[str], hint: str, capsys) -> None:
    line = one_error(*run_cli(argv, capsys)[::2])
    assert f"did you mean {hint}?" in line, line


@pytest.mark.parametrize("argv,hint", [(["recrod", "github"], "'record'"),
                                       (["unset", "github"], "'mfakit catalog unset'"),
                                       (["catalog", "shwo", "github"], "'show'")])
def test_commands_suggest_the_closest(argv: list[str], hint: str, capsys) -> None:
    line = one_error(*run_cli(argv, capsys)[::2])
    assert "No such command" in line and f"id you mean {hint}?" in line, line


def test_an_unknown_command_with_nothing_close_has_no_hint(capsys) -> None:
    line = one_error(*run_cli(["zzzz"], capsys)[::2])
    assert line == "mfakit: error: No such command 'zzzz'."


def test_managed_policy_names_are_suggested(capsys) -> None:
    line = one_error(*run_cli(["aws", "lint", "managed:IAMReadOnlyAcess"], capsys)[::2])
    assert "unknown AWS managed policy 'IAMReadOnlyAcess' (did you mean 'IAMReadOnlyAccess'?)" in line, line


def test_reconcile_notes_a_misspelt_key_name(example_copy: Path, capsys) -> None:
    code, out, err = run_cli(["key", "reconcile", "--demo-pin", "--key-name", "Titn 1", "-i", str(example_copy)],
                             capsys)
    assert code == 0, err
    assert "note: no account names the key 'Titn 1' yet (did you mean 'Titan 1'?)" in " ".join(err.split())
