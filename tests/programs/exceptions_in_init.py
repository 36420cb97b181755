class Validated:
    def __init__(self, v):
        if v < 0:
            raise ValueError(f"negative: {v}")
        self.v = v
objs = []
for v in [3, -1, 5]:
    try:
        objs.append(Validated(v))
    except ValueError as e:
        print("rejected", e)
print([o.v for o in objs])
class Resource:
    opened = 0
    def __enter__(self):
        Resource.opened += 1
        return self
    def __exit__(self, *exc):
        Resource.opened -= 1
        return False
def use(fail):
    with Resource():
        if fail:
            raise RuntimeError("failed inside")
        return Resource.opened
print(use(False), Resource.opened)
try:
    use(True)
except RuntimeError as e:
    print(e, Resource.opened)
def retry(times):
    attempts = 0
    while True:
        attempts += 1
        try:
            if attempts < times:
                raise ConnectionError("try again")
            return attempts
        except ConnectionError:
            continue
print(retry(3))
