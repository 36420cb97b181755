import re
print(re.findall(r"\d+", "a1b22c333"), re.sub(r"\s+", " ", "a   b \t c"), bool(re.match(r"^h", "hi")))
m = re.search(r"(?P<user>\w+)@(?P<host>[\w.]+)", "contact: bob@example.com today")
print(m.group(), m.group("user"), m.group(2), m.groups(), m.groupdict(), m.span(), m.start("host"))
print(re.split(r"[,;]\s*", "a, b;c,  d"), re.split(r"(-)", "1-2-3"), re.findall(r"(\w)(\d)", "a1 b2 c3"))
print(re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world"), re.sub(r"\d", lambda m: str(int(m.group()) * 2), "a1b2"))
print(re.fullmatch(r"[A-Z][a-z]*", "Hello") is not None, re.fullmatch(r"[A-Z][a-z]*", "Hello!"), re.match(r"a*?b", "aaab").group())
print(re.findall(r"(?i)abc", "ABC abc aBc"), re.findall(r"^\w+", "one\ntwo", re.M), re.findall(r"a.c", "a\nc abc", re.S))
print(re.findall(r"\b\w{3}\b", "the cat sat on a mat"), re.findall(r"(a|b)+", "aabbab cab"), re.escape("a.b*c"))
pat = re.compile(r"(\d{3})-(\d{4})")
print(pat.findall("555-1234 and 666-9876"), [m.group(1) for m in pat.finditer("111-2222 333-4444")], pat.pattern)
print(re.findall(r"(?<=\$)\d+", "cost $30 or $45"), re.findall(r"\w+(?=!)", "hi! yo bye!"), re.findall(r"(\w)\1", "aabbcd"))
print(re.subn(r"o", "0", "foo boo"), re.sub(r"x*", "-", "abc"), re.findall(r"[^aeiou\s]+", "hello world"))
try:
    re.compile("(unclosed")
except re.error as e:
    print("re.error:", type(e).__name__)
