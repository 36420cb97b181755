# Gap: the bytes and bytearray types (b"..." literals, encode/decode, int.to_bytes).
data = b"hello"
print(data, len(data), data[0], data.decode(), "héllo".encode("utf-8"), (255).to_bytes(2, "big"))
ba = bytearray(b"abc")
ba[0] = 65
print(ba, bytes(ba), int.from_bytes(b"\x01\x00", "little"))
