# The re module on a realistic workload: compiling many patterns (cache purged),
# search/findall/finditer over a log-like text, sub with strings and functions, split.
import re

words = ["alpha", "beta", "gamma", "delta", "error", "warning", "info", "user42", "x-ray"]
lines = []
for i in range(3000):
    w = words[i % len(words)]
    lines.append("2024-01-%02d 12:%02d:%02d [%s] id=%d user=%s@example.com path=/api/v%d/items?q=%s&n=%d"
                 % (i % 28 + 1, i % 60, (i * 7) % 60, w.upper(), i, w, i % 3, w, i))
text = "\n".join(lines)

patterns = [
    r"(\d{4})-(\d{2})-(\d{2})", r"\[(ERROR|WARNING)\]", r"id=(\d+)", r"[\w.+-]+@[\w-]+\.\w+",
    r"/api/v(\d)/(\w+)\?(.*)$", r"(?i)user\d+", r"\b[a-z]+-[a-z]+\b", r"q=([^&]+)&n=(\d+)",
    r"^\S+ \S+ \[INFO\]", r"(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)",
]
total = 0
for rep in range(8):
    re.purge()
    compiled = [re.compile(p, re.M) for p in patterns]
    for p in compiled:
        total += len(p.findall(text))
        m = p.search(text)
        total += m.end() if m else 0
    for m in compiled[9].finditer(text):
        total += int(m.group("s"))
    total += len(compiled[2].sub(lambda m: "id=" + str(int(m.group(1)) * 2), text))
    total += len(compiled[0].sub(r"\3/\2/\1", text))
    total += len(re.split(r"\s+", text))
    for line in lines[:500]:
        if re.match(r"\d+-\d+-\d+ .*\[ERROR\]", line):
            total += 1
print(total)
