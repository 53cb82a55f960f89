"""Property-based: every parser, driven with mutated real inputs, either reads records or raises ImportFormatError
(one line, naming the file, holding no secret) — nothing else escapes."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from gen_exports import GENERATORS, PASSWORD, secrets as generated_secrets
from importers_support import encodings, secrets_in_fixtures

from mfakit.errors import ImportFormatError
from mfakit.importers import OtpRecord, read_export_bytes
from mfakit.importers.google_migration import extract_data
from mfakit.importers.samples import migration_uris, qr_image, sample_accounts

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "otp-exports"
#: Generated exports of every format (a fresh clone has these); the slow-KDF ones are left to the other tests.
SLOW = {"google-qr", "aegis-encrypted", "authpro-strong"}
FILES = {f"{name}--{exp.name}": exp.data for name, make in GENERATORS.items() if name not in SLOW
         for exp in [make()]}
SECRETS = generated_secrets()
if FIXTURES.is_dir():  # ../shared's real files too (not the peers' set: test_importers_peers.py reads those)
    FILES.update({p.name: p.read_bytes() for p in sorted(FIXTURES.rglob("*")) if p.is_file() and "peers" not in p.parts})
    SECRETS |= secrets_in_fixtures(FIXTURES)
NEEDLES = {e.lower() for s in SECRETS for e in encodings(s)}
COMMON = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                  derandomize=True)


def _attempt(data: bytes, name: str) -> None:
    try:
        result = read_export_bytes(data, name, password="test" if "--" not in name else PASSWORD)
    except ImportFormatError as exc:
        msg = str(exc)
        assert "\n" not in msg and msg.startswith(name)
        assert not any(n in msg.lower() for n in NEEDLES)
        return
    assert all(isinstance(r, OtpRecord) for r in result.records)
    for w in result.warnings:
        assert not any(n in w.lower() for n in NEEDLES)


def _mutate(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    buf = bytearray(data)
    for kind, pos, value in ops:
        if not buf:
            break
        i = pos % len(buf)
        if kind == 0:
            buf[i] = value
        elif kind == 1:
            buf.insert(i, value)
        elif kind == 2:
            del buf[i]
        else:
            del buf[i:]
    return bytes(buf)


OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=6)


@pytest.mark.parametrize("name", sorted(FILES))
@COMMON
@given(ops=OPS)
def test_byte_mutations(name: str, ops: list[tuple[int, int, int]]) -> None:
    _attempt(_mutate(FILES[name], ops), name)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _replace(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


PLAIN_JSON = [n for n in FILES if n.endswith((".json", ".2fas", ".authpro", ".maFile")) and n != "aegis_encrypted.json"
              and FILES[n][:1] in (b"{", b"[") and b"kdf" not in FILES[n][:400]]


@pytest.mark.parametrize("name", PLAIN_JSON)
@COMMON
@given(data=st.data())
def test_json_shape_mutations(name: str, data: st.DataObject) -> None:
    doc = json.loads(FILES[name])
    paths = _paths(doc)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(JSON_VALUES)
    _attempt(json.dumps(_replace(doc, path, value)).encode(), name)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(data=st.data())
def test_encrypted_aegis_header_mutations(data: st.DataObject) -> None:
    doc = json.loads(GENERATORS["aegis-encrypted"]().data if "aegis_encrypted.json" not in FILES
                     else FILES["aegis_encrypted.json"])
    path = data.draw(st.sampled_from([p for p in _paths(doc) if p[:1] == ("header",)] + [("db",)]))
    _attempt(json.dumps(_replace(doc, path, data.draw(JSON_VALUES))).encode(), "aegis_encrypted.json")


@COMMON
@given(ops=OPS)
def test_protobuf_payload_mutations(ops: list[tuple[int, int, int]]) -> None:
    link = migration_uris(sample_accounts(3))[0]
    payload = _mutate(extract_data(link), ops)
    text = "otpauth-migration://offline?data=" + base64.b64encode(payload).decode()
    _attempt(text.encode(), "mutated-payload.txt")


@COMMON
@given(line=st.text(alphabet=st.sampled_from(list("otpauth://migration?&=%:/+ABCZ27sectrisuerdgh0189 \x00é楽")),
                    max_size=80))
def test_arbitrary_link_text(line: str) -> None:
    _attempt(("otpauth://" + line).encode(), "links.txt")
    _attempt(("otpauth-migration://offline?data=" + line).encode(), "links.txt")


@settings(max_examples=10, deadline=None, derandomize=True)
@given(ops=OPS)
def test_generated_qr_png_mutations(ops: list[tuple[int, int, int]]) -> None:
    png = qr_image(migration_uris(sample_accounts(2)), scale=2)
    _attempt(_mutate(png, ops), "shot.png")
