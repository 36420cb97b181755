# SyntaxErrors the symbol table and compiler find (CPython's messages and locations).
srcs = [
    '[i := 0 for i in range(5)]',
    '[j for i in range(5) if (j := 0) for j in range(5)]',
    '[i for i in (j := range(5))]',
    '[[(j := j) for i in range(5)] for j in range(5)]',
    '[(yield) for x in y]',
    '{(yield) for x in y}',
    '{(yield):1 for x in y}',
    '((yield) for x in y)',
    '[(yield from x) for x in y]',
    'def f(): [x for x in y if (yield)]',
    'def f():\n  nonlocal x',
    'def f():\n  x=1\n  def g():\n    global x\n    nonlocal x',
    'def f():\n  global x\n  nonlocal x',
    'class A:\n  from m import *',
    'def f():\n  from _ import *',
    'try:\n  pass\nexcept:\n  pass\nexcept ValueError:\n  pass',
]
for s in srcs:
    try:
        compile(s, '<fragment>', 'exec')
        print('no error')
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.lineno, e.offset)

# Still fine: a walrus in a lambda binds there; the first iterable is outside.
f = lambda: (x := 5) + x
print(f())
def g():
    return [x for x in (yield)]
gen = g()
next(gen)
try:
    gen.send([1, 2])
except StopIteration as e:
    print(e.value)
def h():
    x = 1
    def k():
        nonlocal x
        x += 1
        return x
    return k()
print(h(), [y := 3 for _ in range(2)], y)
