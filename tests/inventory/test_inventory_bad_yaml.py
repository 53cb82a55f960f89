"""Hostile and mistyped inventory YAML: one line naming the file, the line and what is wrong; refused cheaply."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mfakit.errors import InventoryError
from mfakit.inventory import load_inventory, save_inventory
from cli_support import run_cli

HEAD = "version: 1\naccounts:\n"


@pytest.mark.parametrize("body,needle", [
    (HEAD + "  - id: a\n    service: x\n    factors:\n      - type: totp\n        added: 2024-06-31\n",
     "'2024-06-31' is not a valid date"),
    ("%YAML 1.2\n---\n" + HEAD, "YAML directives such as '%YAML 1.2' are not supported"),
    ("version: !!int x\naccounts: []\n", "YAML tag '!!int' is not allowed"),
    (HEAD + "  - id: !!bool maybe\n    service: x\n", "YAML tag '!!bool' is not allowed"),
    (HEAD + "  - id: a\n    service: x\n    factors:\n      - type: totp\n        added: !!timestamp 2024-99-99\n",
     "YAML tag '!!timestamp' is not allowed"),
    ("version: " + "9" * 5000 + "\naccounts: []\n", "a number of 5000 characters is too long"),
    (HEAD + '  - id: "\\ud800"\n    service: x\n', "lone surrogate (U+D800)"),
    ("version: true\naccounts: []\n", "field 'version': must be the number 1, not a boolean"),
    (HEAD + "  - id: 2024-01-01\n    service: x\n", "field 'id': not a string but a date (put it in quotes"),
    (HEAD + "  - id: a\n    service: true\n", "field 'service': not a string but a boolean"),
    ("accounts: " + "[" * 2400 + "\n", "nested more than 32 levels deep"),
    ("accounts:\n" + "".join("  " * i + "- \n" for i in range(100)), "nested more than 32 levels deep"),
    ("a: !!python/object/apply:os.system ['true']\n", "is not allowed"),
])
def test_bad_yaml_is_one_line_naming_file_line_and_problem(tmp_path: Path, capsys, body: str, needle: str) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(body, encoding="utf-8", errors="surrogatepass")
    t0 = time.process_time()
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    assert time.process_time() - t0 < 0.5  # refused cheaply, even 2.4 KB of nested brackets
    text = str(info.value)
    assert needle in text and "\n" not in text and text.startswith(str(path))
    code, out, err = run_cli(["status", "-i", str(path)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err and "Traceback" not in err


def test_nel_in_a_quoted_name_is_kept_not_turned_into_a_space(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(HEAD + '  - id: a\n    service: x\n    label: "Bank\\NCard"\n', encoding="utf-8")
    inv = load_inventory(path)
    assert inv.find("a").label == "Bank\x85Card"
    inv.find("a").notes = "touched"
    save_inventory(inv)
    assert load_inventory(path).find("a").label == "Bank\x85Card"


def test_plain_values_still_load(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(HEAD + "  - id: '2024-01-01'\n    service: x\n    factors:\n      - type: totp\n"
                    "        added: 2024-02-29\n        where: !!str 12345\n", encoding="utf-8")
    acc = load_inventory(path).accounts[0]
    assert acc.id == "2024-01-01" and str(acc.factors[0].added) == "2024-02-29" and acc.factors[0].where == "12345"
