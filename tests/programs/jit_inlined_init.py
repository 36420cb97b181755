# Class instantiation inside hot loops: the trace follows the call into __init__.

class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y * 2

class Q(P):
    pass

class Bad:
    def __init__(self, v):
        if v > 1500:
            return 5           # TypeError in CPython
        self.v = v

class Fails:
    def __init__(self, v):
        self.v = 10 // (v - 777)

class Counted:
    made = 0
    def __init__(self, v):
        Counted.made += 1      # changes the class while instances are made
        self.v = v

class WithDefault:
    def __init__(self, a, b=3):
        self.s = a + b

def make_points(n):
    t = 0
    for i in range(n):
        p = P(i, i + 1)
        t += p.x + p.y
        if i == n // 2:
            P.__init__ = lambda self, x, y: setattr(self, "x", -x) or setattr(self, "y", 0)
    return t

def make_sub(n):
    t = 0
    for i in range(n):
        q = Q(i, 1) if i % 3 else P(i, 2)
        t += q.y - q.x
    return t

def bad(n):
    out = []
    for i in range(n):
        try:
            out.append(Bad(i).v)
        except TypeError as e:
            out.append(str(e))
            break
    return len(out), out[-1]

def fails(n):
    t = 0
    for i in range(n):
        try:
            t += Fails(i).v
        except ZeroDivisionError:
            t += 1000
    return t

def counted(n):
    return sum(Counted(i).v for i in range(n)), Counted.made

def defaults(n):
    t = 0
    for i in range(n):
        t += WithDefault(i).s + WithDefault(i, 1).s
    return t

def nested(n):
    class Inner:
        def __init__(self, k):
            self.k = P(k, k).y
    t = 0
    for i in range(n):
        t += Inner(i).k
    return t

print(make_points(3000))
print(make_sub(3000))
print(bad(3000))
print(fails(3000))
print(counted(3000))
print(defaults(3000))
print(nested(3000))
