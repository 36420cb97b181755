# stitch: cyclic (builds element cycles)
# _elementtree's Element: sequence protocol, attributes, search fast paths and
# ElementPath delegation, copying, pickling, subclassing, weakrefs and errors.
import copy
import gc
import pickle
import weakref
import xml.etree.ElementTree as ET

print(ET.Element.__module__, ET.SubElement.__module__)

root = ET.Element("root", {"a": "1"}, b="2")
print(root.tag, sorted(root.attrib.items()), root.text, root.tail, len(root))
for i in range(6):
    c = ET.SubElement(root, "c%d" % (i % 3), n=str(i))
    c.text = "t%d" % i
print(len(root), [c.tag for c in root], root[0].get("n"), root[-1].get("n"))
print([c.get("n") for c in root[1:5:2]], [c.get("n") for c in root[::-2]])
root[0] = ET.Element("first")
del root[1]
root[1:3] = [ET.Element("x"), ET.Element("y"), ET.Element("z")]
print([c.tag for c in root])
del root[::2]
print([c.tag for c in root])
root.insert(0, ET.Element("ins"))
root.insert(-100, ET.Element("front"))
root.insert(100, ET.Element("back"))
root.append(ET.Element("app"))
root.extend([ET.Element("e1"), ET.Element("e2")])
print([c.tag for c in root])
root.remove(root[0])
print([c.tag for c in root], root.keys(), root.items())
root.set("a", "9")
print(root.get("a"), root.get("zz", "dflt"), root.get(key="b"))

# find/findall/findtext: plain tags, paths, namespaces
t = ET.fromstring(
    '<r xmlns:p="urn:p"><a>1<b>2</b></a><a>3</a><p:c>ns</p:c><d><a>deep</a></d></r>'
)
print(t.find("a").text, t.findtext("a"), t.findtext("zz", "none"), len(t.findall("a")))
print([e.text for e in t.findall(".//a")], t.find("{urn:p}c").text)
print(t.findtext("p:c", namespaces={"p": "urn:p"}), [e.tag for e in t.iterfind("d/a")])
print([e.tag for e in t.iter()], [e.tag for e in t.iter("a")], list(t.itertext()))
print([e.tag for e in t.iter("*")], t.find("b"), t.findall("b"))

# copying
e = ET.Element("e", {"k": "v"})
e.text, e.tail = "text", "tail"
ET.SubElement(e, "child").text = "c"
c1 = copy.copy(e)
c2 = copy.deepcopy(e)
print(c1.attrib is e.attrib, c1[0] is e[0], c2.attrib is e.attrib, c2[0] is e[0])
print(ET.tostring(c2), c2.text, c2.tail)
m = e.makeelement("made", {"x": "1"})
print(m.tag, m.attrib, type(m).__name__)

# pickling (compatible with the Python Element's state)
for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
    p = pickle.loads(pickle.dumps(e, proto))
    assert ET.tostring(p) == ET.tostring(e), proto
print(sorted(e.__getstate__()), ET.tostring(pickle.loads(pickle.dumps(e))))
n = ET.Element.__new__(ET.Element)
n.__setstate__({"tag": "s", "attrib": {"q": 1}, "_children": [ET.Element("k")],
                "text": ["a", "b"], "tail": "t"})
print(n.tag, n.attrib, n.text, n.tail, len(n))


# subclasses, weakrefs, cycles
class MyElement(ET.Element):
    def __init__(self, tag, attrib={}, **extra):
        super().__init__(tag, attrib, **extra)
        self.extra_field = 42


me = MyElement("mine", z="1")
me.append(ET.Element("kid"))
print(type(me).__name__, me.tag, me.attrib, me.extra_field, len(me), isinstance(me, ET.Element))
r = weakref.ref(me)
print(r() is me)
a = ET.Element("a")
b = ET.SubElement(a, "b")
b.text = a  # a cycle through text
wa = weakref.ref(a)
del a, b
gc.collect()
print(wa() is None)

# deep trees are freed without recursion
deep = top = ET.Element("top")
for i in range(100000):
    deep = ET.SubElement(deep, "x")
del deep, top
print("deep freed")

# errors
for f in (
    lambda: ET.Element("a").append(1),
    lambda: ET.Element("a").extend(5),
    lambda: ET.Element("a").extend([1]),
    lambda: ET.Element("a")["x"],
    lambda: ET.Element("a")[0],
    lambda: ET.Element("a", 1),
    lambda: ET.SubElement(1, "a"),
    lambda: ET.Element("a").remove(ET.Element("b")),
    lambda: setattr(ET.Element("a"), "attrib", 5),
    lambda: ET.Element("a").__setstate__(5),
    lambda: ET.Element("a").makeelement("b", 1),
    lambda: delattr(ET.Element("a"), "tag"),
):
    try:
        f()
    except Exception as exc:
        print(type(exc).__name__, exc)
x = ET.Element("x")
x[:] = [ET.Element("1"), ET.Element("2")]
try:
    x[::2] = [ET.Element("3"), ET.Element("4")]
except ValueError as exc:
    print("ValueError", exc)
print(repr(ET.Element("tag")).startswith("<Element 'tag' at 0x"))
