# Gap: pprint.
import pprint
pprint.pprint({"b": [1, 2, 3] * 10, "a": {"x": list(range(30))}})
