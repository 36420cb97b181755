# pickle round trips through the native _pickle.
import pickle
data = {"a": [1, 2.5, "s"], "b": (None, True)}
print(pickle.loads(pickle.dumps(data)) == data)
