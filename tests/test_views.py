import numpy as np
import pytest

from novelty.errors import ConfigError
from novelty.types import Trace
from novelty.views import (
    apply_view,
    center_within_problem,
    computation_steps,
    is_hesitation,
    sentences,
    strategy_steps,
    strategy_view,
)


def test_strategy_view_drops_self_checks_and_keeps_steps():
    text = (
        "We need x with x^2 - 5x + 6 = 0. Wait, let me double-check that. "
        "Factor it as (x - 2)(x - 3) = 0.\nHmm, let me verify this step. "
        "So x = 2 or x = 3. That looks right. The answer is 5."
    )
    view = strategy_view(text)
    assert "Factor it as (x - 2)(x - 3) = 0." in view
    assert "x = 2 or x = 3" in view and "The answer is 5." in view
    for gone in ("Wait", "Hmm", "looks right"):
        assert gone not in view


def test_sentences_split_on_ends_and_lines_not_decimals():
    assert sentences("It is 3.5 units. Next!\nDone") == ["It is 3.5 units.", "Next!", "Done"]


def test_strategy_steps_cut_at_sentence_ends_not_lines():
    text = "Write the rows.\nRow 0: 1\nRow 1: 1 1\nWait, let me check.\nSo the sum is 3. Done."
    assert strategy_steps(text) == [
        "Write the rows.",
        "Row 0: 1 Row 1: 1 1 Wait, let me check.",
        "So the sum is 3.",
        "Done.",
    ]


def test_a_list_marker_is_not_a_step():
    text = "One full game:\n\n1. Rosa takes 4, leaving 35.\n2) Sam takes 1, leaving 34.\n- Done."
    steps = strategy_steps(text)
    assert steps == [
        "One full game: Rosa takes 4, leaving 35.",
        "Sam takes 1, leaving 34.",
        "Done.",
    ]
    # cut at the marker's full stop, "2." was a step, and a computing one (it has a digit)
    assert not [s for s in computation_steps(text) if s.strip(".) ").isdigit()]
    # a minus sign and a decimal at a line's start are not markers
    assert strategy_steps("-3 is the root.\n2.5 is the mean.") == [
        "-3 is the root.",
        "2.5 is the mean.",
    ]


def test_hesitation_is_a_sentence_that_computes_nothing():
    assert is_hesitation("Wait, let me double-check that.")
    assert is_hesitation("Hmm, okay.") and is_hesitation("Good, that matches.")
    assert not is_hesitation("Okay, so the discriminant is 49.")  # opens like one, computes
    assert not is_hesitation("Check: 3 + 4 = 7.")
    assert not is_hesitation("Okay, so we use Cramer's rule.")
    assert not is_hesitation("This is a quadratic.")


def test_steps_view_keeps_each_computation_once_whatever_the_filler():
    plain = "We need x^2 - 5x + 6 = 0. Factor: (x - 2)(x - 3) = 0. So x = 2 or x = 3."
    # filler the hesitation pattern has never seen, and a re-derivation of the factoring
    restyled = (
        "Let me ponder this for a moment. We need x^2 - 5x + 6 = 0. Mmm, fascinating. "
        "Factor: (x - 2)(x - 3) = 0. Let me redo that to be certain. "
        "Factoring again, (x - 2)(x - 3) = 0. So x = 2 or x = 3. Lovely."
    )
    assert computation_steps(restyled) == computation_steps(plain) == strategy_steps(plain)


def test_steps_view_without_mathematics_keeps_every_step():
    # no phrase list decides what a step is: hesitation in any words weighs as a step
    text = "Use the greedy rule. Wait, let me check. Then stop at the first repeat."
    assert computation_steps(text) == [
        "Use the greedy rule.",
        "Wait, let me check.",
        "Then stop at the first repeat.",
    ]
    # with a computing step, only the steps that compute are kept, whatever their words
    mixed = "Use the greedy rule. Wait, let me check. Take 7 - 3 = 4."
    assert computation_steps(mixed) == ["Take 7 - 3 = 4."]


def test_a_table_is_a_computing_step_digits_or_not():
    table = "| Ann | Bob | fits |\n|---|---|---|\n| K | N | yes |\n| N | K | no |"
    bare = f"Knights never lie. We try every case.\n\n{table}\n\nSo Ann is a knight."
    # the same method, with one incidental computation in its prose
    counted = f"Knights never lie. There are $2^2 = 4$ cases, so we try them.\n\n{table}"
    assert [s for s in computation_steps(bare) if "| K | N |" in s]
    assert [s for s in computation_steps(counted) if "| K | N |" in s]
    # the restated rule every trace shares is not a step of either
    assert "Knights never lie." not in computation_steps(bare) + computation_steps(counted)
    # a pipe in prose is not a table
    assert computation_steps("Use a | b here. Then stop.") == ["Use a | b here.", "Then stop."]


def test_apply_view_reports_kept_fraction_and_never_empties():
    traces = [
        Trace("a", "p", "base", "Wait. Hmm."),
        Trace("b", "p", "rl", "Add the equations. Then divide by two."),
    ]
    v = apply_view(traces, "strategy")
    assert v.pieces[0] == ["Wait. Hmm."]  # a view that keeps nothing falls back to the text
    assert v.view == "strategy"
    assert v.pieces[1] == ["Add the equations. Then divide by two."]
    assert apply_view(traces, "steps").pieces[1] == ["Add the equations.", "Then divide by two."]
    assert v.kept_fraction[0] == 0.0 and v.kept_fraction[1] == pytest.approx(1.0)
    with pytest.raises(ConfigError, match="unknown view"):
        apply_view(traces, "bogus")


def test_centering_removes_shared_component():
    rng = np.random.default_rng(0)
    shared = rng.normal(size=16) * 10
    a, b = rng.normal(size=16), rng.normal(size=16)
    x = np.vstack(
        [shared + a + 0.1 * rng.normal(size=16) for _ in range(5)]
        + [shared + b + 0.1 * rng.normal(size=16) for _ in range(5)]
    )
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    c = center_within_problem(x)
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 1.0, atol=1e-5)
    cos = c @ c.T
    assert cos[:5, 5:].mean() < 0 < cos[:5, :5].mean()  # groups separate once centred
    assert (x @ x.T)[:5, 5:].mean() > 0.9  # and did not before


def test_an_anchor_keeps_near_copies_near_after_centring():
    """Issue 11, item 3: two traces a hair apart on either side of the problem's mean point
    opposite ways once centred, and plain re-normalising puts them as far apart as any two
    traces can be; with the anchor they stay on the scale of their raw difference, while
    traces far from the mean keep the directions centring gives them."""
    rng = np.random.default_rng(1)
    shared = rng.normal(size=16) * 10
    e, a = np.eye(16)[0], rng.normal(size=16)
    a[0] = 0.0  # the far pair's offset is orthogonal to the near pair's: the mean is `shared`
    x = np.vstack([shared + 1e-3 * e, shared - 1e-3 * e, shared + a, shared - a])
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    raw = 1.0 - unit[0] @ unit[1]
    plain, anchored = center_within_problem(x), center_within_problem(x, anchor=0.1)
    assert raw < 1e-6
    assert 1.0 - plain[0] @ plain[1] > 1.9  # noise turned into distance
    assert 1.0 - anchored[0] @ anchored[1] < 1e-3  # kept on the raw scale
    assert anchored.shape == (4, 17)
    np.testing.assert_allclose(np.linalg.norm(anchored, axis=1), 1.0, atol=1e-5)
    far = 1.0 - anchored[2] @ anchored[3]
    assert far > 1.9  # traces far from the mean: the plain directions, nearly


def test_problem_space_centres_with_the_anchor():
    from novelty.config import ScanConfig
    from novelty.problem import CENTRE_ANCHOR, problem_space

    rng = np.random.default_rng(2)
    x = rng.normal(size=(6, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    config = ScanConfig(word_share=None)
    got = problem_space(np.arange(6), [None] * 6, x, config)
    np.testing.assert_allclose(got, center_within_problem(x, anchor=CENTRE_ANCHOR), atol=1e-6)
    assert got.shape == (6, 9)
