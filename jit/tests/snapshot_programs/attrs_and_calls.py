class P:
    def __init__(self, x):
        self.x = x


def g(ps):
    out = []
    for p in ps:
        if p.x is None:
            continue
        out.append(abs(p.x) - 1)
    return len(out)


g([P(i) for i in range(200)])
