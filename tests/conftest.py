"""Shared fixtures: a planted-geometry embedder for fast pipeline tests, paths to fixtures."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
REAL = ROOT.parent / "shared" / "data" / "real"

_TAG = re.compile(r"\[(\w+)\]")


class PlantedEmbedder:
    """Texts tagged ``[strategy]`` map to that strategy's direction plus seeded noise.

    Gives the statistical stages a geometry where the truth is known exactly, without a model.
    An untagged text (a sentence of a trace, for the sentence rule) gets a direction of its
    own, so only the same sentence, verbatim, is said again.
    """

    name = "planted-test"
    dim = 32

    def __init__(self, noise: float = 0.25) -> None:
        self.noise = noise

    def encode(self, texts, *, batch_size: int = 32, progress=None):
        out = np.empty((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            found = _TAG.search(t)
            tag = found.group(1) if found else t
            centre = np.random.default_rng(_seed(tag)).normal(size=self.dim)
            centre /= np.linalg.norm(centre)
            noise = np.random.default_rng(_seed(t)).normal(size=self.dim)
            v = centre + self.noise * noise / np.sqrt(self.dim)
            out[i] = v / np.linalg.norm(v)
        if progress is not None:
            progress.advance(len(texts))
        return out


def _seed(s: str) -> int:
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "little")


def planted_records(
    *,
    n_problems: int = 4,
    n_base: int = 40,
    n_rl: int = 40,
    base_strategies: tuple[str, ...] = ("a", "b", "c"),
    rl_mix: dict[str, float] | None = None,
    seed: int = 0,
) -> list[dict]:
    """Records whose text names a per-problem strategy tag, with RL drawing from ``rl_mix``.

    ``rl_mix`` maps strategy -> probability; a strategy absent from ``base_strategies`` is
    novel. Strategy directions are per problem (tag ``p<k>_<s>``).
    """
    rng = np.random.default_rng(seed)
    rl_mix = rl_mix or {s: 1 / len(base_strategies) for s in base_strategies}
    records = []
    for p in range(n_problems):
        for role, n, names, probs in (
            ("base", n_base, list(base_strategies), None),
            ("rl", n_rl, list(rl_mix), list(rl_mix.values())),
        ):
            picks = rng.choice(len(names), size=n, p=probs)
            for i, k in enumerate(picks):
                records.append(
                    {
                        "id": f"{role}-{p}-{i}",
                        "problem_id": f"p{p}",
                        "model": role,
                        "text": f"solve problem {p} [p{p}_{names[k]}] sample {i} seed {seed}",
                        "correct": bool(rng.random() < 0.5),
                    }
                )
    return records


def restyle_records(n_problems: int, n: int, bodies: dict, text: Callable) -> list[dict]:
    """Per problem, ``n`` samples a side: base alternates methods ``a`` and ``b``; RL writes
    ``a`` in another style (the first quarter, tag ``styled``), in problem 0 computes something
    new (the next third, ``new``) and otherwise samples as base. ``bodies[tag](p)`` is a
    method's body, ``text(p, tag, body, i)`` the trace's text."""
    recs = []
    for p in range(n_problems):
        for role in ("base", "rl"):
            for i in range(n):
                tag = "a" if i % 2 else "b"
                if role == "rl" and i < n // 4:
                    tag = "styled"
                elif role == "rl" and p == 0 and i < n // 4 + n // 3:
                    tag = "new"
                recs.append({"id": f"{role}-{p}-{tag}-{i}", "problem_id": f"p{p}", "model": role,
                             "text": text(p, tag, bodies[tag](p), i)})  # fmt: skip
    return recs


def novel_tags(report) -> set[str]:
    """The tags (the id's third field, as :func:`restyle_records` writes it) of novel traces."""
    return {t["id"].split("-")[2] for t in report.traces if t["novel"]}


@pytest.fixture
def planted_embedder() -> PlantedEmbedder:
    return PlantedEmbedder()


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def ray_cluster():
    """One local Ray cluster on 2 CPUs for the whole session (skips without the ``ray`` extra).

    Yields the ``ray`` module, initialised in this process, and the cluster's address, which
    another process joins with ``--address``.
    """
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    import logging

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        yield ray, ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
