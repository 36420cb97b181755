import marshal

values = [
    None, True, False, ..., 0, 1, -1, 2**31 - 1, -2**31, 2**31, -2**31 - 1,
    2**100, -(3**90), 1.5, -0.0, float('inf'), 1e300, 3+4j, "", "abc", "é ü 漢字",
    "x" * 300, b"", b"\x00\xff" * 10, (), (1,), (1, "a", (2, 3)), [], [1, [2, [3]]],
    {}, {"a": 1, 2: [3]}, set(), {1, 2, 3}, frozenset({"x"}), bytearray(b"ba"),
    StopIteration, tuple(range(300)),
]
for v in values:
    data = marshal.dumps(v)
    back = marshal.loads(data)
    if isinstance(v, bytearray):
        v = bytes(v)
    print(repr(back) == repr(v) or (back != back), type(back).__name__)

# Bytes CPython wrote (with its reference flags and back-references) read back.
for h in ["4e", "54", "e907000000", "ecfdffffff000000000004", "e70000000000000440",
          "a902e901000000e902000000", "db010000004e", "f3020000006162",
          "f900000000000000000000000000000840",
          "db02000000fa016172010000007200000000"]:
    print(repr(marshal.loads(bytes.fromhex(h))))
print(marshal.version)
for bad in [b"", b"i\x01", b"\x01", b"l\x01\x00\x00\x00\x00\x00"]:
    try:
        marshal.loads(bad)
    except (EOFError, ValueError) as e:
        print(type(e).__name__, e)
try:
    marshal.dumps(object())
except ValueError as e:
    print(e)
try:
    marshal.dumps(lambda: 0)
except ValueError as e:
    print("code:", e)
