"""Which numeric precision the sentence-transformers model runs in, and casting it there.

``"auto"`` times fp32 against a lower precision on a short probe and keeps the lower one only
when every probe vector stays within :data:`MIN_PROBE_COSINE` of its fp32 vector (and, on CPU,
when it is faster by :data:`MIN_PROBE_SPEEDUP`). Vectors of two precisions differ, so the
precision is part of the embedding cache key.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import numpy as np

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# A lower precision is used only if every probe vector keeps this cosine to its fp32 vector...
MIN_PROBE_COSINE = 0.999
# ... and, on CPU, only if it is faster by this factor (timing noise must not flip the choice).
MIN_PROBE_SPEEDUP = 1.1
_NATIVE_BF16_FLAGS = {"avx512_bf16", "amx_bf16", "bf16"}  # x86 and Arm /proc/cpuinfo names

# Reasoning-like sentences for the probe (texts of ~256 word pieces, the window size).
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


def to_precision(st: Any, precision: str, torch: Any) -> Any:
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


def choose_precision(st: Any, torch: Any, device: str) -> tuple[str, Any, dict[str, Any]]:
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
        model = to_precision(copy.deepcopy(st), cand, torch)
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
