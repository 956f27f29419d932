import numpy as np
import pytest

from novelty.calibrate import conformal_p_values, conformal_radius


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _cos_dist(a, b):
    return 1.0 - a @ b.T


def _brute_p(base, x):
    """Full conformal p-value computed literally from its definition."""
    n = len(base)
    s_x = _cos_dist(x[None], base).min()
    count = 0
    for b in range(n):
        others = np.vstack([np.delete(base, b, axis=0), x[None]])
        s_b = _cos_dist(base[b][None], others).min()
        count += s_b >= s_x - 1e-6
    return (1 + count) / (n + 1)


def test_matches_definition():
    rng = np.random.default_rng(0)
    base = _unit(rng.normal(size=(30, 8)))
    rl = _unit(rng.normal(size=(10, 8)))
    d = _cos_dist(base, base)
    np.fill_diagonal(d, np.inf)
    s, p = conformal_p_values(d.min(1), _cos_dist(rl, base))
    expected = [_brute_p(base, x) for x in rl]
    np.testing.assert_allclose(p, expected)
    np.testing.assert_allclose(s, _cos_dist(rl, base).min(1))


def test_uniform_under_null():
    """Exchangeable RL and base traces: P(p <= a) <= a, and close to a."""
    rng = np.random.default_rng(1)
    ps = []
    for _ in range(300):
        pts = _unit(rng.normal(size=(41, 5)))
        base, x = pts[:40], pts[40:]
        d = _cos_dist(base, base)
        np.fill_diagonal(d, np.inf)
        ps.append(conformal_p_values(d.min(1), _cos_dist(x, base))[1][0])
    ps = np.array(ps)
    for a in (0.1, 0.25, 0.5):
        assert (ps <= a).mean() <= a + 0.05
    assert ps.min() >= 1 / 41


def test_far_trace_gets_smallest_p():
    base_loo = np.full(19, 0.1)
    _, p = conformal_p_values(base_loo, np.full((1, 19), 0.9))
    assert p[0] == pytest.approx(1 / 20)


def test_radius_implies_alpha():
    rng = np.random.default_rng(2)
    loo = rng.uniform(0.05, 0.3, size=99)
    r = conformal_radius(loo, 0.05)
    # a trace just beyond r and far from every base trace has p <= alpha
    d = np.full((1, 99), r + 1e-3)
    _, p = conformal_p_values(loo, d)
    assert p[0] <= 0.05
    # and one just inside r does not
    _, p_in = conformal_p_values(loo, np.full((1, 99), r - 1e-3))
    assert p_in[0] > 0.05


def test_radius_small_n_is_max_gap():
    assert conformal_radius(np.array([0.1, 0.4, 0.2]), 0.05) == pytest.approx(0.4)
    assert conformal_radius(np.array([np.inf]), 0.05) == np.inf


def test_base_support_share_and_cap():
    from novelty.decide.support import base_support

    d = np.full((20, 3), 0.9)
    d[:6, 0] = 0.1  # base 0 is within the radius of 6 of 20 members
    d[:2, 1] = 0.1  # base 1 of only 2 (a boundary)
    assert base_support(d, 0.5, 0.25) == 1
    assert base_support(d, 0.5, 0.25, max_needed=2) == 2
    assert base_support(d, 0.5, 0.0) == 2
    assert base_support(d, 0.5, 0.25, near_core=np.array([False, False, True])) == 2
    assert base_support(np.zeros((0, 3)), 0.5) == 0


def _cluster(rng, centre, n, spread):
    x = centre + spread * rng.normal(size=(n, centre.size))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_near_and_central_find_a_member_like_base_trace_only():
    from novelty.decide.support import central_to_core, near_core

    rng = np.random.default_rng(0)
    a, b = np.zeros(16), np.zeros(16)
    a[0], b[1] = 1.0, 1.0
    core = _cluster(rng, a, 20, 0.2)
    base = np.vstack([_cluster(rng, a, 1, 0.2), _cluster(rng, b, 5, 0.2)])
    assert near_core(core, base).tolist() == [True] + [False] * 5
    assert central_to_core(core, base).tolist() == [True] + [False] * 5
    assert not near_core(core[:1], base).any()  # one member has no spacing


def test_a_base_trace_touching_one_edge_member_does_not_pass_for_a_member():
    """Issue 11: near_core asks for ``count`` members (2 by default). A base trace of the
    neighbouring strategy that sits beside one boundary member is not one more member; one that
    sits among the members is near several and still counts."""
    from novelty.decide.support import near_core

    rng = np.random.default_rng(1)
    a, b = np.zeros(16), np.zeros(16)
    a[0], b[1] = 1.0, 1.0
    core = _cluster(rng, a, 20, 0.2)
    # a copy of the member farthest from the rest, nudged further out: beside that one only
    dk = 1.0 - core @ core.T
    np.fill_diagonal(dk, np.inf)
    edge = int(np.argmax(dk.min(axis=1)))
    touch = core[edge] + 0.05 * (core[edge] - core.mean(axis=0))
    inside = core.mean(axis=0)
    base = np.vstack([touch, inside, _cluster(rng, b, 3, 0.2)])
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    assert near_core(core, base, count=1).tolist() == [True, True, False, False, False]
    assert near_core(core, base).tolist() == [False, True, False, False, False]
    assert near_core(core[:3], base[1:2], count=5).tolist() == [True]  # a small core: all of it


def test_a_lone_base_sample_nearest_to_a_core_keeps_its_company():
    """Issue 11: a strategy that one base sample uses, written by RL in other words, sits
    beyond the core's spacing from that sample (near_core misses it), yet the sample is nearer
    to the core than to any other base trace: it keeps the strategy's company and counts. Base
    traces of a neighbouring method stay nearer to their own kind and do not."""
    from novelty.decide.support import keeps_company, near_core

    rng = np.random.default_rng(2)
    a, b, c = np.eye(16)[:3]
    core = _cluster(rng, a, 20, 0.2)
    rare = (a + 1.5 * c) / np.linalg.norm(a + 1.5 * c)
    stray = (b + 0.6 * a) / np.linalg.norm(b + 0.6 * a)
    base = np.vstack([rare, stray, _cluster(rng, b, 30, 0.2)])
    assert not near_core(core, base)[0]  # the sample does not pass for one more member
    company = keeps_company(core, base)
    assert company[0]
    assert not company[1:].any()
    # one member beside a base trace is not company: two are needed by default
    e = np.eye(16)
    unit = lambda v: v / np.linalg.norm(v)  # noqa: E731
    three = np.vstack([e[0], unit(e[0] + e[4]), unit(e[0] + e[5])])
    pair = np.vstack([unit(e[0] + 0.1 * e[3]), unit(e[0] - 0.3 * e[3])])
    assert keeps_company(three, pair, count=1)[0]
    assert not keeps_company(three, pair)[0]
    assert not keeps_company(core, base[:1]).any()  # one base trace: nothing to compare with
