# stitch: cyclic
from _collections import deque, defaultdict
import _functools as ft
r = deque(); r.append(r); print(r)
rec = defaultdict(list); rec['me'] = rec; print(rec)
p = ft.partial(print); p.keywords['end'] = '!\n'; p.keywords['sep'] = p; print(repr(p).count('...'))
