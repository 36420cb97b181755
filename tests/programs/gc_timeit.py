# gc switches and queries, and timeit with callables/strings.
import gc
import timeit

print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled(), type(gc.collect()).__name__, gc.get_threshold())
gc.set_threshold(100)
print(gc.get_threshold()[0], gc.is_tracked([]), gc.is_tracked(3))

counter = [0]
def work():
    counter[0] += 1
t = timeit.timeit(work, number=50)
print(counter[0], type(t).__name__, t >= 0)
r = timeit.repeat("x = sum(range(10))", number=20, repeat=3)
print(len(r), all(v >= 0 for v in r))
timer = timeit.Timer("y = a * 2", setup="a = 21")
print(timer.timeit(number=5) >= 0)
g = {"v": []}
timeit.timeit("v.append(1)", number=7, globals=g)
print(len(g["v"]))
try:
    timeit.timeit("w += 1", setup="pass", number=1, globals={"w": 0})
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
try:
    timeit.Timer("x = (")
except SyntaxError as e:
    print("SyntaxError:", e.msg)

