# __eq__ and __hash__ for dict keys and set members.
class Key:
    def __init__(self, k):
        self.k = k
    def __eq__(self, other):
        return isinstance(other, Key) and self.k == other.k
    def __hash__(self):
        return hash(self.k)
    def __repr__(self):
        return f"Key({self.k})"
d = {Key(1): "one", Key(2): "two"}
print(d[Key(1)], Key(2) in d, Key(3) in d, len({Key(1), Key(1), Key(2)}))
class NoHash:
    def __eq__(self, other):
        return True
try:
    {NoHash(): 1}
except TypeError as e:
    print("TypeError:", e)
class Plain:
    pass
p = Plain()
s = {p, p}
print(len(s), p in s, Plain() in s)
print({1: "int", 1.0: "float"}, {True: 1}.get(1), {0: "z"}[False])
print(hash(1) == hash(1.0) == hash(True), {(1, 2): 0}[(1.0, 2.0)])
class Bad:
    def __hash__(self):
        return 7
    def __eq__(self, o):
        return self is o
print(len({Bad(), Bad()}))
