b = b"abc def"
print(b.split(), b.upper(), b.replace(b"abc", b"X"), b.find(b"def"), b.startswith(b"ab"), b.hex(), bytes.fromhex("41 42"))
print(list(b"hi"), b"a" + b"b", b"ab" * 3, b"b" in b"abc", 98 in b"abc", b"abc" < b"abd", b"abc" == b"abc", len(b""))
print(bytes(3), bytes([65, 66]), bytes("é", "utf-8").decode("utf-8"), "ascii".encode("ascii"), b"x\x00y", repr(b"it's"))
print((1024).to_bytes(2, "little"), (-1).to_bytes(2, "big", signed=True), int.from_bytes(b"\xff\xff", "big", signed=True), int.from_bytes(b"\x00\x10", byteorder="big"))
print({b"k": 1}[b"k"], b"a,b".split(b","), b",".join([b"x", b"y"]), b"  pad ".strip(), b[1:3], b[-1])
ba = bytearray(b"xyz"); ba.append(33); ba.extend(b"!!"); ba[0] = 88; print(ba, len(ba), ba.decode(), bytes(ba))
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
try:
    b"\xff".decode()
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print(f"{b'q'}", str(b"z"), b"%s" if False else b"fmt")
