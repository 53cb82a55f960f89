"""Writing the user's files safely: atomic replace, symlinks written through, locked read-modify-write.

Every file the kit writes for the user (inventory, personal catalog, key state, exports) goes through here, so
that a crash leaves the old or the new file (never a broken one), a symlinked file keeps its link, and two
processes updating the same file at once both land (an exclusive lock for the whole cycle, and a check that the
file did not change since it was read).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from mfakit.errors import MfakitError

T = TypeVar("T")


class FileWriteError(MfakitError):
    """A file could not be written (disk full, permission, a folder that is a file...)."""


def real_target(path: str | os.PathLike[str]) -> Path:
    """The file a write must replace: the symlink's final target (so the link itself stays)."""
    p = Path(path).expanduser()
    try:
        return Path(os.path.realpath(p)) if p.is_symlink() else p
    except OSError:
        return p


class NotRegularFile(OSError):
    """A device, pipe or socket where a file was expected: reading ``/dev/zero`` never ends, a FIFO blocks."""


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file (symlinks followed), at most ``limit + 1`` of them (the caller's size check
    then refuses a larger file). Anything else is refused before a byte is read: ``NotRegularFile`` (an
    ``OSError`` whose ``strerror`` says so), ``IsADirectoryError`` for a folder. The open does not block on a FIFO.
    """
    fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file (a device, pipe or socket)", os.fspath(path))
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _os_problem(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return "the disk is full (nothing was changed)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (nothing was changed)"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a part of the path is a file, not a folder"
    return f"{exc.strerror or exc.__class__.__name__} (nothing was changed)"


def _fsync_dir(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def atomic_write(path: str | os.PathLike[str], data: bytes | str,
                 verify: Callable[[Path], None] | None = None, mode: int | None = None) -> Path:
    """Replace ``path`` with ``data`` atomically; returns the file actually written (a symlink's target).

    A temporary file in the target's folder is written, fsynced, checked by ``verify`` (raise to abort) and
    renamed over the target; the folder is fsynced. OS failures (full disk, permissions, a file where a
    folder should be) become one-line :class:`FileWriteError` s naming the file; the old file is untouched.
    """
    target = real_target(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        if verify is not None:
            verify(tmp)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise FileWriteError(f"cannot write: {_os_problem(exc)}", target) from None
    finally:
        if tmp is not None:
            try:
                tmp.unlink()
            except OSError:
                pass
    _fsync_dir(target.parent)
    return target


def _lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


#: Locks this process holds, by (lock file, thread): a nested ``file_lock`` of the same file (a locked
#: read-modify-write calling a save that locks too) re-enters instead of waiting for itself.
_HELD: dict[tuple[str, int], int] = {}


@contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive advisory lock on ``path`` (a sidecar ``.NAME.lock`` beside its real target).

    The sidecar is never removed (removing it would let two processes lock different inodes). Re-entrant
    within one thread of one process.
    """
    target = real_target(path)
    lock = _lock_path(target)
    key = (os.path.abspath(lock), threading.get_ident())
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield target
        finally:
            _HELD[key] -= 1
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise FileWriteError(f"cannot lock: {_os_problem(exc)}", target) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD[key] = 1
        yield target
    finally:
        _HELD.pop(key, None)
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def fingerprint(path: str | os.PathLike[str]) -> str | None:
    """A digest of the file's bytes (None when it does not exist): to see whether it changed since read."""
    try:
        return hashlib.sha256(real_target(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FileWriteError(f"cannot read: {_os_problem(exc)}", path) from None


def check_unchanged(path: str | os.PathLike[str], seen: str | None) -> None:
    """Refuse to write when the file changed since it was read (someone else saved in between)."""
    if fingerprint(path) != seen:
        raise FileWriteError("the file changed on disk since it was read (another program saved it); "
                             "nothing was written — run the command again", path)


def locked_update(path: str | os.PathLike[str], update: Callable[[bytes | None], bytes | str | None],
                  verify: Callable[[Path], None] | None = None) -> bytes | str | None:
    """Read-modify-write under an exclusive lock: ``update(old_bytes_or_None)`` returns the new content.

    ``update`` returning None writes nothing. The lock is held from the read to the rename, so concurrent
    updaters run one after the other and every change lands.
    """
    with file_lock(path) as target:
        try:
            old = target.read_bytes()
        except FileNotFoundError:
            old = None
        except OSError as exc:
            raise FileWriteError(f"cannot read: {_os_problem(exc)}", target) from None
        new = update(old)
        if new is not None:
            # a writer that takes no lock (an editor) may have saved meanwhile: never write over its change
            check_unchanged(target, None if old is None else hashlib.sha256(old).hexdigest())
            atomic_write(target, new, verify=verify)
        return new
