from .. import geometry
from ..geometry import area as a2
def both(r):
    return geometry.area(r) == a2(r)
NAME = __name__
