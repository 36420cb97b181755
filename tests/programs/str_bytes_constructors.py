# str(bytes, encoding, errors), int(bytes, base), None.__doc__
print(str(b'caf\xc3\xa9', 'utf-8'), str(b'\xe9', 'latin1'), str(b'ab', encoding='ascii'))
print(str(object=5), str(b'\xff', 'utf-8', 'replace'), str(bytearray(b'xy'), 'ascii'))
print(repr(str(b'abc')), str(), str(errors='strict', object=b'q'))
for bad in [lambda: str('x', 'utf-8'), lambda: str(5, 'utf-8'), lambda: str(b'\xff', 'utf-8'),
            lambda: str(b'x', 'nope'), lambda: str(b'x', encoding=1), lambda: str(1, 2, 3, 4)]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
print(int(b'011', 2), int(bytearray(b' 12 ')), int(b'ff', 16), int(b'-7'))
for bad in [lambda: int(b'12', 2), lambda: int(b'x'), lambda: int(3.5, 2)]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
print(None.__doc__, (5).__doc__ is None or True)
