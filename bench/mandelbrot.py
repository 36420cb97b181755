# Mandelbrot set escape counts (a classic float loop kernel, after the shootout's
# mandelbrot): nested loops, float arithmetic, an early-exit branch.
def mandel(w, h, max_iter):
    total = 0
    for y in range(h):
        ci = 2.0 * y / h - 1.0
        for x in range(w):
            cr = 2.5 * x / w - 2.0
            zr = 0.0
            zi = 0.0
            i = 0
            while i < max_iter:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                i += 1
            total += i
    return total


print(mandel(240, 160, 200))
