# Meteor-style polyomino tiling: count every way to cover a small board with a set of
# pieces (all rotations and reflections), by exact-cover backtracking on bitmasks.
PIECES = {
    "L": [(0, 0), (1, 0), (2, 0), (3, 0), (3, 1)],
    "P": [(0, 0), (1, 0), (0, 1), (1, 1), (2, 0)],
    "U": [(0, 0), (0, 1), (1, 1), (2, 1), (2, 0)],
    "Y": [(0, 0), (1, 0), (2, 0), (3, 0), (1, 1)],
    "N": [(0, 0), (1, 0), (2, 0), (2, 1), (3, 1)],
    "T": [(0, 0), (1, 0), (2, 0), (1, 1), (1, 2)],
    "V": [(0, 0), (1, 0), (2, 0), (0, 1), (0, 2)],
    "Z": [(0, 0), (1, 0), (1, 1), (1, 2), (2, 2)],
}
W, H = 6, 5


def variants(cells):
    out = set()
    pts = cells
    for _ in range(2):
        for _ in range(4):
            pts = [(y, -x) for x, y in pts]
            mx = min(x for x, _ in pts)
            my = min(y for _, y in pts)
            out.add(tuple(sorted((x - mx, y - my) for x, y in pts)))
        pts = [(-x, y) for x, y in pts]
    return sorted(out)


def placements():
    table = {}
    for name, cells in PIECES.items():
        masks = []
        for v in variants(cells):
            for ox in range(W):
                for oy in range(H):
                    mask = 0
                    ok = True
                    for x, y in v:
                        x += ox
                        y += oy
                        if x >= W or y >= H:
                            ok = False
                            break
                        mask |= 1 << (y * W + x)
                    if ok:
                        masks.append(mask)
        table[name] = masks
    return table


def count(table):
    full = (1 << (W * H)) - 1
    by_cell = [[] for _ in range(W * H)]
    for name, masks in table.items():
        for m in masks:
            low = (m & -m).bit_length() - 1
            by_cell[low].append((name, m))
    solutions = []

    def search(filled, used, chosen):
        if filled == full:
            solutions.append(tuple(chosen))
            return
        free = ~filled & full
        cell = (free & -free).bit_length() - 1
        for name, m in by_cell[cell]:
            if name not in used and not (m & filled):
                used.add(name)
                chosen.append((name, m))
                search(filled | m, used, chosen)
                chosen.pop()
                used.discard(name)

    search(0, set(), [])
    return solutions


sols = count(placements())
print(len(sols), sorted(sols)[0] if sols else None)
