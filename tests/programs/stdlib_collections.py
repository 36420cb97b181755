import collections
d = collections.defaultdict(list); d["a"].append(1); print(d, dict(d.items()))
c = collections.Counter("abracadabra"); print(c, c.most_common(2), c["z"])
dq = collections.deque([1,2,3]); dq.appendleft(0); dq.append(4); print(dq, dq.popleft(), dq.pop(), len(dq))
P = collections.namedtuple("P", "x y"); p = P(1, y=2); print(p, p.x, p[1], p._asdict(), p._replace(x=5), tuple(p))
od = collections.OrderedDict(a=1, b=2); od.move_to_end("a"); print(od, list(od))
