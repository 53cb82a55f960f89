"""Start the person's own inventory (``mfakit init``): empty, or a copy of the example; never over a file."""

from __future__ import annotations

import os
from pathlib import Path

from mfakit import config
from mfakit.errors import InventoryError
from mfakit.fileio import atomic_write, file_lock

EMPTY = """\
# My accounts, for mfakit (this file is yours: data/private/ is ignored by git).
#
# Add accounts with `mfakit import EXPORT-FILE...` (authenticator exports: metadata only, never secrets),
# record changes with `mfakit record ACCOUNT --add ... --remove ...`, or edit by hand: your comments stay.
version: 1
accounts: []
"""


def init_inventory(path: str | os.PathLike[str] | None = None, from_example: bool = False) -> Path:
    """Create the person's inventory (default ``data/private/inventory.yaml``) and return its path.

    Empty by default; ``from_example`` copies the bundled example to start from. Refuses (InventoryError, one
    line) when the file already exists, even as a dangling symlink: nothing is ever overwritten. A relative
    path is relative to the project root.
    """
    target = config.resolve_path(path) if path else config.PRIVATE_INVENTORY
    data = config.EXAMPLE_INVENTORY.read_bytes() if from_example else EMPTY.encode("utf-8")
    if target.parent.exists() and not target.parent.is_dir():
        raise InventoryError("cannot create it: a part of the path is a file, not a folder", target)
    with file_lock(target):
        if target.exists() or target.is_symlink():
            raise InventoryError("already exists: mfakit init never overwrites a file (use it as it is, or move "
                                 "it away first)", target)
        atomic_write(target, data)
    return target
