import functools, operator
print(functools.reduce(operator.add, [1,2,3,4]), functools.partial(pow, 2)(10), sorted([3,1,2], key=functools.cmp_to_key(lambda a, b: b - a)))
@functools.lru_cache(maxsize=None)
def fib(n): return n if n < 2 else fib(n-1) + fib(n-2)
print(fib(100))
