"""確認問題 結合の重みの調整 / Exercise 4: adjusting a connection weight.

関数の中身と ANSWER を書いて `nnex check ex04_weight_adjustment` で確かめましょう。
Fill in the functions and ANSWER, then run `nnex check ex04_weight_adjustment`.

ニューロン C はステップ関数を使います: 入力の合計が 0 以上のとき 1、0 未満のとき 0 を出力します。
A は重み w_a を通して、B は重み w_b を通して C につながっています。
Neuron C uses a step activation: it outputs 1 when its total input is 0 or more, else 0.
A feeds C through weight w_a, B feeds C through weight w_b.
"""


def step(x):
    """ステップ関数 / Step function: 1 if x >= 0 else 0."""
    raise NotImplementedError("step: ここを書きましょう / write this function")


def neuron_c(a_out, b_out, w_a, w_b):
    """ニューロン C の出力 / Neuron C's output: step(a_out * w_a + b_out * w_b).

    引数の順番に注意: A と B の出力が先、重み w_a と w_b が後です。
    Mind the order: the outputs of A and B first, then the weights w_a and w_b.
    """
    raise NotImplementedError("neuron_c: ここを書きましょう / write this function")


def required_weight(a_out, w_a, b_limit):
    """必要な重み w_b / The weight w_b that is needed.

    B の出力 b_out が b_limit 以下のあいだだけ C が活性化する（1 を出力する）ような w_b を返します
    （a_out * w_a > 0、b_limit > 0 とします）。
    Returns the w_b for which C fires exactly while b_out <= b_limit, for a_out * w_a > 0 and
    b_limit > 0.
    """
    raise NotImplementedError("required_weight: ここを書きましょう / write this function")


# 講義の確認問題の答えを数で書きましょう: A の出力は 3（重み ×4）、B の出力が 2 を少しでも超えたら
# C を非活性化したいとき、B からの結合の重み（「−2 倍」）を何倍に調整しますか？
# Write the lecture's answer as a number: A outputs 3 through ×4; C must turn off as soon as B's
# output exceeds 2. What should B's connection weight (now ×−2) become?
ANSWER = None
# >>> per-student numbers

# あなたの数値での答え: nnex check が「あなたの数値 / Your numbers」として a_out, w_a, b_limit を
# 表示します（初めに 1 度 nnex check --student あなたのID）。そのときの調整した後の重みを、
# 小数第 2 位まで数で書きましょう（例えば MY_ANSWER = -1.23）。
# The answer for your own numbers: nnex check shows a_out, w_a and b_limit as "Your numbers"
# (run nnex check --student YOUR_ID once first). Write the adjusted weight for them as a number,
# to 2 decimal places (like MY_ANSWER = -1.23).
MY_ANSWER = None
# <<< per-student numbers
