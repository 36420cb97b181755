# Gap: str.format_map, str.maketrans/translate, float.hex.
print("{a}-{b}".format_map({"a": 1, "b": 2}))
table = str.maketrans("abc", "xyz")
print("aabbcc".translate(table), (1.5).hex(), float.fromhex("0x1.8p+0"))
