"""The command line on the example inventory: status, plan, export, record; errors; which inventory is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mfakit.config import EXAMPLE_INVENTORY, resolve_inventory
from mfakit.inventory import load_inventory

MFAKIT = [sys.executable, "-m", "mfakit.cli.main"]


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "MFAKIT_INVENTORY"}
    full_env.update({"COLUMNS": "200"})
    full_env.update(env or {})
    return subprocess.run([*MFAKIT, *args], capture_output=True, text=True, env=full_env, cwd=cwd)


def test_status_json_is_pure_and_has_required_fields() -> None:
    res = run("status", "--format", "json", "--inventory", str(EXAMPLE_INVENTORY))
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)  # nothing but JSON on stdout
    assert "inventory:" in res.stderr and "example" in res.stderr
    for key in ("label", "service", "group", "state", "next_step", "lockout_risk"):
        assert all(key in r for r in rows)
    by_id = {r["id"]: r for r in rows}
    done = sorted(r["id"] for r in rows if r["state"] == "done")
    assert done == ["aws", "discord", "google", "microsoft"]  # the seed's summary falls out of the data
    assert by_id["github"]["state"] == "hybrid"
    assert by_id["zaim"]["state"] == "blocked" and by_id["jalan"]["state"] == "blocked"
    assert by_id["work-vpn"]["state"] == "unknown"
    assert by_id["aws"]["lockout_risk"] == "high"  # one key, no second key, no recovery codes


def test_status_table_names_the_inventory_and_groups() -> None:
    res = run("status", "--inventory", str(EXAMPLE_INVENTORY))
    assert res.returncode == 0, res.stderr
    assert "inventory:" in res.stdout and "(example)" in res.stdout
    for group in ("Core", "Cloud", "Social", "Shopping", "Dev", "Money", "Travel", "Work"):
        assert f"▾ {group}" in res.stdout
    assert "4 of 12 accounts off the authenticator app" in res.stdout


def test_plan_json_sorted_actionable_first() -> None:
    res = run("plan", "-f", "json", "-i", str(EXAMPLE_INVENTORY))
    rows = json.loads(res.stdout)
    states = [r["state"] for r in rows]
    assert states == sorted(states, key=["ready", "hybrid", "blocked", "unknown", "done"].index)
    assert all(r["reason"] and r["source"] for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "md", "html", "xlsx", "json"])
def test_export_every_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"status.{fmt}"
    res = run("export", "--output", str(out), "-i", str(EXAMPLE_INVENTORY))
    assert res.returncode == 0, res.stderr
    assert out.exists() and out.stat().st_size > 200
    if fmt == "csv":
        assert len(pd.read_csv(out)) == 12
    elif fmt == "xlsx":
        assert len(pd.read_excel(out)) == 12
    elif fmt == "json":
        assert len(json.loads(out.read_text())) == 12


def test_record_changes_file_and_state(example_copy: Path) -> None:
    res = run("record", "github", "--add", "security_key:Titan 2", "--remove", "totp", "--force", "-f", "json",
              "-i", str(example_copy))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["state"] == "done" and [c["op"] for c in data["changes"]] == ["remove", "add"]
    gh = load_inventory(example_copy).find("github")
    assert not gh.has("totp") and any(f.where == "Titan 2" for f in gh.factors)
    assert "# mfakit example inventory" in example_copy.read_text()


@pytest.mark.parametrize("args,needle", [
    (("record", "nope", "--add", "totp"), "no account 'nope'"),
    (("record", "github", "--remove", "sms"), "has no factor sms"),
    (("record", "github", "--add", "totp", "--date", "soon"), "is not a date"),
    (("status", "--format", "xml"), "--format must be table or json"),
])
def test_errors_are_one_line_exit_2_and_leave_file_alone(example_copy: Path, args, needle) -> None:
    before = example_copy.read_bytes()
    res = run(*args, "-i", str(example_copy))
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mfakit: error:") and needle in lines[0]
    assert "Traceback" not in res.stderr
    assert example_copy.read_bytes() == before


def test_invalid_inventory_is_reported_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts:\n  - id: x\n    service: y\n    factors: [{type: carrier-pigeon}]\n")
    res = run("status", "-i", str(bad))
    assert res.returncode == 2
    assert res.stderr.startswith(f"mfakit: error: {bad}:4: account 'x': factors[0]: field 'type'")
    res = run("--debug", "status", "-i", str(bad))
    assert "Traceback" in res.stderr  # --debug shows it


def test_inventory_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MFAKIT_INVENTORY", raising=False)
    explicit = tmp_path / "a.yaml"
    monkeypatch.setenv("MFAKIT_INVENTORY", str(tmp_path / "env.yaml"))
    assert resolve_inventory(explicit) == explicit
    assert resolve_inventory(None) == tmp_path / "env.yaml"
    monkeypatch.delenv("MFAKIT_INVENTORY")
    import mfakit.config as config
    monkeypatch.setattr(config, "PRIVATE_INVENTORY", tmp_path / "private.yaml")
    assert config.resolve_inventory(None) == config.EXAMPLE_INVENTORY
    (tmp_path / "private.yaml").write_text("accounts: []\n")
    assert config.resolve_inventory(None) == tmp_path / "private.yaml"


def test_env_variable_selects_inventory(example_copy: Path) -> None:
    res = run("status", "-f", "json", env={"MFAKIT_INVENTORY": str(example_copy)})
    assert str(example_copy.name) in res.stderr and "(example)" not in res.stderr
