# Stress program for the bug class of CPython gh-141658 (freeing while the world is
# stopped runs a finalizer that takes a lock: deadlock), as it applies to stitch: a
# class attribute write with another thread running stops the world, and the value it
# replaces must be released only after the world restarts
# (runtime/src/types/type_version.rs: modify_class_dict; loom model:
# loom-tests/tests/stw_release.rs). Here the old value's __del__ takes a lock that a
# parked thread holds, and writes another class attribute (a second stop-the-world).
# stitch has a second protection: a `__del__` never runs inside the free that triggers
# it but is queued for the thread's next safe point (runtime/src/finalize.rs). So this
# program deadlocks only if both break (checked: releasing the old value inside the
# stopped world alone still passes, since the queued `__del__` runs after the restart).
import threading

lock = threading.Lock()
held = threading.Event()
log = []


class C:
    pass


class Fin:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        with lock:
            log.append("del " + self.name)
        C.other = self.name


def holder(n):
    with lock:
        held.set()
        # Python code under the lock: back edges check the eval breaker and park for
        # the main thread's stop-the-world.
        s = 0
        for i in range(n):
            s += i % 7
    log.append("holder done %d" % s)


for round in range(3):
    held.clear()
    C.attr = Fin("first %d" % round)
    t = threading.Thread(target=holder, args=(30000,))
    t.start()
    held.wait()
    C.attr = Fin("second %d" % round)  # __del__ of "first" waits for the holder
    t.join()
    del C.attr  # and "second"'s with one thread left
print(sorted(log))
print(C.other)
