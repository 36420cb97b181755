# Module attributes read in hot loops (`math.floor(x)`, `math.pi`, `os.path`): the
# JIT loads them as constants with the module's dict watched. Rebinding one from the
# loop, from a callee, or deleting it must be seen at once, as in tier 1.
import math
import os
import types

mod = types.ModuleType("mod")
mod.f = lambda x: x + 1
mod.k = 10


def plain(n):
    t = 0
    for i in range(n):
        t += math.floor(i / 3) + int(math.pi) + len(os.sep)
    return t


def rebind_in_loop(n):
    t = 0
    for i in range(n):
        t += mod.f(i) + mod.k
        if i == n // 2:
            mod.f = lambda x: x * 2
            mod.k = -1
    return t


def changer():
    mod.k = 1000


def rebind_from_callee(n):
    t = 0
    for i in range(n):
        t += mod.k
        if i == 300:
            changer()
    return t


def deleted(n):
    t = 0
    try:
        for i in range(n):
            t += mod.k
            if i == 250:
                del mod.k
    except AttributeError as e:
        return t, str(e)


def swapped_module(n):
    global math
    real = math
    t = 0
    for i in range(n):
        t += math.floor(2.5)
        if i == 200:
            math = types.SimpleNamespace(floor=lambda x: 100)
    math = real
    return t


print(plain(500))
print(rebind_in_loop(400))
print(rebind_from_callee(500))
print(deleted(400))
print(swapped_module(400))
