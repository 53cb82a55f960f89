"""Every command's help ends with examples, and every example is a command that really works.

The examples are read from each leaf command's ``--help`` (the ``Examples:`` block that
:func:`mfakit.cli.output.examples` makes). Each one parses (no usage error); each one that can run offline on the
example data runs in a scratch project (``MFAKIT_ROOT``) and exits 0 with no traceback. Those that need a real
key, a real AWS account, a file the user downloads, or that serve until Ctrl-C, are only parsed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Examples that cannot run offline here: a real key, a real AWS account, an encrypted export, or a server that
#: runs until stopped. They are still parsed.
NOT_OFFLINE = ("--hardware", "--device", "--live", "mfakit aws serve", "--password-stdin")
#: A small export, as `mfakit import` examples name it (metadata plus a published demo secret).
CODES = ("otpauth://totp/GitHub:taro?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n"
         "otpauth://totp/Dropbox:taro%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Dropbox\n")


#: Small public-catalog files, as `mfakit catalog refresh` examples name them (2fa.directory, passkeys.directory).
CATALOG_FILES = {
    "2fa-directory-all.json": '[["GitHub", {"domain": "github.com", "tfa": ["totp", "u2f"]}], '
                              '["New Example", {"domain": "new.example", "tfa": ["sms"]}]]',
    "passkeys-directory-all.json": '{"zaim.net": {"passwordless": "allowed"}, "new.example": {"mfa": "allowed"}}',
}


def _leaves() -> Iterator[tuple[tuple[str, ...], Any]]:
    import typer.main

    from mfakit.cli.main import app

    def walk(cmd: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from walk(sub, (*path, name))
        else:
            yield path, cmd

    yield from walk(typer.main.get_command(app), ())


LEAVES = dict(_leaves())


def help_text(path: tuple[str, ...]) -> str:
    cmd = LEAVES[path]
    ctx = cmd.context_class(cmd, info_name="mfakit " + " ".join(path))
    return cmd.get_help(ctx)


def examples_of(text: str) -> list[str]:
    """The lines of the help's ``Examples:`` block."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "Examples:")
    found = []
    for ln in lines[start + 1:]:
        if not ln.strip():
            break
        found.append(ln.strip())
    return found


def _argv(example: str) -> list[str]:
    """The arguments after ``mfakit`` (environment assignments, redirections and pipes left out)."""
    words = shlex.split(example.split("|")[-1])
    i = words.index("mfakit")  # after any VAR=value prefix
    argv, skip = [], False
    for w in words[i + 1:]:
        if skip:
            skip = False
            continue
        if w in ("<", ">", "2>"):
            skip = True
            continue
        argv.append(w)
    return argv


def test_the_whole_command_tree_is_found() -> None:
    assert {("record",), ("import",), ("init",), ("lockout",), ("catalog", "show"), ("key", "reconcile"),
            ("aws", "serve")} <= set(LEAVES)
    assert len(LEAVES) >= 26


@pytest.mark.parametrize("path", sorted(LEAVES), ids=" ".join)
def test_every_command_help_has_examples_of_itself(path: tuple[str, ...]) -> None:
    text = help_text(path)
    assert "Examples:" in text, f"mfakit {' '.join(path)} --help has no examples"
    own = [e for e in examples_of(text) if e.startswith("mfakit " + " ".join(path))]
    assert len(own) >= 2, f"mfakit {' '.join(path)}: fewer than two examples of the command itself: {own}"


def test_help_through_the_command_line_shows_the_examples(capsys) -> None:
    from cli_support import run_cli

    code, out, err = run_cli(["import", "--help"], capsys)
    assert code == 0 and "Examples:" in out and "mfakit import --dry-run codes.txt" in out


ALL_EXAMPLES = [(path, ex) for path in sorted(LEAVES) for ex in examples_of(help_text(path))
                if ex.split()[0] == "mfakit" or "mfakit " in ex]


def test_examples_are_found() -> None:
    assert len(ALL_EXAMPLES) >= 60


@pytest.mark.parametrize("path,example", ALL_EXAMPLES, ids=[e for _, e in ALL_EXAMPLES])
def test_every_example_parses(path: tuple[str, ...], example: str) -> None:
    """No usage error: the command, options and arguments of each example exist."""
    argv = _argv(example)
    named = next((p for p in LEAVES if tuple(argv[:len(p)]) == p), None)  # may be a step before this command
    assert named is not None, f"example {example!r} (under mfakit {' '.join(path)}) names no command"
    cmd = LEAVES[named]
    ctx = cmd.make_context("mfakit " + " ".join(named), list(argv[len(named):]))  # a UsageError fails the test
    assert ctx.params is not None


def test_a_wrong_example_would_be_caught() -> None:
    from typer._click.exceptions import UsageError

    with pytest.raises(UsageError):
        LEAVES[("import",)].make_context("mfakit import", ["--no-such-option", "codes.txt"])


def _scratch(tmp: Path) -> Path:
    root = tmp / "project"
    (root / "data" / "private").mkdir(parents=True)
    for part in ("example", "policies"):
        shutil.copytree(ROOT / "data" / part, root / "data" / part)
    (root / "home").mkdir()
    (root / "codes.txt").write_text(CODES, encoding="utf-8")
    for name, text in CATALOG_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MFAKIT_", "AWS_"))}
    env.update(MFAKIT_ROOT=str(root), HOME=str(root / "home"), COLUMNS="100", NO_COLOR="1", TERM="dumb",
               PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=str(root / "home" / "aws-config"),
               AWS_SHARED_CREDENTIALS_FILE=str(root / "home" / "aws-credentials"))
    return env


RUNNABLE = sorted({path for path, ex in ALL_EXAMPLES if not any(m in ex for m in NOT_OFFLINE)})

#: Runs the examples in ONE process (the kit imported once: the whole set takes seconds, not half a minute), as
#: ``mfakit`` would: ``mfakit.cli.main.run(argv)``, stdout and stderr captured, no stdin. Before each example
#: the project's own inventory is a fresh copy of the example (none at all for ``init``).
DRIVER = r"""
import contextlib, io, json, shutil, sys, traceback
from pathlib import Path
root = Path(sys.argv[1])
jobs = json.load(sys.stdin)
from mfakit.cli.main import run
private = root / "data" / "private"
results = []
for argv, fresh in jobs:
    for name in ("inventory.yaml", "work.yaml"):
        (private / name).unlink(missing_ok=True)
    if not fresh:
        shutil.copy(root / "data" / "example" / "inventory.yaml", private / "inventory.yaml")
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.StringIO("")
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            code, err = 99, io.StringIO(traceback.format_exc())
    results.append([code, out.getvalue()[-600:], err.getvalue()[-600:]])
json.dump(results, sys.__stdout__)
"""


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], list[tuple[str, list[Any]]]]:
    """Every runnable example, run once in a scratch project: {command: [(example, [exit, stdout, stderr])]}."""
    import json

    root = _scratch(tmp_path_factory.mktemp("examples"))
    chosen = [(p, ex) for p, ex in ALL_EXAMPLES if not any(m in ex for m in NOT_OFFLINE)]
    jobs = [(_argv(ex), p == ("init",)) for p, ex in chosen]
    res = subprocess.run([sys.executable, "-c", DRIVER, str(root)], input=json.dumps(jobs), cwd=root,
                         env=_env(root), capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    by_cmd: dict[tuple[str, ...], list[tuple[str, list[Any]]]] = {}
    for (p, ex), result in zip(chosen, json.loads(res.stdout)):
        by_cmd.setdefault(p, []).append((ex, result))
    assert (root / "data" / "example" / "inventory.yaml").read_bytes() == \
        (ROOT / "data" / "example" / "inventory.yaml").read_bytes(), "an example wrote to the example inventory"
    return by_cmd


def test_most_commands_have_runnable_examples() -> None:
    assert len(RUNNABLE) >= 25, sorted(set(LEAVES) - set(RUNNABLE))


@pytest.mark.parametrize("path", RUNNABLE, ids=" ".join)
def test_examples_run_offline_on_the_example_data(path: tuple[str, ...], ran) -> None:
    """Each example of one command, in a scratch project: exit 0, no traceback."""
    failures = [f"`{ex}` exit {code}\n{out}\n{err}" for ex, (code, out, err) in ran[path]
                if code != 0 or "Traceback" in err]
    assert ran[path] and not failures, "\n\n".join(failures)


def test_a_failing_example_would_be_caught(tmp_path: Path) -> None:
    """The driver reports a failing command as such (so a broken example cannot pass)."""
    import json

    root = _scratch(tmp_path)
    jobs = [(["record", "githb", "--add", "totp"], False), (["status"], False)]
    res = subprocess.run([sys.executable, "-c", DRIVER, str(root)], input=json.dumps(jobs), cwd=root,
                         env=_env(root), capture_output=True, text=True, timeout=60)
    (bad, _, err), (good, out, _) = json.loads(res.stdout)
    assert bad == 2 and "did you mean 'github'?" in err
    assert good == 0 and "accounts off the authenticator app" in out


def test_subprocess_example_with_shell_syntax_runs(tmp_path: Path) -> None:
    """An example with an environment prefix runs as a shell would run it."""
    root = _scratch(tmp_path)
    res = subprocess.run(["bash", "-c", "COLUMNS=120 mfakit plan"], cwd=root, env=_env(root),
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
