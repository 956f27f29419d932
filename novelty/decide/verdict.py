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
    n_novel_degenerate: int = 0,
) -> str:
    """One sentence: novel (with how much base mass all base samples can still miss) or not.

    Novel clusters that are degenerate shortcuts (issue 15) are named "novel, degenerate";
    when every novel cluster is one, the sentence says the novelty is shortcuts, not strategies.
    """
    budget = (
        f"with {min_base_behind_novel} base samples a strategy holding up to "
        f"{zero_event_upper(min_base_behind_novel or 0):.1%} of the base model's samples can "
        "still be missed by all of them"
    )
    if n_novel_clusters and n_novel_degenerate >= n_novel_clusters:
        return (
            f"novel, degenerate: {n_novel_clusters} RL cluster(s) in {n_problems_with_novel} of "
            f"{n_problems} problem(s) are used by no base sample (FDR {alpha}), but every one is "
            "a degenerate shortcut (its traces repeat themselves, skip the computation, give a "
            "bare answer or stop mid-sentence): the novelty found is degenerate shortcuts, not "
            f"strategies; {budget}"
        )
    if n_novel_clusters:
        shortcuts = (
            f"; {n_novel_degenerate} of them novel, degenerate: shortcuts (repetition, skipped "
            "computation, bare answers, cut-off traces), not strategies"
            if n_novel_degenerate
            else ""
        )
        return (
            f"novel: {n_novel_clusters} RL strategy cluster(s) in {n_problems_with_novel} of "
            f"{n_problems} problem(s) are used by no base sample: each has a core of RL traces "
            f"beyond the calibrated radius of every base trace (FDR {alpha}); {budget}{shortcuts}"
        )
    return (
        "not novel: every RL strategy cluster has base support "
        f"(no cluster passes the test at FDR {alpha})"
    )
