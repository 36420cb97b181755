# The warning machinery (`_warnings`, as CPython's C module): filters and their
# actions, registries, stacklevel, source=, warnings issued by the runtime itself,
# and the text written to stderr when the Lib's `warnings` is not loaded.
import gc
import io
import sys

import _warnings

print(sorted(n for n in dir(_warnings) if not n.startswith("__")))
print(_warnings._defaultaction)
for f in _warnings.filters:
    print(f)

# ---- without the Lib's warnings: _warnings writes to sys.stderr itself -------------
saved_warnings = sys.modules.pop("warnings", None)
err = io.StringIO()
sys.stderr, real_stderr = err, sys.stderr
try:
    _warnings.warn("direct", UserWarning)  # a comment that is not shown
    _warnings.warn_explicit("explicit", RuntimeWarning, "nosuchfile.py", 7)
    _warnings.warn_explicit("with line", UserWarning, "x.py", 2,
                            module_globals={"__name__": "m", "__loader__": None})
finally:
    sys.stderr = real_stderr
    if saved_warnings is not None:
        sys.modules["warnings"] = saved_warnings
text = err.getvalue().replace(__file__, "HERE")
print(text, end="")

import warnings

print(_warnings.filters is warnings.filters)
print(warnings.defaultaction, warnings.onceregistry is _warnings._onceregistry)

shown = []


def show(message, category, filename, lineno, file=None, line=None):
    shown.append((str(message), category.__name__, filename == __file__, lineno))


def drain(label):
    print(label, shown)
    shown.clear()


warnings.showwarning = show


def emit(msg="w", category=UserWarning, stacklevel=1):
    warnings.warn(msg, category, stacklevel=stacklevel)


# ---- actions ---------------------------------------------------------------------
with warnings.catch_warnings():
    warnings.showwarning = show
    warnings.simplefilter("default")
    for i in range(3):
        emit("default action")
    drain("default:")

    warnings.simplefilter("always")
    for i in range(3):
        emit("always action")
    drain("always:")

    warnings.simplefilter("once")
    for i in range(3):
        emit("once action")
    emit("once action")  # another line, still once
    drain("once:")

    warnings.simplefilter("module")
    for i in range(2):
        emit("module action")
    emit("module action")
    drain("module:")

    warnings.simplefilter("ignore")
    emit("ignored")
    drain("ignore:")

    warnings.simplefilter("error")
    try:
        emit("boom", RuntimeWarning)
    except RuntimeWarning as e:
        print("error:", type(e).__name__, e)

    # A filter on the message (a regular expression matched at the start).
    warnings.resetwarnings()
    warnings.filterwarnings("ignore", message="skip")
    warnings.simplefilter("always", append=True)
    emit("skip me")
    emit("keep me")
    emit("not skip")
    drain("message filter:")

    # A filter on the category (subclasses match).
    warnings.resetwarnings()
    warnings.simplefilter("always")
    warnings.filterwarnings("error", category=DeprecationWarning)
    try:
        emit("old", PendingDeprecationWarning)
        emit("older", DeprecationWarning)
    except DeprecationWarning as e:
        print("category filter:", e)
    drain("category filter shown:")

    # A filter on the line number.
    warnings.resetwarnings()
    warnings.simplefilter("always")
    line = sys._getframe().f_lineno + 2
    warnings.filterwarnings("ignore", lineno=line)
    warnings.warn("on the filtered line")
    warnings.warn("on another line")
    drain("lineno filter:")

    # An unknown action is an error naming the filter.
    warnings.filters.insert(0, ("bogus", None, Warning, None, 0))
    try:
        emit("x1")
    except RuntimeError as e:
        print("bad action:", str(e).splitlines()[0])
    warnings.filters.insert(0, (1, None, Warning, None, 0))
    try:
        emit("x2")
    except TypeError as e:
        print("bad action type:", e)
    warnings.filters[:] = ["not a tuple"]
    try:
        emit("x3")
    except ValueError as e:
        print("bad filter:", e)

# ---- stacklevel --------------------------------------------------------------------
with warnings.catch_warnings():
    warnings.showwarning = show
    warnings.simplefilter("always")

    def inner():
        emit("level 1", stacklevel=1)
        emit("level 2", stacklevel=2)
        emit("level 3", stacklevel=3)
        emit("level 99", stacklevel=99)

    def outer():
        inner()

    outer()
    for m, c, here, line in shown:
        print("stacklevel:", m, c, here)
    shown.clear()

    # Past the outermost frame: file "sys", line 1.
    log = []
    warnings.showwarning = lambda m, c, f, l, *a: log.append((str(m), f, l))
    emit("too far", stacklevel=50)
    print("too far:", log)
    warnings.showwarning = show

# ---- the registry and the filters' version --------------------------------------
with warnings.catch_warnings():
    warnings.showwarning = show
    warnings.simplefilter("default")
    g = {"__name__": "regmod"}
    exec("import warnings\nfor i in range(2):\n    warnings.warn('reg')\n", g)
    reg = g["__warningregistry__"]
    print("registry:", sorted((k if isinstance(k, str) else (k[0], k[1].__name__, k[2]))
                              for k in reg if k != "version"))
    drain("registry shown:")
    # Changing the filters clears the registry on the next warning.
    warnings.simplefilter("default")
    exec("import warnings\nwarnings.warn('reg')\n", g)
    drain("after filters changed:")

    # warn_explicit with an explicit registry and module.
    r = {}
    for i in range(2):
        warnings.warn_explicit("expl", UserWarning, "f.py", 3, module="mod", registry=r)
    drain("explicit registry:")
    print("explicit keys:", sorted(str(k) for k in r if k != "version"))
    try:
        warnings.warn_explicit("expl", UserWarning, "f.py", 3, registry=[])
    except TypeError as e:
        print("bad registry:", e)

# ---- warning instances and categories --------------------------------------------
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    warnings.warn(DeprecationWarning("an instance"))
    warnings.warn("no category")
    warnings.warn("explicit category", FutureWarning)
    for x in w:
        print("record:", x.category.__name__, x.message, type(x.message).__name__)
for bad in (int, "str", 1):
    try:
        warnings.warn("x", bad)
    except TypeError as e:
        print("bad category:", e)

# ---- source=: the WarningMessage carries it --------------------------------------
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    marker = object()
    warnings.warn("with source", ResourceWarning, source=marker)
    print("source:", w[0].source is marker, w[0].category.__name__)

# ---- a coroutine never awaited ----------------------------------------------------
async def never():
    pass


with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c = never()
    del c
    gc.collect()
    print("never awaited:", [str(x.message) for x in w], [x.category.__name__ for x in w])

with warnings.catch_warnings():
    warnings.simplefilter("error")
    # The warning raised by the filter goes to sys.unraisablehook.
    seen = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(type(u.exc_value).__name__)
    try:
        c = never()
        del c
        gc.collect()
    finally:
        sys.unraisablehook = old_hook
    print("never awaited as error:", seen)

# ---- -W-like option strings --------------------------------------------------------
with warnings.catch_warnings():
    warnings.resetwarnings()
    warnings._setoption("error::UserWarning")
    warnings._setoption("ignore::DeprecationWarning")
    warnings._setoption("always:spam")
    for f in warnings.filters:
        print("option:", f[0], f[1].pattern if f[1] else None, f[2].__name__, f[3], f[4])
    try:
        warnings.warn("raised by the option")
    except UserWarning as e:
        print("option error:", e)

print("filters restored:", warnings.filters == _warnings.filters, len(warnings.filters))
