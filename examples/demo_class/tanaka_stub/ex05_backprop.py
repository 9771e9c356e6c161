"""演習5 バックプロパゲーション / Exercise 5: backpropagation (the circle network).

ネットワーク: 入力 (x, y) → n 個の隠れニューロン（leaky ReLU）→ 出力 1 個（leaky ReLU）。
leaky ReLU の負の側の傾きは 0.01。パラメータは dict です:

    {"w1": 配列 (n, 2), "b1": 配列 (n,), "w2": 配列 (n,), "b2": 数}

デモでは n = 8 ですが、n は配列の形から読み取り、どんな n でも動くようにします。
誤差は prediction - target、損失は 0.5 * (prediction - target) ** 2 です。
関数の中身を書いて `nnex check ex05_backprop` で確かめましょう。

The network: inputs (x, y) → n hidden leaky-ReLU neurons → 1 leaky-ReLU output (slope 0.01
for negative inputs). The parameters are a dict:

    {"w1": array (n, 2), "b1": array (n,), "w2": array (n,), "b2": float}

n is 8 in the demo; every function must work for any n read from the shapes. The error is
prediction - target; the loss is 0.5 * (prediction - target) ** 2.
Fill in the functions, then run `nnex check ex05_backprop`.
"""

import numpy as np


def leaky_relu(z):
    """Leaky ReLU: z > 0 なら z、そうでなければ 0.01 * z（数でも配列でも）。

    z if z > 0 else 0.01 * z (numbers or arrays).
    """
    raise NotImplementedError("leaky_relu: ここを書きましょう / write this function")


def leaky_relu_derivative(z):
    """leaky ReLU の微分（デモの dAct）: z > 0 なら 1、そうでなければ 0.01（数でも配列でも）。

    The derivative of leaky ReLU (the demo's dAct): 1 if z > 0 else 0.01 (numbers or arrays).
    """
    raise NotImplementedError("leaky_relu_derivative: ここを書きましょう / write this function")


def predict(params, x, y):
    """点 (x, y) に対するネットワークの出力（数 1 つ）。

    The network's output for the point (x, y), a number.
    """
    raise NotImplementedError("predict: ここを書きましょう / write this function")


def gradients(params, x, y, target):
    """損失 0.5 * (prediction - target) ** 2 の、すべてのパラメータについての正確な勾配。

    すべて渡された params で求めます。params と同じキーと形の dict を返します（"b2" は数）。

    The exact gradient of the loss with respect to every parameter, all taken at the given
    params: a dict with the same keys and shapes ("b2" a number).
    """
    raise NotImplementedError("gradients: ここを書きましょう / write this function")


def train_step(params, x, y, target, learning_rate):
    """1 つのサンプルでの勾配降下 1 ステップ後のパラメータ（同じ形の dict）。

    すべてのパラメータで p - learning_rate * 勾配、勾配はすべて更新の前に求めます。
    params をその場で書き換えてもかまいませんが、結果は必ず return します。

    The parameters after one gradient-descent step on that one sample (p - learning_rate *
    gradient for every parameter, every gradient taken before any update); same dict layout.
    May update params in place, but must return the result.
    """
    raise NotImplementedError("train_step: ここを書きましょう / write this function")


def train(params, samples, learning_rate):
    """samples の (x, y, target) ごとに、順番どおり train_step を行い、最後のパラメータを返します。

    Applies train_step for each (x, y, target) in samples, in order; returns the final
    parameters.
    """
    raise NotImplementedError("train: ここを書きましょう / write this function")
