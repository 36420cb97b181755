t = bytes.maketrans(b"abc", b"xyz")
print(len(t), b"aabbcc".translate(t), b"hello".translate(None, b"l"), bytearray(b"abc").translate(t, b"c"))
print(b"ab".ljust(5, b"*"), b"ab".rjust(5), b"ab".center(7, b"-"), b"abc".center(6), b"abcdef".ljust(3))
print(b"  x  ".lstrip(), b"  x  ".rstrip(), b"xxhixx".lstrip(b"x"), b"xxhixx".rstrip(b"x"), bytearray(b" q ").rstrip())
print(b"a=b=c".partition(b"="), b"a=b=c".rpartition(b"="), b"abc".partition(b"-"), b"abc".rpartition(b"-"))
print(b"a b  c ".rsplit(), b"a,b,c".rsplit(b",", 1), b"  a b c".rsplit(None, 1), b"a,,b".rsplit(b","))
print(b"l1\nl2\r\nl3\rl4".splitlines(), b"l1\nl2\r\n".splitlines(True), b"".splitlines(), bytearray(b"x\ny").splitlines())
print(b"42".zfill(5), b"-42".zfill(5), b"+7".zfill(1), b"abc1".isalnum(), b" \t".isspace(), b"abc".islower(), b"ABC1".isupper(), b"\x80".isascii())
print(b"hello world".title(), b"hELLO".capitalize(), b"AbC".swapcase(), b"a\tb\tc".expandtabs(4), b"ab\tc".expandtabs())
print(b"prefix_x".removeprefix(b"prefix_"), b"x.txt".removesuffix(b".txt"), b"x".removeprefix(b"y"))
for f in [lambda: bytes.maketrans(b"ab", b"x"), lambda: b"x".translate(b"short"), lambda: b"x".ljust(3, b"ab"), lambda: b"x".partition(b""),
          lambda: b"x".rsplit(b""), lambda: b"x".lstrip("a"), lambda: b"x".ljust(3, "a")]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
