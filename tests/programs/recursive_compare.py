# stitch: cyclic (the containers hold themselves)
# Comparing containers that hold themselves recurses in native code; it ends in
# RecursionError as in CPython, never a stack overflow.
import copy
x = {}; x['foo'] = x
y = copy.deepcopy(x)
try:
    y == x
except RecursionError as e:
    print("RecursionError", e)
a = []; a.append(a); b = []; b.append(b)
try:
    a == b
except RecursionError as e:
    print("RecursionError", e)
