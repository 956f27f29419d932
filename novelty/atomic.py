"""Files that appear whole or not at all.

Every output (report.json, report.html, traces.parquet, cache shards, synthetic traces) is
written to a temporary file beside its destination, flushed to disk, then renamed into place,
so a reader, a crash or a SIGKILL never meets half a file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, prefix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it goes.

    The writer may write the temporary path by name (pyarrow, numpy) or open it. Its mode
    follows the umask like any new file (``mkstemp`` alone would leave it private).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=prefix or f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def probe_writable_dir(path: str | os.PathLike[str]) -> None:
    """Raise ``OSError`` when files cannot be created in the folder ``path``; leave no trace.

    The folder need not exist: the missing part is created, a file is created and removed in
    it, and what was created is removed again. Only trying tells (``os.access`` says yes to
    root on a read-only or virtual file system), and trying before the work spares a user a
    failure at its end.
    """
    path = Path(path)
    created: list[Path] = []
    try:
        for folder in (*reversed(path.parents), path):
            if folder.is_dir():
                continue
            if folder.exists():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
            folder.mkdir()
            created.append(folder)
        fd, name = tempfile.mkstemp(dir=path, prefix=".novelty-probe-")
        os.close(fd)
        os.unlink(name)
    finally:
        for folder in reversed(created):
            with suppress(OSError):  # another process wrote in it meanwhile: leave it
                folder.rmdir()


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
