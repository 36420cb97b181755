# Unpacking of tuples and lists in a hot loop.
def do_unpacking(loops, to_unpack):
    s = 0
    for _ in range(loops):
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += a + j
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += b + i
        a, b, c, d, e, f, g, h, i, j = to_unpack
        s += c + h
    return s


print(do_unpacking(200000, tuple(range(10))), do_unpacking(200000, list(range(10))))
