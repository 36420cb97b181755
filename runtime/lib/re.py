"""Regular expressions: a backtracking matcher for Python's `re` syntax (pure Python).

Supported: literals and escapes, ., classes [...] with ranges and negation, \\d \\w \\s
\\D \\W \\S \\b \\B \\A \\Z, ^ $, groups (capturing, (?:...), (?P<name>...), (?P=name)),
backreferences \\1, alternation, greedy and lazy quantifiers * + ? {m,n}, lookahead
(?=...) (?!...), lookbehind of fixed width (?<=...) (?<!...), and the flags I, M, S, X.
"""

__all__ = ["compile", "match", "fullmatch", "search", "findall", "finditer", "sub", "subn",
           "split", "escape", "error", "Pattern", "Match", "IGNORECASE", "I", "MULTILINE", "M",
           "DOTALL", "S", "VERBOSE", "X", "ASCII", "A"]

I = IGNORECASE = 2
M = MULTILINE = 8
S = DOTALL = 16
X = VERBOSE = 64
A = ASCII = 256
U = UNICODE = 32


class error(Exception):
    def __init__(self, msg, pattern=None, pos=None):
        super().__init__(msg if pos is None else f"{msg} at position {pos}")
        self.msg = msg
        self.pattern = pattern
        self.pos = pos


# ---- parser: pattern string -> node tree ------------------------------------------------
# Nodes are tuples: ("lit", ch) ("any",) ("class", items, negated) ("cat", [nodes])
# ("alt", [nodes]) ("group", index, node) ("ncgroup", node) ("repeat", node, min, max, greedy)
# ("bol",) ("eol",) ("start",) ("end",) ("wordb",) ("nwordb",) ("backref", index)
# ("look", node, ahead, negate, width)

_DIGITS = ("range", "0", "9")


class _Parser:
    def __init__(self, pattern, flags):
        self.p = pattern
        self.i = 0
        self.flags = flags
        self.ngroups = 0
        self.names = {}

    def error(self, msg):
        raise error(msg, self.p, self.i)

    def peek(self):
        return self.p[self.i] if self.i < len(self.p) else None

    def parse(self):
        node = self.alt()
        if self.i < len(self.p):
            if self.p[self.i] == ")":
                self.error("unbalanced parenthesis")
            self.error("unexpected character")
        return node

    def alt(self):
        branches = [self.cat()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.cat())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def cat(self):
        items = []
        while True:
            c = self.peek()
            if c is None or c in "|)":
                break
            if self.flags & VERBOSE:
                if c in " \t\n\r\f\v":
                    self.i += 1
                    continue
                if c == "#":
                    while self.i < len(self.p) and self.p[self.i] != "\n":
                        self.i += 1
                    continue
            atom = self.atom()
            atom = self.quantifier(atom)
            items.append(atom)
        return items[0] if len(items) == 1 else ("cat", items)

    def quantifier(self, atom):
        c = self.peek()
        if c is None:
            return atom
        lo = hi = None
        if c == "*":
            lo, hi = 0, None
            self.i += 1
        elif c == "+":
            lo, hi = 1, None
            self.i += 1
        elif c == "?":
            lo, hi = 0, 1
            self.i += 1
        elif c == "{":
            j = self.p.find("}", self.i)
            body = self.p[self.i + 1:j] if j > 0 else ""
            parts = body.split(",")
            if j > 0 and len(parts) <= 2 and all(x.strip().isdigit() or x.strip() == "" for x in parts) and body.strip():
                if len(parts) == 1:
                    lo = hi = int(parts[0])
                else:
                    lo = int(parts[0]) if parts[0].strip() else 0
                    hi = int(parts[1]) if parts[1].strip() else None
                self.i = j + 1
            else:
                return atom
        else:
            return atom
        if atom[0] in ("bol", "eol", "start", "end", "wordb", "nwordb"):
            self.error("nothing to repeat")
        greedy = True
        if self.peek() == "?":
            greedy = False
            self.i += 1
        elif self.peek() == "+":
            self.i += 1
        if self.peek() in ("*", "+", "?") and self.peek() is not None:
            self.error("multiple repeat")
        return ("repeat", atom, lo, hi, greedy)

    def atom(self):
        p = self.p
        c = p[self.i]
        self.i += 1
        if c == ".":
            return ("any",)
        if c == "^":
            return ("bol",)
        if c == "$":
            return ("eol",)
        if c == "(":
            return self.group()
        if c == "[":
            return self.klass()
        if c == "\\":
            return self.escape(in_class=False)
        if c in "*+?":
            self.error("nothing to repeat")
        return ("lit", c)

    def group(self):
        p = self.p
        if p.startswith("?:", self.i):
            self.i += 2
            node = self.alt()
            self.expect(")")
            return ("ncgroup", node)
        if p.startswith("?P<", self.i):
            j = p.find(">", self.i)
            name = p[self.i + 3:j]
            self.i = j + 1
            self.ngroups += 1
            idx = self.ngroups
            self.names[name] = idx
            node = self.alt()
            self.expect(")")
            return ("group", idx, node)
        if p.startswith("?P=", self.i):
            j = p.find(")", self.i)
            name = p[self.i + 3:j]
            self.i = j + 1
            if name not in self.names:
                self.error(f"unknown group name '{name}'")
            return ("backref", self.names[name])
        if p.startswith("?=", self.i) or p.startswith("?!", self.i):
            neg = p[self.i + 1] == "!"
            self.i += 2
            node = self.alt()
            self.expect(")")
            return ("look", node, True, neg, 0)
        if p.startswith("?<=", self.i) or p.startswith("?<!", self.i):
            neg = p[self.i + 2] == "!"
            self.i += 3
            node = self.alt()
            self.expect(")")
            w = _width(node)
            if w is None:
                self.error("look-behind requires fixed-width pattern")
            return ("look", node, False, neg, w)
        if p.startswith("?#", self.i):
            j = p.find(")", self.i)
            self.i = j + 1
            return ("cat", [])
        if p.startswith("?", self.i):
            j = self.i + 1
            fl = 0
            while j < len(p) and p[j] in "aiLmsux":
                fl |= {"i": IGNORECASE, "m": MULTILINE, "s": DOTALL, "x": VERBOSE, "a": ASCII, "u": 0, "L": 0}[p[j]]
                j += 1
            if j < len(p) and p[j] == ")":
                self.flags |= fl
                self.i = j + 1
                return ("cat", [])
            self.error("unknown extension")
        self.ngroups += 1
        idx = self.ngroups
        node = self.alt()
        self.expect(")")
        return ("group", idx, node)

    def expect(self, ch):
        if self.peek() != ch:
            self.error("missing ), unterminated subpattern")
        self.i += 1

    def escape(self, in_class):
        p = self.p
        if self.i >= len(p):
            self.error("bad escape (end of pattern)")
        c = p[self.i]
        self.i += 1
        if c == "d":
            return ("class", [_DIGITS], False)
        if c == "D":
            return ("class", [_DIGITS], True)
        if c == "w":
            return ("class", [("word",)], False)
        if c == "W":
            return ("class", [("word",)], True)
        if c == "s":
            return ("class", [("space",)], False)
        if c == "S":
            return ("class", [("space",)], True)
        if not in_class:
            if c == "b":
                return ("wordb",)
            if c == "B":
                return ("nwordb",)
            if c == "A":
                return ("start",)
            if c == "Z":
                return ("end",)
            if c.isdigit() and c != "0":
                num = c
                while self.i < len(p) and p[self.i].isdigit() and len(num) < 2:
                    num += p[self.i]
                    self.i += 1
                return ("backref", int(num))
        simple = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "0": "\0"}
        if c in simple:
            return ("lit", simple[c])
        if c == "b" and in_class:
            return ("lit", "\b")
        if c == "x":
            h = p[self.i:self.i + 2]
            self.i += 2
            return ("lit", chr(int(h, 16)))
        if c == "u":
            h = p[self.i:self.i + 4]
            self.i += 4
            return ("lit", chr(int(h, 16)))
        if c.isalnum():
            self.error(f"bad escape \\{c}")
        return ("lit", c)

    def klass(self):
        p = self.p
        negated = False
        if self.peek() == "^":
            negated = True
            self.i += 1
        items = []
        first = True
        while True:
            if self.i >= len(p):
                self.error("unterminated character set")
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "\\":
                self.i += 1
                e = self.escape(in_class=True)
                if e[0] == "class":
                    if e[2]:
                        items.append(("not", e[1]))
                    else:
                        items.extend(e[1])
                    continue
                lo = e[1]
            else:
                self.i += 1
                lo = c
            if self.peek() == "-" and self.i + 1 < len(p) and p[self.i + 1] != "]":
                self.i += 1
                hc = p[self.i]
                if hc == "\\":
                    self.i += 1
                    hc = self.escape(in_class=True)[1]
                else:
                    self.i += 1
                if hc < lo:
                    self.error("bad character range")
                items.append(("range", lo, hc))
            else:
                items.append(("char", lo))
        return ("class", items, negated)


def _width(node):
    k = node[0]
    if k in ("lit", "any", "class"):
        return 1
    if k in ("bol", "eol", "start", "end", "wordb", "nwordb", "look"):
        return 0
    if k == "cat":
        total = 0
        for n in node[1]:
            w = _width(n)
            if w is None:
                return None
            total += w
        return total
    if k == "alt":
        ws = {_width(n) for n in node[1]}
        return ws.pop() if len(ws) == 1 else None
    if k in ("group", "ncgroup"):
        return _width(node[-1])
    if k == "repeat" and node[2] == node[3]:
        w = _width(node[1])
        return None if w is None else w * node[2]
    return None


def _is_word(c):
    return c.isalnum() or c == "_"


def _class_match(items, c, icase):
    for it in items:
        k = it[0]
        if k == "char":
            if c == it[1] or (icase and c.lower() == it[1].lower()):
                return True
        elif k == "range":
            if it[1] <= c <= it[2]:
                return True
            if icase and (it[1] <= c.lower() <= it[2] or it[1] <= c.upper() <= it[2]):
                return True
        elif k == "word":
            if _is_word(c):
                return True
        elif k == "space":
            if c in " \t\n\r\f\v":
                return True
        elif k == "not":
            if not _class_match(it[1], c, icase):
                return True
    return False


# ---- matcher: continuation-passing backtracking ----------------------------------------

class _State:
    __slots__ = ("s", "flags", "groups", "endpos")

    def __init__(self, s, flags, ngroups, endpos):
        self.s = s
        self.flags = flags
        self.groups = [None] * (ngroups + 1)
        self.endpos = endpos


def _m(node, st, i, k):
    """Match `node` at position i; on success call k(i2) and return its result."""
    kind = node[0]
    s = st.s
    if kind == "lit":
        if i < st.endpos:
            c = s[i]
            if c == node[1] or (st.flags & IGNORECASE and c.lower() == node[1].lower()):
                return k(i + 1)
        return None
    if kind == "any":
        if i < st.endpos and (s[i] != "\n" or st.flags & DOTALL):
            return k(i + 1)
        return None
    if kind == "class":
        if i < st.endpos and _class_match(node[1], s[i], st.flags & IGNORECASE) != node[2]:
            return k(i + 1)
        return None
    if kind == "cat":
        return _cat(node[1], 0, st, i, k)
    if kind == "alt":
        for b in node[1]:
            r = _m(b, st, i, k)
            if r is not None:
                return r
        return None
    if kind == "group":
        idx = node[1]
        old = st.groups[idx]

        def close(j):
            saved = st.groups[idx]
            st.groups[idx] = (i, j)
            r = k(j)
            if r is None:
                st.groups[idx] = saved
            return r
        r = _m(node[2], st, i, close)
        if r is None:
            st.groups[idx] = old
        return r
    if kind == "ncgroup":
        return _m(node[1], st, i, k)
    if kind == "repeat":
        return _repeat(node, st, i, k, 0)
    if kind == "bol":
        if i == 0 or (st.flags & MULTILINE and s[i - 1] == "\n"):
            return k(i)
        return None
    if kind == "eol":
        n = len(s)
        if i == n or (i == n - 1 and s[i] == "\n") or (st.flags & MULTILINE and s[i] == "\n"):
            return k(i)
        return None
    if kind == "start":
        return k(i) if i == 0 else None
    if kind == "end":
        return k(i) if i == len(s) else None
    if kind in ("wordb", "nwordb"):
        a = i > 0 and _is_word(s[i - 1])
        b = i < len(s) and _is_word(s[i])
        if (a != b) == (kind == "wordb"):
            return k(i)
        return None
    if kind == "backref":
        g = st.groups[node[1]]
        if g is None:
            return None
        sub = s[g[0]:g[1]]
        if s.startswith(sub, i):
            return k(i + len(sub))
        return None
    if kind == "look":
        _, sub, ahead, neg, width = node
        if ahead:
            found = _m(sub, st, i, lambda j: j) is not None
        else:
            found = i - width >= 0 and _m(sub, st, i - width, lambda j: j if j == i else None) is not None
        if found != neg:
            return k(i)
        return None
    raise error("internal: unknown node " + kind)


def _cat(items, n, st, i, k):
    if n == len(items):
        return k(i)
    return _m(items[n], st, i, lambda j: _cat(items, n + 1, st, j, k))


def _repeat(node, st, i, k, count):
    _, sub, lo, hi, greedy = node
    if count < lo:
        return _m(sub, st, i, lambda j: _repeat(node, st, j, k, count + 1) if j != i or count + 1 <= lo else None)
    if hi is not None and count >= hi:
        return k(i)
    if greedy:
        r = _m(sub, st, i, lambda j: _repeat(node, st, j, k, count + 1) if j != i else None)
        if r is not None:
            return r
        return k(i)
    r = k(i)
    if r is not None:
        return r
    return _m(sub, st, i, lambda j: _repeat(node, st, j, k, count + 1) if j != i else None)


# ---- public API --------------------------------------------------------------------------

class Match:
    def __init__(self, pattern, string, pos, endpos, groups):
        self.re = pattern
        self.string = string
        self.pos = pos
        self.endpos = endpos
        self._groups = groups

    def group(self, *idx):
        if not idx:
            idx = (0,)
        out = []
        for g in idx:
            if isinstance(g, str):
                if g not in self.re.groupindex:
                    raise IndexError("no such group")
                g = self.re.groupindex[g]
            if not 0 <= g < len(self._groups):
                raise IndexError("no such group")
            span = self._groups[g]
            out.append(None if span is None else self.string[span[0]:span[1]])
        return out[0] if len(out) == 1 else tuple(out)

    def __getitem__(self, g):
        return self.group(g)

    def groups(self, default=None):
        return tuple(default if s is None else self.string[s[0]:s[1]] for s in self._groups[1:])

    def groupdict(self, default=None):
        return {name: (default if self._groups[i] is None else self.string[self._groups[i][0]:self._groups[i][1]])
                for name, i in self.re.groupindex.items()}

    def start(self, g=0):
        if isinstance(g, str):
            g = self.re.groupindex[g]
        s = self._groups[g]
        return -1 if s is None else s[0]

    def end(self, g=0):
        if isinstance(g, str):
            g = self.re.groupindex[g]
        s = self._groups[g]
        return -1 if s is None else s[1]

    def span(self, g=0):
        return (self.start(g), self.end(g))

    @property
    def lastindex(self):
        last = None
        for i in range(1, len(self._groups)):
            if self._groups[i] is not None:
                last = i
        return last

    def expand(self, template):
        return _expand(self, template)

    def __bool__(self):
        return True

    def __repr__(self):
        return f"<re.Match object; span={self.span()!r}, match={self.group()!r}>"


class Pattern:
    def __init__(self, pattern, flags):
        self.pattern = pattern
        p = _Parser(pattern, flags)
        self._node = p.parse()
        self.flags = p.flags | 32
        self.groups = p.ngroups
        self.groupindex = dict(p.names)

    def _at(self, string, i, endpos, full=False):
        st = _State(string, self.flags, self.groups, endpos)
        if full:
            end = _m(self._node, st, i, lambda j: j if j == endpos else None)
        else:
            end = _m(self._node, st, i, lambda j: j)
        if end is None:
            return None
        st.groups[0] = (i, end)
        return Match(self, string, i, endpos, st.groups)

    def match(self, string, pos=0, endpos=None):
        return self._at(string, pos, len(string) if endpos is None else endpos)

    def fullmatch(self, string, pos=0, endpos=None):
        return self._at(string, pos, len(string) if endpos is None else endpos, True)

    def search(self, string, pos=0, endpos=None):
        endpos = len(string) if endpos is None else endpos
        for i in range(pos, endpos + 1):
            m = self._at(string, i, endpos)
            if m is not None:
                return m
        return None

    def finditer(self, string, pos=0, endpos=None):
        endpos = len(string) if endpos is None else endpos
        i = pos
        while i <= endpos:
            m = self._at(string, i, endpos)
            if m is None:
                i += 1
                continue
            yield m
            i = m.end() if m.end() > i else i + 1

    def findall(self, string, pos=0, endpos=None):
        out = []
        for m in self.finditer(string, pos, endpos):
            if self.groups == 0:
                out.append(m.group())
            elif self.groups == 1:
                out.append(m.group(1) or "")
            else:
                out.append(tuple(g or "" for g in m.groups()))
        return out

    def split(self, string, maxsplit=0):
        out = []
        last = 0
        n = 0
        for m in self.finditer(string):
            if maxsplit and n >= maxsplit:
                break
            if m.end() == m.start() and m.start() in (0, len(string)) and False:
                continue
            out.append(string[last:m.start()])
            out.extend(m.groups())
            last = m.end()
            n += 1
        out.append(string[last:])
        return out

    def subn(self, repl, string, count=0):
        out = []
        last = 0
        n = 0
        for m in self.finditer(string):
            if count and n >= count:
                break
            out.append(string[last:m.start()])
            out.append(repl(m) if callable(repl) else _expand(m, repl))
            last = m.end()
            n += 1
        out.append(string[last:])
        return "".join(out), n

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def __repr__(self):
        return f"re.compile({self.pattern!r})"

    def __eq__(self, other):
        return isinstance(other, Pattern) and self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self):
        return hash(self.pattern)


def _expand(m, template):
    out = []
    i = 0
    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template):
            n = template[i + 1]
            if n.isdigit():
                j = i + 1
                while j < len(template) and template[j].isdigit() and j < i + 3:
                    j += 1
                out.append(m.group(int(template[i + 1:j])) or "")
                i = j
                continue
            if n == "g" and template[i + 2:i + 3] == "<":
                j = template.index(">", i)
                name = template[i + 3:j]
                out.append(m.group(int(name) if name.isdigit() else name) or "")
                i = j + 1
                continue
            out.append({"n": "\n", "t": "\t", "\\": "\\", "r": "\r"}.get(n, "\\" + n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


_cache = {}


def compile(pattern, flags=0):
    if isinstance(pattern, Pattern):
        return pattern
    key = (pattern, flags)
    p = _cache.get(key)
    if p is None:
        p = Pattern(pattern, flags)
        if len(_cache) > 512:
            _cache.clear()
        _cache[key] = p
    return p


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


def escape(pattern):
    return "".join("\\" + c if not (c.isalnum() or c == "_") else c for c in pattern)


def purge():
    _cache.clear()
