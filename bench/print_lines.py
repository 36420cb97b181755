# print-heavy loop: one million lines through sys.stdout (run with stdout to /dev/null).
# Measures print's path into the native TextIOWrapper/BufferedWriter of sys.stdout.
import sys
import time

t = time.perf_counter()
for i in range(1000000):
    print(i, "abc", i * 2)
print(round(time.perf_counter() - t, 3), file=sys.stderr)
