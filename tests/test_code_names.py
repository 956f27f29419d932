"""Names a program binds are numbered before its lines are compared (issue 11): a renamed
program computes what the original computes, and programs of other shapes read apart."""

from __future__ import annotations

import ast

from novelty.code_names import bound_names, number_bound_names


def _program(table: str, check: str) -> str:
    return (
        "Brute force is cheap here:\n\n```python\nfrom itertools import product\n\n"
        f"{table} = {{'Onboarding': {{'Ivan', 'Priya'}}, 'Vendor call': {{'Chloe'}}}}\n\n\n"
        f"def {check}(assign):\n    return all(sorted({table}[n]) for n in assign)\n"
        f"print(next(s for s in product(range(3), repeat=2) if {check}(s)))\n```\nOutput: 2"
    )


def test_a_renamed_program_reads_the_same():
    programs = [_program(t, c) for t in ("mtgs", "meetings") for c in ("ok", "fits")]
    assert len(set(programs)) == 4
    numbered = {number_bound_names(p) for p in programs}
    assert len(numbered) == 1
    (text,) = numbered
    assert "_1 = {'Onboarding'" in text and "def _2(_3):" in text


def test_names_the_program_uses_without_binding_them_stay():
    text = number_bound_names(_program("mtgs", "ok"))
    for used in ("product", "itertools", "sorted", "range", "next", "'Ivan'", "Output: 2"):
        assert used in text
    assert "mtgs" not in text and "assign" not in text


def test_programs_of_other_shapes_read_apart():
    scan = "```python\nbest = nums[0]\nfor x in nums:\n    best = max(best, x)\n```"
    prefix = "```python\nlow = 0\nfor x in nums:\n    low = min(low, x)\n```"
    assert number_bound_names(scan).splitlines()[1:4] == [
        "_1 = nums[0]", "for _2 in nums:", "    _1 = max(_1, _2)"
    ]  # fmt: skip
    assert number_bound_names(prefix).splitlines()[1] == "_1 = 0"


def test_bound_names_reads_every_kind_of_binding():
    code = (
        "import numpy as np\nclass Box:\n    pass\nfor i, (a, b) in []:\n    del a\n"
        "try:\n    x = 1\nexcept ValueError as err:\n    pass\nf = lambda y: y\n"
        "sq = [z * z for z in range(3)]\nprint(len(sq))\n"
    )
    assert bound_names(ast.parse(code)) == {"np", "Box", "i", "a", "b", "x", "err", "f", "y",
                                            "sq", "z"}  # fmt: skip


def test_text_that_is_not_a_python_program_is_left_as_it_is():
    prose = "Let x = 3, so 2x = 6."
    assert number_bound_names(prose) == prose
    other = "In C:\n```c\nint total = 0; for (int i = 0; i < 3; i++) total += i;\n```\n"
    assert number_bound_names(other) == other
    unclosed = "```python\nx = (1,\n```"
    assert number_bound_names(unclosed) == unclosed
