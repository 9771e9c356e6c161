"""演習3 ニューラルネットワーク / Exercise 3: layers of neurons.

関数の中身と LECTURE_LAYERS、XOR_LAYERS を書いて `nnex check ex03_network` で確かめましょう。
Fill in the functions, LECTURE_LAYERS and XOR_LAYERS, then run `nnex check ex03_network`.
"""


def layer(inputs, weights, biases):
    """全結合の ReLU 層の活性度 / The activations of one fully connected ReLU layer.

    ニューロン j の出力は relu(sum_i weights[j][i] * inputs[i] + biases[j])。
    weights は層のニューロン 1 つにつき 1 行（形は n_out × n_in、relu(W a + b) の W）、
    biases は n_out 個。n_out 個の数を返します。

    Neuron j outputs relu(sum_i weights[j][i] * inputs[i] + biases[j]). weights has one row
    per neuron of the layer (shape n_out × n_in, i.e. W in relu(W a + b)); biases has n_out
    entries. Returns n_out numbers.
    """
    raise NotImplementedError("layer: ここを書きましょう / write this function")


def network(inputs, layers):
    """層を順に通す / Run the inputs through every layer.

    layers は (weights, biases) の組のリスト。各層の出力が次の層の入力になります。
    ReLU は最後の層も含めてすべての層に適用します。最後の層の活性度を返します。

    layers is a list of (weights, biases) pairs; each layer's output is the next layer's
    input; ReLU on every layer, the last included. Returns the last layer's activations.
    """
    raise NotImplementedError("network: ここを書きましょう / write this function")


def count_parameters(layer_sizes):
    """重みとバイアスの数 / The number of weights plus biases.

    層の幅が layer_sizes（入力層が最初）の全結合ネットワークの、重みとバイアスの合計の数。
    Weights plus biases of a fully connected network whose layer widths are layer_sizes
    (input layer first). count_parameters([784, 16, 16, 10]) == 13002.
    """
    raise NotImplementedError("count_parameters: ここを書きましょう / write this function")


# 講義の演習3 の図のネットワーク（2 入力 → 2 ニューロン → 1 ニューロン、すべて ReLU）を、図のとおりに
# network に渡せる layers の形で書きましょう。入力 00、01、10、11 で 1、0、0、1 を出力します:
# 2 つの入力が等しいときに活性化します（XNOR）。
# Write the lecture's exercise 3 network (2 inputs → 2 neurons → 1 neuron, ReLU everywhere) exactly
# as its figure draws it, as a `layers` value for network. It outputs 1, 0, 0, 1 for inputs 00, 01,
# 10, 11: it fires when the two inputs are equal (XNOR).
LECTURE_LAYERS = None

# 次の設計: 同じ形（2 → 2 → 1、すべて ReLU）で、入力 (0, 1) と (1, 0) で 1、(0, 0) と (1, 1) で 0 を
# 出力するネットワーク（XOR）。重みとバイアスは自分で考えましょう。
# The design step after it: a network of the same shape (2 → 2 → 1, ReLU everywhere) that
# outputs 1 for (0, 1) and (1, 0), and 0 for (0, 0) and (1, 1) (XOR). Choose the weights and
# biases yourself.
XOR_LAYERS = None
# >>> per-student numbers

# あなたのネットワーク: 入力 n_in 個 → 隠れ層 n_hidden 個 → 隠れ層 n_hidden 個 → 出力 n_out 個（全結合）。
# nnex check が「あなたの数値 / Your numbers」として n_in, n_hidden, n_out を表示します（初めに 1 度
# nnex check --student あなたのID）。その重みとバイアスの数の合計を整数で書きましょう。
# Your own network: n_in inputs → n_hidden → n_hidden → n_out outputs, fully connected. nnex check
# shows n_in, n_hidden and n_out as "Your numbers" (run nnex check --student YOUR_ID once first).
# Write its number of weights plus biases as a whole number.
MY_PARAMETER_COUNT = None
# <<< per-student numbers
