# with statements: __enter__/__exit__, suppression, nesting, exceptions.
class Ctx:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.suppress

with Ctx("a") as c:
    print("body", c.name)
with Ctx("outer"), Ctx("inner") as i:
    print("nested body", i.name)
with Ctx("suppressing", True):
    raise ValueError("swallowed")
print("after suppress")
try:
    with Ctx("propagating"):
        raise KeyError("k")
except KeyError as e:
    print("caught", repr(e))
def early():
    with Ctx("ret"):
        return "returned"
print(early())
for i in range(3):
    with Ctx(f"loop{i}"):
        if i == 1:
            continue
        if i == 2:
            break
        print("loop body", i)
class Timer:
    def __enter__(self):
        self.entered = True
        return 42
    def __exit__(self, *args):
        print("exit args", args)
with Timer() as v:
    print("value", v)
try:
    with 5:
        pass
except TypeError as e:
    print("TypeError:", e)
