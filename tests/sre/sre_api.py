# _sre's Pattern, Match and Scanner objects: attributes, reprs, arguments, errors.
# (Flags: 2 IGNORECASE, 8 MULTILINE, 16 DOTALL, 32 UNICODE, 256 ASCII.)


def show(m):
    if m is None:
        return None
    return (m.span(), m.group(), m.groups(), m.lastindex, m.lastgroup)


def attempt(f, *args, **kw):
    try:
        return f(*args, **kw)
    except Exception as e:
        return f"{type(e).__name__}: {e}"


print(_sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS, _sre.getcodesize())
print([_sre.ascii_iscased(c) for c in (65, 97, 48, 223, 0x130)])
print([_sre.unicode_iscased(c) for c in (65, 48, 223, 0x130, 0x3c3, 0x2160)])
print([_sre.ascii_tolower(c) for c in (65, 90, 91, 196)])
print([_sre.unicode_tolower(c) for c in (65, 196, 0x130, 0x3a3, 0x212A, 0x1E9E)])

# Pattern attributes and repr
p = C(r"(?P<word>\w+)\s+(?P<num>\d+)?(x)?")
print(p.pattern, p.flags, p.groups, sorted(p.groupindex.items()))
print(repr(p))
print(repr(C("abc", 2)), repr(C("abc", 8 | 16)), repr(C("abc", 256)))
print(repr(C(b"abc")), repr(C(b"abc", 2)))
print(repr(C("x" * 300))[:40], len(repr(C("x" * 300))))
print(type(p).__name__, type(p).__module__)
print(p == C(r"(?P<word>\w+)\s+(?P<num>\d+)?(x)?"), p == C("abc"), p != C("abc"), p == 1)
print(hash(p) == hash(C(r"(?P<word>\w+)\s+(?P<num>\d+)?(x)?")))
print(p.__copy__() is p, p.__deepcopy__({}) is p)

# Match objects
m = p.search("  hello 42 tail")
print(repr(m))
print(m.group(), m.group(0), m.group(1), m.group("num"), m.group(1, "word", 3))
print(m[0], m[1], m["num"], m[3])
print(m.groups(), m.groups("-"), m.groupdict(), m.groupdict("?"))
print(m.start(), m.end(), m.span(), m.start(1), m.end("num"), m.span(3), m.start(3))
print(m.regs, m.lastindex, m.lastgroup, m.pos, m.endpos, m.string, m.re == p)
print(type(m).__name__, type(m).__module__)
print(attempt(m.group, 4), attempt(m.group, "nope"), attempt(m.group, -1))
print(attempt(m.start, 9), attempt(lambda: m[5]), attempt(m.group, 1.5))
print(m.group(True), m.span(False))
m2 = C(r"(a)|(b)").match("b")
print(m2.lastindex, m2.lastgroup, m2.groups(), m2.span(1))
m3 = C(r"(?P<x>a)(?P<y>b)?").match("ac")
print(m3.lastgroup, m3.groupdict(), m3.groupdict(0))
print(repr(C("a*").match("a" * 80)))
print(repr(C(b"[a-c]+").search(b"xxabcabc")))
print(repr(C("").match("")), repr(C("'").match("'")))

# pos / endpos, keywords, argument errors
q = C("b+")
print(show(q.search("abbbcbb", 2)), show(q.search("abbbcbb", 2, 3)))
print(show(q.search("abbbcbb", -5)), show(q.search("abbbcbb", 5, 100)))
print(show(q.search("abbbcbb", 10)), show(q.match("abbbcbb", 1)), show(q.fullmatch("abbbcbb", 1, 4)))
print(show(q.search(string="abb", pos=1)), show(q.match("abb", endpos=2, pos=1)))
print(q.search("abb", 1).pos, q.search("abb", 1, 99).endpos)
print(show(C("").match("abc", 2, 1)))
print(attempt(q.search), attempt(q.search, "a", "b"), attempt(q.search, "a", 1, 2, 3))
print(attempt(q.search, "a", nope=1), attempt(q.search, "a", string="b"))
print(attempt(q.search, 12), attempt(q.search, b"abc"), attempt(C(b"x").search, "x"))
print(attempt(q.search, "abc", 1.0))
print(show(q.search(bytearray(b"") or "xbb")))
print(show(C(b"b+").search(bytearray(b"abbc"))), show(C(b"b+").search(b"abbc")))

# findall / finditer / scanner
print(C(r"\d+").findall("a1b22c333"), C(r"(\d)(\d)?").findall("1 23 456"))
print(C(r"(\w)\d").findall("a1 b2 c"), C("").findall("abc"), C("x*").findall("axxb"))
print(C(r"\w+").findall("héllo wörld ñ"), C(r"\d+").findall("a1b2", 2))
print([m.span() for m in C(r"\w*").finditer("ab cd")])
print([m.group() for m in C("a|").finditer("baac", 1, 3)])
it = C("x").finditer("xx")
print(next(it).span(), next(it).span(), next(it, "done"))
sc = C(r"\d").scanner("12a3")
print(show(sc.match()), show(sc.match()), show(sc.match()), show(sc.match()), sc.pattern.pattern)
sc = C(r"\d").scanner("12a3")
print(show(sc.search()), show(sc.search()), show(sc.search()), show(sc.search()))
sc = C("a*").scanner("baa")
print([show(sc.search()) for _ in range(5)])

# split
print(C(",").split("a,b,,c"), C(",").split("a,b,c", 1), C(",").split("a,b,c", maxsplit=-1))
print(C("(,)").split("a,b"), C("(,)|(;)").split("a,b;c"), C("x*").split("axbc"))
print(C(r"\b").split("hi there"), C("").split("abc"), C("^$").split(""))
print(C(b"-").split(b"a-b"), C(b"-").split(bytearray(b"a-b")))

# sub / subn
print(C("a").sub("-", "banana"), C("a").sub("-", "banana", 2), C("a").subn("", "banana"))
print(C("a").sub("-", "banana", count=-1), C("x*").sub("-", "abxd"), C("").subn("/", "ab"))
print(C(r"\d").sub(lambda m: str(int(m.group()) * 2), "a1b2c9"))
print(C(r"\w").sub(lambda m: None, "ab,c"), C("b").subn(lambda m: m.group().upper(), "abcb"))
print(attempt(C("b").sub, lambda m: 1, "abc"), attempt(C(b"b").sub, lambda m: "x", b"abc"))
print(C(b"b").sub(b"X", b"abcb"), C(b"b").sub(bytearray(b"Y"), bytearray(b"bb")))
print(C(b"b").sub(lambda m: bytearray(b"Z"), b"abc"))
print(C("é").sub("e", "café crème"), C("(?i)É").subn("E", "éÉe"))
print(attempt(C("a").sub, "x", 5), attempt(C("a").sub, "x"))

# Unicode positions
u = "ÀÉÎ abc ñ 𝔘𝔫𝔦"
print(show(C(r"\w+").search(u, 3)), show(C("[𝔘-𝔫]+").search(u)), C(r"\s").split(u))
print(show(C("(?i)àéî").match(u)), show(C(r"(?u)\W+").search(u)))

# Backtracking runs on the heap: long repeats and deep alternation do not overflow.
long = "ab" * 50000
print(show(C("(?:a|b)*c").match(long)), len(C("(?:ab)*").match(long).group()))
print(C("(a|b)*?c").search(long + "c").span())
print(len(C("(?:(a)|b)+").match(long).group()), C("(?:(a)|b)+").match(long).lastindex)
print(show(C("(a+)+b").match("a" * 16)))
print(C("(x+x+)+y").search("x" * 14) is None)
