# Hexiom-style puzzle: place numbered tiles on a hexagonal board so that every tile's
# number equals how many of its neighbours hold tiles; count the solutions.
def hex_cells(radius):
    return [(q, r) for q in range(-radius, radius + 1) for r in range(-radius, radius + 1) if abs(q + r) <= radius]


DIRS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)]


def solve(radius, tiles):
    cells = hex_cells(radius)
    index = {c: i for i, c in enumerate(cells)}
    nbrs = [[index[(q + dq, r + dr)] for dq, dr in DIRS if (q + dq, r + dr) in index] for q, r in cells]
    n = len(cells)
    counts = {}
    for t in tiles:
        counts[t] = counts.get(t, 0) + 1
    empties = n - len(tiles)
    board = [None] * n
    solutions = [0]

    def consistent(i):
        for j in [i] + nbrs[i]:
            v = board[j]
            if v is None or v == -1:
                continue
            filled = unknown = 0
            for k in nbrs[j]:
                if board[k] is None:
                    unknown += 1
                elif board[k] != -1:
                    filled += 1
            if filled > v or filled + unknown < v:
                return False
        return True

    def place(i, empties_left):
        if i == n:
            solutions[0] += 1
            return
        if empties_left:
            board[i] = -1
            if consistent(i):
                place(i + 1, empties_left - 1)
        for v in sorted(counts):
            if counts[v]:
                counts[v] -= 1
                board[i] = v
                if consistent(i):
                    place(i + 1, empties_left)
                counts[v] += 1
        board[i] = None

    place(0, empties)
    return solutions[0]


print(solve(1, [1, 1, 2, 2]), solve(2, [1, 1, 2, 2, 3, 3, 2, 1]), solve(2, [3, 3, 3, 2, 2, 2, 1, 1, 4, 4]))
