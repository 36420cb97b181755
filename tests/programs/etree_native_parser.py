# _elementtree's TreeBuilder and XMLParser: the TreeBuilder shortcut, custom targets,
# factories, iterparse events, entities, encodings and ParseError.
import io
import xml.etree.ElementTree as ET

print(ET.XMLParser().version, type(ET.XMLParser().target).__name__)

# TreeBuilder driven by hand
b = ET.TreeBuilder()
b.start("root", {})
b.data("a")
b.data("b")
b.start("child", {"k": "v"})
b.data("inner")
b.end("child")
b.data("tail")
b.comment("not inserted")
b.pi("target", "text")
r = b.end("root")
print(ET.tostring(r), b.close() is r)
try:
    b.end("root")
except IndexError as e:
    print("IndexError", e)

b = ET.TreeBuilder(insert_comments=True, insert_pis=True)
for ev in [("start", "r"), ("comment", " c "), ("data", "after comment"),
           ("pi", "p"), ("data", "after pi"), ("end", "r")]:
    if ev[0] == "start":
        b.start(ev[1], {})
    else:
        getattr(b, ev[0])(ev[1])
print(ET.tostring(b.close()))


# element_factory and a custom target
def factory(tag, attrib):
    e = ET.Element(tag.upper(), attrib)
    return e


p = ET.XMLParser(target=ET.TreeBuilder(element_factory=factory))
p.feed("<a x='1'><b>t</b></a>")
print(ET.tostring(p.close()))


class Target:
    def __init__(self):
        self.log = []

    def start(self, tag, attrib):
        self.log.append(("start", tag, dict(attrib)))

    def end(self, tag):
        self.log.append(("end", tag))

    def data(self, data):
        self.log.append(("data", data))

    def comment(self, text):
        self.log.append(("comment", text))

    def pi(self, target, data):
        self.log.append(("pi", target, data))

    def start_ns(self, prefix, uri):
        self.log.append(("start-ns", prefix, uri))

    def end_ns(self, prefix):
        self.log.append(("end-ns", prefix))

    def doctype(self, name, pubid, system):
        self.log.append(("doctype", name, pubid, system))

    def close(self):
        return "closed"


t = Target()
p = ET.XMLParser(target=t)
p.feed('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://x/y.dtd">')
p.feed('<root xmlns="urn:d" xmlns:q="urn:q"><!-- c --><?pi data?>')
p.feed('<q:a q:attr="1">x&amp;y</q:a></root>')
print(p.close())
for entry in t.log:
    print(entry)

# entities
p = ET.XMLParser()
p.entity["ent"] = "ENTITY"
p.feed('<!DOCTYPE r [ <!ENTITY % e SYSTEM "e.dtd"> %e; ]><r>&ent;</r>')
print(ET.tostring(p.close()))
for src in ['<r>&undefined;</r>',
            '<!DOCTYPE r [ <!ENTITY % e SYSTEM "e.dtd"> %e; ]>\n<r>&nope;</r>']:
    try:
        ET.fromstring(src)
    except ET.ParseError as e:
        print(type(e).__name__, e, e.code, e.position)

# errors and their positions
for src in ["<a>", "<a></b>", "<a/><b/>", "<a x='1' x='2'/>", "", "<a>\n  <b>\n</a>"]:
    try:
        ET.fromstring(src)
    except ET.ParseError as e:
        print(repr(e), e.code, e.position, isinstance(e, SyntaxError))
p = ET.XMLParser()
p.feed("<a/>")
p.close()
try:
    p.feed("<b/>")
except ET.ParseError as e:
    print(e.code, e)

# encodings
print(ET.fromstring('<?xml version="1.0" encoding="iso-8859-1"?><a>\xe9</a>'.encode("latin-1")).text)
print(ET.fromstring("<a>\u20ac</a>".encode("utf-16")).text)
p = ET.XMLParser(encoding="utf-8")
p.feed("<a>é</a>".encode())
print(p.close().text)

# iterparse and XMLPullParser
src = b'<r xmlns:p="urn:p"><p:a>1</p:a><!--c--><?t d?><b/></r>'
events = ("start", "end", "start-ns", "end-ns", "comment", "pi")
for ev, obj in ET.iterparse(io.BytesIO(src), events):
    if isinstance(obj, ET.Element) and obj.tag in (ET.Comment, ET.PI):
        obj = (obj.tag is ET.Comment, obj.tag is ET.PI, obj.text)
    elif isinstance(obj, ET.Element):
        obj = obj.tag
    print(ev, obj)
it = ET.iterparse(io.BytesIO(b"<a><b/></a>"))
print([(e, x.tag) for e, x in it], it.root.tag)
pp = ET.XMLPullParser(["start", "end"])
pp.feed("<a><b>te")
print([(e, x.tag) for e, x in pp.read_events()])
pp.feed("xt</b></a>")
print([(e, x.tag, x.text) for e, x in pp.read_events()])
pp.close()
try:
    ET.XMLParser(target=Target())._setevents([], ["start"])
except TypeError as e:
    print("TypeError", e)
try:
    ET.XMLParser()._setevents([], ["bogus"])
except ValueError as e:
    print("ValueError", e)
bad = ET.iterparse(io.BytesIO(b"<a></b>"))
try:
    for _ in bad:
        pass
except ET.ParseError as e:
    print("iterparse", e)

# parse() of a file object goes through _parse_whole
tree = ET.parse(io.BytesIO(b"<doc><x>1</x><x>2</x></doc>"))
print(tree.getroot().tag, [x.text for x in tree.findall("x")])
tree = ET.parse(io.StringIO("<doc>str</doc>"))
print(tree.getroot().text)
