import time
t0 = time.perf_counter()
time.sleep(0.01)
t1 = time.perf_counter()
print(t1 - t0 >= 0.009, t1 - t0 < 5)
print(time.time() > 1600000000, type(time.time()).__name__, time.time_ns() > 0)
m0 = time.monotonic()
print(time.monotonic() >= m0)
