"""No lost updates: many `mfakit record` processes on one 300-account inventory at once, every change lands."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from mfakit.inventory import load_inventory
from inventory_support import big_inventory

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
ROUNDS = 2

#: One worker: waits for the start signal, then runs `mfakit record` ROUNDS times (in-process, so the test
#: pays one interpreter start per worker), each on its own account, and prints each exit status.
_WORKER = """
import os, sys, time
from mfakit.cli.main import run
path, worker, rounds, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
while not os.path.exists(go):
    time.sleep(0.005)
for r in range(rounds):
    account = f"acct-{worker * rounds + r}"
    try:
        run(["record", account, "--add", f"security_key:W{worker}R{r}", "--remove", "totp", "--force",
             "-i", path, "-f", "json"])
    except SystemExit as exc:
        print("exit", exc.code, flush=True)
"""


def test_concurrent_records_all_land(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(big_inventory(300), encoding="utf-8")
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), str(w), str(ROUNDS), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for w in range(WORKERS)]
    time.sleep(0.3)
    go.touch()  # all start together
    results = [p.communicate(timeout=120) for p in procs]
    for (out, err), p in zip(results, procs):
        assert p.returncode == 0, err
        assert [ln for ln in out.splitlines() if ln.startswith("exit")] == ["exit 0"] * ROUNDS, err
    inv = load_inventory(path)
    assert len(inv.accounts) == 300
    for w in range(WORKERS):
        for r in range(ROUNDS):
            acc = inv.find(f"acct-{w * ROUNDS + r}")
            assert any(f.where == f"W{w}R{r}" for f in acc.factors), f"lost update: {acc.id}"
            assert not acc.has("totp")
            assert [(c.op, c.type) for c in acc.history] == [("remove", "totp"), ("add", "security_key")]
    untouched = inv.find(f"acct-{WORKERS * ROUNDS}")
    assert untouched.has("totp") and not untouched.history
