# Nested hot loops whose traces jump into each other: an outer loop's trace into the
# inner loop's, the inner loop's end (a side trace) back into the outer loop's, with
# `continue` (a second back edge), `break`, early returns, while loops around for
# loops, three levels, and values whose types change after the traces are compiled.


def grid_sum(n, m):
    total = 0
    for i in range(n):
        row = 0
        for j in range(m):
            row += i * j
        total += row
    return total


def with_continue(rows):
    count = 0
    for row in rows:
        if row is None:
            continue
        for x in row:
            if x < 0:
                continue
            count += x
    return count


def first_negative(rows):
    found = []
    for r, row in enumerate(rows):
        if row is None:
            continue
        for x in row:
            if x < 0:
                found.append((r, x))
                break
    return found


def consistent(board, nbrs):
    for j in range(len(board)):
        v = board[j]
        if v is None or v == -1:
            continue
        filled = 0
        for k in nbrs[j]:
            if board[k] is not None and board[k] != -1:
                filled += 1
        if filled > v + 2:
            return False
    return True


def while_around_for(n):
    i = 0
    acc = 0
    while i < n:
        for x in (1, 2, 3):
            acc += x * i
        i += 1
    return acc


def three_levels(n):
    acc = 0
    for a in range(n):
        for b in range(4):
            for c in range(3):
                acc += a + b * c
    return acc


def changing(n):
    # The inner loop's values turn into floats, then big ints, after compilation.
    out = []
    for i in range(n):
        s = 0
        vals = [1, 2, 3] if i < n // 3 else ([1.5, 2.5] if i < 2 * n // 3 else [2**70, 1])
        for v in vals:
            s += v
        out.append(s)
    return out[0], out[n // 2], out[-1], len(out)


print(grid_sum(300, 40))
rows = [[1, -2, 3], None, [4, 5, -6, 7], [], [8]] * 200
print(with_continue(rows))
print(first_negative(rows)[:5], len(first_negative(rows)))
board = [1, None, -1, 2, 0, 1, None, 3] * 4
nbrs = [[(j + 1) % 32, (j + 5) % 32, (j + 9) % 32] for j in range(32)]
print(sum(consistent(board, nbrs) for _ in range(300)))
board[3] = 0
print(sum(consistent(board, nbrs) for _ in range(300)))
print(while_around_for(2000))
print(three_levels(500))
print(changing(900))
