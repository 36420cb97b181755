import math
import math as m
from math import sqrt, floor as fl
import sys, time
print(math.sqrt(9), m.pi == math.pi, sqrt(2), fl(2.7), "math" in sys.modules)
import shapes_pkg
from shapes_pkg import area, VERSION
print(area(2), VERSION, shapes_pkg.PI_ISH)
import shapes_pkg.sub.deep
from shapes_pkg.sub.deep import both, NAME
print(both(3), NAME, shapes_pkg.sub.deep.NAME)
import shapes_pkg.geometry as g
print(g.area(1), g is sys.modules["shapes_pkg.geometry"])
import shapes_pkg as again
print(again is shapes_pkg, __name__)
try:
    import does_not_exist
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e)
try:
    from math import nope
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
from shapes_pkg.geometry import *
print(PI_ISH)
