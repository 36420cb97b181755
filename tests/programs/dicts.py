# dict operations, methods, ordering and views.
d = {"one": 1, "two": 2}
d["three"] = 3
print(d, len(d), d["two"], d.get("four"), d.get("four", 4), "one" in d)
d["one"] = 11
del d["two"]
print(d, list(d), list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("one"), d.pop("missing", None), d)
d.update({"a": 1}, b=2)
d.update([("c", 3)])
print(d, d.setdefault("a", 100), d.setdefault("z", 26), d)
print(d.popitem(), d)
c = d.copy()
c.clear()
print(c, d)
sq = {x: x * x for x in range(6) if x % 2 == 0}
print(sq, sorted(sq.items(), key=lambda kv: -kv[1]))
print(dict(a=1, b=2), dict([("x", 1)]), dict.fromkeys("ab", 0), dict(zip("abc", range(3))))
counts = {}
for w in "a b a c b a".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
for k in d:
    print("key", k)
for k, v in sorted(d.items()):
    print(k, "=>", v)
print({1: "a", 1.0: "b", True: "c"})
print({(1, 2): "tuple key"}[(1, 2)], {None: 0}[None])
keys = d.keys()
d["new"] = 1
print(len(keys), "new" in keys, keys)
print({**{"a": 1}, "b": 2, **{"a": 3}}, {"a": 1} | {"b": 2})
try:
    d["nope"]
except KeyError as e:
    print("KeyError:", e, repr(e))
try:
    for k in d:
        d["x" + k] = 1
except RuntimeError as e:
    print("RuntimeError:", e)
