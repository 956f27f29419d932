"""The task families, one module each; the order fixes which family problem i uses."""

from __future__ import annotations

from ..core import Family
from . import bits, critpath, dedup, hanoi, recipe, regalloc, robot, satcount, timezone

FAMILIES: tuple[Family, ...] = (
    hanoi.FAMILY,
    regalloc.FAMILY,
    timezone.FAMILY,
    satcount.FAMILY,
    recipe.FAMILY,
    dedup.FAMILY,
    robot.FAMILY,
    bits.FAMILY,
    critpath.FAMILY,
)

__all__ = ["FAMILIES"]
