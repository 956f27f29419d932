"""Synthetic reasoning traces with planted strategies, for testing novelty detection honestly.

Real traces come without strategy labels, so detection power and false-discovery control are
measured here, on math traces whose solution method is known. The generator is built so that a
detector cannot win by surface tricks:

- every trace of a problem restates the same statement and numbers, so whole-text embeddings are
  dominated by what all traces share (as with real model output);
- methods differ in what they compute, each step has several paraphrases, and optional steps,
  digressions, mentions of other methods, false starts and long re-derivations blur them;
- RL traces may be *restyled* (self-verification, heavier connectives, other paraphrases) in every
  scenario, so style alone never signals novelty;
- a method that base samples only once or twice (``rare``) is amplified by RL, not discovered.

Ground truth marks an RL trace ``novel`` only when its method appears in no base sample of its
problem. Everything is drawn from one ``np.random.default_rng(seed)`` passed down, so a seed fixes
the output byte for byte.

Layout: ``assemble`` draws each problem's samples per scenario, ``render`` writes one trace,
``families/`` holds one module per problem family (the ``FAMILIES`` registry), ``family`` the shape
they share, ``notation`` and ``phrases`` what traces are written with, ``jsonl`` the file writer.
"""

from novelty.datasets.synth.assemble import SCENARIOS, generate
from novelty.datasets.synth.families import FAMILIES
from novelty.datasets.synth.jsonl import write_jsonl

__all__ = ["FAMILIES", "SCENARIOS", "generate", "write_jsonl"]
