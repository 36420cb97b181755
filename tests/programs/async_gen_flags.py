CO_GENERATOR, CO_COROUTINE, CO_ASYNC_GENERATOR = 0x20, 0x80, 0x200

def kind(f):
    fl = f.__code__.co_flags
    return [n for n, b in [("gen", CO_GENERATOR), ("coro", CO_COROUTINE), ("agen", CO_ASYNC_GENERATOR)] if fl & b]

def g(): yield
async def c(): await x
async def a(): yield
async def a2():
    await x
    yield
def plain(): pass
print(g.__code__.co_flags, c.__code__.co_flags, a.__code__.co_flags, a2.__code__.co_flags, plain.__code__.co_flags)
print(kind(g), kind(c), kind(a), kind(plain))

def outer():
    def inner(*args, **kw): pass
    class K:
        def m(self): pass
        async def am(self): yield
    return inner, K.m, K.am, lambda: 0
for f in outer():
    print(f.__name__, f.__code__.co_flags)
print((lambda: 0).__code__.co_flags)

class C:
    def m(self): pass
print(C.m.__code__.co_flags)

# Generator expressions' code objects.
y = []
async def agen():
    yield 1
def gens():
    return [(x for x in y), (x async for x in agen()), (await x for x in y)]
for ge in gens() + [(x for x in y)]:
    code = getattr(ge, "gi_code", None) or ge.ag_code
    print(type(ge).__name__, code.co_name, code.co_flags)
