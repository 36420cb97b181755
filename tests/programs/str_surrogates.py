# str holding lone surrogates (PEP 383): surrogateescape / surrogatepass, literals,
# chr/ord, repr, equality and hashing, ordering, str methods on such strings, codecs.
import codecs
import json
import marshal
import os
import re
import tempfile
import unicodedata

s = b'a\xffb'.decode('utf-8', 'surrogateescape')
print(repr(s), len(s), ascii(s), s.isascii(), s.isprintable())
print(s.encode('utf-8', 'surrogateescape'))
try:
    s.encode()
except UnicodeEncodeError as e:
    print(e, e.start, e.end, repr(e.object), e.reason)
try:
    'ab\ud800\udc00x'.encode('utf-8')
except UnicodeEncodeError as e:
    print(e)
try:
    b'\xff\x41'.decode('ascii', 'surrogateescape').encode('ascii')
except UnicodeEncodeError as e:
    print(e)
try:
    '\ud800'.encode('utf-8', 'surrogateescape')
except UnicodeEncodeError as e:
    print(e)

# literals, chr, ord
print(repr('\ud800'), repr('\udc80'), repr('x\U0000dfffy'), repr('\\ud800'), repr(r'\ud800'))
print(repr(chr(0xd800)), ord(chr(0xdc80)), ord('\udfff'), hex(ord('\ud800')))
print(len('\ud800\udc00'), repr('\ud800' '\udc00'), repr('\ufffd\ud800'))
print('\udc80' == chr(0xdc80), '\udc80' == '\U0010f080', '\U0010f080' == chr(0x10f080))
print(hash('\udc80') == hash(chr(0xdc80)), hash('\udc80') == hash('\U0010f080'))

# surrogatepass
print('\ud800'.encode('utf-8', 'surrogatepass'), repr(b'\xed\xa0\x80'.decode('utf-8', 'surrogatepass')))
print('\ud800'.encode('utf-16-le', 'surrogatepass'), '\udc00'.encode('utf-16-be', 'surrogatepass'))
print('\ud800'.encode('utf-32-le', 'surrogatepass'))
print(repr(b'\x00\xd8'.decode('utf-16-le', 'surrogatepass')))
try:
    b'\xed\xa0\x80'.decode('utf-8')
except UnicodeDecodeError as e:
    print(e)

# other handlers
print('a\udc80'.encode('ascii', 'backslashreplace'), '\udc80'.encode('latin-1', 'xmlcharrefreplace'))
print('\udc80z'.encode('utf-8', 'replace'), '\udc80z'.encode('utf-8', 'ignore'))
h = codecs.lookup_error('surrogateescape')
print(h(UnicodeDecodeError('utf-8', b'a\xfe', 1, 2, 'x')))
print(codecs.lookup_error('surrogatepass')(UnicodeEncodeError('utf-8', 'a\ud800', 1, 2, 'x')))
codecs.register_error('mine', lambda e: ('<%x>' % ord(e.object[e.start]), e.end))
print('q\udc81'.encode('utf-8', 'mine'))

# dict keys, sets, sorting
d = {s: 1, 'a\udcfeb': 2}
print(d[b'a\xffb'.decode('utf-8', 'surrogateescape')], len({'\ud800', chr(0xd800), '\ud801'}))
print(sorted(['\ue000', '\ud800', 'a', '\uffff', '\U00010000']))
print('\ud800' < '\ue000', '\udfff' > '\ud7ff', max(['\ud800', '\ue000']) == '\ue000')

# indexing, slicing, iteration
print(repr(s[1]), repr(s[1:]), repr(s[::-1]), repr(s[-1]), [repr(c) for c in s])
print(repr(list(reversed(s))))

# str methods and operators
print(repr(s.upper()), repr(s + 'z'), repr(s * 2), repr('-'.join([s, s])))
print(repr(s.split('\udcff')), repr(s.replace('b', '\udc80')), repr(s.partition('\udcff')))
print(repr(s.center(7, '*')), repr(s.strip('a')), s.find('\udcff'), s.count('\udcff'), '\udcff' in s)
print(repr(f'{s}!'), repr(f'{s:>6}'), repr('{}!'.format(s)), repr('%s!' % s), repr('%s%s' % (s, 'x')))
print(repr(str(s)), repr(s.title()), s.startswith('a\udcff'), repr(s.zfill(5)))

# json
print(repr(json.loads('"\\ud800"')), json.dumps('\udc80'), json.dumps(['a\ud800']))
print(repr(json.loads('["\\udc80x", {"\\ud801": 1}]')))
print(json.dumps('\udc80', ensure_ascii=False) == '"\udc80"')

# re, unicodedata
print(re.search('[\udc80-\udcff]', s), re.findall('\udcff', s + s))
print(unicodedata.category('\ud800'), unicodedata.category('\U0010f000'))

# marshal round trip
print(repr(marshal.loads(marshal.dumps('x\udc80'))), repr(marshal.loads(b'\xf5\x03\x00\x00\x00\xed\xb2\x80')))

# file names that are not UTF-8
dd = tempfile.mkdtemp()
open(os.path.join(os.fsencode(dd), b'n\xffx'), 'w').close()
names = os.listdir(dd)
print([repr(n) for n in names], os.fsencode(names[0]))
p = os.path.join(dd, names[0])
print(os.path.exists(p), os.stat(p).st_size)
with open(p, 'w') as f:
    f.write('hi')
with open(os.path.join(dd, 'n\udcffx')) as f:
    print(f.read())
os.remove(p)
os.rmdir(dd)
print(repr(os.fsdecode(b'\xff\xfe')), os.fsencode('\udcff'))
try:
    os.stat('\ud800')
except UnicodeEncodeError as e:
    print(e)
