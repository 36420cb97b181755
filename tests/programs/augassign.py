# Augmented assignment on names, attributes, subscripts.
x = 10
x += 5; x -= 3; x *= 2; x //= 5; x **= 3; x %= 7; x <<= 2; x >>= 1; x |= 8; x &= 14; x ^= 3
print(x)
f = 1.5
f /= 2; f += 1
print(f)
class C:
    pass
c = C()
c.v = 1
c.v += 10
c.v *= 3
print(c.v)
d = {"k": 1}
d["k"] += 5
d["new"] = d.get("new", 0) + 1
print(d)
l = [1, 2, 3]
l[0] += 100
l[-1] *= 2
print(l)
s = "ab"
s += "cd"
s *= 2
print(s)
t = (1,)
t += (2,)
print(t)
m = [[0]]
m[0][0] += 7
print(m)
cnt = {}
for ch in "hello":
    cnt[ch] = cnt.get(ch, 0) + 1
print(cnt)
