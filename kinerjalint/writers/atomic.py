"""Every file kinerjalint writes goes through :func:`write_atomically`.

A report, a baseline, a converted tree, an annotated workbook or a fixed source file is
either written whole or not at all: the bytes go to a temporary file in the target's own
folder, are flushed to disk, and the temporary file is renamed over the target
(``os.replace``, atomic on one file system). A failure (disk full, no permission, a
missing folder) removes the temporary file, leaves the old target as it was, and raises
:class:`~kinerjalint.errors.OutputError`: one line naming the path, exit code 2.

A target that exists and is not a regular file (``/dev/stdout``, ``/dev/full``, a named
pipe) is written in place: renaming over it would replace a device with a plain file.
A symbolic link is followed, so the file it points to is replaced, not the link.

This module imports only the error hierarchy: fixing and the baseline (a lower layer than
the other writers) use it too.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kinerjalint.errors import OutputError

_REASONS = {  # (Indonesian, English)
    errno.ENOSPC: ("disk penuh", "the disk is full"),
    errno.EDQUOT: ("kuota disk habis", "the disk quota is used up"),
    errno.EACCES: ("tidak ada izin menulis", "permission denied"),
    errno.EPERM: ("tidak ada izin menulis", "permission denied"),
    errno.EROFS: ("sistem berkas hanya-baca", "read-only file system"),
    errno.ENOENT: ("berkas tidak dapat dibuat di sana", "no file can be made there"),
    errno.ENOTDIR: ("bagian jalurnya bukan folder", "part of the path is not a folder"),
    errno.EISDIR: ("itu sebuah folder", "it is a folder"),
    errno.EPIPE: ("pipa tertutup", "the pipe is closed"),
    errno.ENAMETOOLONG: ("nama terlalu panjang", "the name is too long"),
}


def describe(exc: OSError) -> tuple[str, str]:
    """The reason of a failed write in plain words (Indonesian, English), the system's own text for the rest."""
    known = _REASONS.get(exc.errno or 0)
    if known:
        return known
    other = exc.strerror or type(exc).__name__
    return other, other


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` to ``path`` whole or not at all; raise OutputError naming ``path``.

    ``data`` may come in pieces (a large report as it is encoded): the pieces go to the
    temporary file one by one, so the whole never has to be in memory."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError("cli.cannot_write", path=str(path), why=describe(exc)) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError("cli.cannot_write", path=str(path), why=describe(OSError(errno.EISDIR, '')))
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(path, target, data)
        return
    folder = target.parent
    if not folder.is_dir():
        raise OutputError("output.no_folder", path=str(path), folder=str(folder))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(folder))
    except OSError as exc:
        raise OutputError("cli.cannot_write", path=str(path), why=describe(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            _write(fh, data)
            fh.flush()
            os.fsync(fh.fileno())
        if info is not None:
            os.chmod(tmp, info.st_mode & 0o7777)
        else:  # mkstemp creates 0600; a new report gets the usual permissions
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise OutputError("cli.cannot_write", path=str(path), why=describe(exc)) from None
    except BaseException:
        _remove(tmp)
        raise


def _write(fh: Any, data: bytes | Iterable[bytes]) -> None:
    if isinstance(data, (bytes, bytearray, memoryview)):
        fh.write(data)
    else:
        for piece in data:
            fh.write(piece)


def _write_in_place(path: Path, target: Path, data: bytes | Iterable[bytes]) -> None:
    try:
        with open(target, "wb") as fh:
            _write(fh, data)
            fh.flush()
    except OSError as exc:
        raise OutputError("cli.cannot_write", path=str(path), why=describe(exc)) from None


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
