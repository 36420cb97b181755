# Loops over iterators tier 1 runs with the generic FOR_ITER (enumerate, zip, dict
# views, generators, reversed, map): traced, with exceptions from __next__ raised at
# the loop, and iterators that change kind.

def gen(n, fail_at=-1):
    for i in range(n):
        if i == fail_at:
            raise ValueError(f"gen failed at {i}")
        yield i * 3

def enumerate_zip(xs, ys):
    t = 0
    for i, x in enumerate(xs):
        t += i * x
    for a, b in zip(xs, ys):
        t += a - b
    return t

def dict_views(d):
    t = 0
    for k, v in d.items():
        t += k * v
    for k in d:
        t ^= k
    for v in d.values():
        t += v
    return t

def from_generator(n):
    t = 0
    for v in gen(n):
        t += v
    return t

def generator_raises(n):
    t = 0
    try:
        for v in gen(n, fail_at=n - 7):
            t += v
    except ValueError as e:
        return t, str(e)
    return t

class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        if self.n == 13:
            raise KeyError("thirteen")
        return self.n

def custom_iterator(n):
    t = 0
    try:
        for v in Countdown(n):
            t += v
    except KeyError as e:
        return t, repr(e)
    return t

def many_kinds(n):
    # The same loop over different iterator kinds, entered many times.
    t = 0
    for k in range(n):
        src = [reversed(range(5)), map(abs, [-1, -2, 3]), iter({1: 2, 3: 4}), gen(4)][k % 4]
        for v in src:
            t += v
    return t

def nested_break(rows):
    found = 0
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v < 0:
                found += r * 100 + c
                break
    return found

def modifies_while_iterating(n):
    d = {i: i for i in range(50)}
    try:
        for k in d:
            if k == 40:
                d[1000] = 1
    except RuntimeError as e:
        return str(e)

print(enumerate_zip(list(range(2000)), list(range(3, 2003))))
print(dict_views({i: i + 1 for i in range(3000)}))
print(from_generator(3000))
print(generator_raises(3000))
print(custom_iterator(2000))
print(many_kinds(2000))
print(nested_break([[1] * (i % 7) + [-1] + [1] * 3 for i in range(800)]))
print(modifies_while_iterating(10))
