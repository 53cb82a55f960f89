"""The import section of notebook 01: read exports, show what would change, merge when asked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from mfakit.inventory.model import Inventory

if TYPE_CHECKING:
    from mfakit.catalog import Catalog


def _ask_password(path: Path) -> str:
    from getpass import getpass
    return getpass(f"Password for {path.name}: ")


def import_preview(inventory: Inventory, files: Iterable[str | Path], apply: bool = False,
                   catalog: "Catalog | None" = None, strict: bool = False) -> Any:
    """Import ``files`` into ``inventory``: a table of added/updated/skipped records (metadata only).

    With ``apply`` the merge is saved atomically to the inventory's file. Errors show as one line (for a file
    mfakit cannot read, the line says what to export instead). A malformed entry is skipped with a warning;
    ``strict`` refuses the file instead. Encrypted exports ask for their password (hidden).
    """
    import pandas as pd

    from mfakit.errors import MfakitError
    from mfakit.importers import apply_merge, plan_merge, read_exports
    from mfakit.inventory import save_inventory

    from mfakit.importers.common import locate_export

    paths = [locate_export(f) for f in files]
    source: Any = paths
    if not paths:
        from mfakit.importers.samples import migration_uris, sample_accounts
        print("No files given (IMPORT_FILES): showing a generated Google Authenticator transfer with FAKE secrets.")
        source = {"demo-transfer.txt": "\n".join(migration_uris(sample_accounts(8))).encode()}
        apply = False  # a demo never writes to the inventory
    try:
        result = read_exports(source, password_provider=_ask_password, strict=strict)
    except MfakitError as exc:
        from mfakit.safe import plain

        print(f"import failed: {plain(exc.one_line())}")
        return None
    from mfakit.safe import plain

    for warning in result.warnings:
        print(f"warning: {plain(warning)}")
    plan = plan_merge(inventory, result.records, catalog if catalog is not None else "auto")
    counts = plan.counts()
    print(" · ".join(f"{k} {v}" for k, v in counts.items()))
    if apply:
        apply_merge(inventory, plan)
        save_inventory(inventory)
        print(f"saved to {inventory.path}")
    columns = ["action", "issuer", "account", "type", "algorithm", "digits", "period", "service", "reason"]
    frame = pd.DataFrame(plan.to_list())
    return frame[[c for c in columns if c in frame.columns]]
