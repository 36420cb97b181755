# Gap check: json.
import json
s = json.dumps({"a": [1, 2.5, None, True], "b": "x\ny"}, sort_keys=True)
print(s, json.loads(s), json.dumps([1, {"k": "v"}], indent=2))
