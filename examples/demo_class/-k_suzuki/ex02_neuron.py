"""Reference solution: one neuron — weights, sum, bias, ReLU (演習2, 自習2)."""


def weighted_sum(inputs, weights, bias):
    """inputs[0]*weights[0] + … + inputs[n-1]*weights[n-1] + bias."""
    return sum(x * w for x, w in zip(inputs, weights)) + bias


def neuron(inputs, weights, bias):
    """The neuron's 活性度: ReLU of the weighted sum (the bias added before ReLU)."""
    return max(0.0, weighted_sum(inputs, weights, bias))
