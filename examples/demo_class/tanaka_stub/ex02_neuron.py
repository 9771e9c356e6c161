"""演習2 ニューロン / Exercise 2: one neuron (weights, sum, bias, activation).

関数の中身を書いて `nnex check ex02_neuron` で確かめましょう。
Fill in the functions, then run `nnex check ex02_neuron`.
"""


def weighted_sum(inputs, weights, bias):
    """入力の重みづけ、合計とバイアス / Weighted sum plus bias.

    inputs[0]*weights[0] + … + inputs[n-1]*weights[n-1] + bias を数 1 つで返します。
    inputs と weights は同じ長さの数のリストです。

    Returns inputs[0]*weights[0] + … + inputs[n-1]*weights[n-1] + bias as a number.
    inputs and weights are equal-length lists of numbers.
    """
    raise NotImplementedError("weighted_sum: ここを書きましょう / write this function")


def neuron(inputs, weights, bias):
    """ニューロンの活性度 / The neuron's activation: ReLU of weighted_sum(...).

    neuron([1, 0], [1, 1], -0.5) == 0.5
    neuron([0.3, -0.5, 0.2], [0.1, 0.8, -0.5], 0.2) == 0   （合計は / the sum is -0.27）
    3×3 のパターン（合計 6、バイアス -5）では 1 / the 3×3 pattern (sum 6, bias -5) gives 1.
    """
    raise NotImplementedError("neuron: ここを書きましょう / write this function")
