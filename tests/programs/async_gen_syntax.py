cases = [
    "await x",
    "def f():\n    await x",
    "def f():\n    return [x async for x in y]",
    "def f():\n    return [await x for x in y]",
    "def f():\n    return {x: 1 async for x in y}",
    "def f():\n    return {x async for x in y}",
    "async def f():\n    yield 1\n    return 2",
    "async def f():\n    yield 1\n    return None",
    "async def f():\n    yield from x",
    "f = lambda: await x",
    "class C:\n    await x",
    "def f():\n    return [[x async for x in y] for y in z]",
    "[x async for x in y]",
    "def f():\n    async for x in y: pass",
    "def f():\n    async with y: pass",
    "async def f():\n    def g():\n        await x",
    "async def f():\n    return lambda: [x async for x in y]",
    # accepted:
    "def f():\n    return (await x for x in y)",
    "def f():\n    return (x async for x in y)",
    "async def f():\n    yield 1\n    return",
    "async def f():\n    return [[x async for x in y] for y in z]",
    "async def f():\n    return [[await x for x in y] for y in z]",
    "async def f():\n    async with a as b, c:\n        yield b\n    async for q in b:\n        yield q",
    "def f():\n    return ((x async for x in y) for y in z)",
    "async def f():\n    return {k: await v async for k, v in y if await k}",
]
for src in cases:
    try:
        compile(src, "<case>", "exec")
        print("ok:", src.replace("\n", " | "))
    except SyntaxError as e:
        print("SyntaxError:", e.msg, e.lineno, "|", src.replace("\n", " | "))

