"""`mfakit init`, where data goes (paths relative to the project root), the read-only example, guard rails
on `record`, and the catch-all that turns a bug into one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfakit import config
from mfakit.errors import ReadOnlyExampleError
from mfakit.inventory import load_inventory
from cli_support import run_cli

EXAMPLE = config.EXAMPLE_INVENTORY


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose data/private/inventory.yaml does not exist yet (the tracked example stays the real one)."""
    path = tmp_path / "data" / "private" / "inventory.yaml"
    path.parent.mkdir(parents=True)
    monkeypatch.setattr(config, "PRIVATE_INVENTORY", path)
    monkeypatch.delenv("MFAKIT_INVENTORY", raising=False)
    return path


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mfakit: error: ") and "Traceback" not in err, err
    return lines[0]


def test_init_creates_an_empty_inventory_and_never_overwrites(private: Path, capsys) -> None:
    code, out, err = run_cli(["init"], capsys)
    assert code == 0, err
    assert "created" in out and "(empty)" in out
    assert load_inventory(private).accounts == []
    private.write_text(private.read_text() + "# mine\n")
    before = private.read_bytes()
    code, out, err = run_cli(["init", "--from-example"], capsys)
    assert code == 2 and "already exists" in one_error_line(err)
    assert private.read_bytes() == before


def test_init_from_example_then_status_uses_it(private: Path, capsys) -> None:
    assert run_cli(["init", "--from-example"], capsys)[0] == 0
    assert private.read_bytes() == EXAMPLE.read_bytes()
    code, out, err = run_cli(["status", "-f", "json"], capsys)
    shown = "".join(err.split())  # the banner may wrap at the terminal width
    assert code == 0 and "data/private/inventory.yaml" in shown and "(example)" not in shown


def test_init_under_a_file_is_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "f").write_text("x")
    code, out, err = run_cli(["init", "-i", str(tmp_path / "f" / "new.yaml")], capsys)
    assert code == 2 and "is a file, not a folder" in one_error_line(err)


def test_relative_paths_mean_the_project_root_wherever_we_run(tmp_path: Path, monkeypatch, capsys) -> None:
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere" / "notebooks"
    elsewhere.mkdir(parents=True)
    monkeypatch.setattr(config, "PROJ_ROOT", root)
    monkeypatch.chdir(elsewhere)  # a notebook runs in notebooks/
    code, out, err = run_cli(["init", "-i", "data/private/inventory.yaml"], capsys)
    assert code == 0, err
    assert (root / "data" / "private" / "inventory.yaml").exists()
    assert not (elsewhere / "data").exists()
    monkeypatch.setenv("MFAKIT_INVENTORY", "data/private/inventory.yaml")
    assert config.resolve_inventory() == root / "data" / "private" / "inventory.yaml"
    assert config.resolve_path("~/x.yaml") == Path.home() / "x.yaml"
    assert config.resolve_path(tmp_path / "abs.yaml") == tmp_path / "abs.yaml"


@pytest.mark.parametrize("argv", [
    ["record", "github", "--add", "security_key:Titan 2"],
    ["import", "{links}"],
])
def test_writers_refuse_the_example_and_name_mfakit_init(private: Path, tmp_path: Path, capsys, argv) -> None:
    links = tmp_path / "links.txt"
    links.write_text("otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n")
    before = EXAMPLE.read_bytes()
    code, out, err = run_cli([a.format(links=links) for a in argv], capsys)
    assert code == 2 and "mfakit init" in one_error_line(err)
    assert EXAMPLE.read_bytes() == before and not private.exists()


def test_the_example_through_the_environment_is_refused_too(private: Path, monkeypatch) -> None:
    monkeypatch.setenv("MFAKIT_INVENTORY", str(EXAMPLE))
    with pytest.raises(ReadOnlyExampleError, match="mfakit init"):
        config.writable_inventory()
    monkeypatch.delenv("MFAKIT_INVENTORY")
    assert config.writable_inventory(EXAMPLE) == EXAMPLE  # named explicitly: allowed (not written here)


def test_record_refuses_removing_what_the_service_requires(example_copy: Path, capsys) -> None:
    before = example_copy.read_bytes()
    code, out, err = run_cli(["record", "github", "--remove", "totp", "-i", str(example_copy)], capsys)
    line = one_error_line(err)
    assert code == 2
    assert "GitHub requires totp or sms" in line and "source: https://" in line and "--force" in line
    assert example_copy.read_bytes() == before
    code, out, err = run_cli(["record", "aws", "--remove", "security_key", "-i", str(example_copy)], capsys)
    assert code == 2 and "no second factor at all" in one_error_line(err)
    code, out, err = run_cli(["record", "github", "--remove", "totp", "--force", "-f", "json",
                              "-i", str(example_copy)], capsys)
    assert code == 0, err
    assert json.loads(out)["changes"][0]["op"] == "remove"
    assert not load_inventory(example_copy).find("github").has("totp")


def test_an_unexpected_error_is_one_line_saying_bug_and_debug(example_copy: Path, capsys, monkeypatch) -> None:
    import mfakit.inventory as inventory

    def broken(*args, **kwargs):
        raise KeyError("JBSWY3DPEHPK3PXP")  # whatever the exception holds is never printed

    monkeypatch.setattr(inventory, "load_inventory", broken)
    code, out, err = run_cli(["record", "github", "--add", "totp", "-i", str(example_copy)], capsys)
    line = one_error_line(err)
    assert code == 1 and "bug" in line and "--debug" in line and "KeyError" in line
    assert "JBSWY3DPEHPK3PXP" not in err
    with pytest.raises(KeyError):
        run_cli(["--debug", "record", "github", "--add", "totp", "-i", str(example_copy)], capsys)


@pytest.mark.parametrize("exc", [KeyboardInterrupt, EOFError, "typer.Abort"])
def test_an_interrupt_is_one_line_exit_130(example_copy: Path, capsys, monkeypatch, exc) -> None:
    import typer

    import mfakit.inventory as inventory

    def interrupted(*args, **kwargs):
        raise typer.Abort() if exc == "typer.Abort" else exc()

    monkeypatch.setattr(inventory, "load_inventory", interrupted)
    code, out, err = run_cli(["record", "github", "--add", "totp", "-i", str(example_copy)], capsys)
    assert code == 130 and err.strip() == "mfakit: aborted"
