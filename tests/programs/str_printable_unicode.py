# str.isprintable and repr's escapes follow the Unicode database (CPython's
# Py_UNICODE_ISPRINTABLE: categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs but the space are
# not printable): U+00A0 and the other spaces are escaped.
import hashlib

h = hashlib.sha256()
count = 0
for cp in range(0, 0x110000, 3):
    if 0xD800 <= cp < 0xE000:
        continue
    p = chr(cp).isprintable()
    count += p
    h.update(b"1" if p else b"0")
print(count, h.hexdigest())
samples = "\xa0\xad\u0378\u061c\u1680\u2000\u200b\u2028\u2029\u202f\u205f\u2066\u3000" \
    "\ue000\ufeff\ufffd\ufffe\U0001f600\U000e0001\U000f0000\U0010ffff a\xe9"
for c in samples:
    print(hex(ord(c)), repr(c), c.isprintable())
print(repr("x\xa0y \u3000z"))
