"""`mfakit status` on the example inventory as a whole cold process (target ≤ 0.6 s), and what it imports."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MFAKIT = Path(sys.executable).with_name("mfakit")
EXAMPLE = ROOT / "data" / "example" / "inventory.yaml"
HEAVY = ("pandas", "numpy", "boto3", "botocore", "moto", "fido2", "matplotlib", "jupyter_client", "ipywidgets",
         "openpyxl", "cryptography")
TARGET = 0.6
RUNS = 15


def main() -> int:
    env = dict(os.environ, MFAKIT_INVENTORY=str(EXAMPLE), COLUMNS="120")
    subprocess.run([str(MFAKIT), "status"], env=env, capture_output=True, check=True)  # warm the page cache
    times, cpu = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([str(MFAKIT), "status"], env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    probe = ("import sys, runpy; sys.argv=['mfakit','status'];\n"
             "from mfakit.cli import main\n"
             "try:\n    main.run()\nexcept SystemExit:\n    pass\n"
             f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    heavy = [ln for ln in res.stderr.splitlines() if ln.startswith("HEAVY=")]
    bare = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        bare.append(time.perf_counter() - t0)
    med, best = statistics.median(times), min(times)
    print(f"mfakit status (example inventory), cold process, {RUNS} runs: median {med:.3f} s, best {best:.3f} s "
          f"(target ≤ {TARGET} s: {'OK' if med <= TARGET else 'MISSED'})")
    print(f"CPU time (user+sys) of the process: median {statistics.median(cpu):.3f} s — the wall time on an idle "
          f"machine; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          f"(wall times above include waiting for a CPU)")
    print(f"bare `python -c pass`: median {statistics.median(bare):.3f} s; "
          f"mfakit's own share ≈ {med - statistics.median(bare):.3f} s")
    print(f"heavy libraries imported by status: {heavy[0][6:] or 'none' if heavy else 'unknown'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
