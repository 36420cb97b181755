# Traces that leave their loop by `return` (popping the loop's iterator) or `break`,
# and loops whose condition is a constant.

def first_match(items, want):
    for it in items:
        if it[0] == want and (it[1] or it[2]):
            return True
    return False

def find_index(xs, v):
    i = 0
    while True:
        if xs[i] == v:
            return i
        i += 1

def scan(rows):
    total = 0
    for row in rows:
        for x in row:
            if x < 0:
                break
            total += x
        else:
            total += 1000
    return total

items = [(k % 7, k % 3, k % 2) for k in range(50)]
hits = 0
for k in range(3000):
    hits += first_match(items, k % 9)
print(hits)
print(sum(find_index(list(range(40)), k % 40) for k in range(3000)))
print(scan([[1, 2, 3, -1, 5] if k % 4 else [1, 2] for k in range(3000)]))
