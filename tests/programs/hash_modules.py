import _md5,_sha1,_sha256,_sha512,_sha3,_blake2
print(_md5.md5(b"abc").hexdigest(), _sha1.sha1(b"abc").hexdigest())
print(_sha256.sha224(b"abc").hexdigest(), _sha512.sha384(b"abc").hexdigest())
for c in [_sha3.sha3_224,_sha3.sha3_256,_sha3.sha3_384,_sha3.sha3_512,_sha3.shake_128,_sha3.shake_256]:
    h=c(b"abc"); print(h.name,h.digest_size,h.block_size,h._capacity_bits,h._rate_bits,h._suffix)
    print(h.hexdigest(10) if h.digest_size == 0 else h.hexdigest())
print(_blake2.blake2b(b"abc").hexdigest())
print(_blake2.blake2s(b"abc", digest_size=16, key=b"k", salt=b"s", person=b"p", fanout=2, depth=3, leaf_size=5, node_offset=7, node_depth=1, inner_size=8, last_node=True).hexdigest())
print(_blake2.blake2b(b"abc", digest_size=20, key=b"key"*5, salt=b"salt", person=b"me", last_node=True).hexdigest())
h=_sha256.sha256(); h.update(b"a"); c=h.copy(); c.update(b"b"); print(h.hexdigest(), c.hexdigest(), type(h).__name__, type(h).__module__)
print(_blake2.blake2b.SALT_SIZE, _blake2.BLAKE2S_MAX_KEY_SIZE)
import hashlib
print(hashlib.md5(b"x").hexdigest(), hashlib.sha3_256(b"").hexdigest(), hashlib.new("sha512", b"y").hexdigest()[:20], hashlib.new("blake2b", b"z", digest_size=4).hexdigest())
print(hashlib.blake2b(b'x', digest_size=8).hexdigest(), sorted(hashlib.algorithms_guaranteed))

for f in [lambda: _md5.md5("s"), lambda: _md5.md5(1), lambda: _md5.md5().update("x"), lambda: _md5.md5().update(3),
  lambda: _blake2.blake2b(digest_size=0), lambda: _blake2.blake2b(salt=b'x'*17), lambda: _blake2.blake2b(person=b'x'*17),
  lambda: _blake2.blake2b(key=b'x'*65), lambda: _blake2.blake2b(fanout=256), lambda: _blake2.blake2b(depth=0),
  lambda: _blake2.blake2b(leaf_size=-1), lambda: _blake2.blake2b(leaf_size=2**32), lambda: _blake2.blake2s(node_offset=2**48),
  lambda: _blake2.blake2b(node_depth=256), lambda: _blake2.blake2b(inner_size=65), lambda: _blake2.blake2s(inner_size=33),
  lambda: _blake2.blake2b(data=b''), lambda: _blake2.blake2b(b'', b''), lambda: _sha3.sha3_256(data=b''),
  lambda: _sha3.shake_128().digest(), lambda: _sha3.shake_128().digest(-1), lambda: _md5.md5(b'', b''), lambda: _blake2.blake2s(digest_size=33),
  lambda: _blake2.blake2b(node_offset=-1), lambda: _blake2.blake2b(fanout=-1), lambda: _sha256.sha224().name,
  lambda: _md5.md5(b'x').hexdigest(), lambda: _sha3.shake_256(b'x').hexdigest(4), lambda: _md5.md5(bytearray(b'x')).hexdigest(),
  lambda: _md5.md5(string=b'x').hexdigest(), lambda: _md5.md5(usedforsecurity=False).hexdigest(), lambda: type(_md5.md5())(),
  lambda: hashlib.new('nope'), lambda: hashlib.sha256(b'a' * 1000).hexdigest(), lambda: callable(hashlib.file_digest)]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
import hashlib, io
h = hashlib.sha1()
for i in range(100):
    h.update(str(i).encode())
print(h.hexdigest(), h.copy().digest_size, h.block_size, hashlib.sha3_512(b"abc").digest()[:4])
print(hashlib.shake_128(b"abc").hexdigest(20), hashlib.blake2s(b"abc", person=b"me").hexdigest())
