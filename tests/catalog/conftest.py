"""Catalog tests never read or write the developer's own data/private/catalog.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _personal_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "private" / "catalog.yaml"
    monkeypatch.setenv("MFAKIT_PERSONAL_CATALOG", str(path))
    return path
