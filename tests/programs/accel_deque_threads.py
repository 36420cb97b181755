# Two threads append to one deque while a third pops from the left: no item is lost
# or duplicated (each deque operation is atomic).
import threading
from collections import deque

d = deque()
N = 20000
got = []

def producer(base):
    for i in range(N):
        d.append(base + i)

def consumer():
    n = 0
    while n < 2 * N:
        try:
            got.append(d.popleft())
            n += 1
        except IndexError:
            pass

ts = [threading.Thread(target=producer, args=(0,)), threading.Thread(target=producer, args=(N,)),
      threading.Thread(target=consumer)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(got), len(set(got)), sorted(got) == list(range(2 * N)), len(d))
a = [x for x in got if x < N]
b = [x for x in got if x >= N]
print(a == sorted(a), b == sorted(b))
