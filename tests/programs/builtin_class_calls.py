# Calls of builtin classes in hot code (CALL_BUILTIN_CLASS): type(x), tuple(xs),
# exceptions, int/str/float conversions, super(), and a builtin class rebound.
class Base:
    def f(self):
        return "base"

class Sub(Base):
    def f(self):
        return "sub+" + super().f()

def work(n):
    out = []
    for i in range(n):
        out.append(type(i).__name__)
        out.append(tuple([i, i + 1]))
        out.append(str(i) + repr(float(i)))
        out.append(int("12") + i)
        out.append(len(list(range(i % 4))))
        out.append(Sub().f())
        try:
            raise ValueError("bad %d" % i)
        except ValueError as e:
            out.append(e.args)
        out.append(type("T", (), {"x": i}).x)
    return out

r = work(50)
print(len(r), r[:9], r[-9:])
# A name bound to a builtin class, later rebound to a function.
conv = int
def use(n):
    s = 0
    for i in range(n):
        s += conv(i)
    return s
print(use(100))
conv = lambda v: v * 2
print(use(100))
# Errors from the constructor keep CPython's messages.
def bad():
    for i in range(40):
        try:
            int("x%d" % i)
        except ValueError as e:
            last = str(e)
    return last
print(bad())
try:
    for i in range(40):
        tuple(5)
except TypeError as e:
    print("TypeError:", e)
print(type(1, 2) if False else "ok")
try:
    type(1, 2)
except TypeError as e:
    print("TypeError:", e)
