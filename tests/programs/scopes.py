# global, nonlocal and scoping rules.
g = 1
def read_global():
    return g
def write_global():
    global g
    g = 2
print(read_global())
write_global()
print(g, read_global())
def outer():
    a = 1
    def mid():
        nonlocal a
        a += 1
        def inner():
            nonlocal a
            a *= 10
        inner()
    mid()
    return a
print(outer())
def unbound():
    try:
        print(local_late)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    local_late = 1
unbound()
def shadow_builtin():
    len = lambda x: 42
    return len([1, 2])
print(shadow_builtin(), len([1, 2]))
class K:
    attr = 5
    doubled = attr * 2
    items = [i for i in range(2)]
print(K.doubled, K.items)
def make():
    counter = [0]
    def bump():
        counter[0] += 1
        return counter[0]
    return bump
b = make()
b(); b()
print(b())
def defines_later():
    def use():
        return later_var
    later_var = "set after def"
    return use()
print(defines_later())
x = "module"
def f():
    x = "func"
    class Inner:
        y = x
    return Inner.y
print(f())
def del_local():
    v = 1
    del v
    try:
        return v
    except UnboundLocalError:
        return "deleted"
print(del_local())
try:
    undefined_thing
except NameError as e:
    print("NameError:", e)
