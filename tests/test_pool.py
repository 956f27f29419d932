"""The per-problem phase over a pool (issue 13): the same results and report as in-process."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

import novelty.pool
import novelty.problem
from conftest import PlantedEmbedder, planted_records
from novelty import scan
from novelty.config import ScanConfig
from novelty.ingest import ingest
from novelty.pool import problem_phase


def _records() -> list[dict]:
    return planted_records(n_problems=4, rl_mix={"a": 0.4, "b": 0.2, "new": 0.4}, seed=3)


def test_pool_gives_the_in_process_phase():
    traces = sorted(ingest(_records()).traces, key=lambda t: (str(t.problem_id), t.role, t.id))
    vectors = PlantedEmbedder().encode([t.text for t in traces]).astype(np.float32)
    groups: dict = {}
    for i, t in enumerate(traces):
        groups.setdefault(t.problem_id, []).append(i)
    # two RL runs (issue 15): the tests count each run's members from the chunk's runs
    runs = np.array([i % 2 if t.role == "rl" else -1 for i, t in enumerate(traces)])
    config = ScanConfig()
    alone = problem_phase(groups, traces, vectors, config, runs, min_problems=10**9)
    pooled = problem_phase(groups, traces, vectors, config, runs, min_problems=1, workers=2)
    assert len(pooled.stats) == len(alone.stats) == 4
    np.testing.assert_array_equal(alone.local, pooled.local)
    assert pooled.local.any(axis=1).all()  # every trace's row was written
    for a, p in zip(alone.stats, pooled.stats, strict=True):
        assert a.problem_id == p.problem_id and a.n_base == p.n_base
        np.testing.assert_array_equal(a.order, p.order)
        for name in ("local", "base_loo", "rl_to_base", "rl_nn", "rl_p", "labels"):
            np.testing.assert_array_equal(getattr(a, name), getattr(p, name))
        assert a.radius == p.radius
        assert [g.tolist() for g in a.groups] == [g.tolist() for g in p.groups]
    assert pooled.candidates == alone.candidates
    assert any(c.test.by_run for cs in pooled.candidates for c in cs)
    assert max(c.rl[-1] for cs in pooled.candidates for c in cs if c.rl) > 300  # scan indices
    assert pooled.reasons == alone.reasons
    # each problem's map is drawn beside its statistics, in the pool as in-process
    assert len(pooled.maps) == len(alone.maps) == 4
    for (a_xy, a_how), (p_xy, p_how) in zip(alone.maps, pooled.maps, strict=True):
        assert a_how == p_how == "pca"
        np.testing.assert_array_equal(a_xy, p_xy)
    none = replace(config, projection="none")
    assert problem_phase(groups, traces, vectors, none, runs, min_problems=10**9).maps == []


def test_pooled_scan_writes_the_same_report(monkeypatch):
    kwargs = dict(embedder=PlantedEmbedder(), cache=None, projection="none")
    alone = scan(_records(), **kwargs).to_json()
    monkeypatch.setattr(novelty.pool, "POOL_MIN_PROBLEMS", 1)
    monkeypatch.setattr(novelty.pool.os, "cpu_count", lambda: 2)  # a pool even on one core
    pooled = scan(_records(), **kwargs).to_json()
    assert pooled == alone
    assert '"novel": true' in pooled


def test_a_broken_pool_falls_back_to_this_process(monkeypatch):
    """A pool that cannot start (a script without a main guard) costs time, not the scan."""
    from concurrent.futures.process import BrokenProcessPool

    def broken(*args, **kwargs):
        raise BrokenProcessPool("worker died")

    kwargs = dict(embedder=PlantedEmbedder(), cache=None, projection="none")
    alone = scan(_records(), **kwargs).to_json()
    monkeypatch.setattr(novelty.pool, "POOL_MIN_PROBLEMS", 1)
    monkeypatch.setattr(novelty.pool.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(novelty.pool, "_pooled", broken)
    assert scan(_records(), **kwargs).to_json() == alone


def test_pooled_assignment_gives_the_same_labels():
    """Behaviours of a large scan: each trace joins its nearest sampled trace's cluster; the
    blocks a pool shares out give the labels one process gives (issue 13)."""
    from novelty.behaviours import NOISE, _assign

    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 8)) * 5
    sample = np.vstack([c + rng.standard_normal((40, 8)) for c in centres])
    labels = np.repeat(np.arange(3), 40)
    points = np.vstack(
        [
            *[c + rng.standard_normal((3000, 8)) for c in centres],
            rng.standard_normal((50, 8)) * 40,  # far from every sampled trace: noise
        ]
    )
    alone = _assign(points, sample, labels, 5)
    with novelty.pool.problem_pool(2, min_problems=1, workers=2) as pool:
        pooled = _assign(points, sample, labels, 5, pool)
    np.testing.assert_array_equal(alone, pooled)
    truth = np.repeat(np.arange(3), 3000)
    assert (alone[:9000] == truth).mean() > 0.7  # the rest lie beyond a core distance: noise
    assert not ((alone[:9000] != truth) & (alone[:9000] != NOISE)).any()
    assert (alone[9000:] == NOISE).all()


def test_a_space_as_wide_as_the_scans_is_kept_once(monkeypatch):
    """Issue 13: where a problem's space has the scan-wide array's width (no anchor, no
    words), each problem's vectors are a view into that array, not a copy of their own."""
    monkeypatch.setattr(novelty.problem, "CENTRE_ANCHOR", None)
    traces = sorted(ingest(_records()).traces, key=lambda t: (str(t.problem_id), t.role, t.id))
    vectors = PlantedEmbedder().encode([t.text for t in traces]).astype(np.float32)
    groups: dict = {}
    for i, t in enumerate(traces):
        groups.setdefault(t.problem_id, []).append(i)
    phase = problem_phase(groups, traces, vectors, ScanConfig(), None, min_problems=10**9)
    assert all(np.shares_memory(s.local, phase.local) for s in phase.stats)
    monkeypatch.setattr(novelty.problem, "CENTRE_ANCHOR", 0.1)
    wide = problem_phase(groups, traces, vectors, ScanConfig(), None, min_problems=10**9)
    assert all(s.local.shape[1] == vectors.shape[1] + 1 for s in wide.stats)
    assert not any(np.shares_memory(s.local, wide.local) for s in wide.stats)
