"""Benchmark: decode a 10-image Google Authenticator transfer (generated, ~10 accounts per code) and import it.

Target (product brief): decoding the 10 images ≤ 1 s; the whole import (decode, catalog match, merge, atomic
save) is reported beside it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mfakit.importers import apply_merge, plan_merge, read_exports  # noqa: E402
from mfakit.importers.samples import migration_uris, qr_image, sample_accounts  # noqa: E402
from mfakit.inventory import new_inventory, save_inventory  # noqa: E402

TARGET_S = 1.0
RUNS = 5


def main() -> int:
    from mfakit.catalog import load_catalog

    accounts = sample_accounts(100)
    uris = migration_uris(accounts, per_code=10)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for i, uri in enumerate(uris):  # one phone screenshot per QR code, like the app shows them
            f = folder / f"transfer-{i + 1:02d}.png"
            f.write_bytes(qr_image([uri], scale=6, border=8))
            files.append(f)
        size = sum(f.stat().st_size for f in files)
        decode_times, total_times, merge_times = [], [], []
        for run in range(RUNS):
            t0 = time.perf_counter()
            result = read_exports(files)
            t1 = time.perf_counter()
            catalog = load_catalog()
            inv = new_inventory(folder / f"inventory-{run}.yaml")
            plan = plan_merge(inv, result.records, catalog=catalog)
            apply_merge(inv, plan)
            tm = time.perf_counter()
            save_inventory(inv)
            t2 = time.perf_counter()
            merge_times.append(tm - t1)
            decode_times.append(t1 - t0)
            total_times.append(t2 - t0)
            assert len(result.records) == len(accounts) and not result.warnings, result.warnings
    decode, total = statistics.median(decode_times), statistics.median(total_times)
    print(f"images: {len(files)} PNG ({size / 1024:.0f} KiB), accounts: {len(accounts)}, runs: {RUNS} (median)")
    print(f"decode 10 images:                {decode:.3f} s  (target <= {TARGET_S:.1f} s: "
          f"{'OK' if decode <= TARGET_S else 'MISSED'}, {TARGET_S / decode:.1f}x under)")
    merge = statistics.median(merge_times)
    print(f"catalog load + match + merge:    {merge:.3f} s")
    print(f"atomic save (write, re-read, verify; mfakit.inventory): {total - decode - merge:.3f} s")
    print(f"decode + match + merge + save:   {total:.3f} s  (target <= {TARGET_S:.1f} s: "
          f"{'OK' if total <= TARGET_S else 'MISSED'})")
    print(f"matched to catalog: {len(plan.items) - len(plan.unmatched)}/{len(plan.items)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
