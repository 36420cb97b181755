# stitch: cyclic (loggers, the manager and handlers refer to each other; no cycle GC yet)
# logging records carry the caller: filename, lineno, funcName, module.
import logging, sys
logging.basicConfig(stream=sys.stdout, format="%(filename)s:%(lineno)d %(funcName)s %(module)s %(levelname)s %(message)s")
def work():
    logging.getLogger("w").warning("in work")
class C:
    def m(self):
        logging.error("in method")
work()
C().m()
logging.warning("top level")
a = logging.LoggerAdapter(logging.getLogger("ad"), {})
a.warning("via adapter")
