# Eight threads hammer shared lists, dicts, sets and objects at once: appends, pops,
# item and attribute writes, creation and drop of shared objects. The counts must be
# exact (no lost updates) and every object must be freed at the end.
import threading

N_THREADS = 8
N = 4000


class Node:
    def __init__(self, v):
        self.v = v
        self.children = [v]


shared_list = []
shared_dict = {}
shared_set = set()
counts = {}
counts_lock = threading.Lock()


class Box:
    pass


box = Box()
box.hits = 0
box_lock = threading.Lock()
start = threading.Barrier(N_THREADS)


def worker(k):
    start.wait()
    mine = []
    for i in range(N):
        node = Node(i)
        shared_list.append(node)
        shared_dict[(k, i % 100)] = node
        shared_set.add(k * N + i)
        mine.append(node)
        if i % 2:
            try:
                shared_list.pop()
            except IndexError:
                pass
        setattr(box, "slot%d" % (i % 7), node)
        with box_lock:
            box.hits += 1
        with counts_lock:
            counts[k] = counts.get(k, 0) + 1
        node.children.append(k)
    # Drop most of what this thread made while others still run.
    del mine[::2]
    return len(mine)


threads = [threading.Thread(target=worker, args=(k,)) for k in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(shared_list) + N_THREADS * N // 2 == N_THREADS * N)
print(len(shared_dict), len(shared_set), box.hits, sum(counts.values()))
print(sorted(counts.values()) == [N] * N_THREADS)
print(all(len(n.children) == 2 for n in shared_list))
del shared_list, shared_dict, shared_set, box
