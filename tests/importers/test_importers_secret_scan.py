"""THE SECRET SCAN: import every export through the CLI, export the result, then look for every secret in every
encoding in everything written and printed — zero hits. Runs on the exports generated here (every format, plain
and encrypted: a fresh clone) and, when ../shared is there, on its real files too."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from gen_exports import PASSWORD, secrets as generated_secrets, write_all
from importers_support import encodings, run_cli, scan, secrets_in_fixtures

from mfakit.importers import read_exports
from mfakit.importers.samples import migration_uris, qr_image, sample_accounts


def _written(folder: Path) -> dict[str, bytes]:
    blobs: dict[str, bytes] = {}
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            blobs[str(p)] = data
            if zipfile.is_zipfile(p):  # xlsx: look inside the archive too
                with zipfile.ZipFile(p) as z:
                    for name in z.namelist():
                        blobs[f"{p}!{name}"] = z.read(name)
    return blobs


def _sample_images(folder: Path) -> tuple[list[Path], set[bytes]]:
    folder.mkdir()
    accounts = sample_accounts(12)
    for i, uri in enumerate(migration_uris(accounts)):
        (folder / f"transfer{i}.png").write_bytes(qr_image([uri]))
    return sorted(folder.iterdir()), {a.secret for a in accounts}


def _scan_everything(files: list[Path], good: list[Path], secrets: set[bytes], password: str, tmp_path: Path,
                     capsys, caplog) -> None:
    assert len(secrets) >= 15 and all(encodings(s) for s in secrets)
    one = next(iter(secrets))  # the scanner itself must find a secret where there is one
    assert scan({"probe": b"x" + encodings(one).pop().encode() + b"y"}, secrets) == ["probe"]
    out_dir = tmp_path / "out"
    inv = out_dir / "inventory.yaml"
    printed: dict[str, bytes] = {}
    for f in files:  # each file alone: table and JSON output, warnings and errors
        for args in (["--dry-run", "--format", "json"], ["--dry-run"]):
            code, out, err = run_cli(["import", str(f), "--inventory", str(inv), "--password-stdin", *args],
                                     capsys, stdin=password + "\n")
            assert code in (0, 2), (f, code, err)
            printed[f"{f.name} {args} stdout"] = out.encode()
            printed[f"{f.name} {args} stderr"] = err.encode()
    for run in ("first", "again"):  # everything at once (written), again (idempotent)
        code, out, err = run_cli(["import", *map(str, good), "--inventory", str(inv), "--password-stdin"], capsys,
                                 stdin=password + "\n")
        assert code == 0, err
        printed[f"all {run} stdout"], printed[f"all {run} stderr"] = out.encode(), err.encode()
    assert "0 to add, 0 to update" in out
    for ext in ("csv", "md", "html", "xlsx", "json"):  # then every export format of the result
        code, out, err = run_cli(["export", "-o", str(out_dir / f"status.{ext}"), "-i", str(inv)], capsys)
        assert code == 0, err
        printed[f"export {ext}"] = (out + err).encode()
    code, out, err = run_cli(["status", "--inventory", str(inv)], capsys)
    printed["status"] = (out + err).encode()
    result = read_exports(good, password=password)  # the library's objects: records, warnings and reprs
    printed["repr"] = (repr(result) + repr(result.records) + "\n".join(result.warnings)).encode()
    printed["log"] = caplog.text.encode()
    written = _written(out_dir)
    assert inv.exists() and len(written) >= 6
    hits = scan(written, secrets) + scan(printed, secrets)
    assert hits == []
    # no temp files left behind (the lock file of mfakit.fileio stays by design)
    assert not [p.name for p in out_dir.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock")]


def test_no_secret_from_any_generated_export(tmp_path: Path, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    gen = tmp_path / "gen"
    gen.mkdir()
    made = write_all(gen)
    images, image_secrets = _sample_images(tmp_path / "img")
    files = [p for p, _e in made.values()] + images
    _scan_everything(files, files, generated_secrets() | image_secrets, PASSWORD, tmp_path, capsys, caplog)
    inv = (tmp_path / "out" / "inventory.yaml").read_text("utf-8")
    assert "Google Authenticator" in inv and "楽天" in inv  # the images' accounts and the generated ones


def test_no_secret_from_the_shared_fixtures(shared_fixtures: Path, tmp_path: Path, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    exports = shared_fixtures / "otp-exports"
    files = sorted(p for p in exports.rglob("*") if p.is_file() and "peers" not in p.parts)
    images, image_secrets = _sample_images(tmp_path / "img")
    good = [f for f in files if "wrong" not in f.name and "without" not in f.name] + images
    secrets = secrets_in_fixtures(exports) | image_secrets
    _scan_everything(files + images, good, secrets, "test", tmp_path, capsys, caplog)
    assert "Deno" in (tmp_path / "out" / "inventory.yaml").read_text()
