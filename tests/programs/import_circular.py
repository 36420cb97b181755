# Circular imports inside a package, sys.path additions, __name__ checks.
import sys
import circ_pkg
from circ_pkg import a, b
print(a.use_b(), b.use_a(), sorted(k for k in sys.modules if k.startswith("circ_pkg")))
sys.path.append("extra_path")
import pathmod
print(pathmod.WHERE, pathmod.__name__, __name__)
try:
    from circ_pkg import nothing_here
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
if __name__ == "__main__":
    print("main guard ran")
