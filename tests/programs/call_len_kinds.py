# len() at one call site over every container kind, hot enough to specialize:
# the specialized call must agree with the generic one, including subclasses
# that override __len__ and objects whose length changes between calls.
class MySet(set):
    def __len__(self):
        return 42

class Sized:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n

def lengths(items):
    out = []
    for x in items:
        out.append(len(x))
    return out

s = {1, 2, 3}
ba = bytearray(b"ab")
kinds = [[1, 2], (1,), "héllo", {"a": 1}, s, frozenset("abcd"), b"xyz", ba,
         MySet([1]), Sized(7), range(5)]
total = 0
for i in range(300):
    total += sum(lengths(kinds))
    if i == 150:
        s.add(99)
        ba.extend(b"cd")
print(total)
print(lengths(kinds))
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)
