import tensorflow as tf

ANSWER = -6

MY_ANSWER = -5.4  # 山田さんに聞いた / asked 山田
