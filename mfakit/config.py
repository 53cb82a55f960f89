"""One place for paths: where the example data, the user's private data and the catalog layers live.

A relative path a user gives anywhere (a command option, an ``MFAKIT_*`` variable, a notebook parameter) means
relative to the project root, wherever the code runs from (a notebook runs in ``notebooks/``): every such path
goes through :func:`resolve_path`.
"""

from __future__ import annotations

import os
from pathlib import Path

#: ``MFAKIT_ROOT`` moves the project root (tests/docs runs the documented commands in a scratch copy of the
#: project so they never touch the real data/).
PROJ_ROOT = Path(os.environ.get("MFAKIT_ROOT") or Path(__file__).resolve().parents[1]).resolve()


def resolve_path(p: str | os.PathLike[str]) -> Path:
    """``p`` with ``~`` expanded; a relative path is taken relative to the project root (not the cwd)."""
    path = Path(os.path.expanduser(os.fspath(p)))
    return path if path.is_absolute() else PROJ_ROOT / path


DATA_DIR = resolve_path(os.environ.get("MFAKIT_DATA_DIR") or PROJ_ROOT / "data")
EXAMPLE_DIR = DATA_DIR / "example"
PRIVATE_DIR = DATA_DIR / "private"
EXAMPLE_INVENTORY = EXAMPLE_DIR / "inventory.yaml"
PRIVATE_INVENTORY = PRIVATE_DIR / "inventory.yaml"
#: Where `mfakit catalog refresh` writes the imported public-catalog layer (ignored by git).
CATALOG_DIR = DATA_DIR / "catalog"
POLICIES_DIR = DATA_DIR / "policies"
CURATED_CATALOG = Path(__file__).resolve().parent / "catalog" / "curated.yaml"
#: The tracked example, whatever MFAKIT_DATA_DIR says: never written unless named explicitly.
TRACKED_EXAMPLE = PROJ_ROOT / "data" / "example" / "inventory.yaml"


def resolve_inventory(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Pick the inventory: ``--inventory``, else ``$MFAKIT_INVENTORY``, else the private file, else the example."""
    if explicit:
        return resolve_path(explicit)
    env = os.environ.get("MFAKIT_INVENTORY")
    if env:
        return resolve_path(env)
    if PRIVATE_INVENTORY.exists():
        return PRIVATE_INVENTORY
    return EXAMPLE_INVENTORY


def is_example(path: str | os.PathLike[str]) -> bool:
    """Is ``path`` (or its symlink target) the bundled example inventory?"""
    try:
        real = Path(os.path.realpath(resolve_path(path)))
        return real in {Path(os.path.realpath(EXAMPLE_INVENTORY)), Path(os.path.realpath(TRACKED_EXAMPLE))}
    except OSError:
        return False


def writable_inventory(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The inventory a writer (record, import, a widget) may change.

    As :func:`resolve_inventory`, except that the bundled example is read-only: when the choice falls back to
    it (or ``$MFAKIT_INVENTORY`` names it), :class:`~mfakit.errors.ReadOnlyExampleError` says to run
    ``mfakit init``. Only an explicit ``--inventory`` naming the example writes it.
    """
    path = resolve_inventory(explicit)
    if not explicit and is_example(path):
        from mfakit.errors import ReadOnlyExampleError

        raise ReadOnlyExampleError(
            "the bundled example is read-only and you have no inventory of your own yet: run `mfakit init` "
            f"(creates {describe_inventory(PRIVATE_INVENTORY)}; --from-example copies the example), "
            "or name a file with --inventory", path)
    return path


def describe_inventory(path: Path) -> str:
    """A short human label for the chosen inventory (shown in every command's header)."""
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        shown = path
    if is_example(path):
        return f"{shown} (example)"
    return str(shown)
