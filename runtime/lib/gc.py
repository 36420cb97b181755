"""gc: the interface of CPython's cycle collector.

stitch frees objects by reference counting only; it has no cycle collector yet, so
`collect()` finds nothing (returns 0) and reference cycles stay alive until exit. The
switches are kept so programs that toggle the collector (benchmarks often do) run.
"""
garbage = []
callbacks = []
DEBUG_STATS = 1
DEBUG_COLLECTABLE = 2
DEBUG_UNCOLLECTABLE = 4
DEBUG_SAVEALL = 32
DEBUG_LEAK = 38

_enabled = True
_threshold = (700, 10, 10)
_debug = 0
_frozen = 0


def enable():
    global _enabled
    _enabled = True


def disable():
    global _enabled
    _enabled = False


def isenabled():
    return _enabled


def collect(generation=2):
    if not isinstance(generation, int) or not 0 <= generation <= 2:
        raise ValueError("invalid generation")
    return 0


def get_count():
    return (0, 0, 0)


def get_threshold():
    return _threshold


def set_threshold(threshold0, threshold1=None, threshold2=None):
    global _threshold
    t = list(_threshold)
    t[0] = threshold0
    if threshold1 is not None:
        t[1] = threshold1
    if threshold2 is not None:
        t[2] = threshold2
    _threshold = tuple(t)


def get_debug():
    return _debug


def set_debug(flags):
    global _debug
    _debug = flags


def is_tracked(obj):
    return not isinstance(obj, (int, float, complex, str, bytes, bool, type(None)))


def is_finalized(obj):
    return False


def freeze():
    pass


def unfreeze():
    pass


def get_freeze_count():
    return _frozen


def get_stats():
    return [{"collections": 0, "collected": 0, "uncollectable": 0} for _ in range(3)]


def get_objects(generation=None):
    raise NotImplementedError("stitch does not support gc.get_objects() yet")


def get_referrers(*objs):
    raise NotImplementedError("stitch does not support gc.get_referrers() yet")


def get_referents(*objs):
    raise NotImplementedError("stitch does not support gc.get_referents() yet")
