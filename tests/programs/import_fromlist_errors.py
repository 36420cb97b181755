# `from package import submodule`: a submodule that fails to import reports its own error.
from fromlist_pkg import fine
print(fine.VALUE)
try:
    from fromlist_pkg import broken
except ImportError as e:
    print(type(e).__name__, e)
try:
    from fromlist_pkg import missing
except ImportError as e:
    print(type(e).__name__, str(e).split(" (")[0])
