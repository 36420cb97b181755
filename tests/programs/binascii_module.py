import binascii

data = bytes(range(256)) + b"hello, world!"
for n in range(0, 7):
    s = data[:n]
    e = binascii.b2a_base64(s)
    print(n, e, binascii.a2b_base64(e) == s, binascii.b2a_base64(s, newline=False))
print(binascii.a2b_base64(b"aGVs bG8=\n"), binascii.a2b_base64("aGVsbG8"+"=" * 5), binascii.a2b_base64(b"aGVsbG8=garbage"))
print(binascii.a2b_base64(b"!!aGVsbG8="), binascii.a2b_base64(b""))
for bad, strict in [(b"aGVsbG8", False), (b"a", False), (b"abcde", False), (b"=aGVs", True),
                    (b"aGVsbG8=x", True), (b"aGV!sbG8=", True), (b"aG=Vs", True), (b"aGVsbA==", True),
                    ("h\u00e9", False), (3, False)]:
    try:
        print(binascii.a2b_base64(bad, strict_mode=strict))
    except Exception as e:
        print(type(e).__name__, e)
print(binascii.hexlify(data[:20]), binascii.b2a_hex(b"\x01\x02\x03", "-"), binascii.hexlify(b"abcdef", b"::"[:1], 2))
print(binascii.hexlify(b"abcdefg", "_", -3), binascii.hexlify(b"abcdefg", "_", 3), binascii.hexlify(b"", ":"), binascii.hexlify(b"a", ":", 0))
print(binascii.unhexlify(b"48656c6C6f"), binascii.a2b_hex("00ff"), binascii.unhexlify(bytearray(b"4142")))
for bad in [b"abc", b"zz", "é", 5]:
    try:
        print(binascii.unhexlify(bad))
    except Exception as e:
        print(type(e).__name__, e)
for f in [lambda: binascii.hexlify(b"ab", "xy"), lambda: binascii.hexlify("ab"), lambda: binascii.hexlify(b"abc", 3)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print(binascii.crc32(b"hello"), binascii.crc32(b"world", binascii.crc32(b"hello ")), binascii.crc32(b"a", -1), binascii.crc32(b"a", 2**40))
print(binascii.crc_hqx(b"hello", 0), binascii.crc_hqx(b"123456789", 0xFFFF), binascii.crc_hqx(b"", 0x12345))
qp_in = b"caf\xc3\xa9 = ok\ttab \nline with trailing space \r\n.\nx" + b"y" * 100 + b"\n_under_score_"
for kw in [{}, {"quotetabs": True}, {"istext": False}, {"header": True}]:
    enc = binascii.b2a_qp(qp_in, **kw)
    print(kw, enc)
    print(binascii.a2b_qp(enc, header=kw.get("header", False)) == qp_in.replace(b"\r\n", b"\n") if "istext" not in kw else binascii.a2b_qp(enc) == qp_in)
print(binascii.a2b_qp(b"a=3D=3db=\nc=\r\nd=zz=4=\n_x_", True), binascii.a2b_qp("=41=="), binascii.a2b_qp(b"="))
print(binascii.b2a_qp(b"crlf\r\nline \r\n"), binascii.b2a_qp(b"."), binascii.b2a_qp(b"a.\n.\n"), binascii.b2a_qp(b"end "))
for n in (0, 1, 2, 3, 10, 45):
    u = binascii.b2a_uu(data[:n])
    print(n, u, binascii.a2b_uu(u) == data[:n], binascii.b2a_uu(data[:n], backtick=True))
print(binascii.a2b_uu(b"#86)C\n"), binascii.a2b_uu(b""), binascii.a2b_uu(b"!"))
for f in [lambda: binascii.b2a_uu(b"x" * 46), lambda: binascii.a2b_uu(b"#\x01\x01\x01"), lambda: binascii.a2b_uu(b"!86)C")]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print(binascii.Error.__mro__, binascii.Incomplete.__mro__, binascii.Error.__module__)
try:
    binascii.a2b_hex(b"1")
except ValueError as e:
    print("caught as ValueError:", e)
