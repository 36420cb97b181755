# dict views as sets, reversed views, hashlib digests, random seeded by str/bytes.
import hashlib
import random

d = {1: 'a', 2: 'b', 3: 'c'}
print(d.keys() & {1, 2}, d.keys() | {9}, d.keys() - {1}, d.keys() ^ {1, 7})
print({2, 5} & d.keys(), {2, 5} - d.keys(), [3, 4] | d.keys() if False else None)
print(d.items() & {(1, 'a')}, d.items() - {(2, 'b')} == {(1, 'a'), (3, 'c')})
print({2}.isdisjoint(d.keys()), d.keys() == {1, 2, 3}, d.keys() != {1}, d.keys() <= {1, 2, 3, 4})
print(d.keys() == {1: 0, 2: 0, 3: 0}.keys(), d.keys() < {1, 2, 3}, d.keys() >= {1})
print(sorted(d.keys() & [3, 4]), sorted(d.keys() - "ab"))
print(list(reversed(d.keys())), list(reversed(d.values())), list(reversed(d.items())))
try:
    d.keys() & 5
except TypeError as e:
    print("TypeError:", e)
try:
    d.values() & {1}
except TypeError as e:
    print("TypeError:", e)

for name in ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]:
    h = hashlib.new(name, b"stitch")
    print(name, h.digest_size, h.block_size, h.hexdigest())
h = hashlib.sha256()
h.update(b"hello ")
c = h.copy()
h.update(b"world")
print(h.hexdigest() == hashlib.sha256(b"hello world").hexdigest(), c.hexdigest())
print(hashlib.md5("ünïcode".encode()).hexdigest(), hashlib.sha1(b"").digest()[:4])
try:
    hashlib.md5("text")
except TypeError as e:
    print("TypeError:", e)

for seed in ["hello", "", "ünïcode", b"bytes", bytearray(b"ba")]:
    random.seed(seed)
    print(repr(seed), random.random(), random.randint(1, 1000), random.choice("abcdef"))
r = random.Random("instance")
print(r.random(), r.gauss(0, 1))
