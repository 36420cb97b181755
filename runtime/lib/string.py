"""String constants and helpers."""
whitespace = ' \t\n\r\x0b\x0c'
ascii_lowercase = 'abcdefghijklmnopqrstuvwxyz'
ascii_uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
ascii_letters = ascii_lowercase + ascii_uppercase
digits = '0123456789'
hexdigits = digits + 'abcdef' + 'ABCDEF'
octdigits = '01234567'
punctuation = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    return (sep or ' ').join(x.capitalize() for x in s.split(sep))


class Template:
    delimiter = '$'

    def __init__(self, template):
        self.template = template

    def substitute(self, mapping=None, **kws):
        return self._sub(mapping, kws, False)

    def safe_substitute(self, mapping=None, **kws):
        return self._sub(mapping, kws, True)

    def _sub(self, mapping, kws, safe):
        values = {}
        if mapping:
            values.update(mapping)
        values.update(kws)
        s = self.template
        out = []
        i = 0
        while i < len(s):
            c = s[i]
            if c == '$' and i + 1 < len(s):
                nxt = s[i + 1]
                if nxt == '$':
                    out.append('$')
                    i += 2
                    continue
                if nxt == '{':
                    j = s.index('}', i)
                    name = s[i + 2:j]
                    end = j + 1
                else:
                    j = i + 1
                    while j < len(s) and (s[j].isalnum() or s[j] == '_'):
                        j += 1
                    name = s[i + 1:j]
                    end = j
                if name in values:
                    out.append(str(values[name]))
                elif safe:
                    out.append(s[i:end])
                else:
                    raise KeyError(name)
                i = end
                continue
            out.append(c)
            i += 1
        return ''.join(out)
