# Invalidation latency with many live traces: compile 1000 loops (one per generated
# function), then start a thread. Run with `-X stats` and read `invalidation_ns` and
# `traces_invalidated` from the "jit invariants" line.
import threading

src = []
for k in range(1000):
    src.append(f"def loop{k}(n):\n    s = 0\n    i = 0\n    while i < n:\n        s += i * {k + 1}\n        i += 1\n    return s\n")
ns = {}
exec("".join(src), ns)
total = 0
for k in range(1000):
    total += ns[f"loop{k}"](100)
t = threading.Thread(target=print, args=("thread started",))
t.start()
t.join()
print(total)
