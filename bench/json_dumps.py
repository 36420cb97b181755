# json.dumps of a realistic document (nested dicts/lists, strings needing escapes,
# ints, floats, bools, None), compact and indented.
import json

def make_doc(n):
    users = []
    for i in range(n):
        users.append({
            "id": i,
            "name": "user %d \u00e9\u4e2d" % i,
            "email": "user%d@example.com" % i,
            "score": i * 1.25,
            "active": i % 3 == 0,
            "tags": ["a", "b\n", "c\"q\"", str(i)],
            "address": {"street": "%d Main St" % i, "zip": "%05d" % i, "geo": [i / 7, -i / 3]},
            "note": None,
        })
    return {"users": users, "count": n, "version": "1.0"}

doc = make_doc(2000)
total = 0
for _ in range(20):
    total += len(json.dumps(doc))
    total += len(json.dumps(doc, ensure_ascii=False))
total += len(json.dumps(doc, indent=2, sort_keys=True))
print(total)
