# Uncaught chained exception.
try:
    [1][2]
except IndexError as e:
    raise ValueError("bad index") from e
