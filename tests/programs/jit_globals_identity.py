# One code object run with different globals dicts: traces that load globals as
# constants must check which dict the frame (or an inlined callee) runs with.
src = """
def helper(x):
    return x * SCALE + OFFSET

def loop(n):
    t = 0
    for i in range(n):
        t += helper(i) + OFFSET
    return t

def plain(n):
    t = 0
    for i in range(n):
        t += SCALE
    return t
"""
code = compile(src, "<shared>", "exec")
g1 = {"SCALE": 2, "OFFSET": 1}
g2 = {"SCALE": 3, "OFFSET": -1}
exec(code, g1)
exec(code, g2)
print(g1["loop"].__code__ is g2["loop"].__code__)
for _ in range(3):
    print(g1["loop"](500), g2["loop"](500), g1["plain"](400), g2["plain"](400))

# The same loop calling a helper from another module's globals.
g3 = {"SCALE": 5, "OFFSET": 0}
exec(code, g3)
g1["helper"] = g3["helper"]
print(g1["loop"](500), g2["loop"](500))
g3["SCALE"] = 7
print(g1["loop"](500))
del g1["helper"]
try:
    g1["loop"](10)
except NameError as e:
    print("NameError:", e)
# Functions and their globals form cycles; break them (no cycle collector yet).
for g in (g1, g2, g3):
    g.clear()
