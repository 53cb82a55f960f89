"""Safe round-trip YAML: limits against hostile files, comments kept, atomic writes."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from mfakit.errors import MfakitError

MAX_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 64
MAX_NODES = 200_000
#: Tags a human-written inventory may carry; anything else (``!!python/object``...) is refused.
_ALLOWED_TAGS = {
    None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!", "!!str", "!!int", "!!map", "!!seq",
}


def _standard_tag(tag: Any) -> bool:
    return isinstance(tag, str) and tag.startswith("tag:yaml.org,2002:") and \
        tag.rsplit(":", 1)[-1] in {"str", "int", "float", "bool", "null", "map", "seq", "timestamp"}


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.representer.ignore_aliases = lambda *args: True  # never write anchors/aliases for shared values
    return y


def read_yaml(path: Path, error: Callable[..., MfakitError]) -> Any:
    """Parse ``path`` as round-trip YAML after checking size, tags and aliases; errors via ``error(msg, path, line)``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", path) from None
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror})", path) from None
    if len(raw) > MAX_BYTES:
        raise error(f"file is too large ({len(raw)} bytes; the limit is {MAX_BYTES})", path)
    if b"\x00" in raw:
        raise error("this is a binary file, not YAML", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", path) from None
    y = _yaml()
    counts = {"aliases": 0, "nodes": 0}
    try:
        constructor, parser = y.get_constructor_parser(io.StringIO(text))
        next_event = parser.get_event

        def checked_event() -> Any:
            """Every parser event passes here once: count aliases and nodes, refuse unknown tags."""
            event = next_event()
            if isinstance(event, AliasEvent):
                counts["aliases"] += 1
                if counts["aliases"] > MAX_ALIASES:
                    raise error(f"too many YAML aliases (more than {MAX_ALIASES}); refusing a possible alias bomb",
                                path, event.start_mark.line + 1)
            elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
                counts["nodes"] += 1
                tag = getattr(event, "tag", None)
                tag = getattr(tag, "value", tag)  # newer ruamel wraps tags in a Tag object
                if tag not in _ALLOWED_TAGS and not _standard_tag(tag):
                    raise error(f"YAML tag {tag!r} is not allowed (no object construction)", path,
                                event.start_mark.line + 1)
                if counts["nodes"] > MAX_NODES:
                    raise error("too many YAML nodes", path)
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


def dump_yaml(doc: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue()


def atomic_write_text(path: Path, text: str, verify: Callable[[Path], None] | None = None) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old or the new file, never a broken one.

    Temporary file in the same folder, flushed and fsynced, checked by ``verify`` (which raises to abort),
    then renamed over the target; the folder is fsynced so the rename survives a power cut.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        if verify is not None:
            verify(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Binary sibling of :func:`atomic_write_text` (for XLSX and other binary exports)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
