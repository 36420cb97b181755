# Stress program for the bug class of CPython gh-157740 (a trace installed into a loop
# while another thread records or translates the same loop), as it applies to stitch:
# the main thread compiles a loop, starts threads from inside it (a callee of the
# loop, at several iterations), and the new threads run the same function, so the
# same back edge, hot; the main thread leaves its invalidated trace and unhooks the
# back edge while they run it. No trace may be compiled or installed once threads
# run (loom model: loom-tests/tests/trace_install_race.rs).
import threading

results = {}
threads = []


class P:
    def __init__(self, v):
        self.v = v


def start(k):
    th = threading.Thread(target=run, args=(k, 3000, -1))
    th.start()
    threads.append(th)


def run(k, n, start_at):
    acc = 0
    p = P(1)
    for i in range(n):
        acc = (acc * 7 + i + p.v) % 1000003
        if i % 500 == 0:
            p = P(p.v + 1)
        if start_at >= 0 and (i == start_at or i == start_at + 700):
            start(k * 10 + i)
        if i == n // 2:
            acc = acc + 0.5
    results[k] = acc
    return acc


print(run(1, 4000, 1500))
for th in threads:
    th.join()
print(sorted(results.items()))
