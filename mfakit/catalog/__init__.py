"""The service catalog: curated facts shipped with the kit, over public catalogs imported locally.

``load_catalog()`` → :class:`Catalog` (``services``, ``get``, ``match``); ``refresh_catalog()`` imports 2fa.directory /
passkeys-directory API files into ``CATALOG_DIR/imported.json``.
"""

from __future__ import annotations

from mfakit.catalog.catalog import Catalog, MergeStats, load_catalog, merge
from mfakit.catalog.model import CAPABILITIES, Fact, Match, Service
from mfakit.catalog.normalize import host_of, normalize_name

__all__ = ["CAPABILITIES", "Catalog", "Fact", "Match", "MergeStats", "Service", "host_of", "load_catalog",
           "merge", "normalize_name", "refresh_catalog"]


def refresh_catalog(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Import public catalog files (see :func:`mfakit.catalog.refresh.refresh`)."""
    from mfakit.catalog.refresh import refresh as _refresh

    return _refresh(*args, **kwargs)
