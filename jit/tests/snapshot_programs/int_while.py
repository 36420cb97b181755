def total(n):
    i = 0
    s = 0
    while i < n:
        s += i * 3 % 7
        i += 1
    return s
total(500)
