import json
s = json.dumps({"a": [1, 2.5, None, True], "b": "x\ny", "é": "ü"}, sort_keys=True)
print(s, json.loads(s), json.dumps([1, {"k": "v"}], indent=2))
print(json.dumps({"x": 1, 2: [], "z": {}}, separators=(",", ":")), json.dumps("😀"), json.dumps("😀", ensure_ascii=False))
print(json.loads('{"a": {"b": [1, -2.5e3, "q\\u00e9\\n"]}, "c": null}'), json.loads("  42 "), json.loads("[]"))
try:
    json.loads('{"a": 1,}')
except json.JSONDecodeError as e:
    print("JSONDecodeError:", e)
try:
    json.dumps(object())
except TypeError as e:
    print("TypeError:", e)
print(json.dumps(float("nan")), json.dumps(1e100), json.dumps(10**30), json.dumps((1, 2)))
