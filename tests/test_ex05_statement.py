"""ex05's statement quotes measured training figures: the seed-3 example's accuracies must be
what the reference, the demo's update order and plain ReLU's derivative really reach.

The 40-seed pass counts it quotes take minutes; they come from
``benchmarks/bench_ex05_update_order.py`` and are not rerun here."""

from __future__ import annotations

import pytest

from benchmarks.bench_ex05_update_order import STEPS, scores, statement_example
from nnex.course.content import Course


@pytest.fixture(scope="module")
def measured():
    example = statement_example()
    return {name: scores(step, example)[0] for name, step in STEPS.items()}


def test_the_statement_quotes_the_seed_3_accuracies(measured):
    statement = Course.installed().statement_path("ex05_backprop").read_text(encoding="utf-8")
    japanese, english = statement.split("\n---\n", 1)
    for name, accuracy in measured.items():
        for half in (japanese, english):
            assert f"{accuracy:.3f}" in half, (name, accuracy)


def test_the_demo_order_trains_clearly_worse_than_the_exact_gradient(measured):
    # What the statement says in words: the demo's order does not train "about as well".
    exact = measured["exact gradient (reference)"]
    assert measured["demo's update order"] < exact - 0.05
    assert abs(measured["plain ReLU derivative, hidden layer"] - exact) < 0.01
