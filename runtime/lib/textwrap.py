"""Text wrapping and filling (the common parts of textwrap)."""
import re as _re


def _split_words(text):
    return text.split()


def wrap(text, width=70, *, initial_indent="", subsequent_indent="", break_long_words=True, **kwargs):
    words = _split_words(text)
    lines = []
    cur = []
    cur_len = 0
    indent = initial_indent
    for w in words:
        avail = width - len(indent)
        while break_long_words and len(w) > avail and not cur:
            lines.append(indent + w[:avail])
            w = w[avail:]
            indent = subsequent_indent
            avail = width - len(indent)
        extra = len(w) + (1 if cur else 0)
        if cur and cur_len + extra > avail:
            lines.append(indent + " ".join(cur))
            indent = subsequent_indent
            cur = [w]
            cur_len = len(w)
        else:
            cur.append(w)
            cur_len += extra
    if cur:
        lines.append(indent + " ".join(cur))
    return lines


def fill(text, width=70, **kwargs):
    return "\n".join(wrap(text, width, **kwargs))


def shorten(text, width, *, placeholder=" [...]", **kwargs):
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    words = text.split()
    out = ""
    for w in words:
        cand = (out + " " + w) if out else w
        if len(cand) + len(placeholder) > width:
            break
        out = cand
    return (out + placeholder).lstrip()


def dedent(text):
    lines = text.split("\n")
    margin = None
    for line in lines:
        stripped = line.lstrip()
        if not stripped:
            continue
        indent = line[:len(line) - len(stripped)]
        if margin is None:
            margin = indent
        else:
            common = 0
            for a, b in zip(margin, indent):
                if a != b:
                    break
                common += 1
            margin = margin[:common]
    if not margin:
        return "\n".join(l if l.strip() else "" for l in lines)
    return "\n".join(l[len(margin):] if l.strip() else "" for l in lines)


def indent(text, prefix, predicate=None):
    if predicate is None:
        predicate = lambda line: line.strip()
    return "".join(prefix + line if predicate(line) else line for line in text.splitlines(True))
