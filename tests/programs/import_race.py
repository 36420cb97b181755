# Threads importing the same module at once: one thread runs it, the others wait for it
# to finish (per-module import locks, CPython's importlib._bootstrap._ModuleLock).
import builtins
import importlib
import os
import shutil
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
tmp = tempfile.mkdtemp()
sys.path.insert(0, tmp)
builtins._race_runs = {}
builtins._race_lock = threading.Lock()

COUNT = """
import builtins, time
with builtins._race_lock:
    builtins._race_runs[__name__] = builtins._race_runs.get(__name__, 0) + 1
    _run = builtins._race_runs[__name__]
"""


def write(name, body):
    with open(os.path.join(tmp, name + ".py"), "w") as f:
        f.write(COUNT + body)


write("slowmod", "time.sleep(0.2)\nFIRST = 1\ntime.sleep(0.1)\nVALUE = 42\n")
write("slowmix", "time.sleep(0.2)\nVALUE = 'mixed'\n")
write("flaky", "time.sleep(0.2)\nif _run == 1:\n    raise ValueError('first run fails')\nVALUE = 'ok'\n")
write("cx", "time.sleep(0.2)\nimport cy\nSAW_Y = hasattr(cy, 'Y')\nX = 'x'\n")
write("cy", "time.sleep(0.5)\nimport cx\nSAW_X = hasattr(cx, 'X')\nY = 'y'\n")
write("selfa", "import selfb\nA = 'a'\n")
write("selfb", "import selfa\nB = hasattr(selfa, 'A')\n")
os.mkdir(os.path.join(tmp, "pkg"))
with open(os.path.join(tmp, "pkg", "__init__.py"), "w") as f:
    f.write(COUNT + "time.sleep(0.1)\nP = 1\n")
with open(os.path.join(tmp, "pkg", "sub.py"), "w") as f:
    f.write(COUNT + "time.sleep(0.2)\nS = 2\n")


def run_threads(n, target):
    barrier = threading.Barrier(n)
    results = [None] * n

    def wrap(i):
        barrier.wait()
        try:
            results[i] = target(i)
        except Exception as e:
            results[i] = "%s: %s" % (type(e).__name__, e)

    ts = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return results


# 1. Eight threads `import slowmod`: it runs once, all see it complete.
def imp_slow(i):
    import slowmod
    return (slowmod.FIRST, slowmod.VALUE)


print("slowmod:", sorted(set(run_threads(8, imp_slow))), builtins._race_runs["slowmod"])


# 2. The import statement, __import__ and importlib.import_module share the lock.
def imp_mixed(i):
    if i % 3 == 0:
        import slowmix
        m = slowmix
    elif i % 3 == 1:
        m = __import__("slowmix")
    else:
        m = importlib.import_module("slowmix")
    return m.VALUE


print("slowmix:", sorted(set(run_threads(6, imp_mixed))), builtins._race_runs["slowmix"])


# 3. A failing import: a thread that found the module in sys.modules waits for it and
# gets the module as it was left; the next import runs it again.
def imp_flaky(i):
    if i:
        time.sleep(0.1)
    import flaky
    return flaky.VALUE


print("flaky:", sorted(run_threads(2, imp_flaky)), builtins._race_runs["flaky"])
print("flaky in sys.modules:", "flaky" in sys.modules)
import flaky
print("flaky again:", flaky.VALUE, builtins._race_runs["flaky"])


# 4. A circular import across threads: A imports cx (which imports cy) while B imports
# cy (which imports cx). A waits for cy; B would then wait for cx: the deadlock is
# detected and B goes on with the partial cx. Both imports complete.
def imp_cross(i):
    if i == 0:
        import cx
        return "cx"
    time.sleep(0.05)
    import cy
    return "cy"


print("cross:", run_threads(2, imp_cross), builtins._race_runs["cx"], builtins._race_runs["cy"])
import cx, cy
print("cross modules:", cx.X, cy.Y, cx.cy is cy, cy.cx is cx, "saw:", cx.SAW_Y, cy.SAW_X)


# 5. A circular import inside one thread still sees the partial module.
import selfa
print("self:", selfa.A, selfa.selfb.B)


# 6. A package and its submodule, from several threads.
def imp_pkg(i):
    if i % 2:
        from pkg import sub
    else:
        import pkg.sub as sub
    import pkg
    return (pkg.P, sub.S)


print("pkg:", sorted(set(run_threads(4, imp_pkg))), builtins._race_runs["pkg"],
      builtins._race_runs["pkg.sub"])

# 7. Waiting importers do not leak: importlib's lock table is empty afterwards.
import importlib._bootstrap as _bootstrap
print("module locks left:", len(_bootstrap._module_locks))
print("runs:", sorted(builtins._race_runs.items()))

for name in ("slowmod", "slowmix", "flaky", "cx", "cy", "selfa", "selfb", "pkg", "pkg.sub"):
    sys.modules.pop(name, None)
sys.path.remove(tmp)
shutil.rmtree(tmp)
del builtins._race_runs, builtins._race_lock
