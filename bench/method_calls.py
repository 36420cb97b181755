# Object-heavy kernel: instance creation, attribute access and method calls.
class Vector:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def scale(self, k):
        return Vector(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def step(self, dt):
        self.pos = self.pos.add(self.vel.scale(dt))

    def energy(self):
        return 0.5 * self.vel.dot(self.vel)


particles = [Particle(Vector(i, -i), Vector(1.0 + i % 7, 0.5 - i % 3)) for i in range(100)]
total = 0.0
for t in range(2000):
    for p in particles:
        p.step(0.01)
    if t % 100 == 0:
        total += sum(p.energy() for p in particles)
print(round(total, 6), round(particles[7].pos.x, 6), round(particles[7].pos.y, 6))
