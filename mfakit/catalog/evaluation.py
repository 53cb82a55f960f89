"""Measuring issuer matching on a labelled set of real issuer strings (JSON lines with their true domains).

Each line: ``{"issuer": ..., "domain": <the true service's domain>, "also": [other domains of it],
"account": <optional hint>, "probe": true when it must never match another service}``. A match is *right* when
the service it picks owns the true domain (or one of ``also``), *wrong* when it picks any other service, and
*unmatched* otherwise (honest, never wrong). Run ``python -m mfakit.catalog.evaluation DEV.jsonl CATALOG...``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from mfakit.catalog.normalize import parent_domains


@dataclass
class Score:
    total: int = 0
    right: int = 0
    wrong: int = 0
    unmatched: int = 0
    wrong_rows: list[tuple[str, str, str]] = field(default_factory=list)
    unmatched_rows: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def right_pct(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0

    def line(self, label: str) -> str:
        return (f"{label}: {self.right}/{self.total} right ({self.right_pct:.1f} %), {self.wrong} wrong, "
                f"{self.unmatched} unmatched")


def read_dev(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def split(rows: list[dict[str, Any]], held_out: float = 0.3, seed: str = "mfakit-2026") -> tuple[list, list]:
    """A fixed split (by a hash of seed + issuer): (development part, held-out part)."""
    dev, test = [], []
    for row in rows:
        h = int(hashlib.sha256(f"{seed}:{row['issuer']}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (test if h < held_out else dev).append(row)
    return dev, test


def _owns(svc: Any, domains: Iterable[str]) -> bool:
    owned = set(svc.domains)
    return any(p in owned for d in domains for p in parent_domains(d))


def evaluate(catalog: Any, rows: list[dict[str, Any]], count_probes: bool = True) -> Score:
    """Score matching on labelled rows. A probe counts as right when left unmatched (or matched rightly)."""
    score = Score()
    for row in rows:
        if row.get("probe") and not count_probes:
            continue
        score.total += 1
        m = catalog.match(row["issuer"], account=row.get("account"))
        truth = [row["domain"], *row.get("also", [])]
        item = (row["issuer"], row["domain"], m.service.id if m.service else f"{m.how} {list(m.candidates)[:3]}")
        if m.service is None:
            if row.get("probe"):
                score.right += 1
            else:
                score.unmatched += 1
                score.unmatched_rows.append(item)
        elif _owns(m.service, truth) or catalog.index.by_host(row["domain"]) == m.service.id:
            score.right += 1
        else:
            score.wrong += 1
            score.wrong_rows.append(item)
    return score


def build(files: list[Path], catalog_dir: Path | None = None) -> Any:
    """A catalog with these public API files imported beneath the curated one (no personal layer)."""
    from mfakit.catalog.catalog import load_catalog
    from mfakit.catalog.refresh import refresh

    tmp = None
    if catalog_dir is None:
        tmp = tempfile.TemporaryDirectory()
        catalog_dir = Path(tmp.name)
    try:
        refresh(list(files), as_of="2026-08-05", catalog_dir=catalog_dir)
        return load_catalog(catalog_dir=catalog_dir, include_personal=False)
    finally:
        if tmp is not None:
            tmp.cleanup()


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m mfakit.catalog.evaluation DEV.jsonl CATALOG.json...", file=sys.stderr)
        return 2
    rows = read_dev(Path(argv[0]))
    catalog = build([Path(a) for a in argv[1:]])
    dev, held = split(rows)
    for label, part in (("all", rows), ("development part", dev), ("held-out part", held)):
        print(evaluate(catalog, part).line(label))
    s = evaluate(catalog, rows)
    for r in s.wrong_rows:
        print("WRONG", *r, sep="\t")
    for r in s.unmatched_rows:
        print("UNMATCHED", *r, sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
