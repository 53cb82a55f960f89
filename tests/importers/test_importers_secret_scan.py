"""THE SECRET SCAN: import every fixture through the CLI, export the result, then look for every secret in every
encoding in everything written and printed — zero hits."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

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


def test_no_secret_reaches_disk_output_or_logs(shared_fixtures: Path, tmp_path: Path, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    exports = shared_fixtures / "otp-exports"
    samples = tmp_path / "in"
    samples.mkdir()
    accounts = sample_accounts(12)
    for i, uri in enumerate(migration_uris(accounts)):
        (samples / f"transfer{i}.png").write_bytes(qr_image([uri]))
    secrets = secrets_in_fixtures(exports) | {a.secret for a in accounts}
    assert len(secrets) >= 15 and all(encodings(s) for s in secrets)
    # the scanner itself must find a secret where there is one
    one = next(iter(secrets))
    assert scan({"probe": b"x" + encodings(one).pop().encode() + b"y"}, secrets) == ["probe"]

    out_dir = tmp_path / "out"
    inv = out_dir / "inventory.yaml"
    printed: dict[str, bytes] = {}
    files = sorted(p for p in exports.rglob("*") if p.is_file())
    sample_files = sorted(samples.iterdir())
    for n, f in enumerate(files + sample_files):
        for args in (["--dry-run", "--format", "json"],):
            code, out, err = run_cli(["import", str(f), "--inventory", str(inv), "--password-stdin", *args],
                                     capsys, stdin="test\n")
            assert code in (0, 2), (f, code, err)
            printed[f"{f.name} {args} stdout"] = out.encode()
            printed[f"{f.name} {args} stderr"] = err.encode()
    # everything at once (written), again (idempotent), then every export format of the result
    good = [str(f) for f in files if "wrong" not in f.name and "without" not in f.name]
    for run in ("first", "again"):
        code, out, err = run_cli(["import", *good, *map(str, sample_files), "--inventory", str(inv),
                                  "--password-stdin"], capsys, stdin="test\n")
        assert code == 0, err
        printed[f"all {run} stdout"], printed[f"all {run} stderr"] = out.encode(), err.encode()
    assert "0 to add, 0 to update" in out
    for ext in ("csv", "md", "html", "xlsx", "json"):
        code, out, err = run_cli(["export", "-o", str(out_dir / f"status.{ext}"), "-i", str(inv)], capsys)
        assert code == 0, err
        printed[f"export {ext}"] = (out + err).encode()
    code, out, err = run_cli(["status", "--inventory", str(inv)], capsys)
    printed["status"] = (out + err).encode()
    # the library's objects: records, warnings and reprs
    result = read_exports([f for f in files if "wrong" not in f.name and "without" not in f.name], password="test")
    printed["repr"] = (repr(result) + repr(result.records) + "\n".join(result.warnings)).encode()
    printed["log"] = caplog.text.encode()

    written = _written(out_dir)
    assert inv.exists() and len(written) >= 6
    assert "Deno" in inv.read_text() and "Google Authenticator" in inv.read_text()
    hits = scan(written, secrets) + scan(printed, secrets)
    assert hits == []
    # nothing else was left behind (no temp files beside the inventory)
    assert not [p.name for p in out_dir.iterdir() if p.name.startswith(".")]
