"""演習1 活性化関数 / Exercise 1: activation functions (ReLU, leaky ReLU, sigmoid).

関数の中身を書いて `nnex check ex01_relu` で確かめましょう。
Fill in the functions, then run `nnex check ex01_relu`.
"""

import numpy as np


def relu(x):
    """ReLU: max(0, x).

    x は数または NumPy 配列（どんな形でも）。数を入れたら数を、配列を入れたら同じ形の配列を
    返します。入力を書き換えてはいけません。relu(-3) == 0, relu(3) == 3。

    x is a number or a NumPy array (any shape). A number in gives a number out; an array in
    gives an array of the same shape out. Must not modify its input.
    relu(-3) == 0, relu(3) == 3.
    """
    raise NotImplementedError("relu: ここを書きましょう / write this function")


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: x where x > 0, else alpha * x.

    relu と同じ形の入出力で、alpha を使います。
    Same shapes as relu; honours alpha.
    """
    raise NotImplementedError("leaky_relu: ここを書きましょう / write this function")


def sigmoid(x):
    """シグモイド / Sigmoid: 1 / (1 + e^(-x)).

    relu と同じ形の入出力。x が -1000 から 1000 でもエラーや nan にならないこと。
    Same shapes as relu; finite and correct for x from -1000 to 1000 (no overflow error,
    no nan).
    """
    raise NotImplementedError("sigmoid: ここを書きましょう / write this function")
