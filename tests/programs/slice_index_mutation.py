# Slice bounds and indices may run Python code (__index__) that resizes the sequence
# being indexed: the bounds meet the length the sequence has afterwards, as CPython's.
l = list(range(10))
class X:
    def __index__(self):
        l[:] = []
        return 1
l[0:10:X()] = []
print(l)
l = list(range(10))
class Y:
    def __index__(self):
        del l[:]
        return 2
try:
    l[0:10:Y()] = [1,2,3,4,5]
except ValueError as e:
    print(e)
print(l)
l = list(range(10))
class Z:
    def __index__(self):
        l[:] = []
        return 8
del l[Z():]
print(l)
l = list(range(10))
print(l[Z()::-1])
import array
for mk in (list, bytearray, lambda r: array.array('i', r)):
    s = mk(range(10))
    class W:
        def __index__(self):
            del s[:]
            return 1
    s[0:10:W()] = mk([])
    print(len(s))
    s = mk(range(10))
    try:
        del s[W()]
    except IndexError as e:
        print(e)
    s = mk(range(10))
    print(len(s[W():]), len(s))
    s = mk(range(10))
    del s[W():5]
    print(len(s))
    s = mk(range(10))
    try:
        s[W()] = 1
    except IndexError as e:
        print(e)
try:
    del [1][1]
except IndexError as e:
    print(e)
try:
    del [1]['a']
except TypeError as e:
    print(e)
try:
    del bytearray(b'a')['a']
except TypeError as e:
    print(e)
