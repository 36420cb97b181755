import hmac, hashlib
print(hmac.new(b"key", b"msg", "sha256").hexdigest())
print(hmac.digest(b"key", b"msg", "md5"))
h = hmac.new(b"k" * 200, digestmod=hashlib.sha1)
h.update(b"part1")
c = h.copy()
c.update(b"part2")
print(h.hexdigest(), c.hexdigest(), h.name, h.digest_size, h.block_size)
print(hmac.compare_digest(b"abc", b"abc"), hmac.compare_digest("abc", "abd"))
print(hmac.new(b"key", b"msg", "blake2b").hexdigest()[:32], hmac.new(b"", b"", "sha3_256").hexdigest())
try:
    hmac.new(b"key")
except TypeError as e:
    print("TypeError", e)
