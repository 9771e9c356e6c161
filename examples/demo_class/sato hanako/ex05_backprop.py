def predict(params, x, y):
    return params["w2"] @ params["w1"] @ [x, y]  # 活性化関数を忘れた / forgot the activations
