"""One place for paths: where the example data, the user's private data and the catalog layers live."""

from __future__ import annotations

import os
from pathlib import Path

#: The project root: relative paths the user gives are relative to it. ``MFAKIT_ROOT`` moves it (the tests run
#: the documented commands in a scratch copy of the project so they never touch the real data/).
PROJ_ROOT = Path(os.environ.get("MFAKIT_ROOT") or Path(__file__).resolve().parents[1]).resolve()
DATA_DIR = Path(os.environ.get("MFAKIT_DATA_DIR", PROJ_ROOT / "data"))
EXAMPLE_DIR = DATA_DIR / "example"
PRIVATE_DIR = DATA_DIR / "private"
EXAMPLE_INVENTORY = EXAMPLE_DIR / "inventory.yaml"
PRIVATE_INVENTORY = PRIVATE_DIR / "inventory.yaml"
#: Where `mfakit catalog refresh` writes the imported public-catalog layer (ignored by git).
CATALOG_DIR = DATA_DIR / "catalog"
POLICIES_DIR = DATA_DIR / "policies"
CURATED_CATALOG = Path(__file__).resolve().parent / "catalog" / "curated.yaml"


def resolve_inventory(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Pick the inventory: ``--inventory``, else ``$MFAKIT_INVENTORY``, else the private file, else the example."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MFAKIT_INVENTORY")
    if env:
        return Path(env).expanduser()
    if PRIVATE_INVENTORY.exists():
        return PRIVATE_INVENTORY
    return EXAMPLE_INVENTORY


def describe_inventory(path: Path) -> str:
    """A short human label for the chosen inventory (shown in every command's header)."""
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    if path.resolve() == EXAMPLE_INVENTORY.resolve():
        return f"{shown} (example)"
    return str(shown)
