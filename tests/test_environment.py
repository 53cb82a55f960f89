"""environment.yml must list exactly pyproject's dependencies (runtime + test extra) with the same ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$", req)
    assert m, req
    name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
    spec = ",".join(sorted(s.strip() for s in m.group(2).split(",") if s.strip()))
    return name, spec


def test_environment_yml_agrees_with_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_norm(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    listed: dict[str, str] = {}
    pip_section: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        name, spec = _norm(dep.replace("=", "==", 1) if re.match(r"^[\w.\-]+=[^=]", dep) else dep)
        if name not in ("python", "pip"):
            listed[name] = spec
    assert "-e ." in pip_section, "environment.yml must install the kit itself with pip (-e .)"
    for entry in pip_section:
        if not entry.startswith("-e"):
            name, spec = _norm(entry)
            assert name not in listed, f"{name} is listed twice"
            listed[name] = spec
    missing = sorted(set(wanted) - set(listed))
    extra = sorted(set(listed) - set(wanted))
    differ = sorted(n for n in set(wanted) & set(listed) if wanted[n] != listed[n])
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    assert not extra, f"in environment.yml but not in pyproject.toml: {extra}"
    assert not differ, f"version ranges differ: {[(n, wanted[n], listed[n]) for n in differ]}"
