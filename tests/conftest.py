"""Shared test fixtures: the real files in ../shared (skipped when absent) and a temporary data folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property-based tests with a fixed derandomised sequence (reproducible, never flaky);
# developers' runs explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]


def _isolate_user_data() -> Path:
    """Point the kit at a scratch data folder for the whole run (before mfakit is imported anywhere).

    A developer's own ``data/private/`` (their inventory, their findings) must neither change a test's result nor
    be written by one. Every test process, and every command and notebook kernel they start, inherits this.
    """
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="mfakit-tests-data-"))
    for part in ("example", "policies"):
        if (ROOT / "data" / part).is_dir():
            shutil.copytree(ROOT / "data" / part, scratch / part)
    (scratch / "private").mkdir()
    os.environ["MFAKIT_DATA_DIR"] = str(scratch)
    os.environ.pop("MFAKIT_INVENTORY", None)
    import atexit

    atexit.register(shutil.rmtree, scratch, True)
    return scratch


SCRATCH_DATA = _isolate_user_data()
SHARED = ROOT.parent / "shared"
SHARED_FIXTURES = SHARED / "fixtures"
EXAMPLE_INVENTORY = ROOT / "data" / "example" / "inventory.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--hardware", action="store_true", default=False,
                     help="run tests that need a physical FIDO2 key (tests/hardware)")


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """../shared/fixtures, or skip: a user's fresh clone has no ../shared."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is absent (real-world fixtures are only beside the project checkout)")
    return SHARED_FIXTURES


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example inventory."""
    dst = tmp_path / "inventory.yaml"
    shutil.copy(EXAMPLE_INVENTORY, dst)
    return dst
