# Regular expressions over a long non-ASCII str at many positions (a tokenizer's loop,
# as tomli's): the str keeps its code points once decoded, so each match starts at
# its position without decoding the text again; results are CPython's.
import re

words = ["naïve", "café", "x", "日本語", "emoji😀", "plain", "Ωmega"]
text = " ".join(words[i % len(words)] + str(i) for i in range(20000))
token = re.compile(r"\s*([^\d\s]+)(\d+)")
pos = 0
count = 0
last = None
checksum = 0
while pos < len(text):
    m = token.match(text, pos)
    if not m:
        break
    count += 1
    checksum = (checksum * 31 + len(m.group(1)) + int(m.group(2))) % 1000003
    last = (m.group(1), m.group(2), m.start(1), m.end(2))
    pos = m.end()
print(count, checksum, last, pos == len(text))
print(re.findall(r"日本語1\d\b", text)[:5], len(re.findall(r"😀", text)))
print(re.search(r"naïve(\d+)$", text).groups(), text[-12:])
print(re.sub(r"\d+", "#", text[:60]))
s = "é" * 300 + "\ud800x" + "a" * 10
m = re.search(r"\ud800(.)", s)
print(m.start(), repr(m.group(0)), m.group(1), len(re.findall("é", s)))
print([m.span() for m in re.finditer(r"é{100}", s)])
