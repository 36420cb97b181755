# String building kernel: formatting, concatenation, join and str methods.
parts = []
for i in range(200000):
    s = "item-%d" % i
    if i % 2:
        s = s.upper()
    parts.append(s + ":" + str(i * 3))
text = ",".join(parts)
words = text.split(",")
count = 0
for w in words:
    if w.startswith("ITEM") and w.endswith("9"):
        count += 1
acc = ""
for i in range(20000):
    acc += f"{i:05d}|"
print(len(text), len(words), count, len(acc), acc[-12:])
