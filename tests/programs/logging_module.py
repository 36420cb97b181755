# stitch: cyclic (loggers, the manager and handlers refer to each other; no cycle GC yet)
# logging: hierarchy, levels, handlers, formatters, filters, basicConfig.
import logging, sys, io

logging.basicConfig(stream=sys.stdout, level=logging.INFO)
logging.info("hello %s", "world")
logging.debug("hidden")
logging.warning("warn %d%%", 50)
log = logging.getLogger("app.db")
log.info("connected to %(host)s", {"host": "localhost"})
print(log.parent is logging.getLogger("app"), log.parent.parent is logging.root, log.name)
print(logging.getLogger("app").parent is logging.root, log.getEffectiveLevel(), logging.getLevelName(log.getEffectiveLevel()))

buf = io.StringIO()
h = logging.StreamHandler(buf)
h.setFormatter(logging.Formatter("[%(levelname)-8s] %(name)s: %(message)s"))
svc = logging.getLogger("svc")
svc.addHandler(h)
svc.setLevel(logging.DEBUG)
svc.propagate = False
svc.debug("debug %r", [1, 2])
svc.error("boom")
sub = svc.getChild("worker")
sub.warning("from child")
print(buf.getvalue(), end="")

fmt2 = logging.Formatter("{levelname}|{name}|{message}", style="{")
h2 = logging.StreamHandler(sys.stdout)
h2.setFormatter(fmt2)
l2 = logging.getLogger("brace")
l2.propagate = False
l2.addHandler(h2)
l2.warning("value=%s", 3)
h2.setFormatter(logging.Formatter("$levelname $message", style="$"))
l2.error("dollar")

class OnlyOdd(logging.Filter):
    def filter(self, record):
        return record.args[0] % 2 == 1
l3 = logging.getLogger("filt")
l3.propagate = False
h3 = logging.StreamHandler(sys.stdout)
h3.setFormatter(logging.Formatter("%(message)s"))
l3.addHandler(h3)
l3.addFilter(OnlyOdd())
for i in range(5):
    l3.warning("n=%d", i)
def fail():
    raise ZeroDivisionError("division by zero")
captured = io.StringIO()
h3.setStream(captured)
try:
    fail()
except ZeroDivisionError:
    l3.exception("failed %d", 7)
h3.setStream(sys.stdout)
print(captured.getvalue().replace(__file__, "FILE"), end="")
h3.setLevel(logging.ERROR)
l3.warning("n=%d", 9)
l3.error("n=%d", 11)
print(logging.getLevelName(25), logging.getLevelName("WARNING"), logging.WARN)
logging.addLevelName(25, "NOTICE")
logging.log(25, "custom level")
print(repr(logging.getLogger("app.db")), repr(logging.root), repr(h3))
print(logging.getLogger() is logging.root, logging.getLogger("root") is logging.root)
logging.disable(logging.ERROR)
logging.error("disabled")
logging.critical("still on")
logging.disable(logging.NOTSET)
a = logging.LoggerAdapter(logging.getLogger("adapt"), {"user": "bob"})
a.warning("adapted")
try:
    logging.getLogger().setLevel("LOUD")
except ValueError as e:
    print("ValueError:", e)
late = logging.getLogger("late")
late.propagate = False
late.error("no handlers: the last-resort handler writes this to stderr")
