# functools.partial pickles and copies (multiprocessing sends partials to workers):
# __reduce__ and __setstate__ as CPython, subclasses included.
import functools, pickle, copy
p = functools.partial(max, 1, key=abs)
p.__dict__['x'] = 5
print(p.__reduce__())
q = pickle.loads(pickle.dumps(p))
print(q, q.x, q(-3, 2))
print(copy.copy(p), copy.deepcopy(p)(-7))
class P(functools.partial): pass
r = pickle.loads(pickle.dumps(P(sorted, reverse=True)))
print(type(r).__name__, r([3, 1, 2]))
print(functools.partial(len).__reduce__())
for bad in [1, (1, 2), (1, (), None, None), (len, [], None, None), (len, (), 5, None)]:
    try: functools.partial(len).__setstate__(bad)
    except TypeError as e: print(e)
s = functools.partial(len)
s.__setstate__((max, (1, 2), None, None))
print(s, s.args, s(5))
