"""The registry of problem families, one module each, in the order ``generate`` cycles them."""

from __future__ import annotations

from novelty.datasets.synth.families.counting import COUNTING
from novelty.datasets.synth.families.geometry import GEOMETRY
from novelty.datasets.synth.families.linear_system import LINEAR
from novelty.datasets.synth.families.modular import MODULAR
from novelty.datasets.synth.families.probability import PROBABILITY
from novelty.datasets.synth.families.quadratic import QUADRATIC
from novelty.datasets.synth.families.series import SERIES
from novelty.datasets.synth.family import Family

FAMILIES: dict[str, Family] = {
    f.name: f for f in (QUADRATIC, LINEAR, COUNTING, GEOMETRY, MODULAR, PROBABILITY, SERIES)
}

__all__ = ["FAMILIES"]
