# SciMark kernels: SOR, Monte Carlo, sparse matrix multiply, LU factorisation, FFT.
import math
import random


def sor(n, cycles, omega):
    g = [[(i * j) % 17 / 17.0 for j in range(n)] for i in range(n)]
    omega_over_four = omega * 0.25
    one_minus_omega = 1.0 - omega
    for _ in range(cycles):
        for i in range(1, n - 1):
            gi, gim1, gip1 = g[i], g[i - 1], g[i + 1]
            for j in range(1, n - 1):
                gi[j] = (omega_over_four * (gim1[j] + gip1[j] + gi[j - 1] + gi[j + 1])
                         + one_minus_omega * gi[j])
    return sum(sum(row) for row in g)


def monte_carlo(samples):
    rnd = random.Random(113)
    under = 0
    for _ in range(samples):
        x = rnd.random()
        y = rnd.random()
        if x * x + y * y <= 1.0:
            under += 1
    return under / samples * 4.0


def sparse_matmult(n, nz, cycles):
    rnd = random.Random(7)
    x = [rnd.random() for _ in range(n)]
    row = [0] * (n + 1)
    col = []
    val = []
    nr = nz // n
    for r in range(n):
        row[r + 1] = row[r] + nr
        step = max(r // nr, 1)
        for i in range(nr):
            col.append((i * step) % n)
            val.append(rnd.random())
    y = [0.0] * n
    for _ in range(cycles):
        for r in range(n):
            s = 0.0
            for i in range(row[r], row[r + 1]):
                s += x[col[i]] * val[i]
            y[r] = s
    return sum(y)


def lu(n):
    rnd = random.Random(11)
    a = [[rnd.random() for _ in range(n)] for _ in range(n)]
    pivot = [0] * n
    for j in range(n):
        jp = j
        t = abs(a[j][j])
        for i in range(j + 1, n):
            ab = abs(a[i][j])
            if ab > t:
                jp = i
                t = ab
        pivot[j] = jp
        if jp != j:
            a[j], a[jp] = a[jp], a[j]
        if j < n - 1:
            recp = 1.0 / a[j][j]
            for k in range(j + 1, n):
                a[k][j] *= recp
            for ii in range(j + 1, n):
                aii = a[ii]
                aj = a[j]
                aiij = aii[j]
                for jj in range(j + 1, n):
                    aii[jj] -= aiij * aj[jj]
    return sum(a[i][i] for i in range(n))


def fft(n):
    data = [math.sin(i * 0.1) for i in range(2 * n)]
    # bit reversal
    j = 0
    for i in range(0, 2 * n, 2):
        if i < j:
            data[i], data[j] = data[j], data[i]
            data[i + 1], data[j + 1] = data[j + 1], data[i + 1]
        m = n
        while m >= 2 and j >= m:
            j -= m
            m >>= 1
        j += m
    dual = 1
    while dual < n:
        theta = math.pi / dual
        s = math.sin(theta)
        t = math.sin(theta / 2.0)
        s2 = 2.0 * t * t
        wr, wi = 1.0, 0.0
        for a in range(dual):
            for b in range(a, n, 2 * dual):
                i = 2 * b
                jj = 2 * (b + dual)
                tr = wr * data[jj] - wi * data[jj + 1]
                ti = wr * data[jj + 1] + wi * data[jj]
                data[jj] = data[i] - tr
                data[jj + 1] = data[i + 1] - ti
                data[i] += tr
                data[i + 1] += ti
            tmp = wr - s * wi - s2 * wr
            wi = wi + s * wr - s2 * wi
            wr = tmp
        dual *= 2
    return sum(abs(v) for v in data)


print("%.6f %.6f %.6f %.6f %.6f" % (sor(100, 10, 1.25), monte_carlo(400000), sparse_matmult(1000, 5000, 60),
                                    lu(100), fft(16384)))
