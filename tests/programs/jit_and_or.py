# `a or b` / `a and b` as values (JUMP_IF_TRUE_OR_POP / JUMP_IF_FALSE_OR_POP) in hot
# loops: the traced path keeps or pops the value; operands of every kind.

class Falsy:
    def __bool__(self):
        return False

def ints(n):
    t = 0
    for i in range(n):
        t += (i % 3 and i) or -1
        t += (i % 5 or 100) and 2
    return t

def mixed(n):
    vals = [0, 1, 2.5, 0.0, "", "x", [], [1], None, (), (0,), {}, {1: 2}]
    out = []
    for i in range(n):
        v = vals[i % len(vals)]
        out.append(v or "default")
        out.append(v and "truthy")
    return out[-26:], len(out)

def objects(n):
    f = Falsy()
    t = 0
    for i in range(n):
        r = (f if i > n // 2 else i) or 7
        t += r
    return t

def defaults(items):
    total = 0
    for it in items:
        name = it.get("name") or "anon"
        size = it.get("size") and it["size"] * 2
        total += len(name) + (size or 0)
    return total

print(ints(4000))
print(mixed(2600))
print(objects(3000))
print(defaults([{"name": "a" * (i % 4), "size": i % 5} for i in range(3000)]))
