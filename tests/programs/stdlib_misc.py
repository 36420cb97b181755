import bisect, heapq
a = [1, 3, 5]; bisect.insort(a, 4); print(a, bisect.bisect_left(a, 3))
h = []; [heapq.heappush(h, x) for x in [5, 1, 4, 2]]; print([heapq.heappop(h) for _ in range(4)])
import copy
x = [[1, 2], [3]]; y = copy.deepcopy(x); y[0].append(9); print(x, y, copy.copy(x) == x)
import string, io
print(string.ascii_lowercase[:5], string.digits)
s = io.StringIO(); s.write("hello\n"); print("world", file=s); print(repr(s.getvalue()))
import os
print(os.path.join("a", "b"), os.path.basename("/x/y.txt"), os.path.splitext("f.tar.gz"), type(os.getpid()).__name__)
from dataclasses import dataclass, field
@dataclass
class Pt:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
print(Pt(1), Pt(1, 2) == Pt(1, 2), Pt(3, tags=["a"]))
from collections.abc import Iterable, Mapping
print(isinstance([], Iterable), isinstance(5, Iterable), isinstance({}, Mapping))
from typing import List, Dict, Optional
def f(x: List[int]) -> Optional[Dict[str, int]]: return None
print(f([1]))
from contextlib import contextmanager
@contextmanager
def tag(name):
    print("<" + name + ">"); yield name; print("</" + name + ">")
with tag("b") as t: print("inside", t)
