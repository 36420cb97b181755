# The compiler's SyntaxWarnings (likely mistakes), and SyntaxError when they are errors.
import warnings

SOURCES = [
    'assert(x, "msg")',
    'assert(False,)',
    'assert x, "msg"',
    'x is 1',
    'x is not "a"',
    '1 is x',
    'x is y is 1',
    'x is None',
    'x is ...',
    'x is ()',
    '[(1, 2) (3, 4)]',
    '[(x, y) (3, 4)]',
    '[f"{x}" (3, 4)]',
    '[None (3, 4)]',
    '[{1: 2} (3, 4)]',
    '[(i for i in x) (3, 4)]',
    '[None [i, j]]',
    '[(lambda: 0) [i, j]]',
    '[{1, 2} [i, j]]',
    '[[1, 2] [i, j]]',
    '["abc" [i, j]]',
    '[[1, 2] [3]]',
    '[[1, 2] [1:2]]',
    '[[1, 2] [None]]',
    '[[1, 2] [x]]',
    'f(x)[1:2]',
    'if x:\n    pass\nelif y is 2:\n    pass',
]

for src in SOURCES:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        compile(src, "<t>", "exec")
    print(repr(src), [(str(x.message), x.category.__name__, x.lineno, x.filename) for x in w])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            compile(src, "<t>", "exec")
        except SyntaxError as e:
            print("  SyntaxError:", e.msg, e.lineno, e.offset)

# exec() and eval() of source text warn too.
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    x = 5
    print(eval("x is 5 or True"))
print([str(m.message) for m in w])
