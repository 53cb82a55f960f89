"""Copy the README's screenshots from build/screenshots/ (written by `make test-e2e`) to docs/screenshots/.

Run after `make test-e2e`:  .venv/bin/python tests/e2e/update_doc_screenshots.py
Each image is scaled to at most MAX_WIDTH pixels wide and saved as an optimized palette PNG, so the files
committed to git stay small (well under 300 KB).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "build" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"
MAX_WIDTH = 1100
#: build/screenshots name -> docs/screenshots name.
PICKS = {
    "01-inventory-first-screen.png": "first-screen-01-inventory.png",
    "02-plan-and-progress-first-screen.png": "first-screen-02-plan.png",
    "01-inventory-groups.png": "inventory-groups.png",
    "01-inventory-search.png": "catalog-search.png",
    "02-plan-table.png": "plan-table.png",
    "02-lockout.png": "lockout-per-device.png",
    "02-plan-and-progress-record.png": "record-change-widget.png",
    "02-record-guard-rail.png": "record-guard-rail.png",
    "02-what-i-found.png": "what-i-found.png",
    "02-progress.png": "progress-chart.png",
}


def shrink(src: Path, dst: Path, max_width: int = MAX_WIDTH) -> Path:
    """Scale ``src`` down to ``max_width`` (keeping the aspect ratio) and save an optimized PNG at ``dst``."""
    with Image.open(src) as img:
        img = img.convert("RGB")
        if img.width > max_width:
            img = img.resize((max_width, round(img.height * max_width / img.width)), Image.LANCZOS)
        img = img.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        dst.parent.mkdir(parents=True, exist_ok=True)
        img.save(dst, optimize=True)
    return dst


def main() -> int:
    missing = [name for name in PICKS if not (SOURCE / name).exists()]
    if missing:
        print(f"missing in {SOURCE}: {', '.join(missing)} (run `make test-e2e` first)", file=sys.stderr)
        return 1
    for name, out in PICKS.items():
        dst = shrink(SOURCE / name, TARGET / out)
        print(f"{dst.relative_to(ROOT)}: {dst.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
