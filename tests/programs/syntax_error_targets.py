# CPython's messages (and marked extents) for bad assignment, deletion and keyword
# targets, unparenthesized generator arguments, and Python 2 print/exec statements.
SOURCES = [
    "f() = 1", "a + 1 = 2", "[f()] = 1", "x, f() = 1", "f() += 1", "1 = x", "None = 1",
    "a.b, 'x' = 1", "for f() in x: pass", "with a as f(): pass", "(a for a in b) = 1",
    "x = f() = 1", "f() : int = 1", "x if y else z = 1", "a < b = 1", "-a = 1",
    "lambda: 1 = 1", "{a: b} = 1", "{a} = 1", "[i for i in x] = 1", "... = 1",
    "f'{x}' = 1", "await x = 1", "a and b = 1", "not a = 1", "*a = 1",
    "del 1", "del (1, 2)", "del None", "del *x", "del (*x,)", "del f()", "del x, f()",
    "del a + b", "del [a, 1]", "for 1 in x: pass", "f(a=1, a=2)", "f(a.b=1)", "f(x()=1)",
    "f(True=1)", "f(x+1 = 1)", "print(end1 + end2 = ' ')", "int(**{'base': 10}, *['2'])",
    "foo(x,    y for y in range(3) for z in range(2) if z    , p)", "f(a for a in b, c)",
    'print "old style"', 'print "old style",', "print f(a+b,c)", 'exec "code"',
    "if 1: print foo", "if 1:\n    exec {1: foo}", "print (a+b,c) $ 42", "print (foo.)",
]

for src in SOURCES:
    try:
        compile(src, "<testcase>", "exec")
        print(repr(src), "compiles")
    except SyntaxError as e:
        print(repr(src), type(e).__name__, e.msg, e.lineno, e.offset, e.end_lineno, e.end_offset)
