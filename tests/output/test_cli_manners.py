"""Command-line manners: --version, bare mfakit, filters, "did you mean", examples in help, plan at 80 columns."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import run_cli
from mfakit.cli.output import did_you_mean
from mfakit.config import EXAMPLE_INVENTORY

EX = ["-i", str(EXAMPLE_INVENTORY)]


def _run(*args: str, columns: int = 100, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("MFAKIT_")}
    full.update(COLUMNS=str(columns), NO_COLOR="1", TERM="dumb", **(env or {}))
    return subprocess.run([sys.executable, "-m", "mfakit.cli.main", *args], capture_output=True, text=True,
                          env=full, timeout=60)


def test_version_and_bare_command(capsys) -> None:
    code, out, err = run_cli(["--version"], capsys)
    assert code == 0 and re.fullmatch(r"mfakit \S+\n", out), out
    code, out, err = run_cli([], capsys)
    assert code == 0 and "Usage: mfakit" in out and "Commands:" in out and "Examples:" in out and err == ""


@pytest.mark.parametrize("command", ["status", "plan", "export"])
def test_help_has_examples(command: str, capsys) -> None:
    code, out, _ = run_cli([command, "--help"], capsys)
    assert code == 0
    examples = out.split("Examples:", 1)[1].splitlines()
    assert sum(ln.strip().startswith(("mfakit ", "COLUMNS=")) for ln in examples) >= 3
    assert "--state" in out and "--group" in out


def test_did_you_mean() -> None:
    assert did_you_mean("githb", ["github", "gitlab", "google"]) == " (did you mean 'github'?)"
    assert did_you_mean("TOTP", ["totp", "sms"]) == " (did you mean 'totp'?)"
    assert did_you_mean("secur", ["security_key", "passkey"]) == " (did you mean 'security_key'?)"
    assert did_you_mean("zzzz", ["github"]) == ""
    assert "\x1b" not in did_you_mean("gith\x1b", ["gith\x1b[31m"])  # choices from data are made safe


@pytest.mark.parametrize("cmd", ["status", "plan"])
def test_state_and_group_filters(cmd: str, capsys) -> None:
    code, out, err = run_cli([cmd, "-f", "json", "--state", "done", *EX], capsys)
    rows = json.loads(out)
    assert code == 0 and rows and {r["state"] for r in rows} == {"done"}
    assert "filtered: state done" in err
    code, out, _ = run_cli([cmd, "-f", "json", "--group", "social", "--group", "core", *EX], capsys)
    assert {r["group"] for r in json.loads(out)} == {"Social", "Core"}  # any case, repeated
    code, out, _ = run_cli([cmd, "-f", "json", "--state", "done,hybrid", "-g", "Core", *EX], capsys)
    assert {(r["state"], r["group"]) for r in json.loads(out)} == {("done", "Core")}


@pytest.mark.parametrize("args, hint", [(["--state", "redy"], "did you mean 'ready'?"),
                                        (["--group", "Socal"], "did you mean 'Social'?"),
                                        (["--format", "jsn"], "did you mean 'json'?")])
def test_bad_filter_is_one_line_with_a_suggestion(args: list[str], hint: str, capsys) -> None:
    for cmd in ("status", "plan"):
        code, out, err = run_cli([cmd, *args, *EX], capsys)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("mfakit: error:") and hint in err, err


def test_export_filters_and_stdout(tmp_path: Path, capsys) -> None:
    code, out, err = run_cli(["export", "-o", "-", "-f", "json", "--state", "done", *EX], capsys)
    assert code == 0 and {r["state"] for r in json.loads(out)} == {"done"}
    target = tmp_path / "social.csv"
    code, _, err = run_cli(["export", "-o", str(target), "--group", "Social", *EX], capsys)
    assert code == 0 and "wrote 4 accounts as csv" in err and "filtered: group Social" in err
    assert target.read_text(encoding="utf-8-sig").count("\nSocial,") == 4
    code, _, err = run_cli(["export", "-o", str(tmp_path / "x.xlsx"), "-f", "xlxs", *EX], capsys)
    assert code == 2 and "did you mean 'xlsx'?" in err
    code, _, err = run_cli(["export", "-o", "-", "-f", "xlsx", *EX], capsys)
    assert code == 2 and "cannot go to stdout" in err


def test_export_defaults_to_private_exports(tmp_path: Path) -> None:
    res = _run("export", *EX, env={"MFAKIT_DATA_DIR": str(tmp_path / "data")})
    assert res.returncode == 0, res.stderr
    written = tmp_path / "data" / "private" / "exports" / "mfakit-status.html"
    assert written.is_file() and "private/exports/mfakit-status.html" in res.stderr


@pytest.mark.parametrize("columns, most", [(80, 150), (120, 110)])
def test_plan_reads_at_terminal_width(columns: int, most: int) -> None:
    res = _run("plan", *EX, columns=columns)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) <= most, f"{len(lines)} lines at {columns} columns"
    assert max(len(ln) for ln in lines) <= columns
    assert "https://" not in res.stdout  # short sources only: domain · month, numbered once
    assert re.search(r"\[\d+\] [a-z0-9.-]+\.[a-z]+ · 20\d\d-\d\d", res.stdout)  # domain · month
    assert "Next step" in res.stdout and "Src" in res.stdout


def test_plan_sources_lists_each_url_once() -> None:
    res = _run("plan", "--sources", *EX, columns=100)
    urls = re.findall(r"https://\S+", res.stdout)
    assert urls and len(urls) == len(set(urls))
    assert "docs.github.com" in res.stdout


def test_sources_are_hyperlinks_only_on_a_terminal(capsys, monkeypatch) -> None:
    import io

    from rich.console import Console

    from mfakit.cli import output

    term = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=100, emoji=False)
    monkeypatch.setattr(output, "_out", term)
    code, _, _ = run_cli(["plan", *EX], capsys)
    links = re.findall(r"\x1b\]8;[^;]*;(https://[^\x1b\x07]+)", term.file.getvalue())
    assert code == 0 and any("docs.github.com" in u for u in links)
    monkeypatch.setattr(output, "_out", None)  # stdout captured: not a terminal
    code, out, _ = run_cli(["plan", *EX], capsys)
    assert code == 0 and "\x1b" not in out
