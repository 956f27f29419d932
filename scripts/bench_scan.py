"""Wall time of a full ``novelty scan`` against bare ``SentenceTransformer.encode``.

All in one process, on the same traces (the bundled demo by default):
  cold scan     - load, view, embed (empty cache), FAISS, conformal, HDBSCAN, decide
  bare encode   - SentenceTransformer.encode of the same view texts, windows included
                  (our split of long texts, done outside the timer), i.e. the same model work
  bare, raw     - SentenceTransformer.encode of the raw trace texts (long ones truncated)
  cached rescan - the same scan again, every vector from the cache
Ratios are printed; nothing is asserted (machines here are noisy).

    python scripts/bench_scan.py [--traces fixtures/demo.jsonl] [--reps 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from novelty import scan
from novelty.config import ScanConfig
from novelty.embedding import SentenceTransformerEmbedder
from novelty.ingest import ingest
from novelty.views import apply_view


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--traces", type=Path, default=Path("fixtures/demo.jsonl"))
    ap.add_argument("--reps", type=int, default=2)
    args = ap.parse_args()

    traces = ingest(args.traces).traces
    # What the scan embeds: each distinct piece of the view (a sentence of the strategy view).
    pieces = apply_view(traces, ScanConfig().view).pieces
    texts = list(dict.fromkeys(p for trace_pieces in pieces for p in trace_pieces))
    emb = SentenceTransformerEmbedder()
    emb.encode(texts[:8])  # load the model once, outside every timer
    st = emb.load()
    windows = emb.windows(texts).pieces
    raw = [t.text for t in traces]

    rows: dict[str, list[float]] = {
        "cold scan": [],
        "bare encode": [],
        "bare, raw": [],
        "cached rescan": [],
    }
    for _ in range(args.reps):
        with tempfile.TemporaryDirectory() as cache:
            rows["bare encode"].append(
                _timed(
                    lambda: st.encode(
                        windows, batch_size=32, normalize_embeddings=True, show_progress_bar=False
                    )
                )
            )
            rows["cold scan"].append(_timed(lambda c=cache: scan(traces, embedder=emb, cache=c)))
            rows["cached rescan"].append(
                _timed(lambda c=cache: scan(traces, embedder=emb, cache=c))
            )
            rows["bare, raw"].append(
                _timed(
                    lambda: st.encode(
                        raw, batch_size=32, normalize_embeddings=True, show_progress_bar=False
                    )
                )
            )
    best = {k: min(v) for k, v in rows.items()}
    print(f"{len(traces)} traces, {len(windows)} windows, best of {args.reps}")
    for k, v in best.items():
        print(f"  {k:<14} {v:8.2f} s")
    print(
        f"cold scan / bare encode (same windows) : {best['cold scan'] / best['bare encode']:.2f}x"
        "  (target <= 1.15x)"
    )
    print(f"cold scan / bare encode (raw, truncated): {best['cold scan'] / best['bare, raw']:.2f}x")
    print(
        f"cached rescan / cold scan              : {best['cached rescan'] / best['cold scan']:.3f}x"
        "  (target <= 0.05x)"
    )


if __name__ == "__main__":
    main()
