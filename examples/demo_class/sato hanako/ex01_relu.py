import math

def relu(x)
    return max(0, x)
