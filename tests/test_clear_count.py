"""Issue 11, power: a candidate with no base member is tested on how far its nearest base
trace is too (:func:`novelty.decide.pvalues.clear_count`), and the test stays exact."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.special import comb
from test_family import CONFIG, _unit

from novelty.decide import ClusterTest, candidate_p_value, clear_count, decide_scan
from novelty.problem import problem_stats
from novelty.types import Trace


def _clear_event(local: np.ndarray, is_base: np.ndarray, members: np.ndarray, d: float) -> bool:
    """No base member, and no base trace nearer to the members than ``d``."""
    if is_base[members].any():
        return False
    near = 1.0 - np.max(local @ local[members].T, axis=1)
    return bool(near[is_base].min() >= d)


def test_the_p_value_is_the_permutation_probability_of_the_statistic():
    """Labels shuffled among the problem's traces: the share of shuffles in which the
    candidate has no base member and its nearest base trace is at least as far as observed is
    the p-value the test gives (so it is exact, not only a bound)."""
    rng = np.random.default_rng(0)
    n_base, n_rl = 12, 12
    local = _unit(rng.normal(size=(n_base + n_rl, 6)))
    members = np.array([n_base, n_base + 1])  # two RL traces; the candidate is label-blind
    n_clear = clear_count(local, n_base, members)
    near = 1.0 - np.max(local @ local[members].T, axis=1)
    d = float(near[:n_base].min())
    assert n_clear > len(members), "the fixture should have RL traces nearer than any base"
    p = candidate_p_value(ClusterTest(0, 2, n_base, n_rl, 0, 2, n_clear=n_clear))
    assert p == pytest.approx(comb(n_rl, n_clear) / comb(n_base + n_rl, n_clear))
    labels = np.r_[np.ones(n_base, bool), np.zeros(n_rl, bool)]
    draws = 40_000
    hits = sum(_clear_event(local, rng.permutation(labels), members, d) for _ in range(draws))
    assert hits / draws == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / draws))


def test_only_rl_traces_are_counted_and_the_members_always():
    rng = np.random.default_rng(3)
    local = _unit(rng.normal(size=(30, 5)))
    for start in (10, 20):
        members = np.arange(start, start + 4)
        n = clear_count(local, 10, members)
        assert 4 <= n <= 20
    assert clear_count(local, 10, np.arange(10, 14), max_work=100) == 0  # not measured
    assert clear_count(local, 0, np.arange(4)) == 0  # no base trace: nothing to measure


def test_a_candidate_with_a_base_member_keeps_its_count_test():
    a = ClusterTest(1, 9, 64, 64, 0, 9)
    assert candidate_p_value(a) == candidate_p_value(ClusterTest(1, 9, 64, 64, 0, 9, n_clear=30))


def _planted_among_rl(n_base=64, n_rl=64, planted=6, seed=0):
    """Three strategies on both sides, a fourth RL-only one of ``planted`` traces, and RL
    traces of a fifth, RL-only too, between it and every base trace."""
    rng = np.random.default_rng(seed)
    dirs = _unit(rng.normal(size=(4, 32)))
    between = _unit((dirs[3] + 0.6 * dirs[0])[None])[0]
    n = n_base + n_rl
    kind = np.r_[rng.integers(0, 3, n_base), rng.integers(0, 3, n_rl - planted - 6)]
    vecs = [dirs[k] + 0.08 * rng.normal(size=32) for k in kind]
    vecs += [between + 0.1 * rng.normal(size=32) for _ in range(6)]
    vecs += [dirs[3] + 0.08 * rng.normal(size=32) for _ in range(planted)]
    role = ["base"] * n_base + ["rl"] * n_rl
    traces = [Trace(f"t{i:03d}", "p", r, "") for i, r in enumerate(role)]
    return traces, _unit(np.vstack(vecs)), list(range(n - planted - 6, n))


def test_rl_surroundings_make_a_group_more_significant():
    """A group of 6 whose way to the base traces passes RL traces only: its p-value is that of
    the traces the nearest base trace leaves clear; the scan reports the RL-only region whole,
    not its most significant piece (nesting orders by the members' count)."""
    traces, vecs, region = _planted_among_rl()
    planted = region[6:]
    config = SimpleNamespace(**vars(CONFIG))
    st = [problem_stats("p", list(range(len(traces))), traces, vecs, config)]
    d = decide_scan(st, config)
    whole = [k for k, c in enumerate(d.candidates) if sorted(c.rl) == planted]
    assert whole, "the fixture's group should be a candidate"
    test = d.candidates[whole[0]].test
    assert test.n_clear > 6
    assert d.p[whole[0]] < comb(64, 6) / comb(128, 6) / 2
    novel = [c for c in d.clusters if c.novel]
    assert [sorted(c.members) for c in novel] == [region]


def _arc(degrees: np.ndarray, rng) -> np.ndarray:
    """Unit vectors at the given angles in a plane, a hair off it (so no two coincide)."""
    rad = np.deg2rad(degrees)
    return _unit(np.c_[np.cos(rad), np.sin(rad), 1e-3 * rng.normal(size=(len(rad), 2))])


def test_the_whole_speaks_though_a_piece_counts_more_as_clear():
    """Nested candidates with no base member: G = X + Y (12 RL traces) and its far half S = Y.
    S's nearest base trace is farther than G's, so S's clear region also holds Z (6 more RL
    traces): its test's p-value is smaller than G's. The branch still speaks as G, whose own
    members isolate more of the RL excess; ordered by the full test, S would speak and the
    6 traces of X would be left out of the novel cluster."""
    rng = np.random.default_rng(5)
    same = rng.uniform(-3, -1.5, 46)  # RL traces of the base method, on its far side
    angles = np.r_[rng.uniform(-1, 1, 64), same, 30 + rng.uniform(-0.5, 0.5, 6), [50] * 6]
    angles = np.r_[angles, [85] * 6] + np.r_[np.zeros(110), rng.uniform(-0.5, 0.5, 18)]
    vecs = _arc(angles, rng)
    role = ["base"] * 64 + ["rl"] * 64
    traces = [Trace(f"t{i:03d}", "p", r, "") for i, r in enumerate(role)]
    config = SimpleNamespace(**{**vars(CONFIG), "center": False, "word_share": None})
    st = problem_stats("p", list(range(128)), traces, vecs, config)
    x, y = np.arange(110, 116), np.arange(116, 122)
    st = replace(st, groups=[np.r_[x, y], y])
    d = decide_scan([st], config)
    g, s = (c.test for c in d.candidates)
    assert (g.n_clear, s.n_clear) == (12, 18)
    assert d.p[1] < d.p[0] and d.q.max() <= 0.05 and d.novel.all()
    novel = [sorted(c.members) for c in d.clusters if c.novel]
    assert novel == [list(range(110, 122))]


class _CoversAll:
    """A lexical rule under which every member holds base trace 0's words."""

    def covering(self, order, n_base, members, shortcut=None):
        return np.ones(len(members), dtype=bool), {0}


def test_only_a_candidate_significant_by_its_own_count_marks_a_rewording():
    """A piece significant only through its clear region, whose members hold a base trace's
    words, is not novel, but it does not make the strategy around it give way (its members
    are not marked as a rewording); one significant by its own count does."""
    from novelty.decide import _lexical_recheck

    traces, vecs, _ = _planted_among_rl()
    config = SimpleNamespace(**vars(CONFIG))
    st = [problem_stats("p", list(range(len(traces))), traces, vecs, config)]
    cands = [decide_scan(st, config).candidates]
    novel = np.array([len(c.rl) > 0 for c in cands[0]])
    for own, marked in ((False, False), (True, True)):
        flags = np.full(len(cands[0]), own)
        _, still, reworded = _lexical_recheck(st, cands, novel, _CoversAll(), None, None, flags)
        assert not still.any()  # supported either way: only removes discoveries
        assert bool(reworded) is marked
