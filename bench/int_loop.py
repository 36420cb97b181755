# Integer loop kernel: arithmetic, comparisons and branches in a hot while loop.
def kernel(n):
    total = 0
    i = 0
    while i < n:
        if i % 3 == 0:
            total += i * 2
        elif i % 5 == 1:
            total -= i
        else:
            total ^= i
        i += 1
    return total

print(kernel(3000000))
