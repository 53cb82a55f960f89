"""JSON on stdout stays exact but cannot drive a terminal: controls JSON leaves raw are escaped."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from mfakit.cli.output import emit_json
from mfakit.safe import json_text


def test_c1_bidi_and_surrogates_are_escaped(capsys) -> None:
    data = {"issuer": "x\x9b31m\u202eevil\x1b]8;;http://e\x07", "lone": "\ud800"}
    emit_json(data)
    out = capsys.readouterr().out
    assert "\x9b" not in out and "\u202e" not in out and "\x1b" not in out and "\x07" not in out
    assert json.loads(out) == data


@settings(max_examples=80, deadline=None)
@given(st.recursive(st.text(), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner,
                                                                                            max_size=3), max_leaves=8))
def test_json_text_round_trips(value) -> None:
    encoded = json_text(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert not any(0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\u202e" for ch in encoded)
