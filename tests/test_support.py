"""Support-change labels and rates, case by case."""

from __future__ import annotations

from itertools import combinations
from math import comb

import pytest

from novelty.decide import base_enrichment_p, restricted_change, support_change
from novelty.support import support_counts


def _label(**kw):
    base = dict(novel=False, n_base=3, n_rl=3, q_value=0.5, m=2, alpha=0.05, rl_within_radius=False)
    return support_change(**{**base, **kw})


def test_labels():
    assert _label(novel=True, n_base=0, m=0, q_value=0.001) == "expanded"
    assert _label() == "preserved"
    assert _label(q_value=0.01) == "amplified"
    assert _label(n_base=0, m=1, q_value=0.01) == "amplified"  # base traces within the radius
    assert _label(n_rl=0) == "shrunk"
    assert _label(n_rl=0, rl_within_radius=True) == "preserved"
    assert _label(n_base=0, m=0, q_value=0.2) == "unconfirmed"
    assert _label(n_base=0, m=None, q_value=None) == "unconfirmed"


def test_restricted_labels():
    assert restricted_change("preserved", 0, 0, False) is None
    assert restricted_change("amplified", 2, 0, False) == "shrunk"
    assert restricted_change("amplified", 2, 0, True) == "preserved"
    assert restricted_change("expanded", 0, 3, False) == "expanded"
    assert restricted_change("amplified", 1, 4, False) == "amplified"


def test_counts_and_rates_by_hand():
    labels = ["expanded", "preserved", "amplified", "shrunk", "shrunk", "unconfirmed", None]
    has_base = [False, True, True, True, True, False, True]
    has_rl = [True, True, True, False, False, True, False]
    c = support_counts(labels, has_base, has_rl)
    assert (c["expanded"], c["preserved"], c["amplified"], c["shrunk"]) == (1, 1, 1, 2)
    assert c["n_base_strategies"] == 4 and c["n_rl_strategies"] == 4
    assert c["retention"] == pytest.approx(2 / 4)
    assert c["discovery"] == pytest.approx(1 / 4)
    assert c["net_change"] == pytest.approx((1 - 2) / 4)
    empty = support_counts([], [], [])
    assert empty["retention"] is None and empty["discovery"] is None


def test_base_enrichment_p_against_enumeration():
    # 5 base and 4 RL traces; every 4-trace cluster equally likely under exchangeability.
    labels = ["b"] * 5 + ["r"] * 4
    clusters = list(combinations(range(9), 4))
    for n_base in range(5):
        tail = sum(sum(labels[i] == "b" for i in c) >= n_base for c in clusters) / len(clusters)
        assert base_enrichment_p(n_base, 4 - n_base, 5, 4) == pytest.approx(tail)
    assert base_enrichment_p(3, 0, 8, 8) == pytest.approx(comb(8, 3) / comb(16, 3))
    assert base_enrichment_p(0, 4, 5, 4) == 1.0
