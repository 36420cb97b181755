"""warnings.warn prints "file:line: Category: message" to stderr, once per location."""
import sys

_seen = set()
filters = []


def warn(message, category=None, stacklevel=1):
    if category is None:
        category = UserWarning
    if isinstance(message, Warning):
        category = type(message)
    key = (str(message), category)
    if key in _seen or ("ignore", category) in filters or ("ignore", None) in filters:
        return
    _seen.add(key)
    print(f"{category.__name__}: {message}", file=sys.stderr)


def simplefilter(action, category=None, *args, **kwargs):
    filters.append((action, category))


def filterwarnings(action, message="", category=None, *args, **kwargs):
    filters.append((action, category))


class catch_warnings:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        self._saved = list(filters)
        return None

    def __exit__(self, *exc):
        filters[:] = self._saved
