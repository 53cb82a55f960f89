"""Policy variables: ``${aws:username}``, defaults ``${key, 'default'}`` and the escapes ``${*}`` ``${?}`` ``${$}``.

Variables are substituted only in policies whose Version is ``2012-10-17``; elsewhere the text is literal.
A substituted value is always literal (its ``*`` or ``?`` is not a wildcard).

Unresolved variables (key absent with no default, or a multi-valued key): the kit follows the IAM User Guide,
"Policy variables" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
"If AWS cannot resolve a variable, this might cause the entire statement to be invalid." The statement is
therefore ignored: it matches nothing, whether the variable sits in a positive element (Resource, StringLike)
or a negated one (NotResource, StringNotLike). Explanations say so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Mapping, Sequence, Union

from mfakit.aws.evaluator.globs import compile_glob, glob_to_regex, has_glob

UNRESOLVED_READING = ("unresolved policy variable: the statement is ignored (IAM User Guide, Policy variables: "
                      "'this might cause the entire statement to be invalid')")

_VAR_RE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT_RE = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True)
class Lit:
    """Text as written (in glob contexts ``*``/``?`` are wildcards)."""
    text: str


@dataclass(frozen=True)
class Esc:
    """An escaped character (``${*}`` → literal ``*``)."""
    char: str


@dataclass(frozen=True)
class Var:
    """A variable reference: lower-cased key, the key as written, optional default."""
    key: str
    written: str
    default: str | None


Part = Union[Lit, Esc, Var]


class Unresolved(Exception):
    """Raised inside substitution when a variable has no value; carries the key as written."""

    def __init__(self, key: str, why: str) -> None:
        super().__init__(key)
        self.key = key
        self.why = why


def parse_template(text: str, substitute: bool) -> tuple[Part, ...] | None:
    """Split ``text`` into parts, or return None when it holds no variable/escape (or substitution is off)."""
    if not substitute or "${" not in text:
        return None
    parts: list[Part] = []
    pos = 0
    for m in _VAR_RE.finditer(text):
        if m.start() > pos:
            parts.append(Lit(text[pos:m.start()]))
        body = m.group(1)
        if body in _ESCAPES:
            parts.append(Esc(_ESCAPES[body]))
        else:
            dm = _DEFAULT_RE.match(body)
            if dm:
                parts.append(Var(dm.group(1).lower(), dm.group(1), dm.group(2)))
            else:
                name = body.strip()
                parts.append(Var(name.lower(), name, None))
        pos = m.end()
    if pos < len(text):
        parts.append(Lit(text[pos:]))
    return tuple(parts)


def variables_in(parts: Sequence[Part] | None) -> list[Var]:
    """The variable references of a parsed template."""
    return [p for p in parts or () if isinstance(p, Var)]


def resolve(var: Var, context: Mapping[str, object]) -> str:
    """The value of one variable in a lower-cased context, or raise Unresolved."""
    value = context.get(var.key)
    if value is None:
        if var.default is not None:
            return var.default
        raise Unresolved(var.written, f"${{{var.written}}} is unresolved ({var.written} absent)")
    if isinstance(value, list):
        raise Unresolved(var.written, f"${{{var.written}}} is unresolved ({var.written} is multi-valued)")
    return str(value)


def substitute_literal(parts: Sequence[Part], context: Mapping[str, object]) -> str:
    """The template with variables and escapes replaced, as plain text (for equality operators)."""
    out: list[str] = []
    for p in parts:
        if isinstance(p, Lit):
            out.append(p.text)
        elif isinstance(p, Esc):
            out.append(p.char)
        else:
            out.append(resolve(p, context))
    return "".join(out)


def substitute_glob(parts: Sequence[Part], context: Mapping[str, object], ignore_case: bool = False):
    """A compiled fullmatch for the template: literal text keeps its wildcards, values and escapes do not."""
    src: list[str] = []
    for p in parts:
        if isinstance(p, Lit):
            src.append(glob_to_regex(p.text))
        elif isinstance(p, Esc):
            src.append(re.escape(p.char))
        else:
            src.append(re.escape(resolve(p, context)))
    return _compile_regex("".join(src), ignore_case)


@lru_cache(maxsize=4096)
def _compile_regex(source: str, ignore_case: bool):
    return re.compile(source, re.DOTALL | (re.IGNORECASE if ignore_case else 0)).fullmatch


__all__ = ["Lit", "Esc", "Var", "Part", "Unresolved", "UNRESOLVED_READING", "parse_template", "variables_in",
           "resolve", "substitute_literal", "substitute_glob", "has_glob", "compile_glob"]
