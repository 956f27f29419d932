"""Embedding on a Ray cluster with Ray Data: the missing texts go out, vectors come back.

The texts become a dataset (a row number and the text); ``map_batches`` runs
:class:`EmbedActor`, a callable class, over a fixed pool of actors that each load the model
once, one GPU per actor when the cluster has GPUs. The driver gathers the vectors batch by batch
and writes the cache shards itself (:mod:`novelty.embedding.fill`), so the keys are the local
path's. ``ray`` is imported only here, and only when this engine is asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from novelty._optional import require
from novelty.embedding.base import checked
from novelty.embedding.sentence_transformer import SentenceTransformerEmbedder
from novelty.errors import ConfigError, NoveltyError

logger = logging.getLogger(__name__)

# Rows per dataset block: small enough that every actor gets work, large enough to batch.
BLOCK_ROWS = 256
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A traceback's last line: "ValueError: ..." or "novelty.errors.ConfigError: ...".
_RAISED = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): (.+)$", re.MULTILINE)


class EmbedActor:
    """Ray Data's callable class: one embedder (one model) per actor, loaded when it starts.

    A batch is ``{"row": int64, "text": str}`` columns; the answer keeps ``row`` (Ray Data may
    return batches in any order) and adds ``vector`` (float32 unit rows) and ``windows``.
    """

    def __init__(self, embedder: Any, batch_size: int) -> None:
        self.embedder = embedder
        self.batch_size = batch_size
        load = getattr(embedder, "load", None)
        if callable(load):
            load()  # the model is loaded once per actor, not once per batch

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        texts = [str(t) for t in batch["text"]]
        name = self.embedder.name
        out = self.embedder.encode(texts, batch_size=self.batch_size)
        vectors, windows = checked(out, len(texts), name)
        return {"row": np.asarray(batch["row"]), "vector": vectors, "windows": windows}


@dataclass(frozen=True, slots=True)
class Pool:
    """The actors ``map_batches`` runs: how many, and what each reserves."""

    size: int
    gpus_per_actor: int

    def resources(self) -> dict[str, float]:
        """``map_batches``' resource keywords: one GPU per actor, else one CPU."""
        return {"num_gpus": 1} if self.gpus_per_actor else {"num_cpus": 1}


def portable(embedder: Any, precision: str | None) -> Any:
    """The embedder the actors build: the same vectors under the same cache key.

    A sentence-transformers embedder travels unloaded, with the precision the driver resolved
    made explicit (an actor on another machine must not resolve "auto" differently, or its
    vectors would be stored under a key no scan here reads). Others travel as they are.
    """
    if isinstance(embedder, SentenceTransformerEmbedder):
        return SentenceTransformerEmbedder(
            embedder.model,
            device=embedder.device,
            precision=precision or embedder.precision,
            window=embedder.window,
        )
    return embedder


def plan_pool(resources: dict[str, float], concurrency: int | None) -> Pool:
    """One actor per GPU when the cluster has GPUs, else one per CPU; ``concurrency`` overrides
    the count."""
    if concurrency is not None and concurrency < 1:
        raise ConfigError(f"concurrency must be >= 1, got {concurrency}")
    gpus = int(resources.get("GPU", 0))
    if gpus:
        return Pool(concurrency or gpus, 1)
    return Pool(concurrency or max(1, int(resources.get("CPU", 1))), 0)


@contextmanager
def ray_session(address: str | None = None) -> Iterator[Any]:
    """The ``ray`` module, connected: to ``address`` (a running cluster), to the cluster this
    process already joined, or to a local cluster started here and shut down on leaving."""
    ray = require("ray", extra="ray")
    require("ray.data", extra="ray")
    started = False
    # Ray's start-up notices are held back too, unless novelty logs at DEBUG.
    level = logging.DEBUG if logger.isEnabledFor(logging.DEBUG) else logging.ERROR
    if not ray.is_initialized():
        try:
            ray.init(
                address=address,
                include_dashboard=False,
                logging_level=level,
                log_to_driver=False,
            )
        except ConnectionError as err:
            raise ConfigError(f"cannot join the Ray cluster at {address!r}: {err}") from err
        started = True
    elif address is not None:
        logger.info("Ray is already initialised in this process; --address %s unused", address)
    try:
        with _quiet_data(ray):
            yield ray
    finally:
        if started:
            ray.shutdown()


@contextmanager
def _quiet_data(ray: Any) -> Iterator[None]:
    """No Ray Data progress bars, and its console log held back while we run: the
    library never prints (Ray Data's log file in the Ray session folder keeps everything; a
    failure reaches the caller as one exception)."""
    ctx = ray.data.DataContext.get_current()
    bars, ctx.enable_progress_bars = ctx.enable_progress_bars, False
    consoles = [
        h for h in logging.getLogger("ray.data").handlers if isinstance(h, logging.StreamHandler)
    ]
    levels = [h.level for h in consoles]
    if not logger.isEnabledFor(logging.DEBUG):
        for h in consoles:
            h.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        ctx.enable_progress_bars = bars
        for h, level in zip(consoles, levels, strict=True):
            h.setLevel(level)


def ray_batches(
    texts: list[str],
    embedder: Any,
    *,
    precision: str | None,
    batch_size: int = 32,
    gather: int = 256,
    address: str | None = None,
    concurrency: int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Embed ``texts`` on Ray; yields ``(rows, vectors, windows)`` as results arrive.

    ``rows`` index ``texts``; every row comes back exactly once. Each yield holds up to
    ``gather`` texts, so the caller can write a cache shard per yield and a killed run keeps
    what was gathered.
    """
    if not texts:
        return
    pa = require("pyarrow")
    with ray_session(address) as ray:
        pool = plan_pool(ray.cluster_resources(), concurrency)
        # At least one block per actor (an actor without a block would idle), at most BLOCK_ROWS.
        step = min(BLOCK_ROWS, -(-len(texts) // pool.size))
        blocks = [
            pa.table(
                {
                    "row": pa.array(np.arange(s, min(s + step, len(texts))), pa.int64()),
                    "text": pa.array(texts[s : s + step], pa.large_string()),
                }
            )
            for s in range(0, len(texts), step)
        ]
        pool = Pool(min(pool.size, len(blocks)), pool.gpus_per_actor)
        logger.info("embedding %d texts on Ray: %d actors", len(texts), pool.size)
        ds = ray.data.from_arrow(blocks).map_batches(
            EmbedActor,
            fn_constructor_args=(portable(embedder, precision), batch_size),
            batch_size=batch_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=pool.size),
            **pool.resources(),
        )
        seen = np.zeros(len(texts), dtype=bool)
        try:
            for batch in ds.iter_batches(batch_size=gather, batch_format="numpy"):
                rows = np.asarray(batch["row"], dtype=np.int64)
                seen[rows] = True
                yield rows, np.asarray(batch["vector"], np.float32), np.asarray(batch["windows"])
        except Exception as err:
            if isinstance(err, NoveltyError | ImportError):
                raise
            raise NoveltyError(f"embedding on Ray failed: {_cause(err)}") from err
        if not seen.all():
            raise NoveltyError(f"Ray returned {int(seen.sum())} of {len(texts)} vectors")


def _cause(err: BaseException) -> str:
    """What went wrong in the actor, in one line: the last ``SomeError: message`` line of the
    user-code traceback Ray carries as text (its own wrappers and pages of frames left out)."""
    text = _ANSI.sub("", str(err))
    found = [m for m in _RAISED.findall(text) if not m[0].startswith("ray.")]
    if found:
        kind, message = found[-1]
        return f"{kind.rsplit('.', 1)[-1]}: {message.strip()}"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return f"{type(err).__name__}: {lines[0] if lines else ''}"
