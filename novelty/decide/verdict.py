"""The verdict sentence: what the decision found, in words a reader can quote."""

from __future__ import annotations

from novelty.decide.power import ScanPower


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
    conclusion: str | None = None,
    power: ScanPower | None = None,
    n_supported: int | None = None,
    n_unconfirmed: int = 0,
    n_novel_degenerate: int = 0,
    n_novel_behaviours: int = 0,
    n_base_total: int = 0,
    n_behaviours_tested: int = 0,
) -> str:
    """One sentence: novel (with how much base mass all base samples can still miss), not novel
    or inconclusive (each with what could have been seen: issue 12).

    ``conclusion`` and ``power`` come from :mod:`novelty.decide.power`; ``n_supported`` counts
    the RL clusters with base support and ``n_unconfirmed`` the RL-only clusters that are not
    novel, so the sentence never calls an unconfirmed cluster supported. Without ``power`` the
    sentence is the one of schema 1.0. Novel clusters that are degenerate shortcuts (issue 15)
    are named "novel, degenerate"; when every novel cluster is one, the sentence says the
    novelty is shortcuts, not strategies.

    Novel behaviours across problems (issue 12) add a clause, or make the sentence when no
    cluster is novel (``n_base_total``: base samples of all problems); without them the sentence
    is what it was.
    """
    if n_novel_behaviours and not n_novel_clusters:
        return (
            f"novel: {n_novel_behaviours} behaviour(s) recurring across problems are used by no "
            "base sample of any problem (RL members only, none within the radius of a base "
            f"trace; FDR {alpha}), though no cluster of a single problem is novel; "
            f"with {n_base_total} base samples in all a behaviour holding up to "
            f"{zero_event_upper(n_base_total):.1%} of them can still be missed by all"
        )
    behaviours = (
        f"; {n_novel_behaviours} behaviour(s) across problems are novel too"
        if n_novel_behaviours
        else ""
    )
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
            f"strategies; {budget}{behaviours}"
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
            f"{behaviours}"
        )
    if power is None:  # what could have been seen is unknown: the sentence of schema 1.0
        clusters = (
            "every RL strategy cluster has base support"
            if n_supported is None and not n_unconfirmed
            else _clusters_part(n_supported, n_unconfirmed)
        )
        return f"not novel: {clusters} (no cluster passes the test at FDR {alpha})"
    n_candidates = power.n_tests - n_behaviours_tested
    tested = (
        f"FDR {alpha}, {power.method.upper()} over {n_candidates} candidate(s) of "
        f"{n_problems} problem(s)"
        + (f" and {n_behaviours_tested} behaviour(s) across them" if n_behaviours_tested else "")
    )
    behaviour_power = (
        f"; a behaviour used by {power.prevalence:.0%} of RL samples across problems and by no "
        "base sample could have been called novel"
        if power.behaviours_powered
        else ""
    )
    clusters = _clusters_part(n_supported, n_unconfirmed)
    needed = _samples_part(power)
    if conclusion == "inconclusive":
        return (
            "inconclusive: no RL strategy cluster or behaviour across problems could have been "
            "called novel at these sample "
            f"sizes: with at most {power.max_n_base} base and {power.max_n_rl} RL samples per "
            f"problem ({tested}) no RL-only cluster of at least {power.min_cluster_size} traces "
            f"reaches significance in any problem; {clusters}; {needed}"
        )
    if power.min_detectable_rl is None:  # only behaviours could have been seen
        return (
            f"not novel: no RL strategy cluster or behaviour passes the test ({tested}); "
            f"{clusters}; no single problem has the samples to show an RL-only cluster, but "
            f"a behaviour used by {power.prevalence:.0%} of RL samples across the problems and "
            f"by no base sample could have been called novel; {needed}"
        )
    return (
        f"not novel: no RL strategy cluster passes the test ({tested}); {clusters}; an "
        f"RL-only strategy of at least {power.min_detectable_rl} of {power.n_rl_there} RL "
        f"traces in a problem could have been called novel ({power.n_problems_powered} of "
        f"{power.n_problems} problem(s) have the samples for one){behaviour_power}; {needed}"
    )


def _clusters_part(n_supported: int | None, n_unconfirmed: int) -> str:
    """What the RL clusters are, never calling an unconfirmed one supported."""
    if n_unconfirmed:
        return (
            f"{n_supported or 0} RL strategy cluster(s) have base support and {n_unconfirmed} "
            "RL-only cluster(s) are unconfirmed (no base support found, but too small or not "
            "significant to call novel)"
        )
    if n_supported:
        return "every RL strategy cluster has base support"
    return "no RL strategy cluster formed"


def _samples_part(power: ScanPower) -> str:
    """How many samples per side would make a strategy of ``power.prevalence`` detectable."""
    if power.samples_per_side is None:
        return f"no sample size would make a {power.prevalence:.0%} strategy detectable"
    n = power.samples_per_side
    return (
        f"a strategy used by {power.prevalence:.0%} of RL samples and by no base sample would "
        f"need about {n} base and {n} RL samples per problem (its expected "
        f"{int(power.prevalence * n + 1e-9)} RL traces then pass with {max(1, power.n_tests)} "
        "test(s))"
    )
