# Closures, nonlocal, global, nested functions and lambdas.
def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c1 = counter()
c2 = counter()
print(c1(), c1(), c1(), c2())
total = 0
def add(n):
    global total
    total += n
add(5)
add(7)
print(total)
def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in make_adders()])
def late():
    fs = [lambda: i for i in range(3)]
    return [f() for f in fs]
print(late())
def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner()
    return middle()
print(outer())
square = lambda x: x * x
print(square(12), (lambda *a: sum(a))(1, 2, 3), sorted([3, -1, 2], key=lambda v: abs(v)))
def shadow():
    x = 1
    def g():
        x = 2
        return x
    return g(), x
print(shadow())
def cell_param(a):
    def get():
        return a
    a += 1
    return get()
print(cell_param(41))
