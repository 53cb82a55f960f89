"""Catalog benchmark: load the full 2fa.directory + passkeys-directory files and match a 1,000-account inventory.

Target (product brief): loading the imported catalog and matching 1,000 accounts ≤ 1 s. Also prints the
curated-only load (the `mfakit status` path) in-process and as a cold process.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CATALOGS = ROOT.parent / "shared" / "fixtures" / "catalogs"
FILES = ["2fa-directory-api-v3-all.json", "passkeys-directory-api-v1-all.json"]
FILES_V4 = ["2fa-directory-api-v4-all.json", "passkeys-directory-api-v1-all.json"]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _halfwidth_kana(text: str) -> str:
    # NFKC maps half-width to full-width; going back needs a table, so use a few known spellings
    table = {"アマゾン": "ｱﾏｿﾞﾝ", "ジャラン": "ｼﾞｬﾗﾝ", "ザイム": "ｻﾞｲﾑ", "グーグル": "ｸﾞｰｸﾞﾙ"}
    return table.get(text, text)


def make_inventory(catalog, n: int = 1000, seed: int = 7) -> list[tuple[str, str | None, str | None]]:
    """(service name, domain, account) triples: curated names, catalog domains, Japanese and full-width
    variants, imported names with accents/punctuation changes, and unknown services."""
    rng = random.Random(seed)
    curated = [s for s in catalog.services.values() if s.origin == "curated"]
    imported = [s for s in catalog.services.values() if s.origin != "curated"]
    japanese = [a for s in curated for a in s.aliases if any(ord(c) > 0x3000 for c in a)]
    rows: list[tuple[str, str | None, str | None]] = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            s = rng.choice(curated)
            rows.append((rng.choice([s.name, s.name.upper(), s.id, *s.aliases]), None, f"user{i}@gmail.com"))
        elif kind == 1:
            s = rng.choice(imported)
            d = rng.choice(s.domains) if s.domains else s.name
            rows.append((rng.choice([d, f"https://www.{d}/login", s.name]), None, f"user{i}"))
        elif kind == 2:
            a = rng.choice(japanese)
            rows.append((rng.choice([a, _halfwidth_kana(a), _fullwidth(a)]), None, f"user{i}@example.co.jp"))
        elif kind == 3:
            s = rng.choice(curated)
            rows.append((_fullwidth(s.name), None, None))
        elif kind == 4:
            s = rng.choice(imported)
            decomposed = unicodedata.normalize("NFD", s.name).replace(" ", " - ")
            rows.append((decomposed.title(), None, None))
        else:
            rows.append((f"Unknown Service {rng.randrange(10**6)}", None, f"user{i}"))
    return rows


def main() -> int:
    if not all((CATALOGS / f).is_file() for f in FILES):
        print(f"../shared/fixtures/catalogs is absent ({CATALOGS}); nothing to measure.")
        return 0
    code = 0
    for files in (FILES, FILES_V4):
        if all((CATALOGS / f).is_file() for f in files):
            print(f"== {files[0]}")
            code |= measure(files)
    return code


def measure(files: list[str]) -> int:
    from mfakit.catalog import load_catalog
    from mfakit.catalog.refresh import refresh

    with tempfile.TemporaryDirectory() as tmp:
        cat_dir = Path(tmp)
        t0 = time.perf_counter()
        summary = refresh([CATALOGS / f for f in files], as_of="2026-08-05", catalog_dir=cat_dir)
        t_refresh = time.perf_counter() - t0
        inventory = make_inventory(load_catalog(catalog_dir=cat_dir))

        t0 = time.perf_counter()
        catalog = load_catalog(catalog_dir=cat_dir)
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        results = [catalog.match(name, domain=domain, account=account) for name, domain, account in inventory]
        t_match = time.perf_counter() - t0

    t0 = time.perf_counter()
    load_catalog(include_imported=False)
    t_curated = time.perf_counter() - t0
    code = "from mfakit.catalog import load_catalog; load_catalog(include_imported=False)"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    t_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], cwd=ROOT, check=True)
    t_python = time.perf_counter() - t0

    certain = sum(1 for m in results if m.certain)
    ambiguous = sum(1 for m in results if m.how == "ambiguous")
    total = t_load + t_match
    print(f"imported entries: {summary.entries_per_source}; services after merge: {summary.services_total}")
    print(f"refresh (parse both files, write layer):    {t_refresh * 1000:7.1f} ms")
    print(f"load curated + imported layer:              {t_load * 1000:7.1f} ms")
    print(f"match {len(inventory)} accounts (incl. index build):  {t_match * 1000:7.1f} ms  "
          f"({certain} certain, {ambiguous} ambiguous, {len(results) - certain - ambiguous} none)")
    print(f"load + match:                               {total * 1000:7.1f} ms  (target <= 1000 ms: "
          f"{'OK' if total <= 1.0 else 'MISSED'}; {1.0 / total:.1f}x headroom)")
    print(f"curated-only load, in process:              {t_curated * 1000:7.1f} ms")
    print(f"curated-only load, cold process:            {t_cold * 1000:7.1f} ms  "
          f"(bare python start: {t_python * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
