"""CLI fuzz test: fixed seeds, a few hundred mutated inputs across the inventory, every import format,
policies, public catalogs and key state. Every run must exit 0 or 2 (the linter documents 1 for findings),
print a failure as ONE error line, never a traceback, leave the user's files intact on failure, and never
print a secret. Runs in-process (the CLI's own entry point) so it stays well under a minute.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from mfakit import config
from mfakit.inventory import load_inventory
from cli_support import run_cli
from fuzz_support import check_result, mutate

import gen_exports  # noqa: E402  (tests/importers, put on sys.path by fuzz_support)
from importers_support import encodings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "example" / "inventory.yaml"
POLICIES = sorted((ROOT / "data" / "policies").glob("*.json"))
SECRET_NEEDLES = sorted({e for s in gen_exports.secrets() for e in encodings(s)})

#: Cases per import format: plain formats are cheap; encrypted ones pay a key derivation per case.
IMPORT_CASES = {name: (2 if gen_exports.GENERATORS[name]().password else 6) for name in gen_exports.GENERATORS}
INVENTORY_CASES = 50
POLICY_CASES = 12
CATALOG_CASES = 12
KEY_CASES = 16


def _no_secret(text: str) -> None:
    low = text.lower()
    leaked = [n for n in SECRET_NEEDLES if n in text or n.lower() in low]
    assert not leaked, f"a secret was printed ({len(leaked)} encodings)"


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    dst = tmp_path / "inventory.yaml"
    shutil.copy(EXAMPLE, dst)
    return dst


# ---------------------------------------------------------------------------------------------- inventory
@pytest.mark.parametrize("seed", range(INVENTORY_CASES))
def test_fuzz_inventory(seed: int, tmp_path: Path, capsys) -> None:
    rng = random.Random(1000 + seed)
    path = tmp_path / "inventory.yaml"
    path.write_bytes(mutate(EXAMPLE.read_bytes(), rng, json_aware=False) if seed else EXAMPLE.read_bytes())
    before = path.read_bytes()
    code, out, err = run_cli(["status", "-f", "json", "-i", str(path)], capsys)
    check_result(code, out, err, allowed=(0,) if seed == 0 else (0, 2))
    assert path.read_bytes() == before  # a reader never writes
    spec = rng.choice(["security_key:Titan 3", "passkey:[/bold]", "sms:\x1b[31m", "email:=1+1"])
    code, out, err = run_cli(["record", rng.choice(["github", "google", "x", "nope"]), "--add", spec,
                              "-i", str(path)], capsys)
    check_result(code, out, err)
    if code == 2:
        assert path.read_bytes() == before  # a refused write leaves the file as it was
    else:
        load_inventory(path)  # what was written loads back


# ---------------------------------------------------------------------------------------------- imports
#: Cases another area still fails (its engineer is on it): expected to fail, not hidden. Case id → reason.
#: (Found and fixed so far: "freeotp-plus-1", a lone surrogate in an imported issuer crashed the JSON output.)
KNOWN_FAILURES: dict[str, str] = {}


def _params(pairs: list[tuple[str, int]]) -> list:
    out = []
    for name, seed in pairs:
        case = f"{name}-{seed}"
        marks = [pytest.mark.xfail(strict=False, reason=KNOWN_FAILURES[case])] if case in KNOWN_FAILURES else []
        out.append(pytest.param(name, seed, id=case, marks=marks))
    return out


_IMPORT_PARAMS = _params([(name, i) for name, n in IMPORT_CASES.items() for i in range(n)])


@pytest.mark.parametrize("name,seed", _IMPORT_PARAMS)
def test_fuzz_import(name: str, seed: int, tmp_path: Path, inventory: Path, capsys) -> None:
    rng = random.Random(f"{name}:{seed}")
    exp = gen_exports.GENERATORS[name]()
    data = exp.data
    if seed:  # case 0 is the untouched export: it must import
        data = mutate(data, rng, json_aware=exp.name.endswith((".json", ".2fas", ".authpro", ".maFile")))
    src = tmp_path / exp.name
    src.write_bytes(data)
    before = inventory.read_bytes()
    argv = ["import", str(src), "--inventory", str(inventory), "--format", rng.choice(["json", "table"])]
    if seed % 2:
        argv.append("--dry-run")
    stdin = ""
    if exp.password:
        argv.append("--password-stdin")
        stdin = (exp.password if seed == 0 or rng.random() < 0.8 else "wrong password") + "\n"
    code, out, err = run_cli(argv, capsys, stdin=stdin)
    check_result(code, out, err)
    _no_secret(out + err)
    if seed == 0:
        assert code == 0, err
    if code == 2 or "--dry-run" in argv:
        assert inventory.read_bytes() == before
    else:
        load_inventory(inventory)
        code, out, err = run_cli(["status", "-i", str(inventory)], capsys)  # hostile names reach the views
        check_result(code, out, err, allowed=(0,))
        _no_secret(out + err)


# ---------------------------------------------------------------------------------------------- policies
_POLICY_PARAMS = _params([(p.name, i) for p in POLICIES for i in range(POLICY_CASES)])


@pytest.mark.parametrize("name,seed", _POLICY_PARAMS)
def test_fuzz_policy(name: str, seed: int, tmp_path: Path, capsys) -> None:
    rng = random.Random(f"{name}:{seed}")
    src = tmp_path / name
    data = (ROOT / "data" / "policies" / name).read_bytes()
    src.write_bytes(mutate(data, rng, json_aware=True) if seed else data)  # case 0: the policy as shipped
    code, out, err = run_cli(["aws", "lint", str(src)], capsys)
    check_result(code, out, err, allowed=(0, 1, 2))  # 1: an error-severity finding (documented)
    action = rng.choice(["iam:ListUsers", "ec2:DescribeVpcs", "iam:ChangePassword", "sts:GetSessionToken"])
    context = rng.choice([[], ["-c", "aws:MultiFactorAuthPresent=true"], ["-c", "aws:username=[/bold]"]]) \
        if seed else ["-c", "aws:MultiFactorAuthPresent=true"]
    code, out, err = run_cli(["aws", "eval", "-p", str(src), "-a", action, *context], capsys)
    check_result(code, out, err, allowed=(0,) if seed == 0 else (0, 2))


# ---------------------------------------------------------------------------------------------- catalogs
_CATALOGS = {
    "v3.json": b'[["GitHub", {"domain": "github.com", "tfa": ["totp", "u2f"], "documentation": "https://ex.org/gh",'
               b' "keywords": ["developer"]}], ["Brand New", {"domain": "brand-new.example", "tfa": ["totp"],'
               b' "keywords": ["other"]}]]',
    "v4.json": b'{"example-shop.jp": {"methods": ["totp", "u2f"], "documentation": "https://example-shop.jp/2fa"},'
               b' "www.example-shop.jp": {"methods": ["totp", "u2f"]}, "no2fa.example": {}}',
    "passkeys.json": b'{"example-shop.jp": {"passwordless": "allowed"}, "other.example": {"mfa": "required",'
                     b' "documentation": "https://other.example/pk"}}',
}
_CATALOG_PARAMS = _params([(n, i) for n in _CATALOGS for i in range(CATALOG_CASES)])


@pytest.mark.parametrize("name,seed", _CATALOG_PARAMS)
def test_fuzz_catalog_refresh(name: str, seed: int, tmp_path: Path, capsys, monkeypatch) -> None:
    rng = random.Random(f"{name}:{seed}")
    layer_dir = tmp_path / "catalog"
    monkeypatch.setattr(config, "CATALOG_DIR", layer_dir)
    good = tmp_path / "good.json"
    good.write_bytes(_CATALOGS["v3.json"])
    assert run_cli(["catalog", "refresh", str(good), "--as-of", "2026-01-01"], capsys)[0] == 0
    layer = sorted(layer_dir.iterdir())
    before = {p.name: p.read_bytes() for p in layer}
    src = tmp_path / name
    src.write_bytes(mutate(_CATALOGS[name], rng, json_aware=True) if seed else _CATALOGS[name])
    code, out, err = run_cli(["catalog", "refresh", str(src), "--as-of", "2026-02-02"], capsys)
    check_result(code, out, err, allowed=(0,) if seed == 0 else (0, 2))
    if code == 2:
        assert {p.name: p.read_bytes() for p in sorted(layer_dir.iterdir()) if p.name in before} == before
    code, out, err = run_cli(["catalog", "list", "--all"], capsys)  # whatever was imported can be listed
    check_result(code, out, err, allowed=(0,))


# ---------------------------------------------------------------------------------------------- key state
@pytest.fixture(scope="module")
def key_state(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from mfakit.cli.main import run  # a module-scoped fixture has no capsys: run the entry point directly

    path = tmp_path_factory.mktemp("key") / "state.json"
    try:
        run(["key", "demo", "--state", str(path)])
    except SystemExit as exc:
        assert exc.code in (0, None)
    return path.read_bytes()


@pytest.mark.parametrize("seed", range(KEY_CASES))
def test_fuzz_key_state(seed: int, key_state: bytes, tmp_path: Path, capsys) -> None:
    import json

    rng = random.Random(3000 + seed)
    path = tmp_path / "state.json"
    path.write_bytes(mutate(key_state, rng, json_aware=True) if seed else key_state)
    before = path.read_bytes()
    try:
        master = json.loads(key_state)["store"]["master"]
    except (ValueError, KeyError, TypeError):
        master = None
    command = rng.choice([["key", "demo"], ["key", "info"], ["key", "passkeys", "--demo-pin"]])
    code, out, err = run_cli([*command, "--state", str(path)], capsys)
    check_result(code, out, err, allowed=(0,) if seed == 0 else (0, 2))
    if master:
        assert master not in out + err  # the key's master secret is never shown
    if code == 2:
        assert path.read_bytes() == before


def test_fuzz_key_state_under_a_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "f").write_text("x")
    code, out, err = run_cli(["key", "demo", "--state", str(tmp_path / "f" / "new.json")], capsys)
    check_result(code, out, err)
    assert code == 2


# ---------------------------------------------------------------------------------------------- named cases
def _deep_policy() -> bytes:
    return b'{"Version": "2012-10-17", "Statement": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def _big_number_policy() -> bytes:
    return (b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", '
            b'"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ' + b"9" * 5000 + b"}}}]}")


def _small_master(state: bytes) -> bytes:
    import json

    doc = json.loads(state)
    doc["store"]["master"] = "AAAA"  # 3 bytes
    return json.dumps(doc).encode()


NAMED = {  # the issue's own crash list, one case each
    "policy-100000-deep": (["aws", "lint", "{f}"], lambda s: _deep_policy()),
    "policy-5000-digit-number": (["aws", "eval", "-p", "{f}", "-a", "iam:ListUsers"],
                                 lambda s: _big_number_policy()),
    "catalog-5000-digit-number": (["catalog", "refresh", "{f}", "--as-of", "2026-01-01"],
                                  lambda s: b'{"a.example": {"methods": ["totp"], "n": ' + b"9" * 5000 + b"}}"),
    "key-state-list": (["key", "demo", "--state", "{f}"], lambda s: b"[1, 2, 3]"),
    "key-state-3-byte-master": (["key", "demo", "--state", "{f}"], _small_master),
    "inventory-nested-brackets": (["status", "-i", "{f}"], lambda s: b"accounts: " + b"[" * 2400),
}


@pytest.mark.parametrize("case", sorted(NAMED))
def test_named_hostile_inputs(case: str, key_state: bytes, tmp_path: Path, capsys, monkeypatch) -> None:
    import time

    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    argv, make = NAMED[case]
    path = tmp_path / "input.json"
    path.write_bytes(make(key_state))
    before = path.read_bytes()
    t0 = time.process_time()
    code, out, err = run_cli([a.format(f=path) for a in argv], capsys)
    assert time.process_time() - t0 < 2.0, "a pathological input must be refused cheaply"
    check_result(code, out, err)
    assert code == 2 and path.read_bytes() == before
