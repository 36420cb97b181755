for s in ["0", "-0", "+5", " 42 ", "1_000_000", "0x10", "0o17", "0b11", "007", "-12345678901234567890"]:
    try:
        print(repr(s), int(s))
    except ValueError as e:
        print(repr(s), "ValueError", e)
for s, b in [("ff", 16), ("FF", 16), ("z", 36), ("777", 8), ("0x1A", 16), ("0x1A", 0), ("11", 2), ("12", 2)]:
    try:
        print(s, b, int(s, b))
    except ValueError as e:
        print(s, b, "ValueError", e)
print(f"{255:x} {255:X} {255:#010x} {255:o} {255:b} {-255:x} {12345678:,} {1234:08,}")
print(f"{42:<6}|{42:^6}|{42:>6}|{42:=+6}|{42:*^7}|")
print("%5d|%-5d|%05d|%+d|%x|%X|%o|%#x|%#o" % (42, 42, 42, 42, 255, 255, 8, 255, 8))
print(str(10**25), repr(-7), int(-7.9), int(7.9), int("-3"), abs(-2**70))
print((255).bit_length(), int.bit_length(1023), (10).__index__() if hasattr(10, "__index__") else 10)
print(True + 1, True & False, True | False, True ^ True, ~True, -True, +False)
