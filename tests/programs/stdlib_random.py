import random
random.seed(42)
print([random.randint(1, 100) for _ in range(10)])
print(random.random(), random.uniform(1, 2), random.choice("abcdef"))
l = list(range(10)); random.shuffle(l); print(l)
print(random.sample(range(100), 5), random.gauss(0, 1), random.randrange(0, 100, 7))
print(random.getrandbits(70), random.choices("abc", k=5), random.choices([1,2,3], weights=[1,0,5], k=4))
r = random.Random(7); print(r.random(), r.randint(1, 6), random.normalvariate(0, 1), random.expovariate(2))
