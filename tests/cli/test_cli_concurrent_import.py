"""`mfakit import` holds the inventory's lock from its read to its save: imports and records run at the same time
on one inventory, and every change lands.

The imports are built to collide without that lock: each one adds a Dropbox account, so each picks its new
account's id (``dropbox``, ``dropbox-2``, ...) from the inventory it read. Two imports that read the same file
would pick the same id and the second save would be refused (or one account lost); under the lock each one reads
what the previous one saved.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from mfakit.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[2]
IMPORTERS = 4
RECORDERS = 3
ROUNDS = 2
ACCOUNTS = 60

#: One worker (in-process runs: one interpreter start per worker): waits for the start signal, then runs its
#: commands one after the other and prints each exit status.
_WORKER = """
import json, os, sys, time
from mfakit.cli.main import run
go, commands = sys.argv[1], json.loads(sys.argv[2])
while not os.path.exists(go):
    time.sleep(0.005)
for argv in commands:
    try:
        run(argv)
    except SystemExit as exc:
        print("exit", exc.code, flush=True)
"""


def _inventory(n: int) -> str:
    lines = ["version: 1", "title: concurrent", "accounts:"]
    for i in range(n):
        lines += [f"  - id: acct-{i}", f"    service: service{i}", f"    label: Account {i}",
                  "    factors: [{type: totp, where: phone}, recovery_codes]", ""]
    return "\n".join(lines)


def _export(folder: Path, worker: int, rnd: int) -> Path:
    path = folder / f"export-{worker}-{rnd}.txt"
    path.write_text(f"otpauth://totp/Dropbox:w{worker}r{rnd}%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Dropbox\n"
                    f"otpauth://totp/Shop%20W{worker}R{rnd}:me?secret=JBSWY3DPEHPK3PXP&issuer=Shop%20W{worker}R{rnd}\n",
                    encoding="utf-8")
    return path


def test_concurrent_imports_and_records_all_land(tmp_path: Path) -> None:
    inv_path = tmp_path / "inventory.yaml"
    inv_path.write_text(_inventory(ACCOUNTS), encoding="utf-8")
    go = tmp_path / "go"
    jobs: list[list[list[str]]] = []
    for w in range(IMPORTERS):
        jobs.append([["import", str(_export(tmp_path, w, r)), "-i", str(inv_path), "--format", "json"]
                     for r in range(ROUNDS)])
    for w in range(RECORDERS):
        jobs.append([["record", f"acct-{w * ROUNDS + r}", "--add", f"security_key:K{w}R{r}", "--remove", "totp",
                      "--force", "-i", str(inv_path), "-f", "json"] for r in range(ROUNDS)])
    import json

    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(go), json.dumps(cmds)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT) for cmds in jobs]
    time.sleep(0.3)
    go.touch()  # all start together
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert [ln for ln in out.splitlines() if ln.startswith("exit")] == ["exit 0"] * ROUNDS, err[-2000:]
        assert "Traceback" not in err, err
    inv = load_inventory(inv_path)
    assert len(inv.accounts) == ACCOUNTS + IMPORTERS * ROUNDS * 2, [a.id for a in inv.accounts[ACCOUNTS:]]
    dropbox = {a.account: a for a in inv.accounts if a.service == "dropbox"}
    assert set(dropbox) == {f"w{w}r{r}@example.com" for w in range(IMPORTERS) for r in range(ROUNDS)}
    assert len({a.id for a in dropbox.values()}) == IMPORTERS * ROUNDS  # dropbox, dropbox-2, ...: all distinct
    for w in range(RECORDERS):
        for r in range(ROUNDS):
            acc = inv.find(f"acct-{w * ROUNDS + r}")
            assert any(f.where == f"K{w}R{r}" for f in acc.factors), f"lost record: {acc.id}"
            assert not acc.has("totp")
    untouched = inv.find(f"acct-{RECORDERS * ROUNDS}")
    assert untouched.has("totp") and not untouched.history


def test_import_takes_the_inventory_lock(tmp_path: Path, monkeypatch, capsys) -> None:
    """The import reads the inventory with its lock held (so a concurrent writer waits for its save)."""
    from cli_support import run_cli
    from mfakit import fileio
    from mfakit.inventory import storage

    inv_path = tmp_path / "inventory.yaml"
    inv_path.write_text(_inventory(3), encoding="utf-8")
    held_at_read: list[bool] = []
    real_load = storage.load_inventory

    def spying_load(path, *a, **kw):  # type: ignore[no-untyped-def]
        held_at_read.append(any(n for k, n in fileio._HELD.items() if k[0].endswith(".inventory.yaml.lock")))
        return real_load(path, *a, **kw)

    import mfakit.inventory as inventory_pkg

    monkeypatch.setattr(inventory_pkg, "load_inventory", spying_load)
    code, out, err = run_cli(["import", str(_export(tmp_path, 0, 0)), "-i", str(inv_path)], capsys)
    assert code == 0, err
    assert held_at_read == [True]
    assert len(load_inventory(inv_path).accounts) == 5
