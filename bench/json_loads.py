# json.loads of a realistic document (nested objects, escaped and non-ASCII strings,
# ints, floats, literals).
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

texts = [json.dumps(make_doc(2000)), json.dumps(make_doc(2000), ensure_ascii=False, indent=1)]
total = 0
for _ in range(12):
    for t in texts:
        d = json.loads(t)
        total += len(d["users"]) + d["count"]
print(total)
