import gzip, io
data = b"stitch " * 1000
c = gzip.compress(data, mtime=0)
print(len(c) > 0, gzip.decompress(c) == data)
print(gzip.decompress(b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00\x00\x00'))
