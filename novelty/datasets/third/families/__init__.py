"""The eight problem families, keyed by family name (no digits: it prefixes problem ids)."""

from __future__ import annotations

from ..core import Family
from . import anagram, coins, jobs, jugs, knights, nim, weekdays, workrate

FAMILIES: dict[str, Family] = {
    m.FAMILY.key: m.FAMILY for m in (knights, nim, coins, weekdays, jobs, anagram, jugs, workrate)
}
