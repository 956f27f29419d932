"""``embed``: read traces, apply the scan's view and fill the embedding cache; no scan.

For embedding ahead of time, or elsewhere: on a GPU box or a Ray cluster
(``engine="ray"``), so that the ``scan`` that follows reads every vector from the cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from novelty.config import ScanConfig, with_overrides
from novelty.embedding.cache import open_cache
from novelty.embedding.fill import fill_cache
from novelty.embedding.registry import as_embedder
from novelty.errors import ConfigError
from novelty.progress import Progress
from novelty.types import Trace
from novelty.views import PIECE_KIND, apply_view


@dataclass(frozen=True, slots=True)
class EmbedCounts:
    """What :func:`embed` did, as plain counts.

    n_traces : traces read
    n_view_texts : texts the view makes of them (a scan's ``summary.n_view_texts``)
    n_distinct : distinct texts among those
    n_cached : distinct texts already in the cache
    n_embedded : distinct texts embedded now (``n_cached + n_embedded == n_distinct``)
    view, embedder, engine : what was embedded, with what, where
    cache_dir : the folder holding these vectors' cache shards
    """

    n_traces: int
    n_view_texts: int
    n_distinct: int
    n_cached: int
    n_embedded: int
    view: str
    embedder: str
    engine: str
    cache_dir: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def embed(
    source: Any,
    config: ScanConfig | None = None,
    *,
    embedder: Any = None,
    cache: Any = "default",
    engine: str = "local",
    address: str | None = None,
    concurrency: int | None = None,
    progress: Progress | None = None,
    **overrides: Any,
) -> EmbedCounts:
    """Fill the embedding cache with every text a scan of ``source`` would embed.

    Parameters
    ----------
    source, config, embedder, cache, progress, overrides
        As :func:`novelty.scan` takes them; the view, the ingest options and ``batch_size``
        come from the config. ``cache`` may not be None: filling it is the point.
    engine : {"local", "ray"}
        ``"ray"`` embeds with Ray Data on the cluster at ``address`` (``"auto"`` or the head's
        ``"host:port"``), or as ``ray.init()`` finds one when ``address`` is None (``RAY_ADDRESS``,
        the cluster ``ray start`` runs on this machine, else a local one started here), with
        ``concurrency`` actors (default: one per GPU, else one per CPU). Needs the ``ray``
        extra: ``pip install 'novelty[ray]'``.

    Returns
    -------
    EmbedCounts
        A scan of the same source with the same embedder, view and cache then has
        ``summary.n_from_cache == summary.n_view_texts``.
    """
    config = with_overrides(config, **overrides)
    config.validate()
    store = open_cache(cache)
    if store is None:
        raise ConfigError("embed fills the embedding cache: give a cache folder, not None")
    traces = _traces(source, config)
    viewed = apply_view(traces, config.view)
    flat = [piece for pieces in viewed.pieces for piece in pieces]
    emb = as_embedder(embedder)
    filled = fill_cache(
        flat,
        emb,
        cache=store,
        view=PIECE_KIND.get(viewed.view, viewed.view),
        engine=engine,
        batch_size=config.batch_size,
        progress=progress,
        address=address,
        concurrency=concurrency,
    )
    return EmbedCounts(
        n_traces=len(traces),
        n_view_texts=filled.n_texts,
        n_distinct=filled.n_distinct,
        n_cached=filled.n_cached,
        n_embedded=filled.n_embedded,
        view=config.view,
        embedder=emb.name,
        engine=engine,
        cache_dir=str(Path(store.directory)),
    )


def _traces(source: Any, config: ScanConfig) -> list[Trace]:
    """The traces a scan of ``source`` reads, checked as the scan checks them."""
    from novelty.pipeline import load_source

    return load_source(source, config)[0]
