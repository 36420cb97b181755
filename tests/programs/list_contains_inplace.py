# `x in list` scans in place: identity, plain values, __eq__ that runs Python code
# (and mutates the list under the scan), NaN identity, subclasses.
nan = float("nan")
lst = [1, "two", 3.0, (4, 5), nan, None]
print(3 in lst, 3.0 in lst, "two" in lst, (4, 5) in lst, nan in lst, 7 in lst)

class Eq:
    calls = 0
    def __init__(self, v, target=None):
        self.v = v
        self.target = target
    def __eq__(self, other):
        Eq.calls += 1
        if self.target is not None:
            self.target.clear()
        return isinstance(other, int) and other == self.v

victim = [1, 2, 3]
victim.insert(0, Eq(99, target=victim))
print(2 in victim, victim, Eq.calls)
print(Eq(5) in [1, 5, 9], 5 in [Eq(4), Eq(5)], Eq.calls)

class Rev(list):
    def __iter__(self):
        return iter([42])
print(42 in Rev([1, 2]), 1 in Rev([1, 2]), 42 in (1, 42), "x" in ())
big = list(range(100000))
print(sum(1 for k in range(0, 200000, 997) if k in big))
