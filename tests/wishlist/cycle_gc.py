# Gap: the cycle collector (gc.collect() finds nothing; cycles live until exit).
import gc
class Node:
    pass
a = Node(); b = Node(); a.other = b; b.other = a
del a, b
print(gc.collect() >= 2)
