# Searches whose first items the engine looks at before trying a position: anchors in
# alternatives, branches continued past their end, repeats with and without a minimum,
# wide characters, pos/endpos, and every method that searches.
import re

subjects = [
    '', 'a', 'xyz', '"\\/Qngr(12)\\/" and x"\\/Qngr(-3)\\/"',
    'qqqq, ZZZ q, llll', 'ab\nab\n', 'é"\\/Qngr(7)\\/"ü', 'Ωab Ωcd', '  lead and trail  ',
    'line1\nline2\n', 'aXbXc', '\u4e2dab\u4e2d', 'ronl qri-ehf3.wbgfgberf',
]
patterns = [
    r'(^|[^\\])\"\\\/Qngr\((-?[0-9]+)\)\\\/\"',
    r'qqqq|qqq|qq|q|ZZZZ|ZZZ|ZZ|Z|llll|ll|l',
    r'(^|.)(ronl|qri-ehf3.wbg)(|fgberf|zbgbef)',
    r'^\s*|\s*$', r'\s+', r'(?:^|\s+)ab(?:\s+|$)', r'$', r'\b\w', r'(a|)b',
    r'(?m)^ab$', r'x*y', r'x+y|z', r'[\u4e2d]a', r'Ω[a-c]', r'(?:a|b)(?:X|c)',
    r'(?i)ab', r'\Bb', r'.\Z', r'(?s).b', r'[^a]b', r'(\d*)(\D*)', r'a{2}|b', r'(?=a)a',
]
for p in patterns:
    rx = re.compile(p)
    for s in subjects:
        m = rx.search(s)
        print(repr(p), repr(s), m and (m.span(), m.groups()))
        print(' findall', rx.findall(s))
        print(' sub', repr(rx.sub('<>', s)))
        print(' split', rx.split(s))
        print(' iter', [m.span() for m in rx.finditer(s)])
        if len(s) > 3:
            m = rx.search(s, 1, len(s) - 1)
            print(' pos', m and m.span())
