d = {"a": 1, "b": 2, "c": 3}
k, v, i = d.keys(), d.values(), d.items()
print(k, v, i, len(k), "a" in k, 2 in v, ("c", 3) in i, ("c", 4) in i)
d["d"] = 4
print(list(k), list(v), list(i))
print(sorted(k), max(v), [key for key, val in i if val > 1])
del d["a"]
print(list(k), list(reversed(d)), dict(i))
for key in list(d):
    if d[key] % 2:
        del d[key]
print(d, list(d.items()))
print({k: v for k, v in sorted(d.items(), reverse=True)})
e = dict.fromkeys(range(3))
print(e, e.keys())
