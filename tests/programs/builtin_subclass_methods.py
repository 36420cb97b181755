# Method calls on instances of Python subclasses of builtin types
# (LOAD_METHOD_SUBCLASS): list and dict subclasses, random.Random, an instance
# attribute shadowing a method, a method replaced on the class, __slots__ subclasses.
import random

class Coll(list):
    def first(self):
        return self[0]
    def total(self):
        return sum(self)

class Counts(dict):
    def bump(self, k):
        self[k] = self.get(k, 0) + 1

class Slotted(list):
    __slots__ = ("tag",)
    def tagged(self):
        return (self.tag, len(self))

def work(n):
    c = Coll([3, 1, 2])
    d = Counts()
    s = Slotted([1])
    s.tag = "t"
    out = 0
    for i in range(n):
        c.append(i)
        out += c.first() + c.total() % 7
        d.bump(i % 3)
        out += s.tagged()[1]
        if i == n // 2:
            c.first = lambda: 100       # shadow on the instance
        if i == 3 * n // 4:
            Coll.total = lambda self: 1  # replaced on the class
    return out, sorted(d.items()), c.pop(), len(c)

print(work(200))
r = random.Random(12345)
vals = [r.randrange(100) for _ in range(200)]
print(sum(vals), vals[:5], r.choice("abcdef"), round(r.random(), 6))
class MyRandom(random.Random):
    def pick(self, seq):
        return seq[self._randbelow(len(seq))]
m = MyRandom(7)
print([m.pick("xyz") for _ in range(20)])
