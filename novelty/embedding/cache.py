"""On-disk cache of trace embeddings, so a rescan or a killed run never re-embeds a text.

Which vectors an entry holds is its key: the embedder's name, the numeric precision of its
vectors (for embedders that have one: fp32 and bf16 vectors of a text never share an entry), the
view, and the text (:func:`namespace_of`, :func:`text_key`).

Layout: ``<directory>/<namespace dir>/<shard>.npz``, one namespace per embedder, precision and
view. Each flush writes one new shard (keys, float32 vectors, window counts) under a unique name,
written to a temporary file in the same directory, fsynced and then renamed into place. A reader
therefore sees whole shards or none, a SIGKILL mid-write leaves only an ignored temporary file,
and processes that write the same namespace at once never overwrite each other's shards.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from novelty.atomic import atomic_path

logger = logging.getLogger(__name__)

ENV_CACHE_DIR = "NOVELTY_CACHE_DIR"
_SHARD_SUFFIX = ".npz"
_TMP_PREFIX = ".tmp-"  # never matches the shard glob, so a half-written file is never read
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_cache_dir() -> Path:
    """``$NOVELTY_CACHE_DIR``, else ``$XDG_CACHE_HOME/novelty``, else ``~/.cache/novelty``."""
    if env := os.environ.get(ENV_CACHE_DIR):
        return Path(env).expanduser()
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg).expanduser() / "novelty"
    return Path.home() / ".cache" / "novelty"


def namespace_of(model_id: str, view: str, *, precision: str | None = None) -> str:
    """The namespace of one embedder's vectors of one view: ``<model>[<precision>]/<view>``.

    Embedders without a precision (hashing, callables) keep ``<model>/<view>``.
    """
    return f"{model_id}/{view}" if precision is None else f"{model_id}[{precision}]/{view}"


def text_key(model_id: str, view: str, text: str, *, precision: str | None = None) -> str:
    """Cache key of one text: sha256 of model id, precision (when given), view and text."""
    parts = (model_id, view) if precision is None else (model_id, precision, view)
    h = hashlib.sha256("".join(f"{p}\x00" for p in parts).encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def open_cache(cache: Any) -> EmbeddingCache | None:
    """What ``scan(cache=...)`` accepts -> a cache: ``"default"`` is :func:`default_cache_dir`,
    a path is that folder, an :class:`EmbeddingCache` is itself, None turns caching off."""
    if cache == "default":
        return EmbeddingCache(default_cache_dir())
    if isinstance(cache, str | Path):
        return EmbeddingCache(Path(cache))
    return cache


def namespace_dir_name(namespace: str) -> str:
    """A file-system-safe, collision-free directory name for a namespace.

    Model ids can be paths (``/models/x``) or hub names (``org/name``): keep a readable slug and
    add a hash of the exact string, so two ids that slug alike still get separate directories.
    """
    slug = _UNSAFE.sub("_", namespace).strip("._")[-80:] or "ns"
    digest = hashlib.sha256(namespace.encode("utf-8")).hexdigest()[:12]
    return f"{slug}-{digest}"


class _Namespace:
    """All vectors of one namespace held in memory: key -> (shard vectors, row, windows)."""

    __slots__ = ("dim", "rows")

    def __init__(self) -> None:
        self.rows: dict[str, tuple[np.ndarray, int, int]] = {}
        self.dim: int | None = None

    def add(self, keys: Sequence[str], vectors: np.ndarray, windows: np.ndarray) -> None:
        rows = self.rows
        for i, (key, win) in enumerate(zip(keys, windows.tolist(), strict=True)):
            rows[key] = (vectors, i, win)


class EmbeddingCache:
    """Sharded ``.npz`` store of unit vectors, keyed by text hash within a namespace.

    Parameters
    ----------
    directory : Path, optional
        Root of the cache; :func:`default_cache_dir` when omitted.

    Notes
    -----
    A namespace is read from disk once, on first use, and then served from memory; shards other
    processes write afterwards are not seen by this instance (they are by the next run).
    Corrupt or partial shards are skipped with a logged warning, never raised: a cache can
    always be rebuilt, and losing it must not stop a scan.
    """

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self._loaded: dict[str, _Namespace] = {}

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.directory)!r})"

    def path_of(self, namespace: str) -> Path:
        """Directory that holds the shards of ``namespace``."""
        return self.directory / namespace_dir_name(namespace)

    # ------------------------------------------------------------------ reading
    def get_many(self, namespace: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors of those ``keys`` present in ``namespace`` (missing keys are absent)."""
        rows = self._namespace(namespace).rows
        out: dict[str, np.ndarray] = {}
        for key in keys:
            hit = rows.get(key)
            if hit is not None:
                out[key] = hit[0][hit[1]]
        return out

    def get_windows(self, namespace: str, keys: Iterable[str]) -> dict[str, int]:
        """How many embedder windows each cached text was split into (1 = not chunked)."""
        rows = self._namespace(namespace).rows
        return {key: rows[key][2] for key in keys if key in rows}

    def __len__(self) -> int:
        return sum(len(ns.rows) for ns in self._loaded.values())

    def _namespace(self, namespace: str) -> _Namespace:
        ns = self._loaded.get(namespace)
        if ns is None:
            ns = self._loaded[namespace] = self._read(namespace)
        return ns

    def _read(self, namespace: str) -> _Namespace:
        ns = _Namespace()
        path = self.path_of(namespace)
        if not path.is_dir():
            return ns
        started = time.perf_counter()
        shards = sorted(path.glob("*" + _SHARD_SUFFIX))  # names start with a time stamp
        for shard in shards:
            loaded = _read_shard(shard)
            if loaded is None:
                continue
            keys, vectors, windows = loaded
            if ns.dim is None:
                ns.dim = vectors.shape[1]
            elif vectors.shape[1] != ns.dim:
                logger.warning(
                    "ignoring cache shard %s: dimension %d, the namespace has %d",
                    shard,
                    vectors.shape[1],
                    ns.dim,
                )
                continue
            ns.add(keys.tolist(), vectors, windows)
        logger.debug(
            "cache %s: %d vectors from %d shards in %.3f s",
            namespace,
            len(ns.rows),
            len(shards),
            time.perf_counter() - started,
        )
        return ns

    # ------------------------------------------------------------------ writing
    def put_many(
        self,
        namespace: str,
        keys: Sequence[str],
        vectors: np.ndarray,
        windows: Sequence[int] | np.ndarray | None = None,
    ) -> Path | None:
        """Write one shard holding ``vectors[i]`` under ``keys[i]``; returns its path.

        ``windows[i]`` is how many embedder windows text i was split into (default 1). The
        shard is complete on disk before this returns, so a run killed later keeps it.
        """
        keys = list(keys)
        if not keys:
            return None
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(keys):
            raise ValueError(
                f"put_many needs one vector row per key: got {len(keys)} keys and "
                f"vectors of shape {vectors.shape}"
            )
        win = np.ones(len(keys), np.int32) if windows is None else np.asarray(windows, np.int32)
        if win.shape != (len(keys),):
            raise ValueError(f"put_many needs one window count per key, got shape {win.shape}")
        ns = self._namespace(namespace)
        if ns.dim is not None and ns.dim != vectors.shape[1]:
            raise ValueError(
                f"cache namespace {namespace!r} holds {ns.dim}-d vectors, got {vectors.shape[1]}-d"
            )
        path = self.path_of(namespace)
        path.mkdir(parents=True, exist_ok=True)
        final = path / f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:12]}{_SHARD_SUFFIX}"
        _atomic_write(final, keys=np.asarray(keys, dtype=str), vectors=vectors, windows=win)
        ns.dim = vectors.shape[1]
        ns.add(keys, vectors, win)
        return final


def _atomic_write(final: Path, **arrays: np.ndarray) -> None:
    """Write an .npz shard so that a reader never sees half of it."""
    with atomic_path(final, prefix=_TMP_PREFIX) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def _read_shard(shard: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Keys, vectors and window counts of one shard, or None (with a warning) if it is bad."""
    try:
        with np.load(shard, allow_pickle=False) as data:
            keys = data["keys"]
            vectors = data["vectors"]
            windows = data["windows"] if "windows" in data.files else np.ones(len(keys), np.int32)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        logger.warning("ignoring unreadable cache shard %s: %s", shard, err)
        return None
    ok = (
        keys.ndim == 1
        and keys.dtype.kind == "U"
        and vectors.ndim == 2
        and vectors.dtype == np.float32
        and vectors.shape[0] == keys.shape[0]
        and windows.shape == keys.shape
        and bool(np.isfinite(vectors).all())
    )
    if not ok:
        logger.warning("ignoring malformed cache shard %s", shard)
        return None
    return keys, vectors, windows
