"""Names a program chooses for itself are not what it computes (issue 11).

Why: two traces that run one program, one calling its table ``meetings`` and the other
``mtgs``, compute the same thing, yet no line of the program that holds a renamed variable
reads the same in both, and the lexical rule compares traces line by line
(:func:`novelty.lexical.line_containments`). What a program computes lies in its shape, its
literals, operators and keywords, and in the names it *uses* without binding them
(``itertools.product``, ``heapq``, ``sorted``): those stay. The names a fenced Python block
binds itself (assignment and loop targets, function, class and parameter names, ``import ...
as`` aliases) are numbered ``_1``, ``_2`` ... in the order they first appear, so a renamed
program reads the same and programs of other shapes still read apart.

A block that does not parse as Python (another language, a fragment) is left as it is.
Measured (README, "How it decides"): cutting the names instead of numbering them left the
lines of every program of a problem alike; cutting them from the tokens as well lost more
than it gained (one program's shared names were evidence).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

# A fenced block: the opening fence (with any language tag) to the closing one.
FENCE = re.compile(r"```[^\n`]*\n(.*?)```", re.DOTALL)


def number_bound_names(text: str) -> str:
    """``text`` with the names each fenced Python block binds numbered in that block."""
    if "```" not in text:
        return text
    return FENCE.sub(lambda m: m.group(0).replace(m.group(1), _number(m.group(1)), 1), text)


def bound_names(tree: ast.AST) -> set[str]:
    """Names a parsed program binds itself (never those it only reads)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
    return names


def _number(code: str) -> str:
    """One block with its bound names replaced by ``_1``, ``_2`` ... (first appearance);
    unchanged if it does not parse."""
    try:
        names = bound_names(ast.parse(code))
    except (SyntaxError, ValueError):
        return code
    if not names:
        return code
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.NAME and tok.string in names:
                begin = starts[tok.start[0] - 1] + tok.start[1]
                spans.append((begin, begin + len(tok.string)))
    except (tokenize.TokenError, IndentationError):
        return code
    pieces, last, number = [], 0, {}
    for begin, end in spans:
        pieces.append(code[last:begin])
        pieces.append(f"_{number.setdefault(code[begin:end], len(number) + 1)}")
        last = end
    pieces.append(code[last:])
    return "".join(pieces)
