# Compile-time errors of except* (CPython's messages and lines).
sources = [
    "try:\n    pass\nexcept*:\n    pass\n",
    "try:\n    pass\nexcept* ValueError:\n    pass\nexcept TypeError:\n    pass\n",
    "try:\n    pass\nexcept ValueError:\n    pass\nexcept* TypeError:\n    pass\n",
    "for i in range(3):\n    try:\n        pass\n    except* ValueError:\n        break\n",
    "for i in range(3):\n    try:\n        pass\n    except* ValueError:\n        continue\n",
    "def f():\n    try:\n        pass\n    except* ValueError:\n        return 1\n",
    "def f():\n    try:\n        pass\n    except* ValueError:\n        try:\n            pass\n        finally:\n            return\n",
    "try:\n    pass\nexcept* ValueError:\n    for i in range(2):\n        continue\n    while True:\n        break\n",
    "try:\n    pass\nexcept* ValueError:\n    def g():\n        return 5\n",
    "try:\n    pass\nexcept* ValueError:\n    pass\nexcept* TypeError as e:\n    break\n",
]
for src in sources:
    try:
        compile(src, "<s>", "exec")
        print("ok")
    except SyntaxError as e:
        print(e.msg, e.lineno)
