# Uncaught runaway recursion: RecursionError, exit code 1, no native stack overflow.
def f(n):
    return f(n + 1) + 1
print("start")
f(0)
