# stitch: cyclic (handlers are bound methods of objects that hold the parser)
# pyexpat: handlers, positions, incremental input, namespaces, DTD, errors.
import pyexpat
from xml.parsers import expat

print(expat.EXPAT_VERSION, expat.version_info, expat.native_encoding)
print(expat.ErrorString(3), expat.errors.XML_ERROR_SYNTAX, expat.errors.codes['mismatched tag'])
print(expat.model.XML_CTYPE_SEQ, expat.model.XML_CQUANT_PLUS)


class Log:
    def __init__(self, p):
        self.p = p
        for name in ['StartElementHandler', 'EndElementHandler', 'CharacterDataHandler',
                     'ProcessingInstructionHandler', 'CommentHandler', 'StartNamespaceDeclHandler',
                     'EndNamespaceDeclHandler', 'XmlDeclHandler', 'StartDoctypeDeclHandler',
                     'EndDoctypeDeclHandler', 'StartCdataSectionHandler', 'EndCdataSectionHandler',
                     'EntityDeclHandler', 'NotationDeclHandler', 'ElementDeclHandler',
                     'AttlistDeclHandler', 'DefaultHandler']:
            setattr(p, name, self.make(name))

    def make(self, name):
        def h(*args):
            print(name[:-7], args, self.p.CurrentLineNumber, self.p.CurrentColumnNumber,
                  self.p.CurrentByteIndex)
        return h


doc = '''<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE root [
  <!ELEMENT root (a, b?, (c|d)*)>
  <!ELEMENT a (#PCDATA|b)*>
  <!ELEMENT b EMPTY>
  <!ATTLIST a x CDATA #REQUIRED y (p|q) "p" z CDATA #FIXED "zz">
  <!ENTITY e "entity &amp; text">
  <!ENTITY ext SYSTEM "ext.xml">
  <!NOTATION gif SYSTEM "image/gif">
  <!-- dtd comment -->
]>
<root xmlns="urn:d" xmlns:n="urn:n">
  <a x="1&#32;2" n:q='v'>text &e; &lt;&#x41;<![CDATA[<raw>
]]></a><?pi some data?><!--c-->
  <n:b/>
</root>
'''
p = expat.ParserCreate(namespace_separator='|')
Log(p)
p.Parse(doc, True)

# the same in pieces of every size: events are identical
for size in (1, 3, 7):
    out = []
    p = expat.ParserCreate()
    p.buffer_text = True
    p.StartElementHandler = lambda n, a: out.append(('s', n, sorted(a.items())))
    p.EndElementHandler = lambda n: out.append(('e', n))
    p.CharacterDataHandler = lambda d: out.append(('d', d))
    data = doc.encode('utf-8') + b''
    for i in range(0, len(data), size):
        p.Parse(data[i:i + size], False)
    p.Parse(b'', True)
    print(size, len(out), out[:6])

# buffer_text off: data split at newlines and references
p = expat.ParserCreate()
chunks = []
p.CharacterDataHandler = chunks.append
p.Parse('<a>x\ny\r\nz &amp; &#233;\u00e9</a>', True)
print(chunks)
p = expat.ParserCreate()
p.buffer_text = True
chunks = []
p.CharacterDataHandler = chunks.append
p.Parse('<a>x\ny\r\nz &amp; &#233;\u00e9<b/>w</a>', True)
print(chunks, p.buffer_size, p.buffer_used)

# ordered and specified attributes, intern
p = expat.ParserCreate()
p.ordered_attributes = True
p.specified_attributes = True
p.StartElementHandler = lambda n, a: print('start', n, a)
p.Parse('<!DOCTYPE a [<!ATTLIST a d CDATA "dv">]><a z="1" b="2"/>', True)
print(type(p.intern), sorted(p.intern))
p = expat.ParserCreate(intern=None)
print(p.intern)

# namespace prefixes
p = expat.ParserCreate(namespace_separator=' ')
p.namespace_prefixes = True
p.StartElementHandler = lambda n, a: print('start', n, a)
p.Parse('<p:a xmlns:p="urn:p" p:x="1" y="2"/>', True)

# errors
for text in ['', '<a>', '<a></b>', '<a><b></a>', '<a/><b/>', '<a>&foo;</a>', '<a x="1" x="2"/>',
             '<a>\x01</a>', '<a><!-- x -- y --></a>', '<a x=1/>', '<a>]]></a>', '<a>&#0;</a>',
             '<a', '<a>\n  <b>\n</a>', '<a><![CDATA[x</a>', '<?xml versio="1.0"?><a/>',
             '<!DOCTYPE a [<!ENTITY e "&e;">]><a>&e;</a>', '<a/>x']:
    p = expat.ParserCreate()
    try:
        p.Parse(text, True)
        print(repr(text), 'ok')
    except expat.ExpatError as e:
        print(repr(text), e.code, e, e.lineno, e.offset, p.ErrorCode, p.ErrorLineNumber,
              p.ErrorColumnNumber, p.ErrorByteIndex)
p = expat.ParserCreate(namespace_separator='}')
try:
    p.Parse('<a xmlns:p="u"><q:b/></a>', True)
except expat.ExpatError as e:
    print(e, e.code)
p = expat.ParserCreate()
p.Parse('<a/>', True)
try:
    p.Parse('<b/>', True)
except expat.ExpatError as e:
    print(e)

# exceptions in handlers propagate
p = expat.ParserCreate()
def boom(name, attrs):
    raise ValueError('boom ' + name)
p.StartElementHandler = boom
try:
    p.Parse('<x/>', True)
except ValueError as e:
    print('ValueError', e)

# encodings
for data in ['<a>\u00e9\u20ac</a>'.encode('utf-8'), '<a>\u00e9\u20ac</a>'.encode('utf-16'),
             '<?xml version="1.0" encoding="iso-8859-1"?><a>\u00e9</a>'.encode('latin-1'),
             '<?xml version="1.0" encoding="windows-1252"?><a>\u20ac</a>'.encode('cp1252'),
             b'\xef\xbb\xbf<a>bom</a>']:
    p = expat.ParserCreate()
    got = []
    p.CharacterDataHandler = got.append
    p.Parse(data, True)
    print(got, p.CurrentByteIndex)
p = expat.ParserCreate('iso-8859-1')
got = []
p.CharacterDataHandler = got.append
p.Parse(b'<a>\xe9</a>', True)
print(got)

# ParseFile, SetBase, GetInputContext
import io
p = expat.ParserCreate()
p.SetBase('http://x/')
print(p.GetBase())
p.StartElementHandler = lambda n, a: print('ctx', p.GetInputContext()[:10])
p.ParseFile(io.BytesIO(b'<r>' + b'<i/>' * 3 + b'</r>'))
print(p.GetInputContext())

# default handler sees the DOCTYPE tokens and unexpanded entities
p = expat.ParserCreate()
p.DefaultHandlerExpand = lambda s: print('def', repr(s))
p.Parse('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">\n<a>&nbsp;</a>', True)
