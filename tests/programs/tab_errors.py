# TabError: indentation whose meaning depends on the tab size (CPython's tokenizer check).
srcs = [
    "try:\n\t1/0\n    \t1/0\nfinally:\n pass\n",
    'if True:\n        print()\n\texec "mixed tabs and spaces"',
    "if x:\n\tpass\n        pass\n",
    "if x:\n    y = '''\n\t z'''\n  w\n",
    "if 1:\n  e = 'u\\\\'\n\t x",
    "if 1:\n\tif 2:\n\t\tpass\n\t        pass\n",
    "if 1:\n\tx = (1,\n        2)\n\ty = 3\n",
    "if 1:\n\tpass\n",
]
for s in srcs:
    try:
        compile(s, "<s>", "exec")
        print("ok")
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.lineno)
