# Tokenizer-level SyntaxErrors about brackets and strings, through compile().
cases = [
    "x = (1,\n  2",
    "print('a'",
    "d = {1: [2, 3}",
    "x = 1)",
    "x = (1,\n2]",
    "f(x]",
    "s = '''abc\n\nmore",
    "s = 'abc",
    "x = [1, 2\ny = 3",
    "print(1))",
]
for src in cases:
    try:
        compile(src, "<case>", "exec")
        print("compiled")
    except SyntaxError as e:
        print(f"{e.lineno}:{e.offset} {e.msg}")
