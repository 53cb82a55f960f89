"""The personal layer's vocabulary: fact names, their values, dates — parsed from what a user types.

``fact_name("secruity_key")`` fails with "did you mean 'security_key'?"; ``expand_facts({"key_support": "none"})``
gives the three key capabilities False. Shared by the reader (:mod:`personal_file`) and the writer
(:mod:`personal`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mfakit.catalog.model import CAPABILITIES
from mfakit.errors import CatalogError
from mfakit.suggest import did_you_mean

FILE_NAME = "catalog.yaml"
ORIGIN = "personal"
KEY_ONLY_VALUES = ("yes", "no", "unknown")
#: Fact names a user may set: a capability (``totp`` or ``supports.totp``), ``key_only``, ``backups_required``,
#: ``notes``; and ``key_support``, a shorthand answering "does it take keys or passkeys?" in one go.
FACTS: tuple[str, ...] = (*(f"supports.{c}" for c in CAPABILITIES), "key_only", "backups_required", "notes")
KEY_SUPPORT_VALUES = {
    "none": {"supports.security_key": False, "supports.passkey_2fa": False, "supports.passkey_login": False},
    "security_key": {"supports.security_key": True},
    "passkey": {"supports.passkey_login": True},
    "both": {"supports.security_key": True, "supports.passkey_login": True},
}
_TRUE = {"yes", "true", "y", "1", "on"}
_FALSE = {"no", "false", "n", "0", "off"}


def today() -> str:
    return dt.date.today().isoformat()


# --- names and values ------------------------------------------------------------------------------------

def fact_name(name: str) -> str:
    """``totp`` / ``supports.totp`` / ``key-only`` → the canonical fact key; unknown → CatalogError."""
    raw = str(name).strip()
    key = raw.lower().replace("-", "_")
    if key in CAPABILITIES:
        key = f"supports.{key}"
    if key in FACTS or key == "key_support":
        return key
    choices = [*CAPABILITIES, "key_only", "backups_required", "notes", "key_support"]
    raise CatalogError(f"unknown fact {raw!r}{did_you_mean(key, choices)}; facts are: {', '.join(choices)}")


def parse_value(fact: str, value: Any) -> Any:
    """A user's value for a fact → the stored value (bool, "yes"/"no"/"unknown", list, text); bad → CatalogError."""
    if fact.startswith("supports."):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        hint = f"; to forget it: mfakit catalog unset SERVICE {fact[9:]}" if text in ("unknown", "null", "") else ""
        raise CatalogError(f"{fact[9:]}={value!r}: a capability is yes or no{hint}")
    if fact == "key_only":
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = str(value).strip().lower()
        text = "yes" if text in _TRUE else "no" if text in _FALSE else text
        if text not in KEY_ONLY_VALUES:
            raise CatalogError(f"key_only={value!r}: must be yes, no or unknown")
        return text
    if fact == "backups_required":
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        if not all(isinstance(x, str) for x in items):
            raise CatalogError("backups_required: a list of text (e.g. 'totp or sms, recovery codes')")
        out = [" ".join(x.split()) for x in items if x.strip()]
        return out
    if fact == "notes":
        if not isinstance(value, str):
            raise CatalogError("notes: must be text")
        return " ".join(value.split())
    raise CatalogError(f"unknown fact {fact!r}")


def expand_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Canonical fact keys with parsed values (``key_support=none`` → the three key capabilities False)."""
    if not isinstance(facts, dict) or not facts:
        raise CatalogError("give at least one FACT=VALUE")
    out: dict[str, Any] = {}
    for name, value in facts.items():
        key = fact_name(name)
        if key == "key_support":
            text = str(value).strip().lower().replace("-", "_")
            if text in _FALSE:
                text = "none"
            if text not in KEY_SUPPORT_VALUES:
                raise CatalogError(f"key_support={value!r}: must be {', '.join(KEY_SUPPORT_VALUES)}")
            out.update(KEY_SUPPORT_VALUES[text])
        else:
            out[key] = parse_value(key, value)
    return out


def check_date(text: Any, what: str = "as_of") -> str:
    s = str(text)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", s):
        raise CatalogError(f"{what} must be a date YYYY-MM-DD, not {s[:40]!r}")
    try:
        dt.date.fromisoformat(s)
    except ValueError:
        raise CatalogError(f"{what} is not a real date: {s!r}") from None
    return s
