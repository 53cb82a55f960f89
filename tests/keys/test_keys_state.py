"""Software-key state files (``--state``): wrong shapes, bad paths, a full disk, locking, mode 0600, no secret shown."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keys_support import TEST_PIN, WRONG_PIN, run_cli, softkey

from mfakit.config import PROJ_ROOT
from mfakit.errors import KeyDeviceError
from mfakit.keys.softkey.state import dumps, load_state, open_state, save_state


def _good() -> dict:
    key = softkey()
    key.store.new("example.com", True, "Example", {"id": b"u", "name": "alice", "displayName": "Alice"})
    return json.loads(dumps(key))


def _one_line(code: int, err: str, *expected: str) -> str:
    lines = err.strip().splitlines()
    assert code == 2 and lines and lines[-1].startswith("mfakit: error:"), err
    assert "Traceback" not in err and all(e in lines[-1] for e in expected), err
    return lines[-1]


def _broken(doc: dict, path: list, value) -> dict:  # type: ignore[no-untyped-def]
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


CASES = [
    (["store", "master"], "AAAA", "store.master must be 32 bytes, not 3"),
    (["store", "master"], 12345, "store.master must be base64url text, not int"),
    (["store", "master"], "!!not base64!!", "store.master"),
    (["store", "counter"], "7", "store.counter must be a whole number, not str"),
    (["store", "counter"], -1, "store.counter must be between"),
    (["store", "max_discoverable"], True, "store.max_discoverable must be a whole number, not bool"),
    (["store", "passkeys"], {"a": 1}, "store.passkeys must be a list"),
    (["store", "passkeys", 0, "rp_id"], 7, "store.passkeys[0].rp_id must be text"),
    (["store", "passkeys", 0, "key"], "AAAA", "store.passkeys[0].key must be 32 bytes, not 3"),
    (["store", "passkeys", 0, "key"], "A" * 43, "store.passkeys[0].key is not a valid P-256 private key"),
    (["store", "passkeys", 0, "user"], ["x"], "store.passkeys[0].user must be an object"),
    (["store", "passkeys", 0, "user", "evil"], "x", "store.passkeys[0].user has unknown fields"),
    (["store", "passkeys", 0, "user", "name"], "x" * 5000, "store.passkeys[0].user.name is longer than"),
    (["store", "passkeys", 0], "oops", "store.passkeys[0] must be an object"),
    (["pin", "retries"], 99, "pin.retries must be between 0 and 8"),
    (["pin", "retries"], "8", "pin.retries must be a whole number"),
    (["pin", "salt"], "zz", "pin.salt is not hex"),
    (["pin", "verifier"], None, "pin.salt and pin.verifier go together"),
    (["pin"], [1, 2], "pin must be an object"),
    (["store"], [], "store must be an object"),
    (["version"], True, "version must be 1"),
    (["preview"], "yes", "preview must be true or false"),
]


@pytest.mark.parametrize("path, value, expected", CASES, ids=[c[2][:40] for c in CASES])
def test_wrong_shapes_are_refused_with_one_line_naming_the_field(tmp_path, capsys, path, value,  # type: ignore[no-untyped-def]
                                                                 expected) -> None:
    doc = _good()
    master = doc["store"]["master"]
    state = tmp_path / "key.json"
    state.write_text(json.dumps(_broken(doc, path, value)))
    before = state.read_bytes()
    with pytest.raises(KeyDeviceError) as exc:
        load_state(state)
    assert expected in str(exc.value) and str(state) in str(exc.value)
    code, out, err = run_cli(["key", "info", "--state", str(state)], capsys)
    _one_line(code, err, expected)
    assert master not in out + err and state.read_bytes() == before  # not printed, not overwritten


@pytest.mark.parametrize("content, expected", [
    (b"[1, 2, 3]", "not an mfakit software-key state file"),
    (b'{"format": "something-else"}', "not an mfakit software-key state file"),
    (b"{not json", "JSONDecodeError"),
    (b"\xff\xfe\x00garbage", "UnicodeDecodeError"),
    (b"[" * 600_000 + b"]" * 600_000, "too large"),
    (b"[" * 50_000 + b"]" * 50_000, "RecursionError"),
])
def test_not_a_state_file(tmp_path, capsys, content: bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "key.json"
    state.write_bytes(content)
    t0 = time.monotonic()
    code, _, err = run_cli(["key", "passkeys", "--state", str(state), "--demo-pin"], capsys)
    _one_line(code, err, expected)
    assert time.monotonic() - t0 < 1 and state.read_bytes() == content


def test_state_under_a_file_or_a_folder_as_state(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "f").write_text("a file")
    code, _, err = run_cli(["key", "demo", "--state", str(tmp_path / "f" / "new.json")], capsys)
    _one_line(code, err, "a part of the path is a file, not a folder")
    (tmp_path / "d").mkdir()
    code, _, err = run_cli(["key", "info", "--state", str(tmp_path / "d")], capsys)
    _one_line(code, err, "is a folder")


def test_full_disk_while_saving_is_one_line_and_leaves_the_old_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "key.json"
    save_state(softkey(), state)
    before = state.read_bytes()

    def no_writes() -> None:  # as `ulimit -f 0`
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    for target in (state, tmp_path / "new.json"):
        res = subprocess.run([sys.executable, "-m", "mfakit.cli.main", "key", "demo", "--state", str(target)],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=PROJ_ROOT, timeout=60,
                             preexec_fn=no_writes)
        _one_line(res.returncode, res.stderr, "disk is full")
        assert res.stdout == ""
    assert state.read_bytes() == before and not (tmp_path / "new.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_written_with_mode_0600_and_symlinks_written_through(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "new.json"
    code, _, err = run_cli(["key", "demo", "--state", str(state)], capsys)
    assert code == 0, err
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    state.chmod(0o644)
    code, _, _ = run_cli(["key", "info", "--state", str(state)], capsys)
    assert code == 0 and stat.S_IMODE(state.stat().st_mode) == 0o600
    (tmp_path / "sync").mkdir()
    real = tmp_path / "sync" / "key.json"
    os.replace(state, real)
    state.symlink_to(real)
    code, _, _ = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys, stdin=WRONG_PIN)
    assert code == 2 and state.is_symlink() and load_state(real).pin_state.retries == 7


def test_relative_state_is_relative_to_the_project_root(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from mfakit.keys import inspect

    ref = inspect.KeyRef.choose(state="data/private/k.json")
    assert ref.state == PROJ_ROOT / "data" / "private" / "k.json"


def test_concurrent_updates_all_land(tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "key.json"
    save_state(softkey(), state)
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            with open_state(state) as key:
                time.sleep(0.005)  # widen the read-modify-write window
                key.store.new(f"site{i}.example", True, f"Site {i}", {"id": bytes([i]), "name": f"u{i}"})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(c.rp_id for c in load_state(state).store.resident) == sorted(f"site{i}.example" for i in range(12))


def test_concurrent_commands_count_every_pin_try(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Three `key passkeys` processes with a wrong PIN at once: three tries used, none lost."""
    state = tmp_path / "key.json"
    save_state(softkey(), state)
    cmd = [sys.executable, "-m", "mfakit.cli.main", "key", "passkeys", "--state", str(state), "--pin-stdin"]
    procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=PROJ_ROOT) for _ in range(3)]
    for p in procs:  # every PIN line written up front: a command holds the lock while it reads its PIN
        assert p.stdin is not None
        p.stdin.write(WRONG_PIN + "\n")
        p.stdin.close()
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert all(p.returncode == 2 for p in procs), results
    assert load_state(state).pin_state.retries == 8 - 3


def test_key_state_secrets_never_printed(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "key.json"
    key = softkey()
    key.store.new("example.com", True, "Example", {"id": b"u", "name": "alice"})
    save_state(key, state)
    doc = json.loads(state.read_text())
    secrets = [doc["store"]["master"], doc["store"]["passkeys"][0]["key"], doc["pin"]["verifier"], doc["pin"]["salt"]]
    seen = []
    for argv, stdin in [(["key", "info", "--state", str(state)], ""),
                        (["key", "info", "--state", str(state), "--format", "json"], ""),
                        (["key", "passkeys", "--state", str(state), "--pin-stdin", "--format", "json"], TEST_PIN),
                        (["key", "passkeys", "--state", str(state), "--pin-stdin"], TEST_PIN)]:
        code, out, err = run_cli(argv, capsys, stdin=stdin + "\n")
        assert code == 0, err
        seen.append(out + err)
    for blob in seen:
        for secret in secrets:
            assert secret not in blob


_LEAVES = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=50) | st.lists(st.integers(), max_size=2) \
    | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2) | st.sampled_from(["AAAA", "A" * 43, "00" * 16])


def _paths(doc, prefix=()):  # type: ignore[no-untyped-def]
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for k, v in items:
        yield (*prefix, k)
        yield from _paths(v, (*prefix, k))


_GOOD = None


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mutated_state_files_load_cleanly_or_fail_with_one_error(data) -> None:  # type: ignore[no-untyped-def]
    """Any one field replaced by any JSON value: refused with KeyDeviceError, or a key that works."""
    from mfakit.keys.inspect import key_info
    from mfakit.keys.softkey.state import from_dict

    global _GOOD
    if _GOOD is None:
        _GOOD = _good()
    doc = json.loads(json.dumps(_GOOD))
    path = data.draw(st.sampled_from(sorted(_paths(doc), key=str)))
    _broken(doc, list(path), data.draw(_LEAVES))
    try:
        key = from_dict(json.loads(json.dumps(doc)))
    except KeyDeviceError as exc:
        assert "\n" not in str(exc) and _GOOD["store"]["master"] not in str(exc)
        return
    key_info(key)  # a key that loaded must work
    key.store.new("x.example", True, "X", {"id": b"x", "name": "x"})
    json.loads(dumps(key))
