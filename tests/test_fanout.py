"""Small jobs over a pool (issue 13): the same values, in order, as in-process."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool

import novelty.fanout
from novelty.describe import problem_keywords
from novelty.fanout import fan_out


def _jobs() -> list[tuple]:
    texts = [
        "We expand the product and factor the quadratic.",
        "Induction on n: the base case holds, then the step.",
        "Draw the graph and bound the degree of each vertex.",
        "Substitute x = 2 and expand the square.",
    ]
    return [(texts, [[0, 3], [1]], [2]), (texts, [[2]], [0, 1, 3]), (texts[:1], [[0]], [])] * 3


def test_pool_gives_the_in_process_values():
    jobs = _jobs()
    alone = fan_out(problem_keywords, jobs, min_jobs=10**9)
    assert alone == [problem_keywords(j) for j in jobs]
    assert any(kw for per in alone for kw in per)
    assert fan_out(problem_keywords, jobs, min_jobs=1, workers=2) == alone


def test_a_broken_pool_falls_back_to_this_process(monkeypatch):
    class Broken:
        def __init__(self, *args, **kwargs):
            raise BrokenProcessPool("worker died")

    monkeypatch.setattr(novelty.fanout, "ProcessPoolExecutor", Broken)
    assert fan_out(abs, [-1, 2, -3], min_jobs=1, workers=2) == [1, 2, 3]
