# Barnes-Hut: 2-D gravitational n-body steps with a quadtree and the theta criterion.
import math
import random


class Body:
    __slots__ = ("x", "y", "vx", "vy", "m", "fx", "fy")

    def __init__(self, x, y, vx, vy, m):
        self.x, self.y, self.vx, self.vy, self.m = x, y, vx, vy, m
        self.fx = self.fy = 0.0


class Quad:
    __slots__ = ("cx", "cy", "half", "body", "children", "mass", "mx", "my")

    def __init__(self, cx, cy, half):
        self.cx, self.cy, self.half = cx, cy, half
        self.body = None
        self.children = None
        self.mass = 0.0
        self.mx = self.my = 0.0

    def insert(self, b):
        if self.children is None and self.body is None and self.mass == 0.0:
            self.body = b
        else:
            if self.children is None:
                h = self.half / 2
                self.children = [Quad(self.cx - h, self.cy - h, h), Quad(self.cx + h, self.cy - h, h),
                                 Quad(self.cx - h, self.cy + h, h), Quad(self.cx + h, self.cy + h, h)]
                old, self.body = self.body, None
                if old is not None:
                    self._child(old).insert(old)
            self._child(b).insert(b)
        self.mx = (self.mx * self.mass + b.x * b.m) / (self.mass + b.m)
        self.my = (self.my * self.mass + b.y * b.m) / (self.mass + b.m)
        self.mass += b.m

    def _child(self, b):
        i = (1 if b.x >= self.cx else 0) + (2 if b.y >= self.cy else 0)
        return self.children[i]

    def force_on(self, b, theta):
        if self.mass == 0.0 or self.body is b:
            return
        dx = self.mx - b.x
        dy = self.my - b.y
        d2 = dx * dx + dy * dy + 0.01
        d = math.sqrt(d2)
        if self.children is None or (2 * self.half) / d < theta:
            f = b.m * self.mass / (d2 * d)
            b.fx += f * dx
            b.fy += f * dy
        else:
            for c in self.children:
                c.force_on(b, theta)


def step(bodies, dt, theta):
    size = max(max(abs(b.x), abs(b.y)) for b in bodies) + 1.0
    root = Quad(0.0, 0.0, size)
    for b in bodies:
        root.insert(b)
    for b in bodies:
        b.fx = b.fy = 0.0
        root.force_on(b, theta)
    for b in bodies:
        b.vx += dt * b.fx / b.m
        b.vy += dt * b.fy / b.m
        b.x += dt * b.vx
        b.y += dt * b.vy


rng = random.Random(5)
bodies = []
for i in range(700):
    r = rng.random() * 10.0
    a = rng.random() * 2 * math.pi
    bodies.append(Body(r * math.cos(a), r * math.sin(a), -math.sin(a) * 0.5, math.cos(a) * 0.5, 0.5 + rng.random()))
for _ in range(10):
    step(bodies, 0.01, 0.5)
print("%.6f %.6f" % (sum(b.x for b in bodies), sum(b.vy * b.m for b in bodies)))
