"""Benchmark: decode a 10-image Google Authenticator transfer (generated, ~10 accounts per code) and import it;
then read one generated export of every format (plain and encrypted), and, when ../shared is there, the peers'
51 supported exports.

Target (product brief): decoding the 10 images ≤ 1 s; the whole import (decode, catalog match, merge, atomic
save) is reported beside it. Encrypted formats are dominated by the key derivation the file asks for.
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
    formats()
    peers()
    return 0


def formats() -> None:
    """Read time of one generated export per format (median of 3; encrypted ones include their KDF)."""
    sys.path.insert(0, str(ROOT / "tests" / "importers"))
    from gen_exports import GENERATORS, load_keepass  # the test-suite generator (FAKE secrets)

    print("\nformat (generated export, median of 3)         read time   accounts")
    with tempfile.TemporaryDirectory() as tmp:
        for name in [*GENERATORS, "keepass"]:
            exp = load_keepass() if name == "keepass" else GENERATORS[name]()
            path = Path(tmp) / f"{name}--{exp.name}"
            path.write_bytes(exp.data)
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                result = read_exports([path], password=exp.password)
                times.append(time.perf_counter() - t0)
            print(f"  {name:44s} {statistics.median(times) * 1000:8.1f} ms   {len(result.records):3d}")


def peers() -> None:
    """The peers' 51 supported exports (../shared), read one by one: total and slowest."""
    import json

    folder = ROOT.parent / "shared" / "fixtures" / "otp-exports" / "peers"
    if not (folder / "expected.json").is_file():
        print("\npeers' exports: ../shared absent, skipped")
        return
    spec = json.loads((folder / "expected.json").read_text("utf-8"))["supported"]
    times = {}
    for name, s in spec.items():
        t0 = time.perf_counter()
        read_exports([folder / name], password=s["password"])
        times[name] = time.perf_counter() - t0
    slow = max(times, key=times.get)
    print(f"\npeers' {len(times)} supported exports: {sum(times.values()):.2f} s in all; "
          f"slowest {slow} {times[slow]:.2f} s")
    from mfakit.errors import ImportFormatError

    for name, password, what in [("stratum/ente.encrypted.json", "test", "Ente's default Argon2id, 1 GiB x 4"),
                                 ("stratum/keepass.kdbx3.kdbx", "test", "KeePass AES-KDF, 43.5 million rounds"),
                                 ("stratum/bitwarden.encrypted.pbkdf2.json", "rud9^5S6$^Ewmr%d",
                                  "Bitwarden PBKDF2, 600,000 iterations")]:
        t0 = time.perf_counter()
        try:
            read_exports([folder / name], password=password)
        except ImportFormatError:
            pass  # the KDBX 3 database holds no TOTP entry: refused after opening
        print(f"  {what:44s} {time.perf_counter() - t0:6.2f} s  ({name})")


if __name__ == "__main__":
    sys.exit(main())
