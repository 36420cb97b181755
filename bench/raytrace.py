# A small ray tracer: spheres and a plane, diffuse lighting, reflections.
import math


class Vec:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def norm(self):
        m = math.sqrt(self.dot(self))
        return Vec(self.x / m, self.y / m, self.z / m)


class Sphere:
    def __init__(self, center, radius, color, refl):
        self.center, self.radius, self.color, self.refl = center, radius, color, refl

    def intersect(self, orig, d):
        oc = orig - self.center
        b = oc.dot(d)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return None
        s = math.sqrt(disc)
        t = -b - s
        if t > 1e-4:
            return t
        t = -b + s
        return t if t > 1e-4 else None

    def normal(self, p):
        return (p - self.center).norm()


class Plane:
    def __init__(self, point, normal_, color, refl):
        self.point, self.n, self.color, self.refl = point, normal_, color, refl

    def intersect(self, orig, d):
        denom = self.n.dot(d)
        if abs(denom) < 1e-6:
            return None
        t = (self.point - orig).dot(self.n) / denom
        return t if t > 1e-4 else None

    def normal(self, p):
        return self.n


LIGHT = Vec(5.0, 5.0, -10.0)
SCENE = [
    Sphere(Vec(0.0, -0.5, 3.0), 1.0, (1.0, 0.2, 0.2), 0.3),
    Sphere(Vec(1.5, 0.0, 4.0), 0.8, (0.2, 1.0, 0.2), 0.5),
    Sphere(Vec(-1.5, 0.2, 4.5), 1.0, (0.2, 0.2, 1.0), 0.2),
    Plane(Vec(0.0, -1.5, 0.0), Vec(0.0, 1.0, 0.0), (0.8, 0.8, 0.8), 0.1),
]


def trace(orig, d, depth):
    best = None
    best_t = 1e30
    for obj in SCENE:
        t = obj.intersect(orig, d)
        if t is not None and t < best_t:
            best, best_t = obj, t
    if best is None:
        return (0.1, 0.1, 0.2)
    p = orig + d.scale(best_t)
    n = best.normal(p)
    to_light = (LIGHT - p).norm()
    shadow = False
    for obj in SCENE:
        if obj is not best and obj.intersect(p, to_light) is not None:
            shadow = True
            break
    diffuse = 0.0 if shadow else max(0.0, n.dot(to_light))
    col = tuple(c * (0.1 + 0.9 * diffuse) for c in best.color)
    if depth < 3 and best.refl > 0:
        r = d - n.scale(2 * d.dot(n))
        rc = trace(p, r.norm(), depth + 1)
        col = tuple(c * (1 - best.refl) + rcc * best.refl for c, rcc in zip(col, rc))
    return col


def render(w, h):
    total = 0.0
    eye = Vec(0.0, 0.0, -1.0)
    for y in range(h):
        for x in range(w):
            d = Vec((x - w / 2) / w, (y - h / 2) / h, 1.0).norm()
            r, g, b = trace(eye, d, 0)
            total += r + g + b
    return total


print("%.6f" % render(120, 90))
