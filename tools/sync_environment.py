"""Write environment.yml from pyproject.toml (one source of truth for dependency names and ranges).

Packages whose conda-forge build is missing or lacks pip extras go in the ``pip:`` section, with the same spec.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: pyproject name → conda-forge name, where they differ
CONDA_NAMES = {"ruamel.yaml": "ruamel.yaml", "pillow": "pillow", "protobuf": "protobuf"}
#: installed by pip inside the conda env (no conda-forge package, or extras needed)
PIP_ONLY = {"zxing-cpp", "moto", "nbmake", "principalmapper", "playwright"}
EXTRAS_IN_ENV = ("test",)


def split(req: str) -> tuple[str, str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?\s*(.*)$", req)
    assert m, req
    return m.group(1), m.group(2) or "", m.group(3).strip()


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + [r for e in EXTRAS_IN_ENV for r in project["optional-dependencies"][e]]
    conda, pip = [], []
    for req in reqs:
        name, extras, spec = split(req)
        if name.lower() in PIP_ONLY:
            pip.append(f"{name}{extras}{spec}")
        else:
            conda.append(f"{CONDA_NAMES.get(name.lower(), name)}{spec}")
    lines = [
        "# Generated from pyproject.toml by tools/sync_environment.py; tests/test_environment.py checks they agree.",
        "name: mfakit",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        *[f'  - "{c}"' for c in conda],
        "  - pip",
        "  - pip:",
        *[f'      - "{p}"' for p in pip],
        "      - -e .",
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines) + "\n")
    print("wrote environment.yml")


if __name__ == "__main__":
    main()
