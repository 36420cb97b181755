import random, _random
print(random.Random.__mro__)
random.seed(42)
print(random.random(), random.random(), random.randint(1, 100), random.getrandbits(70))
print(random.choice("abcdef"), random.sample(range(100), 5), random.uniform(1, 2), random.randrange(0, 1000, 7))
l = list(range(10)); random.shuffle(l); print(l)
print(random.gauss(0, 1), random.normalvariate(5, 2), random.expovariate(1.5), random.choices("abc", k=5))
random.seed("hello"); print(random.random())
random.seed(b"bytes"); print(random.random())
random.seed(-7); print(random.random())
random.seed(3.5); print(random.random())
random.seed(2**100); print(random.random())
r = random.Random(123)
s = r.getstate()
a = [r.random() for _ in range(3)]
r.setstate(s)
print(a == [r.random() for _ in range(3)], len(s[1]), s[0])
print(random.Random(5).getrandbits(0), random.Random(5).getrandbits(32), random.Random(5).getrandbits(100))
class MyRandom(random.Random):
    def random(self):
        return 0.5
print(MyRandom(1).randrange(10), MyRandom().random())
g = _random.Random(9)
print(g.random(), type(g).__module__, isinstance(random.Random(), _random.Random))
for f in [lambda: random.getrandbits(-1), lambda: _random.Random(1, 2), lambda: g.setstate(1), lambda: g.setstate((1,) * 3),
          lambda: g.setstate((0,) * 624 + (625,)), lambda: random.seed([1]), lambda: _random.Random(x=1)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print(random.Random(0).triangular(), random.Random(0).betavariate(2, 3), random.Random(0).binomialvariate if hasattr(random.Random, 'binomialvariate') else 0)
