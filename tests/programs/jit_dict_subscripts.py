# dict[key] and dict[key] = value in hot loops: missing keys, keys whose __hash__ or
# __eq__ raise or run code, subclasses of dict, and dicts swapped for lists.
counts = {}
for i in range(3000):
    k = i % 17
    counts[k] = counts.get(k, 0) + 1
    counts[k] = counts[k] * 1
print(sorted(counts.items())[:5], len(counts))


def lookups(d, keys):
    n = 0
    for k in keys:
        try:
            n += d[k]
        except KeyError as e:
            n -= 1000
            last = e
    return n, repr(last)


d = {i: i * i for i in range(50)}
print(lookups(d, list(range(60)) * 20))


class Key:
    def __init__(self, v, boom=False):
        self.v = v
        self.boom = boom

    def __hash__(self):
        if self.boom:
            raise ValueError("no hash for %d" % self.v)
        return hash(self.v)

    def __eq__(self, other):
        return isinstance(other, Key) and other.v == self.v


kd = {Key(i): i for i in range(10)}


def key_loop(keys):
    t = 0
    for k in keys:
        t += kd[k]
        kd[k] = kd[k] + 1
    return t


keys = [Key(i % 10) for i in range(500)]
print(key_loop(keys))
try:
    print(key_loop(keys + [Key(3, boom=True)] + keys))
except ValueError as e:
    print("ValueError:", e)
print(sorted(v for v in kd.values()))


class Counter(dict):
    def __missing__(self, key):
        return -1


def mixed(containers):
    t = 0
    for c in containers:
        t += c[1]
        c[1] = 5
    return t


print(mixed([{1: 2}] * 300 + [Counter()] * 3 + [[0, 7, 0]] * 3 + [{1: 1}] * 10))
