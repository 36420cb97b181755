# print to a StringIO: one write of the whole line when that is what its writes would
# do (its own type, no write of the instance, no newline translation), else the
# pieces through write; and str == bytes.
import io
s = io.StringIO(); print(1, 'a', 2.5, sep='-', end='|\n', file=s); print(file=s); print('x', file=s, end='')
s2 = io.StringIO(newline=None); print('a\r', end='\n', file=s2); print('b\r', file=s2)
s3 = io.StringIO(newline='\r\n'); print('p\nq', file=s3)
class W(io.StringIO):
    def write(self, t): return super().write(t.upper())
w = W(); print('low', 'er', file=w)
s4 = io.StringIO(); s4.write = lambda t: s.write('[' + t + ']'); print('inst', file=s4)
c = io.StringIO(); c.close()
try: print('x', file=c)
except ValueError as e: print('closed:', e)
print(repr(s.getvalue()), repr(s2.getvalue()), repr(s3.getvalue()), repr(w.getvalue()), repr(s4.getvalue()))
print(b'' == '', '' != b'', b'a' == 'a', 'a' != b'a')
