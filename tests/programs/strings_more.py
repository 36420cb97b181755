# More string behaviour: escapes, unicode, comparisons, multiplication.
s = "tab\tnewline\nquote'\"backslash\\"
print(s)
print(repr(s))
print(len("😀"), "😀" * 3, "\u00e9", "\x41", "\N{GREEK SMALL LETTER ALPHA}" if False else "a")
print("abc" < "abd", "a" * 0 == "", "ab" in "cabd", "".join(reversed("stressed")))
print(" ".join(w.capitalize() for w in "hello big world".split()))
raw = r"C:\new\table"
print(raw, len(raw))
multi = """line one
line two"""
print(multi.splitlines(), multi.count("line"))
print("a" "b" 'c', "x" + str(1) + str(2.5))
print("%s" % [1, 2], "%r" % "q", "%5.2f%%" % 12.345, "%-6d|" % 42, "%+d" % 5, "%03d" % 7)
print("{:*<6}".format("ab"), "{:^7.2f}".format(3.14159), "{:#x}".format(255), "{:e}".format(0.000123))
print(str(1e100), str(-0.0), str(1 / 7), str(100.0), str(123456789012345.0), str(0.1 + 0.2))
print("Mississippi".replace("ss", "SS"), "a-b_c".replace("-", "_").split("_"))
print("CamelCaseString".lower(), "snake_case".upper(), "  x ".strip() == "x")
print(str.upper("abc"), "abc".upper.__name__ if hasattr("abc".upper, "__name__") else "")
print("".isdigit(), "٣".isdigit(), "x".isupper(), "X1".isupper())
print("a,b".split(","), ",a,".split(","), "".split(","), "".split())
