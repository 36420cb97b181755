# N-queens via permutations (as in pyperformance's nqueens).
from itertools import permutations


def n_queens(queen_count):
    cols = range(queen_count)
    for vec in permutations(cols):
        if (queen_count == len(set(vec[i] + i for i in cols))
                == len(set(vec[i] - i for i in cols))):
            yield vec


res = list(n_queens(8))
print(len(res), res[0], res[-1])
