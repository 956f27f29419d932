"""How often the degenerate label is right, on both synthetic generators (issue 15).

Three data sets per seed, scanned with the real embedder (embeddings cached in ``--cache``):

- ``blind-mixed``: every family of ``novelty.datasets.blind`` once, each problem holding both
  shortcut traces (answer only, repeated answer, a truncated loop; truth ``degenerate``) and a
  genuinely new method (truth ``novel``) beside the re-weighted base methods. The problem is
  drawn twice with one seed, as scenario ``degenerate`` and as ``novel``: the base traces are
  the same draw (checked), the RL traces are the shortcuts of the first and all RL traces of
  the second.
- ``blind``: the generator's own scenario cycle (novel, reweight, restyle, recheck, rare,
  degenerate), for false labels on every kind of non-degenerate RL trace.
- ``synth``: the first generator (no shortcuts): every label there is false.
- ``third``: the third generator (``novelty.datasets.third``, written blind to both others and
  to the detector), its own scenario cycle; its shortcuts include a paragraph of generic text
  before the answer.

Printed per data set (summed over seeds): of the degenerate traces the scan put in novel
clusters, the share in clusters labelled degenerate (target >= 90%); the same share for genuinely
novel traces (target <= 10%); the share of non-degenerate RL traces that carry a reason, and
that sit in a degenerate cluster; clusters labelled degenerate whose RL members are mostly not
degenerate (false clusters); and which reasons each kind of shortcut gets.

    python scripts/degenerate_rate.py --seeds 0 1 2 --cache /tmp/degenerate-cache
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from typing import Any

from novelty import scan
from novelty.datasets import blind, synth, third
from novelty.degenerate import label_texts, problem_content
from novelty.lexical import token_counts


def blind_mixed(seed: int, n_base: int, n_rl: int) -> tuple[list[dict], list[dict]]:
    """Shortcuts and a new method in the same problems (see the module docstring)."""
    n = len(blind.FAMILIES)
    kw = dict(n_problems=n, n_base=n_base, n_rl=n_rl, seed=seed)
    deg, deg_truth = blind.generate(scenarios="degenerate", **kw)
    nov, nov_truth = blind.generate(scenarios="novel", **kw)
    base = {r["id"]: r["text"] for r in deg if r["model"] == "base"}
    assert base == {r["id"]: r["text"] for r in nov if r["model"] == "base"}, "base draws differ"
    records, truth = [], []
    for recs, tr, tag in ((deg, deg_truth, "d"), (nov, nov_truth, "n")):
        for r, t in zip(recs, tr, strict=True):
            if r["model"] == "base" and tag == "n":
                continue
            if r["model"] == "rl" and tag == "d" and not t["degenerate"]:
                continue
            rid = r["id"] if r["model"] == "base" else f"{r['id']}.{tag}"
            records.append({**r, "id": rid})
            truth.append({**t, "id": rid})
    return records, truth


def datasets(seed: int, n_base: int, n_rl: int) -> dict[str, tuple[list[dict], list[dict]]]:
    return {
        "blind-mixed": blind_mixed(seed, n_base, n_rl),
        "blind": blind.generate(n_problems=12, n_base=n_base, n_rl=n_rl, seed=seed),
        "synth": synth.generate(n_problems=12, n_base=n_base, n_rl=n_rl, seed=seed),
        "third": third.generate(n_problems=12, n_base=n_base, n_rl=n_rl, seed=seed),
    }


def trace_reasons(records: list[dict]) -> dict[str, tuple[str, ...]]:
    """Each RL trace's reasons against its problem's base traces and the problem's own content
    (what the scan decides on: in how many problems each token occurs, read off all of them)."""
    by: dict[Any, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        by[r["problem_id"]][r["model"]].append(r)
    held: Counter = Counter()
    for sides in by.values():
        _, vocab = token_counts([r["text"] for rows in sides.values() for r in rows])
        held.update([] if vocab is None else vocab.tolist())
    out = {}
    for sides in by.values():
        rl, base = sides["rl"], [r["text"] for r in sides["base"]]
        content = problem_content(base, held, len(by))
        got = label_texts([r["text"] for r in rl], base, content)
        out.update({r["id"]: g for r, g in zip(rl, got, strict=True)})
    return out


def tally(report: Any, records: list[dict], truth: list[dict]) -> Counter:
    """Counts behind every rate printed (see the module docstring)."""
    t = {g["id"]: {"degenerate": False, **g} for g in truth}  # synth has no shortcuts
    reasons = trace_reasons(records)
    c: Counter = Counter()
    in_novel, in_degenerate = set(), set()
    for cl in report.clusters:
        rl = [i for i in cl["trace_ids"] if t[i]["model"] == "rl"]
        if cl["novel"]:
            in_novel.update(rl)
            c["novel clusters"] += 1
            c["novel clusters labelled degenerate"] += cl["degenerate"]
        if cl["degenerate"]:
            in_degenerate.update(rl)
            c["clusters labelled degenerate"] += 1
        if rl and sum(t[i]["degenerate"] for i in rl) * 2 <= len(rl):
            c["clusters mostly not degenerate"] += 1
            c["mostly not degenerate, labelled"] += cl["degenerate"]
    for g in t.values():
        if g["model"] != "rl":
            continue
        i = g["id"]
        if g["degenerate"]:
            c["degenerate traces"] += 1
            c["degenerate traces in degenerate clusters"] += i in in_degenerate
            c["degenerate traces in novel clusters"] += i in in_novel
            c["degenerate traces found, labelled"] += i in in_novel and i in in_degenerate
            c["degenerate traces with a reason"] += bool(reasons[i])
            for r in reasons[i] or ("none",):
                c[f"reason {r}: {g['strategy']}"] += 1
            c[f"kind {g['strategy']}"] += 1
        else:
            c["non-degenerate RL traces"] += 1
            c["non-degenerate RL traces with a reason"] += bool(reasons[i])
            c["non-degenerate RL traces in degenerate clusters"] += i in in_degenerate
        if g["novel"]:
            c["novel traces"] += 1
            c["novel traces in novel clusters"] += i in in_novel
            c["novel traces found, labelled"] += i in in_novel and i in in_degenerate
            c["novel traces in degenerate clusters"] += i in in_degenerate
    return c


def _rate(c: Counter, num: str, den: str) -> str:
    return f"{c[num] / c[den]:.3f} ({c[num]}/{c[den]})" if c[den] else "— (0/0)"


def show(name: str, c: Counter) -> dict[str, Any]:
    """Print one data set's rates; return them for ``--json``."""
    rates = {
        "found degenerate traces in degenerate clusters (>= 0.90)": (
            "degenerate traces found, labelled",
            "degenerate traces in novel clusters",
        ),
        "all degenerate traces in degenerate clusters": (
            "degenerate traces in degenerate clusters",
            "degenerate traces",
        ),
        "degenerate traces carrying a reason": (
            "degenerate traces with a reason",
            "degenerate traces",
        ),
        "found novel traces in degenerate clusters (<= 0.10)": (
            "novel traces found, labelled",
            "novel traces in novel clusters",
        ),
        "all novel traces in degenerate clusters": (
            "novel traces in degenerate clusters",
            "novel traces",
        ),
        "non-degenerate RL traces carrying a reason": (
            "non-degenerate RL traces with a reason",
            "non-degenerate RL traces",
        ),
        "non-degenerate RL traces in degenerate clusters": (
            "non-degenerate RL traces in degenerate clusters",
            "non-degenerate RL traces",
        ),
        "mostly non-degenerate clusters labelled degenerate": (
            "mostly not degenerate, labelled",
            "clusters mostly not degenerate",
        ),
        "novel clusters labelled degenerate": (
            "novel clusters labelled degenerate",
            "novel clusters",
        ),
    }
    print(f"== {name}")
    out = {}
    for label, (num, den) in rates.items():
        print(f"  {label:58s} {_rate(c, num, den)}")
        out[label] = [c[num], c[den]]
    kinds = sorted(k.split(" ", 1)[1] for k in c if k.startswith("kind "))
    for kind in kinds:
        got = {k.split(" ")[1].rstrip(":"): v for k, v in c.items() if k.endswith(f": {kind}")}
        print(f"  reasons of {kind} traces (of {c['kind ' + kind]}): {got}")
        out[f"reasons:{kind}"] = got
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--n-base", type=int, default=64)
    ap.add_argument("--n-rl", type=int, default=64)
    ap.add_argument("--cache", default="/tmp/novelty-degenerate-cache")
    ap.add_argument("--embedder", default=None, help="default: the offline all-MiniLM-L6-v2")
    ap.add_argument("--json", help="also write the counts here")
    args = ap.parse_args()
    totals: dict[str, Counter] = defaultdict(Counter)
    for seed in args.seeds:
        for name, (records, truth) in datasets(seed, args.n_base, args.n_rl).items():
            report = scan(records, embedder=args.embedder, cache=args.cache)
            c = tally(report, records, truth)
            totals[name] += c
            print(
                f"seed {seed} {name}: {c['novel clusters']} novel cluster(s), "
                f"{c['novel clusters labelled degenerate']} degenerate; "
                f"{c['clusters labelled degenerate']} cluster(s) labelled degenerate",
                flush=True,
            )
    out = {name: show(name, c) for name, c in totals.items()}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"seeds": args.seeds, "rates": out}, f, indent=2)


if __name__ == "__main__":
    main()
