# bytes hash as the str of the same Latin-1 code points, as in CPython (memoryviews of
# bytes too), so such keys meet in one dict slot chain but stay unequal.
for text in ["", "spam", "\xe9t\xe9", "\x80\xff", "a" * 100]:
    data = text.encode("latin-1")
    print(repr(text), hash(text) == hash(data) == hash(memoryview(data)),
          hash(data) == hash(bytes(data)), text == data)
d = {b"spam": 1, "spam": 2}
print(len(d), d[b"spam"], d["spam"])
print(hash(b"abc") == hash(b"abd"))
