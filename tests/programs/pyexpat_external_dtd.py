# stitch: cyclic (each parser's handlers are closures over the parser)
# External DTD subset parsers (ExternalEntityParserCreate(None)): the DTD's
# declarations are parsed as markup declarations and the document uses them
# (genshi loads a foreign DTD of HTML entities so).
from io import BytesIO
from xml.parsers import expat

DTD = b'<?xml version="1.0" encoding="utf-8"?>\n<!ENTITY nbsp "&#160;">\n<!-- c -->\n<!ENTITY copy "&#169;">\n<!ATTLIST td align CDATA "left">'


def run(doc, default=None, expand=False, skipped=False, dtd=DTD):
    out = []
    p = expat.ParserCreate(None, "}")
    p.buffer_text = True
    p.ordered_attributes = True
    p.StartElementHandler = lambda n, a: out.append(("start", n, a))
    p.CharacterDataHandler = lambda d: out.append(("data", d))
    if default:
        if expand:
            p.DefaultHandlerExpand = lambda d: out.append(("defx", d))
        else:
            p.DefaultHandler = lambda d: out.append(("default", d))
    if skipped:
        p.SkippedEntityHandler = lambda n, pe: out.append(("skipped", n, pe))
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_ALWAYS)
    p.UseForeignDTD()

    def foreign(context, base, sysid, pubid):
        out.append(("foreign", context, base, sysid, pubid))
        q = p.ExternalEntityParserCreate(context)
        q.EntityDeclHandler = lambda *a: out.append(("entitydecl",) + a)
        try:
            out.append(("parsed", q.ParseFile(BytesIO(dtd))))
        except expat.ExpatError as e:
            out.append(("dtd error", str(e)))
        return 1

    p.ExternalEntityRefHandler = foreign
    try:
        p.Parse(doc, True)
    except expat.ExpatError as e:
        out.append(("error", str(e)))
    for o in out:
        print(o)
    print("--")


DOC = b'<table><td>x&nbsp;y &copy;</td><td align="right">&unknown;</td></table>'
run(DOC, default=True)
run(DOC, default=True, expand=True)
run(DOC)
run(DOC, skipped=True)
run(DOC, dtd=b'<!ENTITY x "1">\n<bad')
run(DOC, dtd=b'<!ENTITY x "1"> junk')
