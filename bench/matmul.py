# Dense matrix multiply on lists of lists (a classic nested-loop float kernel).
def matmul(a, b, n):
    c = [[0.0] * n for _ in range(n)]
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for k in range(n):
            aik = ai[k]
            bk = b[k]
            for j in range(n):
                ci[j] = ci[j] + aik * bk[j]
    return c


n = 160
a = [[(i * n + j) % 7 * 0.5 for j in range(n)] for i in range(n)]
b = [[(i + j) % 5 * 0.25 for j in range(n)] for i in range(n)]
c = matmul(a, b, n)
print(round(sum(sum(r) for r in c), 6))
