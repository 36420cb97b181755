import sys
M = sys.maxsize
print(list(range(M - 3, M)), list(range(-M - 1, -M + 2)), list(range(M - 1, M - 10, -3)))
for i in range(M - 2, M):
    print(i)
print([x for x in range(-M, -M - 5, -2)])
