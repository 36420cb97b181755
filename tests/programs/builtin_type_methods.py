# Methods and attributes of the builtin types that programs name directly:
# bytearray editing, bytes.istitle, the reals' rounding and divmod slots, range
# search, dict views as sets, cell contents, and sizes (CPython 3.11's figures).
import sys
b=bytearray(b'abc')
for e in ['b.reverse() or b','b.insert(0,65) or b','b.insert(-100,66) or b','b.remove(98) or b','b.pop(0)','b.pop()','bytearray.fromhex("41 42")','bytes.fromhex("4142")',
          'b"Hello World".istitle()','b"hello".istitle()','b"".istitle()','bytearray(b"A B").istitle()',
          '(7).__divmod__(2)','(7).__rdivmod__(2)','(7).__divmod__(2.5)','(7.5).__divmod__(2)','(7.5).__rdivmod__(2)','divmod(7, 2)','divmod(-7.5, 2)','divmod(True, 3)',
          '(7.5).__round__()','(7.5).__round__(1)','(1234).__round__(-2)','(7.7).__trunc__()','(-7.7).__floor__()','(7.2).__ceil__()','(5).__floor__()','True.__trunc__()',
          '(1+2j).__complex__()','None.__bool__()','b"x".__bytes__()','hasattr(1j, "__floordiv__")','hasattr(1j, "__mod__")',
          'range(5).count(2)','range(5).count(2.0)','range(0,20,3).index(9)','range(5).index(True)','range(10**20, 10**20+5).index(10**20+3)',
          '{1:2}.keys() & {1}','{1:2}.keys().__and__({1})','{1:2}.keys().__rsub__({1,5})','{1:2}.keys().isdisjoint({3})','{1:2}.keys().isdisjoint([1])','{1:2}.items().isdisjoint([(1,2)])','{1:2}.keys().mapping','{1:2}.values().mapping',
          '(lambda x: (lambda: x))(1).__closure__[0].cell_contents',
          ]:
    try: print(e, '->', repr(eval(e)))
    except Exception as x: print(e, '!!', type(x).__name__, x)
for e in ['range(5).index(7)', 'range(5).index("a")', 'b.remove(200)', 'bytearray().pop()', 'bytearray(b"a").pop(5)', 'b.insert(0, 256)', 'b.append("x")', '(1).__round__(1, 2)', 'float("nan").__floor__()']:
    try: print(e, '->', repr(eval(e)))
    except Exception as x: print(e, '!!', type(x).__name__, x)
def f():
    x = 1
    del x
    return lambda: x
try: f().__closure__[0].cell_contents
except Exception as x: print(type(x).__name__, x)
class C: pass
class S: __slots__ = ('a', 'b')
class D(dict): pass
vals = [C(), S(), object(), 0, 1, 2**30, 2**64, -5, True, 1.5, 1j, '', 'a', 'abc', 'é', 'ü'*3, '€', '😀', b'', b'abc', bytearray(b'abc'), (), (1,), (1,2,3), {}, {1:2}, dict.fromkeys(range(10)), {'a': 1}, set(), {1,2}, frozenset(), range(3), None]
for v in vals: print(type(v).__name__, v.__sizeof__(), sys.getsizeof(v))
print(sys.getsizeof(object(), 5))
class Bad:
    def __sizeof__(self): return -1
try: sys.getsizeof(Bad())
except ValueError as e: print(e)
class Big:
    def __sizeof__(self): return 100
print(sys.getsizeof(Big()))
print(staticmethod(len).__call__("abc"))
def gen(): yield 1
g = gen()
print(sorted(a for a in dir(g) if not a.startswith('__')))
print(sorted(a for a in dir(range(3)) if not a.startswith('__')))
print('cell_contents' in dir((lambda x: (lambda: x))(1).__closure__[0]))
for s in ['1a2', 'zz', '12 3', '12 x4 56', '12 3\xff 56', '\x85', ' 1A\n2B\t30\v', '\x1c', '']:
    try: print(repr(s), bytes.fromhex(s), bytearray.fromhex(s))
    except ValueError as e: print(repr(s), e)
class I(int): pass
print(round(1e300) == int(1e300), I(5).__sizeof__(), sys.getsizeof(I(5)))
