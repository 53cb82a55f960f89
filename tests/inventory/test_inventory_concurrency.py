"""No lost updates: many `mfakit record` processes on one 300-account inventory at once (and two writers
holding copies read before they started), every change lands."""

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


#: A writer that is not `record` (an import, a notebook widget): it read the file long before it saves.
_STALE_WRITER = """
import os, sys, time
from mfakit.inventory import load_inventory, save_inventory
path, ident, go = sys.argv[1], sys.argv[2], sys.argv[3]
inv = load_inventory(path)
inv.find(ident).notes = "written by a stale copy"
while not os.path.exists(go):
    time.sleep(0.005)
time.sleep(0.5)  # the records are under way: the file changes under this copy
save_inventory(inv)
print("saved", flush=True)
"""


def test_concurrent_records_all_land(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(big_inventory(300), encoding="utf-8")
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), str(w), str(ROUNDS), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for w in range(WORKERS)]
    stale = [subprocess.Popen([sys.executable, "-c", _STALE_WRITER, str(path), f"acct-{290 + i}", str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for i in range(2)]
    time.sleep(0.3)
    go.touch()  # all start together
    results = [p.communicate(timeout=120) for p in procs]
    for p in stale:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "saved" in out, err
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
    for i in range(2):  # the stale copies' changes landed too, and did not undo the records
        assert inv.find(f"acct-{290 + i}").notes == "written by a stale copy"
    untouched = inv.find(f"acct-{WORKERS * ROUNDS}")
    assert untouched.has("totp") and not untouched.history
