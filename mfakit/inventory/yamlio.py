"""Safe round-trip YAML: limits against hostile files, comments kept, atomic writes."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

from mfakit.errors import MfakitError
from mfakit.fileio import NotRegularFile, read_regular

MAX_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 64
MAX_NODES = 200_000
#: Deeper nesting is refused before it is parsed further (an inventory needs 5 levels; hostile files use 1000s).
MAX_DEPTH = 32
#: A plain number longer than this is refused (Python refuses int() of 4300+ digits; no inventory needs 40).
MAX_NUMBER_CHARS = 64
#: Explicit tags a human-written inventory may carry. Every other tag (``!!python/object``, ``!!int x``,
#: ``!!timestamp 2024-99-99``...) is refused with its name: plain values need no tag.
_ALLOWED_TAGS = {None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
                 "!!str", "!!map", "!!seq"}
_NUMBERISH = re.compile(r"[-+]?(?:0[xob])?[0-9a-fA-F_.:]+(?:[eE][-+]?[0-9]+)?")
_DATEISH = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)(?:[Tt ]|$)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DIRECTIVE = re.compile(r"^%", re.M)
#: A run of opening brackets deeper than MAX_DEPTH: refused before the (quadratic) flow scanner sees it.
_BRACKET_RUN = re.compile(r"(?:[\[{][\s,]*){%d}" % (MAX_DEPTH + 1))


def _yaml(sequence: int = 4, offset: int = 2) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=sequence, offset=offset)
    y.width = 4096
    y.representer.ignore_aliases = lambda *args: True  # never write anchors/aliases for shared values
    return y


def _check_scalar(value: str, plain: bool) -> str | None:
    """What is wrong with one scalar's text (None when fine): lone surrogates, huge numbers, impossible dates."""
    bad = _SURROGATE.search(value)
    if bad:
        return f"the text holds a lone surrogate (U+{ord(bad.group(0)):04X}), which is not valid Unicode"
    if not plain:
        return None
    if len(value) > MAX_NUMBER_CHARS and _NUMBERISH.fullmatch(value):
        return f"a number of {len(value)} characters is too long (the limit is {MAX_NUMBER_CHARS})"
    m = _DATEISH.match(value)
    if m:
        try:
            date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return f"'{value[:40]}' is not a valid date (YYYY-MM-DD)"
    return None


def read_yaml(path: Path, error: Callable[..., MfakitError]) -> Any:
    """Parse ``path`` as round-trip YAML after checking size, tags and aliases; errors via ``error(msg, path, line)``.

    Everything a hostile or mistyped file can do is refused cheaply and named: binary or non-UTF-8 bytes, size,
    directives (``%YAML``), tags, alias bombs, deep nesting, huge numbers, impossible dates, lone surrogates.
    """
    return parse_yaml(read_bytes(path, error), path, error)


def read_bytes(path: Path, error: Callable[..., MfakitError]) -> bytes:
    """The file's bytes; a missing file, a folder or an unreadable file → ``error`` (one line)."""
    try:
        raw = read_regular(path, MAX_BYTES)
        if len(raw) > MAX_BYTES:  # only MAX_BYTES + 1 were read: name the file's real size
            raise error(f"file is too large ({Path(path).stat().st_size} bytes; the limit is {MAX_BYTES})", path)
        return raw
    except NotRegularFile as exc:
        raise error(str(exc.strerror), path) from None
    except FileNotFoundError:
        raise error("file not found", path) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", path) from None
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror})", path) from None


def parse_yaml(raw: bytes | str, path: Path, error: Callable[..., MfakitError]) -> Any:
    """Parse bytes (or text) read from ``path`` with every check of :func:`read_yaml`."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BYTES:
        raise error(f"file is too large ({len(raw)} bytes; the limit is {MAX_BYTES})", path)
    if b"\x00" in raw:
        raise error("this is a binary file, not YAML", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", path) from None
    directive = _DIRECTIVE.search(text)
    if directive:
        line = text.count("\n", 0, directive.start()) + 1
        raise error("YAML directives such as '%YAML 1.2' are not supported: remove the line", path, line)
    deep = _BRACKET_RUN.search(text)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1
        raise error(f"nested more than {MAX_DEPTH} levels deep", path, line)
    y = _yaml()
    counts = {"aliases": 0, "nodes": 0, "depth": 0}
    try:
        constructor, parser = y.get_constructor_parser(io.StringIO(text))
        next_event = parser.get_event

        def checked_event() -> Any:
            """Every parser event passes here once: count aliases, nodes and depth, refuse tags and bad values."""
            event = next_event()
            if isinstance(event, AliasEvent):
                counts["aliases"] += 1
                if counts["aliases"] > MAX_ALIASES:
                    raise error(f"too many YAML aliases (more than {MAX_ALIASES}); refusing a possible alias bomb",
                                path, event.start_mark.line + 1)
            elif isinstance(event, CollectionEndEvent):
                counts["depth"] -= 1
            elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
                counts["nodes"] += 1
                line = event.start_mark.line + 1
                tag = getattr(event, "tag", None)
                tag = getattr(tag, "value", tag)  # newer ruamel wraps tags in a Tag object
                if tag not in _ALLOWED_TAGS:
                    shown = str(tag).replace("tag:yaml.org,2002:", "!!")[:60]
                    raise error(f"YAML tag {shown!r} is not allowed (write the plain value, without a tag)",
                                path, line)
                if counts["nodes"] > MAX_NODES:
                    raise error("too many YAML nodes", path)
                if isinstance(event, CollectionStartEvent):
                    counts["depth"] += 1
                    if counts["depth"] > MAX_DEPTH:
                        raise error(f"nested more than {MAX_DEPTH} levels deep", path, line)
                else:
                    problem = _check_scalar(event.value, plain=event.style is None and tag is None)
                    if problem:
                        raise error(problem, path, line)
            return event

        parser.get_event = checked_event  # type: ignore[method-assign]
        try:
            return constructor.get_single_data()
        finally:
            parser.dispose()
    except MfakitError:
        raise
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None) from None
    except RecursionError:
        raise error("YAML nested too deeply", path) from None
    except (ValueError, OverflowError, TypeError, IndexError, KeyError, AttributeError) as exc:
        # a value the constructor cannot build (the checks above catch the known ones): still one line
        raise error(f"a value cannot be read ({type(exc).__name__}: {str(exc)[:120]})", path) from None


def dump_yaml(doc: Any, sequence: int = 4, offset: int = 2) -> str:
    """The round-trip document as text; ``sequence``/``offset`` are the block-sequence indents (the
    ``-`` at ``offset``, the item's keys at ``sequence``), by default the kit's ``  - key`` style."""
    buf = io.StringIO()
    _yaml(sequence, offset).dump(doc, buf)
    return buf.getvalue()


def atomic_write_text(path: Path, text: str, verify: Callable[[Path], None] | None = None) -> None:
    """Write ``text`` atomically (see :func:`mfakit.fileio.atomic_write`: symlinks written through, OS errors
    as one line). Kept for the modules that import it from here."""
    from mfakit.fileio import atomic_write

    atomic_write(path, text, verify=verify)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Binary sibling of :func:`atomic_write_text` (for XLSX and other binary exports)."""
    from mfakit.fileio import atomic_write

    atomic_write(path, data)
