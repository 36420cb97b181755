def f(n):
    total = 0.0
    xs = [1.0, 2.0, 3.0]
    for i in range(n):
        x = xs[i % 3]
        total = total + x * 2.0
        if total > 1e9:
            total = 0.0
    return total
f(500)
