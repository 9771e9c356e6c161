"""演習6（発展）手書き数字のネットワーク / Exercise 6 (optional): the digit network, in matrix form.

3Blue1Brown の 784-16-16-10 のネットワークを、8×8 の手書き数字で 64-16-16-10 にして作ります。
活性化関数はシグモイド、1 つの層は a = σ(W a + b)。データはまとめて（バッチで）計算します。
関数の中身を書いて `nnex check ex06_digits` で確かめましょう。いちばん下の「用意されたコード」は
そのまま使います（採点されません）。`python ex06_digits.py` で訓練とテストの正解率を試せます。

3Blue1Brown's 784-16-16-10 network, as 64-16-16-10 on 8×8 handwritten digits: sigmoid activation,
one layer is a = σ(W a + b), computed for a whole batch at once. Fill in the functions, then run
`nnex check ex06_digits`. The given code at the bottom is yours to use (it is not graded);
`python ex06_digits.py` trains the network and prints its test accuracy.

約束 / Conventions:
- params: 層ごとの (W, b) のリスト。W は (n_l, n_(l-1))（ニューロン 1 つに 1 行）、b は (n_l,)。
  A list with one (W, b) pair per layer: W of shape (n_l, n_(l-1)) (one row per neuron),
  b of shape (n_l,).
- X: (m, n_0) の配列、1 行が 1 枚の画像（サンプル）。層の計算は A_l = σ(A_(l-1) Wᵀ + b)。
  An array (m, n_0), one sample per row; a layer is A_l = σ(A_(l-1) Wᵀ + b).
- Y: (m, n_L) の one-hot の目標。labels: (m,) の整数。
  Y: one-hot targets (m, n_L); labels: integers (m,).
- 誤差 / error = 出力 - 目標 / output - target。
  損失 / loss = サンプルについての平均 / mean over the samples of 0.5 * Σ_j (a_j - y_j)².
"""

import numpy as np


def sigmoid(z):
    """シグモイド / Sigmoid: 1 / (1 + e^(-z)).

    z は数または NumPy 配列（どんな形でも）で、同じ形で返します。z が -1000〜1000 でも
    エラーや nan になりません。
    z is a number or a NumPy array (any shape); returns the same shape. Finite and correct for
    z from -1000 to 1000 (no overflow error, no nan).
    """
    raise NotImplementedError("sigmoid: ここを書きましょう / write this function")


def sigmoid_derivative(z):
    """シグモイドの微分 / The sigmoid's derivative: σ'(z) = σ(z) * (1 - σ(z)).

    重み付き和 z での値（活性度 a = σ(z) での値ではありません）。形は sigmoid と同じ。
    Its value at the weighted input z (not at the activation a = σ(z)); shapes as sigmoid.
    """
    raise NotImplementedError("sigmoid_derivative: ここを書きましょう / write this function")


def one_hot(labels, n_classes=10):
    """ラベルを目標の配列に / Labels as target rows.

    labels は (m,) の整数の配列。(m, n_classes) の配列を返し、i 行目は labels[i] 列だけ 1、
    ほかは 0（正解の数字の出力ニューロンだけが光る）。
    labels is an integer array (m,). Returns an array (m, n_classes) whose row i is 1 in
    column labels[i] and 0 elsewhere (only the right digit's output neuron lights up).
    """
    raise NotImplementedError("one_hot: ここを書きましょう / write this function")


def forward(params, X):
    """順伝播 / Forward pass for a whole batch.

    すべての層の活性度を、入力も含めて L+1 個のリスト [X, A_1, ..., A_L] で返します。
    A_l = σ(A_(l-1) Wᵀ + b) は (m, n_l)。最後の層にもシグモイドを使います。
    Returns the activations of every layer, input included: a list of L+1 arrays
    [X, A_1, ..., A_L], A_l = σ(A_(l-1) Wᵀ + b) of shape (m, n_l); sigmoid on every layer,
    the last included.
    """
    raise NotImplementedError("forward: ここを書きましょう / write this function")


def loss(params, X, Y):
    """損失 / Loss: サンプルについての平均 / the mean over the samples of 0.5 * Σ_j (a_j - y_j)².

    a は出力層の活性度、y は目標 Y の行。数を 1 つ返します。
    a is the output layer's activations, y the row of Y. Returns one number.
    """
    raise NotImplementedError("loss: ここを書きましょう / write this function")


def backprop(params, X, Y):
    """誤差逆伝播 / Backpropagation: the gradient of loss(params, X, Y).

    すべての重みとバイアスについての勾配を、params と同じ並び・形で返します：層ごとの
    (dW, db) のリスト（dW は W と、db は b と同じ形）。loss が平均なので勾配もバッチで平均です。
    params を書き換えてはいけません。
    Returns the exact gradient with respect to every weight and bias, all taken at params, in
    params' layout: a list of (dW, db) per layer, dW shaped like W and db like b (averaged over
    the batch, as the loss is). Must not modify params.
    """
    raise NotImplementedError("backprop: ここを書きましょう / write this function")


def train_step(params, X, Y, learning_rate):
    """勾配降下法の 1 ステップ / One gradient-descent step on the batch (X, Y).

    すべての W, b を W - learning_rate * dW, b - learning_rate * db に。勾配はすべて更新の前の
    params で計算します。新しい params を同じ並びで返します（params をその場で書き換えても
    よいが、返すこと）。
    Every W becomes W - learning_rate * dW and every b becomes b - learning_rate * db, all
    gradients taken before any update. Returns the new params in the same layout (may update
    params in place, but must return them).
    """
    raise NotImplementedError("train_step: ここを書きましょう / write this function")


def train(params, X, Y, learning_rate, epochs, batch_size, seed=0):
    """ミニバッチ勾配降下法 / Mini-batch gradient descent.

    はじめに rng = np.random.default_rng(seed) を 1 回だけ作ります。エポックごとに
    order = rng.permutation(m) とし、order[0:batch_size], order[batch_size:2*batch_size], ...
    の行をミニバッチとして順に train_step を行います（最後のミニバッチは小さくてもよい）。
    最後の params を返します。
    Create rng = np.random.default_rng(seed) once, first. In each epoch take
    order = rng.permutation(m) and apply train_step to the rows order[0:batch_size],
    order[batch_size:2*batch_size], ... in turn (the last batch may be smaller). Returns the
    final params.
    """
    raise NotImplementedError("train: ここを書きましょう / write this function")


def predict(params, X):
    """予測 / Prediction: the label of every row of X.

    (m,) の整数の配列：各行で出力層の活性度がいちばん大きいニューロンの番号（同じ値なら
    小さい番号、np.argmax と同じ）。
    An integer array (m,): for each row, the index of the output neuron with the largest
    activation (the first one on ties, as np.argmax).
    """
    raise NotImplementedError("predict: ここを書きましょう / write this function")


def accuracy(params, X, labels):
    """正解率 / Accuracy: the fraction of rows where predict(params, X) equals labels.

    0 から 1 の数を 1 つ返します（% ではありません）。
    Returns one number from 0 to 1 (not a percentage).
    """
    raise NotImplementedError("accuracy: ここを書きましょう / write this function")


# ---------------------------------------------------------------------------------------------
# 用意されたコード（採点されません。そのまま使います）/ Given code (not graded; use it as it is).
# 採点でも、この同じコードでデータと初期値を作ります。
# The graders build the data and the initial weights with this same code.
# ---------------------------------------------------------------------------------------------

def load_data(seed=0):
    """8×8 の手書き数字 / The 8×8 digits: (X_train, y_train, X_test, y_test).

    scikit-learn に同梱のデータ（ダウンロードなし）。画素 0〜16 を 16 で割って [0, 1] に
    そろえ、np.random.default_rng(seed) の並べ替えの先頭 360 枚をテスト用、残り 1437 枚を
    訓練用にします。X は (画像の数, 64)、y は 0〜9 の整数。

    scikit-learn's bundled digits (no download). Pixels 0-16 are divided by 16 into [0, 1];
    after a shuffle by np.random.default_rng(seed), the first 360 images are the test set and
    the other 1437 the training set. X has shape (images, 64); y holds integers 0-9.
    """
    try:  # here, not at the top: only this function needs scikit-learn
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("load_data には scikit-learn が必要です: pip install scikit-learn / "
                          "load_data needs scikit-learn: pip install scikit-learn") from None

    digits = load_digits()
    X = digits.data / 16.0
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    test, train = order[:360], order[360:]
    return X[train], y[train], X[test], y[test]


def init_params(layer_sizes=(64, 16, 16, 10), seed=0):
    """重みとバイアスの初期値 / Initial weights and biases.

    層ごとに (W, b)：W は (n_out, n_in) で平均 0・分散 1/n_in の正規分布
    （標準偏差 1/√n_in）、b は 0。

    One (W, b) per layer: W of shape (n_out, n_in) drawn from a normal distribution with mean 0
    and variance 1/n_in (standard deviation 1/√n_in), b zeros.
    """
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


if __name__ == "__main__":
    # 自分で試すとき / To try it yourself:  python ex06_digits.py
    import time

    X_train, y_train, X_test, y_test = load_data(seed=0)
    params = init_params((64, 16, 16, 10), seed=0)
    started = time.perf_counter()
    params = train(params, X_train, one_hot(y_train), 3.0, 20, 10, seed=0)
    seconds = time.perf_counter() - started
    print(f"テストの正解率 / test accuracy: {accuracy(params, X_test, y_test):.3f}"
          f"（訓練 / training: {seconds:.1f} s）")
