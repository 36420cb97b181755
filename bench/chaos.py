# Chaos game: iterated function systems (Barnsley fern and Sierpinski) rendered into a
# histogram grid with seeded randomness.
import random


class Transform:
    __slots__ = ("a", "b", "c", "d", "e", "f", "p")

    def __init__(self, a, b, c, d, e, f, p):
        self.a, self.b, self.c, self.d, self.e, self.f, self.p = a, b, c, d, e, f, p

    def apply(self, x, y):
        return self.a * x + self.b * y + self.e, self.c * x + self.d * y + self.f


FERN = [
    Transform(0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 0.01),
    Transform(0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 0.85),
    Transform(0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 0.07),
    Transform(-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 0.07),
]
SIERPINSKI = [
    Transform(0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 1 / 3),
    Transform(0.5, 0.0, 0.0, 0.5, 0.5, 0.0, 1 / 3),
    Transform(0.5, 0.0, 0.0, 0.5, 0.25, 0.5, 1 / 3),
]


class ChaosGame:
    def __init__(self, transforms, width, height, bounds, seed):
        self.transforms = transforms
        self.cumulative = []
        total = 0.0
        for t in transforms:
            total += t.p
            self.cumulative.append(total)
        self.width, self.height = width, height
        self.bounds = bounds
        self.grid = [[0] * width for _ in range(height)]
        self.rng = random.Random(seed)

    def pick(self):
        r = self.rng.random() * self.cumulative[-1]
        for t, c in zip(self.transforms, self.cumulative):
            if r <= c:
                return t
        return self.transforms[-1]

    def run(self, iterations):
        x, y = 0.0, 0.0
        xmin, xmax, ymin, ymax = self.bounds
        sx = (self.width - 1) / (xmax - xmin)
        sy = (self.height - 1) / (ymax - ymin)
        for i in range(iterations):
            x, y = self.pick().apply(x, y)
            if i > 20:
                col = int((x - xmin) * sx)
                row = int((y - ymin) * sy)
                if 0 <= col < self.width and 0 <= row < self.height:
                    self.grid[row][col] += 1
        return self

    def checksum(self):
        s = 0
        for r, row in enumerate(self.grid):
            for c, v in enumerate(row):
                s = (s * 31 + v * (r + 1) + c) % 1000000007
        return s


fern = ChaosGame(FERN, 64, 64, (-2.5, 3.0, 0.0, 10.0), 1234).run(150000)
tri = ChaosGame(SIERPINSKI, 64, 64, (0.0, 1.0, 0.0, 1.0), 99).run(150000)
print(fern.checksum(), tri.checksum(), sum(map(sum, fern.grid)), max(map(max, tri.grid)))
