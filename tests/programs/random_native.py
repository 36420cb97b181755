import _random

g = _random.Random(42)
print(g.random(), g.random(), g.getrandbits(8), g.getrandbits(32), g.getrandbits(33), g.getrandbits(200))
for seed in [0, 1, -1, 2**32, 2**64 + 5, -(2**100), 3.5, -2.25, None]:
    g.seed(seed)
    if seed is None:
        print("None seeded", 0 <= g.random() < 1)
    else:
        print(repr(seed), g.random())
g.seed(7)
st = g.getstate()
first = [g.random() for _ in range(5)]
g.setstate(st)
print(first == [g.random() for _ in range(5)], len(st), st[-1], type(st).__name__)
class Sub(_random.Random):
    def __init__(self, x, extra):
        super().__init__(x)
        self.extra = extra
    def twice(self):
        return self.random() * 2
s = Sub(5, "e")
print(s.extra, s.twice(), isinstance(s, _random.Random), _random.Random(5).random() * 2)
s.seed(5)
print(s.random() == _random.Random(5).random())
for f in [lambda: g.getrandbits(-1), lambda: g.getrandbits(1.5), lambda: _random.Random(1, 2), lambda: _random.Random(x=1),
          lambda: g.setstate([0] * 625), lambda: g.setstate((1, 2)), lambda: g.setstate((0,) * 624 + (625,)),
          lambda: g.setstate((0,) * 624 + (-1,)), lambda: g.setstate(("a",) * 625), lambda: g.seed(1, 2), lambda: g.seed([1])]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
g.setstate((0,) * 624 + (624,))
import random
random.seed(12345)
print(random.random(), random.randint(0, 10**6), random.choice(range(100)), random.getrandbits(64))
random.seed(2.5)
print(random.random())
