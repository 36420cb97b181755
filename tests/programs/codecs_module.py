import _codecs
print(_codecs.utf_8_decode(b'ab\xe4\xb8', 'strict', False))
for data in [b'\xff', b'a\xe4\xb8x', b'\xed\xa0\x80', b'abc\xf0\x90\x80']:
    for err in ['strict', 'ignore', 'replace', 'backslashreplace']:
        try: print(err, repr(data.decode('utf-8', err)))
        except UnicodeDecodeError as e: print(err, 'E', e, e.start, e.end, e.reason)
for s in ['héllo€', 'abc']:
    for err in ['strict', 'ignore', 'replace', 'backslashreplace', 'xmlcharrefreplace']:
        for enc in ['ascii', 'latin-1']:
            try: print(enc, err, s.encode(enc, err))
            except UnicodeEncodeError as e: print(enc, err, 'E', e)
print(_codecs.utf_16_encode('hi€'), _codecs.utf_16_decode(b'\xff\xfeh\x00i\x00'))
print(_codecs.utf_32_be_encode('a𝄞'), _codecs.utf_32_ex_decode(b'\x00\x00\xfe\xff\x00\x00\x00a'))
print(_codecs.unicode_escape_encode('a\\b\n\té€𝄞\''))
print(_codecs.unicode_escape_decode(b'a\\n\\x41\\u20ac\\U0001d11e\\101\\\nz'))
print(_codecs.raw_unicode_escape_encode('aé€'), _codecs.raw_unicode_escape_decode(b'\\u20ac\\\\u20ac\\x'))
print(_codecs.escape_encode(b"a'\\\n\x00\xff"), _codecs.escape_decode(b"a\\x41\\n\\101"))
try: _codecs.escape_decode(b'\\x4')
except ValueError as e: print(e)
import codecs
print(codecs.lookup('UTF-8').name, codecs.lookup('cp1252').name)
print('h€llo'.encode('cp1252'), b'h\x80llo'.decode('cp1252'), 'abc'.encode('utf-16'))
print('abc'.encode('rot13') if False else codecs.encode('abc', 'rot13'))
def h(e): return ('[%d-%d]' % (e.start, e.end), e.end)
codecs.register_error('mine', h)
print('aé€b'.encode('ascii', 'mine'), b'a\xffb'.decode('utf-8', 'mine'))
try: 'x'.encode('nope')
except LookupError as e: print(e)
print(b'\x81'.decode('cp1252', 'replace'))
try: b'\x81'.decode('cp1252')
except UnicodeDecodeError as e: print(e)
print(codecs.getincrementaldecoder('utf-8')().decode(b'\xe2\x82'), 'x')
d = codecs.getincrementaldecoder('utf-8')(); print(repr(d.decode(b'\xe2\x82')), repr(d.decode(b'\xac')))
print(UnicodeDecodeError('utf-8', b'ab', 0, 2, 'bad'), UnicodeEncodeError('ascii', 'é', 0, 1, 'no'))
