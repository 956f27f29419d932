"""The verdict sentence: what the decision found, in words a reader can quote."""

from __future__ import annotations


def zero_event_upper(n: int, level: float = 0.95) -> float:
    """Exact upper bound on a prevalence seen 0 times in n draws (about 3/n at 95%)."""
    return float(1.0 - (1.0 - level) ** (1.0 / n)) if n else 1.0


def verdict(
    *,
    n_novel_clusters: int,
    n_problems_with_novel: int,
    n_problems: int,
    min_base_behind_novel: int | None,
    alpha: float,
    n_novel_behaviours: int = 0,
    n_base_total: int = 0,
) -> str:
    """One sentence: novel (with how much base mass all base samples can still miss) or not.

    Novel behaviours across problems (issue 12) add a clause, or make the sentence when no
    cluster is novel; without them the sentence is what it was.
    """
    if n_novel_behaviours and not n_novel_clusters:
        return (
            f"novel: {n_novel_behaviours} behaviour(s) recurring across problems are used by no "
            "base sample of any problem (RL members only, none within the radius of a base "
            f"trace; FDR {alpha}), though no cluster of a single problem is novel; "
            f"with {n_base_total} base samples in all a behaviour holding up to "
            f"{zero_event_upper(n_base_total):.1%} of them can still be missed by all"
        )
    if n_novel_clusters:
        return (
            f"novel: {n_novel_clusters} RL strategy cluster(s) in {n_problems_with_novel} of "
            f"{n_problems} problem(s) are used by no base sample: each has a core of RL traces "
            f"beyond the calibrated radius of every base trace (FDR {alpha}); "
            f"with {min_base_behind_novel} base samples a strategy holding up to "
            f"{zero_event_upper(min_base_behind_novel):.1%} of the base model's samples can "
            "still be missed by all of them"
            + (
                f"; {n_novel_behaviours} behaviour(s) across problems are novel too"
                if n_novel_behaviours
                else ""
            )
        )
    return (
        "not novel: every RL strategy cluster has base support "
        f"(no cluster passes the test at FDR {alpha})"
    )
