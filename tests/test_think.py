"""Tests for novelty.think: which part of a trace ``--text`` keeps."""

from __future__ import annotations

import pytest

from novelty.think import TEXT_CHOICES, select_text


@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        ("<think>plan it</think> the answer is 4", "think", ("plan it", True)),
        ("<think>plan it</think> the answer is 4", "answer", ("the answer is 4", True)),
        (
            "<think>plan it</think> the answer is 4",
            "full",
            ("<think>plan it</think> the answer is 4", True),
        ),
        # R1 prompts end with "<think>": the completion only closes the block.
        (" add both equations </think> <answer>-3</answer>", "think", ("add both equations", True)),
        (
            " add both equations </think> <answer>-3</answer>",
            "answer",
            ("<answer>-3</answer>", True),
        ),
        ("<THINK>a</THINK><think>b</think>done", "think", ("a\n\nb", True)),
        ("<think>never closed", "think", ("never closed", True)),
        ("<think>never closed", "answer", ("", True)),
        ("<think></think>answer", "think", ("", True)),
        # No think block: the whole text, and the caller is told.
        ("just reasoning", "think", ("just reasoning", False)),
        ("just reasoning", "answer", ("just reasoning", False)),
        ("just reasoning", "full", ("just reasoning", False)),
    ],
)
def test_select_text(text, part, expected):
    assert select_text(text, part) == expected


def test_unknown_part_is_rejected():
    with pytest.raises(ValueError, match="part must be one of"):
        select_text("x", "reasoning")
    assert TEXT_CHOICES == ("full", "think", "answer")
