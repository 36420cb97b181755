# Scanning big buffers: indexing, find/rfind/index/count and slices must not copy
# the whole buffer per call (this loop was quadratic), and keep CPython's results.
data = bytes(range(256)) * 2000
ba = bytearray(data)
total = 0
for i in range(0, len(data), 7):
    total += data[i] + ba[-i - 1]
print(total)
pos, hits = 0, 0
while True:
    pos = data.find(b"\xfe\xff\x00", pos)
    if pos < 0:
        break
    hits += 1
    pos += 1
print(hits, data.rfind(b"\x01\x02"), ba.find(b"\x10", 5000, 6000), data.count(b"\x00\x01"))
print(data.find(b"zz"), data.find(b"", 10), data.find(b"\x05", -10), ba.rfind(255, 0, 300))
print(data.index(b"\x03", 4), data[10:20], ba[30:10:-3], data[::100000])
try:
    data.index(b"nope")
except ValueError as e:
    print("ValueError:", e)
try:
    ba[len(ba)]
except IndexError as e:
    print("IndexError:", e)
print(5 in data, 300 in data if False else None, b"\x07\x08" in ba)
lst = list(range(50))
print(lst[3:9], lst[::-7], lst[40:100], lst[-3:], lst[10:2])
