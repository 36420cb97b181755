# The _json accelerator: decoder errors and positions, hooks, the encoder's options,
# and the string escapers (CPython's C behaviour).
import json
from json import decoder, encoder, scanner
import _json
print(scanner.make_scanner is _json.make_scanner, decoder.scanstring is _json.scanstring)
cases = ['[1,', '[', '[1', '[1 2]', '{', '{"a"', '{"a":', '{"a":1', '{"a" 1}', '{"a":1 "b":2}',
         '"abc', '"a\\x"', '"\\u12"', '"\\u12zz"', '"\\ud83d\\ude00"', '"a\nb"', '-', '-x', '01',
         '1.', '1e', '1e+', '1.5e3x', 'nul', 'NaN', '-Infinity', 'Infinity', '[NaN, -5, 1E400]', '',
         '   ', '"\\', '"\\u"', '[1,]', '{"a":1,}', '[1]x', '"\\ud83d\\u"', '"\\ud83d\\u12"',
         '{"a":1}{', '{"é": ü}', '["é", "\\u00e9\\n", 12, -0.5e-3, 10000000000000000000000]']
for c in cases:
    try:
        print(repr(c), repr(json.loads(c)))
    except json.JSONDecodeError as e:
        print(repr(c), "ERR", e, e.pos, e.lineno, e.colno)
print(json.loads('{"a": 1, "a": 2}'), json.loads('{"x": [1, {"y": "z"}]}', object_pairs_hook=list))
print(json.loads('[1.5, 2, "s"]', parse_float=str, parse_int=lambda s: int(s) * 10))
print(json.loads('{"k": 1}', object_hook=lambda d: sorted(d.items())))
print(json.loads('[NaN, Infinity]', parse_constant=lambda s: s.lower()))
print(decoder.scanstring('"abc\\n" tail', 1), decoder.scanstring('xx"é\\u00e9"', 3))
for args in [('"abc', 1), ('abc', 9), (5, 0)]:
    try:
        decoder.scanstring(*args)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(repr(json.loads('"\t"', strict=False)))
try:
    json.loads('"\t"')
except ValueError as e:
    print(e)
try:
    json.loads("[" * 100000)
except RecursionError as e:
    print("RecursionError", e)
print(json.JSONDecoder().raw_decode('{"a": [1, 2]} trailing'))
# encoder
print(json.dumps({"a": [1, 2.5, None, True, False], "b": "x\ny\u2028\x7f", "\u00e9": "\U0001f600"}))
print(json.dumps({"a": "\u00e9\U0001f600\x00\x1f"}, ensure_ascii=False))
print(json.dumps({3: 1, 1.5: 2, True: 3, None: 4, "s": 5}), json.dumps({"b": 1, "a": {"d": 2, "c": 3}}, sort_keys=True))
print(json.dumps([float("inf"), float("-inf"), float("nan"), 1e16, 0.1, -0.0, 10**25]))
for bad in [lambda: json.dumps(float("nan"), allow_nan=False), lambda: json.dumps({(1, 2): 3}),
            lambda: json.dumps({1: 2, "a": 3}, sort_keys=True), lambda: json.dumps(object()),
            lambda: json.dumps({"k": {1, 2}})]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(json.dumps({(1, 2): 3, "x": 4}, skipkeys=True), json.dumps([], separators=(",", ":")), json.dumps({}))
cyc = [1]
cyc.append(cyc)
try:
    json.dumps(cyc)
except ValueError as e:
    print(e)
d = {}
d["me"] = d
try:
    json.dumps(d)
except ValueError as e:
    print(e)
cyc.pop()
d.clear()
class E(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, set):
            return sorted(o)
        return super().default(o)
print(E().encode({"s": {3, 1, 2}, "t": (1, 2)}), json.dumps({"s": {1}}, default=list))
class MyDict(dict):
    pass
class MyInt(int):
    def __repr__(self):
        return "nope"
print(json.dumps(MyDict(a=1)), json.dumps([MyInt(5)]), json.dumps((1, [2, (3,)])))
print(json.dumps("a", check_circular=False), json.dumps({"a": 1}, separators=(";", "=")))
print(_json.encode_basestring_ascii("é\"\\\n\U0001f600"), _json.encode_basestring("é\"\\\n\x7f"))
try:
    _json.encode_basestring_ascii(5)
except TypeError as e:
    print(e)
print(encoder.c_make_encoder is _json.make_encoder)
