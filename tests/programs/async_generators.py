# Gap: async generators ('yield' inside 'async def'), and async comprehensions.
async def agen():
    for i in range(3):
        yield i
async def main():
    return [x async for x in agen()]
c = main()
try:
    c.send(None)
except StopIteration as e:
    print(e.value)
