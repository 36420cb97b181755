# Four threads call next() on one generator: every value is produced once, and a
# thread that finds it running gets "generator already executing" (never a crash).
import threading
def gen():
    i = 0
    while True:
        yield i
        i += 1
g = gen()
got = []
errors = []
lock = threading.Lock()
def take():
    for _ in range(20000):
        try:
            v = next(g)
            with lock:
                got.append(v)
        except ValueError as e:
            with lock:
                errors.append(str(e))
ts = [threading.Thread(target=take) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(len(got) + len(errors) == 80000, len(set(got)) == len(got), set(errors) <= {"generator already executing"})
