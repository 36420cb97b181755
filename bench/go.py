# Go: Monte-Carlo move selection on a small board (random playouts with captures,
# no suicide, area scoring).
import random

SIZE = 7
EMPTY, BLACK, WHITE = 0, 1, 2


def neighbours(p):
    x, y = p % SIZE, p // SIZE
    out = []
    if x > 0:
        out.append(p - 1)
    if x < SIZE - 1:
        out.append(p + 1)
    if y > 0:
        out.append(p - SIZE)
    if y < SIZE - 1:
        out.append(p + SIZE)
    return out


NEIGHBOURS = [neighbours(p) for p in range(SIZE * SIZE)]


class Board:
    def __init__(self):
        self.cells = [EMPTY] * (SIZE * SIZE)
        self.ko = None

    def copy(self):
        b = Board()
        b.cells = self.cells[:]
        b.ko = self.ko
        return b

    def group(self, p):
        color = self.cells[p]
        stones = {p}
        libs = set()
        todo = [p]
        while todo:
            q = todo.pop()
            for n in NEIGHBOURS[q]:
                c = self.cells[n]
                if c == EMPTY:
                    libs.add(n)
                elif c == color and n not in stones:
                    stones.add(n)
                    todo.append(n)
        return stones, libs

    def play(self, p, color):
        if self.cells[p] != EMPTY or p == self.ko:
            return False
        self.cells[p] = color
        other = BLACK + WHITE - color
        captured = []
        for n in NEIGHBOURS[p]:
            if self.cells[n] == other:
                stones, libs = self.group(n)
                if not libs:
                    captured.extend(stones)
                    for s in stones:
                        self.cells[s] = EMPTY
        stones, libs = self.group(p)
        if not libs:
            self.cells[p] = EMPTY
            for s in captured:
                self.cells[s] = other
            return False
        self.ko = captured[0] if len(captured) == 1 else None
        return True

    def is_eye(self, p, color):
        return all(self.cells[n] == color for n in NEIGHBOURS[p])

    def score(self, color):
        s = 0
        for p in range(SIZE * SIZE):
            c = self.cells[p]
            if c == color:
                s += 1
            elif c == EMPTY and all(self.cells[n] == color for n in NEIGHBOURS[p]):
                s += 1
        return s


def playout(board, color, rng):
    passes = 0
    moves = 0
    while passes < 2 and moves < 3 * SIZE * SIZE:
        empties = [p for p in range(SIZE * SIZE) if board.cells[p] == EMPTY and not board.is_eye(p, color)]
        rng.shuffle(empties)
        for p in empties:
            if board.play(p, color):
                passes = 0
                break
        else:
            passes += 1
        color = BLACK + WHITE - color
        moves += 1
    return board.score(BLACK) - board.score(WHITE)


def best_move(board, color, playouts, rng):
    best, best_rate = None, -1.0
    for p in range(SIZE * SIZE):
        trial = board.copy()
        if not trial.play(p, color):
            continue
        wins = 0
        for _ in range(playouts):
            result = playout(trial.copy(), BLACK + WHITE - color, rng)
            if (result > 0) == (color == BLACK):
                wins += 1
        rate = wins / playouts
        if rate > best_rate:
            best, best_rate = p, rate
    return best, best_rate


rng = random.Random(42)
board = Board()
moves = []
color = BLACK
for _ in range(3):
    p, rate = best_move(board, color, 5, rng)
    board.play(p, color)
    moves.append((p, round(rate, 3)))
    color = BLACK + WHITE - color
print(moves, board.score(BLACK), board.score(WHITE))
