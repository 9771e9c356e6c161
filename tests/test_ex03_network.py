"""演習3 as the lecture draws it: LECTURE_LAYERS is the figure (it fires for equal inputs, XNOR),
XOR_LAYERS the design step after it; submissions from before LECTURE_LAYERS and the demo class."""

from __future__ import annotations

import re
import shutil

import numpy as np

from nnex.commands.demo import demo_class_dir
from nnex.solutions import ex03_network as ref
from tests.conftest import grade_class, solution_sources, write_class

INPUTS = ([0, 0], [0, 1], [1, 0], [1, 1])
LECTURE_CHECKS = {"lecture_layers_figure", "lecture_layers_outputs"}


def test_the_reference_is_the_lecture_figure_and_it_computes_xnor():
    # The figure (seed 003, 演習3): hidden weights 1, 1 with biases 0 and -1; output weights -1
    # (from hidden neuron 1) and 2 (from hidden neuron 2) with bias 1.
    (hidden_w, hidden_b), (out_w, out_b) = ref.LECTURE_LAYERS
    assert np.array_equal(hidden_w, [[1, 1], [1, 1]]) and np.array_equal(hidden_b, [0, -1])
    assert np.array_equal(out_w, [[-1, 2]]) and np.array_equal(out_b, [1])
    assert [float(ref.network(x, ref.LECTURE_LAYERS)[0]) for x in INPUTS] == [1, 0, 0, 1]
    assert [float(ref.network(x, ref.XOR_LAYERS)[0]) for x in INPUTS] == [0, 1, 1, 0]


def test_a_submission_from_before_lecture_layers_loses_only_those_checks(tmp_path, course):
    solution = solution_sources(course)["ex03_network"]
    before = re.sub(r"^LECTURE_LAYERS = \[.*?^\]\n", "", solution, flags=re.M | re.S)
    assert "LECTURE_LAYERS =" not in before and "XOR_LAYERS =" in before
    results = grade_class(course, write_class(tmp_path / "class", {"before": {
        "ex03_network": before}}), exercises=["ex03_network"])
    exercise = results["before"].exercise("ex03_network")
    lost = {c.name for c in exercise.checks if not c.passed}
    meta = course.exercise("ex03_network")
    assert lost == LECTURE_CHECKS
    assert exercise.score == exercise.max_score - sum(meta.checks[c].points for c in lost)


def test_the_demo_class_provides_both_constants(tmp_path, course):
    root = shutil.copytree(demo_class_dir(), tmp_path / "class")
    results = grade_class(course, root, exercises=["ex03_network"])
    reference = results["山田_太郎"].exercise("ex03_network")
    assert reference.score == reference.max_score
    # -k_suzuki uses the weights transposed, but copied the figure and designed XOR correctly.
    suzuki = results["-k_suzuki"].exercise("ex03_network")
    lost = {c.name for c in suzuki.checks if not c.passed}
    assert lost and not lost & (LECTURE_CHECKS | {"xor_layers_shape", "xor_layers_outputs"})
