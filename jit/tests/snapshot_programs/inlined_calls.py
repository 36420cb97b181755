def sq(x):
    return x * x + 1


class P:
    def __init__(self, v):
        self.v = v

    def get(self, k):
        return self.v * k


def f(n):
    t = 0
    p = P(3)
    for i in range(n):
        t += sq(i) % 7
        t += p.get(2)
    return t


f(500)
