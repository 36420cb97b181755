# One thread keeps replacing a class attribute and a method (fresh objects each time)
# while others read them through instances in hot, specialized loops. Every read sees
# a whole value, and nothing freed is ever used.
import threading


class Shape:
    scale = [1]

    def area(self):
        return 1


def reader(out, k):
    s = Shape()
    total = 0
    for i in range(20000):
        total += len(s.scale) + s.area() + len(Shape.scale)
    out[k] = total > 0


def writer():
    for i in range(2000):
        Shape.scale = [i] * (i % 3 + 1)
        Shape.area = (lambda v: lambda self: v)(i % 5 + 1)


out = [None] * 3
ts = [threading.Thread(target=reader, args=(out, k)) for k in range(3)]
w = threading.Thread(target=writer)
for t in ts:
    t.start()
w.start()
for t in ts + [w]:
    t.join()
print(out, Shape.scale, Shape().area())
