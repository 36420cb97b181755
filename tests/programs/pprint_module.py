# pprint: layouts of nested containers and long strings.
import pprint
data = {"b": [1, 2, 3] * 10, "a": {"x": list(range(30)), "y": ("t",), "z": set(range(25))},
        "c": "a long string " * 12, "d": (1, 2), "e": frozenset({3, 1, 2}), 10: None, "f": {}}
pprint.pprint(data)
pprint.pprint(data, width=40, indent=2)
pprint.pprint(data, compact=True, width=60)
pprint.pprint(data, depth=1)
pprint.pprint(data, sort_dicts=False, width=100)
print(pprint.pformat(list(range(40)), width=30, compact=True))
print(pprint.pformat([[1, 2], [3, [4, [5, [6]]]]], depth=2))
pprint.pprint({"key": "value"})
pprint.pprint(["x" * 30, "y" * 30, "z" * 30])
pprint.pprint(("only",) * 1)
pprint.pprint([("a" * 40, "b" * 40)])
l = [1, 2]
l.append(l)
print(pprint.pformat(l).replace(str(id(l)), 'ID'))
print(pprint.saferepr(l)[:28], pprint.isrecursive(l), pprint.isreadable([1, "a"]), pprint.isreadable(object()))
l.pop()  # break the cycle (stitch has no cycle collector yet)
pprint.pprint(12345678901234567890, underscore_numbers=True)
pprint.pprint({"text": "line one\nline two is quite a bit longer than the other lines so it wraps around\n"})
pprint.pp({"z": 1, "a": 2})
class P:
    def __repr__(self): return "P()"
pprint.pprint([P()] * 30)
