# Truth tests in hot loops over every kind of value: traces decide the truth of values
# whose type runs no code for it, and leave for tier 1 when __bool__/__len__ must run.
class Plain:
    pass


class WithBool:
    def __init__(self, v):
        self.v = v

    def __bool__(self):
        return self.v > 2


class WithLen:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


class MyList(list):
    def __len__(self):
        return 0


class MyInt(int):
    def __bool__(self):
        return False


def count(items, reps):
    n = 0
    for _ in range(reps):
        for x in items:
            if x:
                n += 1
            if not x:
                n -= 2
    return n


print(count([Plain(), Plain()], 300))
print(count([1, 0, 2**80, 0.0, "", "a", [], [1], (), (1,), {}, {1: 2}, None, True, False], 100))
print(count([set(), {1}, frozenset(), range(0), range(3), b"", b"x", 0j, 1j], 100))
print(count([WithBool(i % 5) for i in range(10)], 60))
print(count([WithLen(i % 3) for i in range(10)], 60))
print(count([MyList([1, 2]), MyInt(5), Plain()], 200))
print(count([Plain()] * 50 + [WithBool(0)] * 5 + [Plain()] * 50, 30))


class Bad:
    def __bool__(self):
        return 1


try:
    print(count([Plain()] * 100 + [Bad()], 20))
except TypeError as e:
    print("TypeError:", e)
