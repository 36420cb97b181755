# The Lib's pprint on stitch: dispatch by type (mappingproxy, OrderedDict, deque,
# Counter, defaultdict, ChainMap, dataclasses, SimpleNamespace), recursion, widths.
import collections
import dataclasses
import pprint
import types

data = {f"key{i}": list(range(i)) for i in range(8)}
pprint.pprint(data)
pprint.pprint(data, width=40, compact=True)
pprint.pprint(data, depth=1)
pprint.pprint(types.MappingProxyType(data))
pprint.pprint(types.MappingProxyType({"a": 1}))
pprint.pprint(collections.OrderedDict((f"k{i}", i * 1000) for i in range(12)))
pprint.pprint(collections.deque(range(40), maxlen=50))
pprint.pprint(collections.Counter("abracadabra" * 5))
dd = collections.defaultdict(list)
for i in range(10):
    dd[i % 3].append("x" * i)
pprint.pprint(dd)
pprint.pprint(collections.ChainMap({"a": list(range(20))}, {"b": list(range(20))}))
pprint.pprint(types.SimpleNamespace(alpha=list(range(20)), beta="b" * 60))


@dataclasses.dataclass
class Point:
    x: int
    y: list
    label: str = "origin"


pprint.pprint(Point(1, list(range(30))))
pprint.pprint([Point(i, []) for i in range(3)], width=30)
rec = [1, 2]
rec.append(rec)
print(pprint.pformat(rec).replace(str(id(rec)), "ID"))
print(pprint.isrecursive(rec), pprint.isreadable(rec))
pprint.pprint({"z": 1, "a": 2}, sort_dicts=False)
pprint.pprint(12345678901, underscore_numbers=True)
pprint.pprint("a long string " * 10, width=30)
pprint.pprint(b"bytes " * 20, width=30)
pprint.pprint({1, 2, 3, 30, 20, 10})
pprint.pprint(frozenset(range(30)))
pp = pprint.PrettyPrinter(indent=4, width=20)
pp.pprint({"nested": {"deep": [1, 2, 3, {"x": "y" * 10}]}})
print(pprint.pformat(list(range(30)), width=50))
pprint.pp({"b": 1, "a": 2})
