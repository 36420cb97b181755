# Cyclic garbage in a loop: 10^6 two-node cycles plus instances with __del__ in cycles.
# Peak memory is the measure (bounded only if the cycle collector runs automatically);
# compare with `/usr/bin/time -v python3.11 bench/gc_cycles.py`.
class Node:
    __slots__ = ("other", "payload")

class Finalized:
    freed = 0
    def __del__(self):
        Finalized.freed += 1

def main(n=1_000_000):
    for i in range(n):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
        a.payload = [i]
        if i % 100 == 0:
            f = Finalized()
            f.self = f
    import gc
    gc.collect()
    print(Finalized.freed >= n // 100 - 1)

main()
