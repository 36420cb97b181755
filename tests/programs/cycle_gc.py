# The cycle collector finds a two-instance cycle.
import gc
class Node:
    pass
a = Node(); b = Node(); a.other = b; b.other = a
del a, b
print(gc.collect() >= 2)
