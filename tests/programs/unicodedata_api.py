import unicodedata as u
for s in ['café', 'e\u0301', 'ﬁ', '①②', 'Å', '\u1e9b\u0323', 'ḱṷṓn', '한국어', '\u1100\u1161\u11a8', 'x²']:
    print([(f, u.normalize(f, s), u.is_normalized(f, s)) for f in ('NFC', 'NFD', 'NFKC', 'NFKD')])
    print(u.ucd_3_2_0.normalize('NFC', s) == u.normalize('NFC', s))
for n in ['LATIN SMALL LETTER A', 'latin small letter a', 'SNOWMAN', 'BYTE ORDER MARK', 'HANGUL SYLLABLE GAG', 'CJK UNIFIED IDEOGRAPH-4E00', 'NOPE', b'BLACK STAR']:
    try: print(hex(ord(u.lookup(n))))
    except KeyError as e: print('KeyError', e)
print(u.name('\uac01'), u.name('\u4e00'), u.name('\U00020000'))
for f, a in [(u.category, (1,)), (u.category, ('ab',)), (u.decimal, ('a',)), (u.digit, ('a',)), (u.numeric, ('a',)),
             (u.name, ('\x00',)), (u.normalize, ('X', 'a')), (u.normalize, ('NFC', 1)), (u.lookup, ('x' * 300,)),
             (u.category, ()), (u.name, ()), (u.decimal, ('a', 1, 2)), (u.is_normalized, ('NFX', 'a')), (u.lookup, (1,)),
             (u.ucd_3_2_0.name, ('\U0001F600',))]:
    try: print(repr(f(*a)))
    except Exception as e: print(type(e).__name__, e)
print(u.decimal('9'), u.digit('²'), u.numeric('½'), u.numeric('Ⅻ'), u.decimal('x', 'dflt'), u.numeric('\u4e07'))
print(u.mirrored('('), u.combining('\u0301'), u.east_asian_width('界'), u.bidirectional('\u05d0'), u.decomposition('½'))
print(type(u.ucd_3_2_0).__name__, u.UCD)
