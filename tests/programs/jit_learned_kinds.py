# The optimizer learns a local's kind from guards on values loaded from it; these
# loops check what must not be learned and what must still be checked.

def int_in_float_arithmetic(n):
    # `t + k` converts k to a float on the stack; k itself stays an int (so the
    # second float operation on k must convert it again).
    k = 3
    t = 0.5
    s = 0
    for i in range(n):
        t = t + k
        t = t - k * 0.5
        t = t - k
        s = s + k * 2
        s = s ^ k
    return t, s, type(k).__name__

def limit_learned_then_changed(n):
    # `i < limit` teaches limit is an int; the loop is entered again after limit
    # became a float, then a big int.
    out = []
    for limit in (50, 60.5, 2 ** 70):
        i = 0
        s = 0
        while i < limit and i < 500:
            s += i
            i += 1
        out.append(s)
    return out

def overwritten_first(xs):
    # v is written before it is read in every iteration: whatever it held when the
    # loop was entered (None, a string) must not matter.
    total = 0
    for row in xs:
        v = None if row % 3 == 0 else "s"
        for v in range(row % 5):
            if v == 0:
                continue
            total += v
    return total

def compared_then_used(n):
    a = 7
    b = 2.5
    t = 0
    for i in range(n):
        if a > 3:
            t += a
        if b < 100.0:
            t += b
        if i == n // 2:
            a = 1.25
            b = 3
    return t, a, b

print(int_in_float_arithmetic(2000))
print(limit_learned_then_changed(0))
print(overwritten_first(list(range(3000))))
print(compared_then_used(3000))
