"""Writing generated records as reproducible JSON lines."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from novelty.atomic import atomic_write_bytes

__all__ = ["write_jsonl"]


def write_jsonl(records: Iterable[Mapping], path: str | os.PathLike[str]) -> Path:
    """Write one JSON object per line, gzip-compressed when ``path`` ends in ``.gz``.

    The file appears whole or not at all (temp file in the same directory, then ``os.replace``),
    and the bytes depend only on the records (gzip ``mtime`` is 0), so fixtures can be compared.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    atomic_write_bytes(path, data)
    return path
