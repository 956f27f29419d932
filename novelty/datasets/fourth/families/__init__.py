"""The task families, in the order problems cycle through them."""

from __future__ import annotations

from .._types import Family
from . import (
    assign_puzzle,
    avg_speed,
    critical_path,
    distinct_run,
    draw,
    meeting_rooms,
    pack,
    route,
    trace_code,
)

FAMILIES: tuple[Family, ...] = (
    critical_path.FAMILY,
    route.FAMILY,
    draw.FAMILY,
    assign_puzzle.FAMILY,
    meeting_rooms.FAMILY,
    distinct_run.FAMILY,
    avg_speed.FAMILY,
    pack.FAMILY,
    trace_code.FAMILY,
)
