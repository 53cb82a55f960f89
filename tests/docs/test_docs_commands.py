"""Every command shown in the README and in docs/ runs, and prints what the page says it prints.

A page shows commands in ```console blocks: a line ``$ COMMAND`` followed by its output. Each page runs in its
own scratch copy of the project (``MFAKIT_ROOT``), its commands in order (so ``mfakit init`` then ``mfakit
record`` works), offline, never touching the real ``data/``. A command expected to fail ends with
``# exit N``; output lines starting with ``#`` are annotations. Output lines are compared loosely (whitespace, table borders and dates normalised; a line with
``...`` or ``…`` elides) so a page cannot show output the command does not print.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```console[ \t]*\n(.*?)^```", re.S | re.M)
_EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")
_BORDERS = re.compile(r"[│┃─━┏┓┗┛┡┩└┘├┤┼╇╭╮╰╯┌┐┬┴═║╔╗╚╝╠╣╦╩╬|+]")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMBER = re.compile(r"\b\d+(\.\d+)?\s*(ms|s)\b")
MIN_FOUND = 0.8


@dataclass
class Command:
    line: str
    expect_exit: int = 0
    output: list[str] = field(default_factory=list)


def commands_of(text: str) -> list[Command]:
    """The ``$ ...`` commands of a page's ```console blocks, each with the output lines shown under it."""
    found: list[Command] = []
    for block in _FENCE.findall(text):
        current: Command | None = None
        for raw in block.splitlines():
            if raw.startswith("$ "):
                line = raw[2:].strip()
                m = _EXIT.search(line)
                current = Command(_EXIT.sub("", line), int(m.group(1)) if m else 0)
                found.append(current)
            elif current is not None and not raw.lstrip().startswith("#"):  # "# ..." lines annotate
                current.output.append(raw)
    return found


def _norm(text: str) -> str:
    text = _BORDERS.sub(" ", text)
    text = _DATE.sub("DATE", text)
    text = _NUMBER.sub("N", text)
    return " ".join(text.split())


def _scratch_root(tmp: Path) -> Path:
    root = tmp / "project"
    (root / "data").mkdir(parents=True)
    for part in ("example", "policies"):
        if (ROOT / "data" / part).is_dir():
            shutil.copytree(ROOT / "data" / part, root / "data" / part)
    (root / "data" / "private").mkdir()
    (root / "home").mkdir()
    return root


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MFAKIT_", "AWS_"))}
    bindir = str(Path(sys.executable).parent)
    env.update(MFAKIT_ROOT=str(root), HOME=str(root / "home"), COLUMNS="100", NO_COLOR="1", TERM="dumb",
               PATH=bindir + os.pathsep + env.get("PATH", ""), AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=str(root / "home" / "aws-config"),
               AWS_SHARED_CREDENTIALS_FILE=str(root / "home" / "aws-credentials"))
    return env


def _pages_with_commands() -> list[Path]:
    return [p for p in PAGES if commands_of(p.read_text(encoding="utf-8"))]


def test_pages_are_found() -> None:
    """The README shows commands (otherwise this whole check would silently test nothing)."""
    assert commands_of((ROOT / "README.md").read_text(encoding="utf-8")), "README.md has no ```console block"


def test_parser_reads_commands_outputs_and_exits() -> None:
    page = "x\n```console\n$ mfakit status\nhello   world\n$ mfakit record x  # exit 2\n```\n"
    cmds = commands_of(page)
    assert [(c.line, c.expect_exit, c.output) for c in cmds] == [
        ("mfakit status", 0, ["hello   world"]), ("mfakit record x", 2, [])]


@pytest.mark.parametrize("page", _pages_with_commands(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_documented_commands_run(page: Path, tmp_path: Path) -> None:
    root = _scratch_root(tmp_path)
    env = _env(root)
    for cmd in commands_of(page.read_text(encoding="utf-8")):
        assert cmd.line.split()[0] in {"mfakit", "printf", "echo", "cat", "ls", "aws"} or "| mfakit" in cmd.line, \
            f"{page.name}: unexpected command {cmd.line!r}"
        res = subprocess.run(["bash", "-c", cmd.line], cwd=root, env=env, capture_output=True, text=True,
                             timeout=120, stdin=subprocess.DEVNULL)
        shown = f"{page.name}: `{cmd.line}`\n--- stdout\n{res.stdout}\n--- stderr\n{res.stderr}"
        assert res.returncode == cmd.expect_exit, f"exit {res.returncode}, expected {cmd.expect_exit}\n{shown}"
        assert "Traceback" not in res.stderr, shown
        expected = [_norm(o) for o in cmd.output if o.strip() and "..." not in o and "…" not in o]
        expected = [e for e in expected if e]
        if not expected:
            continue
        actual = _norm(res.stdout + "\n" + res.stderr)
        missing = [e for e in expected if e not in actual]
        found = 1 - len(missing) / len(expected)
        assert found >= MIN_FOUND, f"{len(missing)} of {len(expected)} documented lines not printed: " \
                                   f"{missing[:5]}\n{shown}"
