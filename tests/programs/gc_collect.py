# stitch: cyclic (a reachable cycle and classes stay alive until exit)
# The cycle collector: collect() counts, the gc module's API and its errors.
import gc


class Node:
    pass


gc.collect()
gc.disable()
print("enabled:", gc.isenabled())

# Two-node instance cycles: each is two unreachable objects.
for n in (1, 3, 10):
    for _ in range(n):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
    del a, b
    print(n, "pairs:", gc.collect())

# Self-referencing containers.
l = []
l.append(l)
d = {}
d["me"] = d
del l, d
print("list+dict:", gc.collect())

# A longer ring.
first = Node()
cur = first
for i in range(99):
    nxt = Node()
    cur.next = nxt
    cur = nxt
cur.next = first
del first, cur, nxt
print("ring of 100:", gc.collect())

# Nothing to collect: reachable cycles stay.
keep = Node()
keep.me = keep
print("reachable:", gc.collect(), keep.me is keep)

# Tuples and lists referencing a cycle from outside the cycle.
class T:
    pass


x = T()
x.t = (x, [x])
del x
print("tuple and list:", gc.collect())

# A class in a cycle with its instance still works after collection of others.
class Holder:
    pass
h = Holder()
h.cls = Holder
print("holder:", gc.collect(), h.cls is Holder)

gc.enable()
print("enabled:", gc.isenabled())
print(gc.get_threshold())
gc.set_threshold(500)
print(gc.get_threshold())
gc.set_threshold(700, 10, 10)
print(gc.get_threshold())
c = gc.get_count()
print(type(c).__name__, len(c))
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked(()), gc.is_tracked((1, [])), gc.is_tracked({"a": []}),
      gc.is_tracked(1), gc.is_tracked("a"), gc.is_tracked(1.5), gc.is_tracked(Node()))
print(gc.is_finalized(Node()))
print(gc.get_debug())
gc.set_debug(0)
print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
s = gc.get_stats()
print(len(s), sorted(s[0]))
print(gc.garbage, type(gc.callbacks).__name__)

# Referents and referrers.
inner = [1, 2]
outer = [inner, "s"]
print(gc.get_referents(outer) == [inner, "s"])
print(any(r is outer for r in gc.get_referrers(inner)))
n = Node()
print(Node in gc.get_referents(n))
objs = gc.get_objects()
print(any(o is outer for o in objs))

# Freezing.
gc.freeze()
print(gc.get_freeze_count() > 0)
gc.unfreeze()
print(gc.get_freeze_count())

# DEBUG_SAVEALL keeps the garbage in gc.garbage.
gc.set_debug(gc.DEBUG_SAVEALL)
z = []
z.append(z)
del z
print("saveall:", gc.collect(), len(gc.garbage), gc.garbage[0][0] is gc.garbage[0])
gc.set_debug(0)
gc.garbage.clear()

# Callbacks.
seen = []
def cb(phase, info):
    seen.append((phase, sorted(info), info["generation"]))
gc.callbacks.append(cb)
gc.collect(1)
gc.callbacks.remove(cb)
print(seen)

# Errors.
for bad in (lambda: gc.collect(3), lambda: gc.collect(-1), lambda: gc.collect("x"),
            lambda: gc.get_objects(5), lambda: gc.get_objects(-1),
            lambda: gc.set_threshold(), lambda: gc.isenabled(1),
            lambda: gc.is_tracked(), lambda: gc.collect(1.5)):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
