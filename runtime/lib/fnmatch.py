"""fnmatch: shell-style wildcards (*, ?, [seq], [!seq]) translated to regular expressions."""
import re
import os

__all__ = ["filter", "fnmatch", "fnmatchcase", "translate"]
_cache = {}


def translate(pat):
    i, n = 0, len(pat)
    out = []
    while i < n:
        c = pat[i]
        i += 1
        if c == "*":
            if not out or out[-1] != ".*":
                out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = i
            if j < n and pat[j] == "!":
                j += 1
            if j < n and pat[j] == "]":
                j += 1
            while j < n and pat[j] != "]":
                j += 1
            if j >= n:
                out.append("\\[")
            else:
                stuff = pat[i:j].replace("\\", "\\\\")
                i = j + 1
                if stuff.startswith("!"):
                    stuff = "^" + stuff[1:]
                elif stuff.startswith("^"):
                    stuff = "\\" + stuff
                out.append(f"[{stuff}]")
        else:
            out.append(re.escape(c))
    return "(?s)(?:" + "".join(out) + r")\Z"


def _compile(pat):
    r = _cache.get(pat)
    if r is None:
        r = _cache[pat] = re.compile(translate(pat))
    return r


def fnmatchcase(name, pat):
    return _compile(pat).match(name) is not None


def fnmatch(name, pat):
    return fnmatchcase(os.path.normcase(name) if hasattr(os.path, "normcase") else name, pat)


def filter(names, pat):
    m = _compile(pat)
    return [n for n in names if m.match(n)]
