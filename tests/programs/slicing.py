# Slicing: get, set, delete, steps, negative indices, slice objects.
s = list(range(10))
print(s[2:5], s[:3], s[7:], s[-3:], s[:-7], s[::3], s[1::2], s[::-2], s[8:2:-2], s[-1:-4:-1])
print(s[100:], s[-100:2], s[5:5], s[slice(1, 4)], s[slice(None, None, -1)])
t = s[:]
t[2:4] = [20, 30, 40]
print(t)
t[:0] = ["start"]
t[len(t):] = ["end"]
print(t)
t[1::3] = ["a", "b", "c", "d"]
print(t)
del t[::2]
print(t)
del t[-1]
del t[:2]
print(t)
st = "abcdefgh"
print(st[::-1], st[1:-1], st[::3], st[-2:], st[10:], st[3:1])
tp = tuple(range(6))
print(tp[1:4], tp[::-1], tp[::2])
sl = slice(1, 10, 2)
print(sl.start, sl.stop, sl.step, s[sl])
try:
    t[::2] = [1]
except ValueError as e:
    print("ValueError:", e)
try:
    s[::0]
except ValueError as e:
    print("ValueError:", e)
r = range(20)
print(r[5:10], r[::5], list(r[::-7]))
