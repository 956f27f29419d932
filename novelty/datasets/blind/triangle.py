"""Geometry: the area of a triangle with integer vertex coordinates.

Methods: the shoelace formula and the cross product (both prose, different content), bounding
box minus corner triangles (numbered list), Pick's theorem with a row-by-row lattice count
(table), and a program.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .family import Family, Method, pick
from .writer import Writer

LABELS = (("A", "B", "C"), ("P", "Q", "R"), ("K", "L", "M"), ("D", "E", "F"))
Pt = tuple[int, int]


def par(x: int) -> str:
    """Parenthesise negatives inside products: 3·(-2)."""
    return f"({x})" if x < 0 else str(x)


def num(x: Fraction) -> str:
    """27 or 27.5, the way a person writes an area."""
    return str(int(x)) if x.denominator == 1 else f"{float(x):g}"


@dataclass
class Triangle:
    """Three labelled lattice points; one sits at a corner of their bounding box."""

    names: tuple[str, str, str]
    pts: tuple[Pt, Pt, Pt]

    @property
    def cross(self) -> int:
        (ax, ay), (bx, by), (cx, cy) = self.pts
        return (bx - ax) * (cy - ay) - (cx - ax) * (by - ay)

    @property
    def area(self) -> Fraction:
        return Fraction(abs(self.cross), 2)

    def result(self, w: Writer) -> str:
        if w.ok:
            return num(self.area)
        return num(pick(w.rng, [2 * self.area, self.area + Fraction(1, 2), self.area - 1]))

    def label(self, i: int) -> str:
        return f"{self.names[i]}{self.pt(i)}"

    def pt(self, i: int) -> str:
        return f"({self.pts[i][0]}, {self.pts[i][1]})"

    def boundary(self) -> list[int]:
        p = self.pts
        return [
            math.gcd(abs(p[i][0] - p[j][0]), abs(p[i][1] - p[j][1]))
            for i, j in ((0, 1), (1, 2), (2, 0))
        ]

    def interior_rows(self) -> list[tuple[int, list[int]]]:
        """For each y strictly inside, the x values strictly inside the triangle."""
        (ax, ay), (bx, by), (cx, cy) = self.pts
        s = 1 if self.cross > 0 else -1

        def inside(x: int, y: int) -> bool:
            e1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
            e2 = (cx - bx) * (y - by) - (cy - by) * (x - bx)
            e3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx)
            return s * e1 > 0 and s * e2 > 0 and s * e3 > 0

        xs = [p[0] for p in self.pts]
        ys = [p[1] for p in self.pts]
        return [
            (y, [x for x in range(min(xs), max(xs) + 1) if inside(x, y)])
            for y in range(min(ys) + 1, max(ys))
        ]

    # -- Instance protocol ---------------------------------------------------------------------
    def restate(self, w: Writer) -> None:
        v = [self.label(i) for i in range(3)]
        w.p(
            (
                f"Find the area of triangle {''.join(self.names)} with vertices {v[0]}, {v[1]} "
                f"and {v[2]}.",
                f"We need the area of the triangle whose corners are {v[0]}, {v[1]}, {v[2]}.",
                f"The triangle has vertices {self.names[0]} = {self.pt(0)}, "
                f"{self.names[1]} = {self.pt(1)}, {self.names[2]} = {self.pt(2)}; what is its "
                "area?",
            )
        )

    def keys(self) -> list[str]:
        return [self.pt(i) for i in range(3)]

    def asides(self) -> list[str]:
        return [
            "A quick sketch helps: plot the three points and see which way the triangle faces.",
            "The sign of a determinant only reflects orientation, so I'll take the absolute value.",
            "Since the coordinates are integers, the area must be a multiple of 1/2.",
        ]

    def verify(self) -> list[str]:
        xs, ys = [p[0] for p in self.pts], [p[1] for p in self.pts]
        box = (max(xs) - min(xs)) * (max(ys) - min(ys))
        a = num(self.area)
        return [
            f"{a} is positive and less than the {box} of the box around the points",
            f"twice the area, {num(2 * self.area)}, is an integer, as lattice points require",
        ]

    def short(self, ok: bool, rng: np.random.Generator) -> str:
        return num(self.area if ok else 2 * self.area)


def make(rng: np.random.Generator) -> Triangle:
    """Corner at the box origin, the others on the far sides; then reflect, shift, relabel."""
    while True:
        w, h = int(rng.integers(4, 11)), int(rng.integers(4, 11))
        pts = [(0, 0), (w, int(rng.integers(1, h))), (int(rng.integers(1, w)), h)]
        fx, fy, sw = (bool(b) for b in rng.integers(0, 2, size=3))
        dx, dy = (int(v) for v in rng.integers(-3, 6, size=2))
        out = []
        for x, y in pts:
            x, y = (w - x if fx else x), (h - y if fy else y)
            x, y = (y, x) if sw else (x, y)
            out.append((x + dx, y + dy))
        order = [int(i) for i in rng.permutation(3)]
        t = Triangle(pick(rng, LABELS), (out[order[0]], out[order[1]], out[order[2]]))
        if t.area >= 4:
            return t


def _shoelace(w: Writer, t: Triangle) -> str:
    (x1, y1), (x2, y2), (x3, y3) = t.pts
    s1 = x1 * y2 + x2 * y3 + x3 * y1
    s2 = y1 * x2 + y2 * x3 + y3 * x1
    c = t.result(w)
    w.p(
        ("Use the shoelace formula.", "Shoelace: sum of cross terms down minus up, halved."),
        f"x1y2 + x2y3 + x3y1 = {x1}·{par(y2)} + {x2}·{par(y3)} + {x3}·{par(y1)} = {s1}.",
        f"y1x2 + y2x3 + y3x1 = {y1}·{par(x2)} + {y2}·{par(x3)} + {y3}·{par(x1)} = {s2}.",
        f"Area = |{s1} - {par(s2)}|/2 = {abs(s1 - s2)}/2 = {c}.",
    )
    w.check(
        [f"{s1} - {s2} = {s1 - s2}", f"half of {abs(s1 - s2)} is {num(t.area)}"],
        f"the area is {num(t.area)}",
    )
    return c


def _cross(w: Writer, t: Triangle) -> str:
    (ax, ay), (bx, by), (cx, cy) = t.pts
    n = t.names
    u, v = (bx - ax, by - ay), (cx - ax, cy - ay)
    c = t.result(w)
    w.p(
        (
            f"Take vectors from {n[0]}: the area is half the cross product.",
            f"Vectors {n[0]}{n[1]} and {n[0]}{n[2]}; half the absolute determinant gives the area.",
        ),
        f"{n[0]}{n[1]} = ({u[0]}, {u[1]}), {n[0]}{n[2]} = ({v[0]}, {v[1]}).",
        f"The determinant is {u[0]}·{par(v[1])} - {par(v[0])}·{par(u[1])} = {t.cross}.",
        f"<so> the area is |{t.cross}|/2 = {c}.",
    )
    w.check(
        [f"{u[0]}·{par(v[1])} = {u[0] * v[1]} and {par(v[0])}·{par(u[1])} = {v[0] * u[1]}"],
        f"the determinant is {t.cross}",
    )
    return c


def _box(w: Writer, t: Triangle) -> str:
    xs, ys = [p[0] for p in t.pts], [p[1] for p in t.pts]
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    corners = []
    for i, j in ((0, 1), (1, 2), (2, 0)):
        dx, dy = abs(t.pts[i][0] - t.pts[j][0]), abs(t.pts[i][1] - t.pts[j][1])
        corners.append((t.names[i] + t.names[j], dx, dy, Fraction(dx * dy, 2)))
    c = t.result(w)
    cut = sum(x[3] for x in corners)
    w.p(("Enclose it in its bounding box and subtract.", "Box method:", None))
    w.numbered(
        [f"The box is {bw} by {bh}, area {bw * bh}."]
        + [f"Right triangle along {s}: {dx}·{dy}/2 = {num(a)}." for s, dx, dy, a in corners]
        + [f"Area = {bw * bh} - {num(cut)} = {c}."]
    )
    w.check(
        [f"{bw * bh} - {num(cut)} = {num(bw * bh - cut)}", f"the corners total {num(cut)}"],
        f"the area is {num(t.area)}",
    )
    return c


def _pick(w: Writer, t: Triangle) -> str:
    rows = t.interior_rows()
    b = t.boundary()
    i = sum(len(xs) for _, xs in rows)
    c = t.result(w)
    w.p(
        (
            "Pick's theorem: A = I + B/2 - 1. Count lattice points.",
            "Let me count lattice points and use Pick's theorem.",
        )
    )
    sides = [f"{t.names[k]}{t.names[(k + 1) % 3]}: gcd = {g}" for k, g in enumerate(b)]
    lines = [f"Boundary {s}" for s in sides]
    for y, xs in rows:
        lines.append(f"y = {y}: " + (f"x = {xs[0]}..{xs[-1]} → {len(xs)}" if xs else "none"))
    w.lines(lines)
    w.check(
        [" + ".join(str(len(xs)) for _, xs in rows) + f" = {i}", f"{i} interior points in all"],
        f"I = {i}",
    )
    w.p(f"B = {sum(b)}, I = {i}.", f"A = {i} + {sum(b)}/2 - 1 = {c}.")
    return c


def _code(w: Writer, t: Triangle) -> str:
    c = t.result(w)
    pts = ", ".join(t.pt(k) for k in range(3))
    if w.chance(0.5):
        src = f"""pts = [{pts}]
(x1, y1), (x2, y2), (x3, y3) = pts
print(abs(x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2)) / 2)"""
    else:
        src = f"""from math import dist, sqrt

a, b, c = {pts}
la, lb, lc = dist(b, c), dist(a, c), dist(a, b)
s = (la + lb + lc) / 2
print(round(sqrt(s * (s - la) * (s - lb) * (s - lc)), 6))  # Heron"""
    w.code(
        src,
        intro=("Let me compute it in Python:", "Quick computation:", "In code:"),
        outro=(f"This prints {c}.", f"Output: {c}", f"It gives {c}."),
    )
    w.check(
        [f"the points in the code are {pts}, as given", "the formula halves the absolute value"],
        "the code matches the problem",
    )
    return c


FAMILY = Family(
    name="triangle",
    domain="math",
    make=make,
    methods=(
        Method("shoelace", "prose", 0.85, _shoelace),
        Method("cross_product", "prose", 0.8, _cross),
        Method("bounding_box", "list", 0.7, _box),
        Method("pick_count", "table", 0.6, _pick),
        Method("coordinate_program", "code", 0.92, _code),
    ),
)
