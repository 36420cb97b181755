# stitch: cyclic (the Lib's XMLParser and its expat parser refer to each other)
# xml.etree, minidom, sax and plistlib on the native pyexpat.
import io
import xml.etree.ElementTree as ET

root = ET.fromstring('<root a="1"><child id="x">text<sub/>tail</child><child id="y"/></root>')
print(root.tag, root.attrib, [c.get('id') for c in root], root[0].text, root[0][0].tail)
print(ET.tostring(root, encoding='unicode'))
print(ET.tostring(root))

ns = ET.fromstring('<r xmlns="urn:a" xmlns:b="urn:b"><b:x b:y="1">t</b:x><z/></r>')
print(ns.tag, [(c.tag, c.attrib) for c in ns])
print(ET.tostring(ns, encoding='unicode'))
ET.register_namespace('bb', 'urn:b')
print(ET.tostring(ns, encoding='unicode', default_namespace='urn:a'))

tree = ET.parse(io.BytesIO(b'<?xml version="1.0" encoding="utf-8"?>\n<doc><p>caf\xc3\xa9 &amp; co</p><!-- c --><?pi x?></doc>'))
print(tree.getroot().tag, tree.find('p').text, len(tree.getroot().findall('.//p')))

for event, elem in ET.iterparse(io.BytesIO(b'<a xmlns:n="urn:n"><n:b>1</n:b><c/></a>'),
                                events=('start', 'end', 'start-ns', 'end-ns')):
    print(event, elem if event.endswith('ns') else elem.tag)

pp = ET.XMLPullParser(events=('start', 'end', 'comment', 'pi'))
for piece in ['<r', 'oot><x>1</', 'x><!-- hi --><?p q?>', '</root>']:
    pp.feed(piece)
    print([(e, x.tag if isinstance(x.tag, str) else x.tag.__name__) for e, x in pp.read_events()])
pp.close()

for bad in ['<a>', '<a></b>', '<a/><b/>', '<a>&undefined;</a>', '']:
    try:
        ET.fromstring(bad)
    except ET.ParseError as e:
        print('ParseError', e, e.code, e.position)

doc = ET.fromstring('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><p>&nbsp;</p></html>'
                    .replace('&nbsp;', 'x'))
print(doc.tag)

class Target:
    def __init__(self):
        self.events = []
    def start(self, tag, attrib):
        self.events.append(('start', tag, attrib))
    def end(self, tag):
        self.events.append(('end', tag))
    def data(self, d):
        self.events.append(('data', d))
    def doctype(self, name, pubid, system):
        self.events.append(('doctype', name, pubid, system))
    def close(self):
        return self.events
parser = ET.XMLParser(target=Target())
parser.entity['ent'] = 'ENT'
parser.feed('<!DOCTYPE r SYSTEM "r.dtd"><r x="1">hi &ent;</r>')
print(parser.close())
parser = ET.XMLParser()
try:
    parser.feed('<!DOCTYPE r SYSTEM "r.dtd"><r x="1">hi &ent;</r>')
except ET.ParseError as e:
    print('ParseError', e, e.code, e.position)

e = ET.Element('top', {'k': 'v'})
ET.SubElement(e, 'leaf').text = 'a < b & "c"'
ET.indent(e)
print(ET.tostring(e, encoding='unicode'))
print(ET.tostring(ET.fromstring(ET.tostring(e)), encoding='unicode') == ET.tostring(e, encoding='unicode'))
print(ET.canonicalize('<a b="2" a="1"><!-- c --><x/></a>'))

# minidom
from xml.dom import minidom
d = minidom.parseString('<?xml version="1.0"?><doc a="1"><item>one</item><item>two</item><![CDATA[<raw>]]></doc>')
print(d.documentElement.tagName, [n.firstChild.data for n in d.getElementsByTagName('item')])
print(d.toprettyxml(indent='  '))
print(d.toxml())

# sax
import xml.sax
class H(xml.sax.ContentHandler):
    def startElement(self, name, attrs):
        print('sax start', name, dict(attrs))
    def endElement(self, name):
        print('sax end', name)
    def characters(self, content):
        if content.strip():
            print('sax chars', repr(content))
xml.sax.parseString(b'<r><a x="1">hello</a><b/></r>', H())
try:
    xml.sax.parseString(b'<r><a></r>', H())
except xml.sax.SAXParseException as ex:
    print('SAXParseException', ex)

# plistlib round trip
import plistlib, datetime
data = {'name': 'stitch', 'n': 3, 'f': 1.5, 'ok': True, 'list': [1, 'two', b'\x00\x01'],
        'nested': {'k': 'v'}, 'when': datetime.datetime(2024, 1, 2, 3, 4, 5)}
blob = plistlib.dumps(data)
print(blob.decode().splitlines()[:4])
print(plistlib.loads(blob) == data)

# a larger document, fed in pieces
big = '<root>' + ''.join('<item id="%d" name="n%d">value %d &amp; more</item>' % (i, i, i) for i in range(2000)) + '</root>'
p = ET.XMLParser()
for i in range(0, len(big), 1000):
    p.feed(big[i:i + 1000])
r = p.close()
print(len(r), r[1999].attrib, r[5].text, len(ET.tostring(r)))
