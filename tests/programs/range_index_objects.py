# range() takes any object with __index__ (sympy's Integer), and reports an __index__
# that returns a non-int as CPython does.
class I:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v
for args in [(1.5,), ("a",), (I(3),), (I(1), I(7), I(2)), (I("x"),), (True, 3), (I(2**70), 2**71, 2**69)]:
    try:
        print(range(*args))
    except TypeError as e:
        print("TypeError", e)
